/** Control, invisible and direction-changing characters, lone surrogates and line separators. */
const hiddenCharacter = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/**
 * Text from a user or a vendor as it may go into a one-line message (CLI or API alike): control,
 * invisible and direction-changing characters, lone surrogates and line separators as \uXXXX, so no
 * value can break the line, hide itself or reorder what a person reads.
 */
export function messageSafeText(text: string): string {
  return text.replace(new RegExp(hiddenCharacter.source, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Whether a text holds a character that `messageSafeText` would have to show as an escape. */
export function hasHiddenCharacters(text: string): boolean {
  return hiddenCharacter.test(text);
}

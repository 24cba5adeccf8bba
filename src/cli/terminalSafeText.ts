/**
 * Stored values (customer and plan names, aliases, source ids, the raw text of rejects, notes,
 * reasons) come from files and pushed records that anyone may have written. A terminal acts on some
 * characters instead of showing them: ESC starts sequences that clear the screen, set the window
 * title or fake colours, C1 controls do the same in one byte, a carriage return overwrites the line
 * and bidi overrides show text in another order than it is. Text mode shows each of them as a
 * visible escape (`\x1b`, `\u202e`), so nothing is hidden and nothing is lost for inspection.
 */
const alwaysEscaped = '\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';
const singleLine = new RegExp(`[\\t\\n${alwaysEscaped}]`, 'gu');
const multiLine = new RegExp(`[${alwaysEscaped}]`, 'gu');
/** In JSON only these remain to escape: JSON.stringify already writes C0 as \u escapes. */
const jsonUnescaped = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/gu;

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(character: string): string {
  const code = character.codePointAt(0)!;
  return Object.hasOwn(named, character) ? named[character]! : code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with every character that a terminal would act on shown as an escape. One value is one
 * line (line breaks and tabs escaped too) unless `lineBreaks` keeps `\n` and `\t` of multi-line text.
 */
export function terminalSafeText(text: string, options: { lineBreaks?: boolean } = {}): string {
  return text.replace(options.lineBreaks ? multiLine : singleLine, visible);
}

/** JSON as `JSON.stringify(value, null, 2)` writes it, with C1, DEL and bidi controls as `\u` escapes: the same value for a parser. */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(jsonUnescaped, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

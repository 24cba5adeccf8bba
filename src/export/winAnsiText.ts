/**
 * The characters the PDF standard fonts can show: PDFKit writes Helvetica text in WinAnsi
 * (Windows-1252), and a character outside it comes out as unrelated glyphs, not as an error.
 */
const winAnsi: ReadonlySet<string> = new Set([
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)),
  ...Array.from({ length: 96 }, (_, i) => String.fromCharCode(0xa0 + i)),
  // Windows-1252 0x80-0x9F. Written out because Node's TextDecoder decodes "windows-1252" as Latin-1.
  ...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ',
  '\n',
]);

function showable(char: string): string {
  if (winAnsi.has(char)) return char;
  // "Ş" is "S" plus a cedilla; the base letter is closer to the name than a question mark.
  const base = char.normalize('NFKD').replace(/\p{M}/gu, '');
  return base !== '' && [...base].every((c) => winAnsi.has(c)) ? base : '?';
}

/**
 * Text as the standard PDF fonts can draw it: WinAnsi characters and line breaks unchanged, accented
 * letters outside it by their base letter, anything else (other scripts, control characters) as "?".
 */
export function winAnsiText(text: string): string {
  let out = '';
  for (const char of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) out += showable(char);
  return out;
}

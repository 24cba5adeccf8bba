import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The open fonts (SIL Open Font License) that invoices are printed in, from npm packages: Noto Sans
 * for Latin (with its extensions), Greek and Cyrillic, and Noto Sans JP for Japanese (kana and the
 * kanji, which also covers most Chinese characters). The PDF embeds a subset of each font it uses,
 * so every name prints as written and a PDF reader extracts it as written (ADR 0014).
 */
export type FontFamily = 'latin' | 'japanese';
export type FontWeight = 'regular' | 'bold';

const families: Record<FontFamily, { packageName: string; files: Record<FontWeight, string> }> = {
  latin: { packageName: '@embedpdf/fonts-latin', files: { regular: 'NotoSans-Regular.ttf', bold: 'NotoSans-Bold.ttf' } },
  japanese: { packageName: '@embedpdf/fonts-jp', files: { regular: 'NotoSansJP-Regular.otf', bold: 'NotoSansJP-Bold.otf' } },
};
/** Tried in this order for each character: the first family that has it draws it. */
const fallbackOrder: readonly FontFamily[] = ['latin', 'japanese'];

const require = createRequire(import.meta.url);
const opened = new Map<string, fontkit.Font>();

/**
 * A font, opened once per process and shared by every document: opening one decodes its layout
 * tables, which costs several times the making of a whole invoice. Each document still embeds its
 * own subset.
 */
export function openFont(family: FontFamily, weight: FontWeight): fontkit.Font {
  const key = `${family}-${weight}`;
  let font = opened.get(key);
  if (!font) {
    // The packages export no file paths: their fonts are beside their `dist` folder.
    const packageMain = require.resolve(families[family].packageName);
    font = fontkit.create(readFileSync(join(dirname(packageMain), '..', 'fonts', families[family].files[weight]))) as fontkit.Font;
    opened.set(key, font);
  }
  return font;
}

function hasCharacter(family: FontFamily, codePoint: number): boolean {
  return openFont(family, 'regular').hasGlyphForCodePoint(codePoint);
}

export interface TextRun {
  family: FontFamily;
  text: string;
}

/**
 * A text cut into runs that one family each can draw. A run goes on while its family has the next
 * character, so a Japanese name keeps its Latin digits and spaces in the Japanese font, and white
 * space (line breaks included) never starts a run of its own. A character that no family has goes
 * with the first family (and prints as its empty box).
 */
export function fontRuns(text: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const char of text) {
    const current = runs.at(-1);
    const codePoint = char.codePointAt(0)!;
    if (current && (/\s/u.test(char) || hasCharacter(current.family, codePoint))) {
      current.text += char;
      continue;
    }
    const family = fallbackOrder.find((f) => hasCharacter(f, codePoint)) ?? fallbackOrder[0]!;
    if (current?.family === family) current.text += char;
    else runs.push({ family, text: char });
  }
  return runs;
}

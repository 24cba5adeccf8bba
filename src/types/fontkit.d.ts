// fontkit ships no types; this is the little of it that confbill uses (the Japanese fallback's coverage).
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
    readonly ascent: number;
    readonly unitsPerEm: number;
  }
  export function create(buffer: Buffer, postscriptName?: string): Font | { fonts: Font[] };
}

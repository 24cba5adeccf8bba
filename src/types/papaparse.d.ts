// papaparse ships no types; this is the little of it that confbill uses: its core row parser, driven
// chunk by chunk by src/ingest/csvRows.ts.
declare module 'papaparse' {
  export interface ParseStep {
    /** The row just parsed, as its only element. */
    data: string[][];
    /** The row's problems (a quote not closed, a closing quote followed by other text). */
    errors: { code: string; message: string }[];
    /** Where the text after the row (its line end included) starts, counted from `baseIndex`. */
    meta: { cursor: number };
  }

  export interface ParserConfig {
    delimiter: string;
    newline: '\n' | '\r' | '\r\n';
    quoteChar: string;
    step: (step: ParseStep) => void;
  }

  export class Parser {
    constructor(config: ParserConfig);
    /** Parses `input`; with `ignoreLastRow`, the text after its last line end is left for the next call. */
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): unknown;
    /** Stops the parse running: no row after the one being handed to `step`. */
    abort(): void;
  }

  const Papa: { Parser: typeof Parser };
  export default Papa;
}

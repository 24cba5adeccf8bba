/**
 * Spreadsheets run a cell that begins with one of these as a formula (`=HYPERLINK(...)`,
 * `+cmd|' /C calc'!A0`, `@SUM(...)`), and a leading tab or carriage return can hide such a prefix.
 */
const formulaTrigger = /^[=+\-@\t\r]/;

/**
 * A plain decimal such as "-3.00" is the only kind of cell we write that begins with "-" on purpose
 * (credits, adjustments). Digits, one leading minus and one point cannot form a formula, and a
 * spreadsheet must still read it as a number that sums, so it is left as it is.
 */
const plainDecimal = /^-?\d+(\.\d+)?$/;

/**
 * docs/billing-rules.md §8 "Export": makes a CSV cell inert in spreadsheets the OWASP way, by prefixing a single quote
 * to a value that begins with `=`, `+`, `-`, `@`, tab or carriage return. The quote shows the value
 * as text instead of running it; every other value comes back unchanged.
 */
export function neutralizeCsvCell(value: string): string {
  return formulaTrigger.test(value) && !plainDecimal.test(value) ? `'${value}` : value;
}

/** The API's decimal strings, as the server writes and checks them. */
export const decimalPattern = /^-?\d{1,15}(\.\d{1,12})?$/;

/** The exact sum of decimal strings (BigInt on scaled digits: no float rounding on money). */
export function decimalSum(values: readonly string[]): string {
  const scale = Math.max(0, ...values.map((v) => v.split('.')[1]?.length ?? 0));
  const scaled = values.map((v) => {
    const negative = v.startsWith('-');
    const [whole, fraction = ''] = (negative ? v.slice(1) : v).split('.');
    const digits = BigInt(`${whole}${fraction.padEnd(scale, '0')}`);
    return negative ? -digits : digits;
  });
  const sum = scaled.reduce((a, b) => a + b, 0n);
  const negative = sum < 0n;
  const digits = (negative ? -sum : sum).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * The exact product of two decimal strings ("49.00" × "2" = "98.00"), for a one-off charge's amount
 * (unit price × quantity) without a float on the way.
 */
export function decimalProduct(a: string, b: string): string {
  const parse = (v: string) => {
    const negative = v.startsWith('-');
    const [whole = '0', fraction = ''] = (negative ? v.slice(1) : v).split('.');
    return { digits: BigInt(`${whole}${fraction}` || '0') * (negative ? -1n : 1n), scale: fraction.length };
  };
  const x = parse(a);
  const y = parse(b);
  const product = x.digits * y.digits;
  const scale = x.scale + y.scale;
  const negative = product < 0n;
  const text = (negative ? -product : product).toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale);
  return `${negative ? '-' : ''}${whole}${scale ? `.${fraction}` : ''}`;
}

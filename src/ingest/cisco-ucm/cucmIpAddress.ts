/**
 * CUCM writes IPv4 addresses (origIpAddr, destIpAddr, *MediaTransportAddress_IP) as one 32-bit
 * integer whose bytes are in little-endian order and which is usually printed signed, so
 * 436316352 is 192.168.1.26 and -989009777 is 143.232.12.197. Undefined for text that is not such an
 * integer; 0 means "no address" and stays "0.0.0.0" for the caller to drop.
 */
export function cucmIpAddress(value: string): string | undefined {
  if (!/^-?\d{1,10}$/.test(value)) return undefined;
  const n = Number(value);
  if (n < -0x80000000 || n > 0xffffffff) return undefined;
  const u = n >>> 0;
  return [u & 0xff, (u >>> 8) & 0xff, (u >>> 16) & 0xff, u >>> 24].join('.');
}

import { describe, expect, it } from 'vitest';
import { cucmIpAddress } from '../../../src/ingest/cisco-ucm/cucmIpAddress.ts';

describe('cucmIpAddress', () => {
  it('reads signed and unsigned little-endian integers as dotted quads (the values of the samples README)', () => {
    expect(cucmIpAddress('436316352')).toBe('192.168.1.26');
    expect(cucmIpAddress('-989009777')).toBe('143.232.12.197');
    expect(cucmIpAddress('3305957519')).toBe('143.232.12.197'); // the same address written unsigned
    expect(cucmIpAddress('17502380')).toBe('172.16.11.1'); // origDeviceName of that row says so too
    expect(cucmIpAddress('18664714')).toBe('10.205.28.1');
    expect(cucmIpAddress('-1')).toBe('255.255.255.255');
    expect(cucmIpAddress('0')).toBe('0.0.0.0');
  });

  it('refuses what is not a 32-bit integer', () => {
    for (const bad of ['', 'abc', '1.5', '4294967296', '-2147483649', '192.168.1.26', '99999999999']) expect(cucmIpAddress(bad)).toBeUndefined();
  });
});

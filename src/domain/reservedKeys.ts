/**
 * `__proto__` is the one name that a plain object cannot hold as data: assigning it replaces the
 * object's prototype, and JSON or validation libraries drop or refuse it silently. Every other name,
 * `constructor` or `toString` included, is an ordinary key as long as lookups are own-property only.
 */
export const reservedKey = '__proto__';

export function isReservedKey(name: string): boolean {
  return name === reservedKey;
}

/** The paths (`plans[0].services.__proto__`) of every `__proto__` key held in parsed data, for an error naming each. */
export function reservedKeyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => reservedKeyPaths(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const here = path ? `${path}.${key}` : key;
    return isReservedKey(key) ? [here] : reservedKeyPaths((value as Record<string, unknown>)[key], here);
  });
}

/**
 * The value that a plain object holds under `key` itself. A name a user gives ("constructor",
 * "toString", "__proto__") must never find what every object inherits from Object.prototype.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A field of a Pexip JSON object that cannot be used: the reject names it. */
export class PexipFieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field} ${message}`);
  }
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A text field, undefined when absent, null or empty. Text that was not UTF-8 (decoded to U+FFFD) is
 * refused rather than stored garbled (a NUL byte anywhere refuses the whole record before: unstorableText.ts).
 */
export function optionalText(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new PexipFieldError(field, `is ${JSON.stringify(value)?.slice(0, 40)}, not a text`);
  if (value.includes('\uFFFD')) throw new PexipFieldError(field, 'is not valid UTF-8');
  return value.trim() === '' ? undefined : value;
}

export function requiredText(object: JsonObject, field: string): string {
  const value = optionalText(object, field);
  if (value === undefined) throw new PexipFieldError(field, 'is missing');
  return value;
}

/** A number field, undefined when absent or null. */
export function optionalNumber(object: JsonObject, field: string): number | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new PexipFieldError(field, `is ${JSON.stringify(value)?.slice(0, 40)}, not a number`);
  return value;
}

/** A flag as text for exclusion rules ("true"/"false"); Pexip sends booleans, some exports strings. */
export function flagText(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  if (typeof value === 'boolean') return String(value);
  if (value === 'true' || value === 'false' || value === 'True' || value === 'False') return value.toLowerCase();
  return undefined;
}

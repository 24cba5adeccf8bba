import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/**
 * JSON in the JSON Canonicalization Scheme (RFC 8785): keys sorted, no white space, numbers and
 * strings in one spelling each. The same value always gives the same text, on any machine, so its
 * hash can be recomputed by anyone with a JCS library and compared.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

/** The content hash of a frozen document: SHA-256 of its canonical text as UTF-8, in hex. */
export function contentHash(canonicalText: string): string {
  return createHash('sha256').update(canonicalText, 'utf8').digest('hex');
}

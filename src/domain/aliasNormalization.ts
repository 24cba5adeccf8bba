/**
 * Normalization of call ends for matching (docs/billing-rules.md §2): case-insensitive, without a `sip:`/`sips:`/
 * `h323:`/`tel:` scheme and without a `;parameters` tail (nor a `?headers` tail or display brackets).
 */
export function normalizeAlias(raw: string): string {
  let s = raw.trim().toLowerCase();
  const lt = s.indexOf('<');
  if (lt >= 0) {
    const gt = s.indexOf('>', lt);
    s = s.slice(lt + 1, gt < 0 ? undefined : gt);
  }
  s = s.replace(/^(sips?|h323|tel):/, '');
  const cut = s.search(/[;?]/);
  return cut >= 0 ? s.slice(0, cut) : s;
}

/** The host part of a normalized end (after `@`, without `:port`), or undefined when there is no `@`. */
export function hostPartOf(normalized: string): string | undefined {
  const at = normalized.lastIndexOf('@');
  if (at < 0) return undefined;
  const host = normalized.slice(at + 1);
  const colon = host.indexOf(':');
  const bare = colon >= 0 ? host.slice(0, colon) : host;
  return bare === '' ? undefined : bare;
}

/** The user part of a normalized end (before `@`, or the whole end when it has none). */
export function userPartOf(normalized: string): string {
  const at = normalized.lastIndexOf('@');
  return at < 0 ? normalized : normalized.slice(0, at);
}

/** The ASCII digits of an end's user part, in order ("+47 (21) 00-01" → "47210001"). */
export function digitsOf(userPart: string): string {
  return userPart.replace(/[^0-9]/g, '');
}

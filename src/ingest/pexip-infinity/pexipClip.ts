const rawLimit = 4000;

/** Raw text kept with a reject: bounded, and without NUL (PostgreSQL text cannot hold it). */
export function pexipClip(text: string): string {
  const clipped = text.length > rawLimit ? `${text.slice(0, rawLimit)}…` : text;
  return clipped.replaceAll('\u0000', '\uFFFD');
}

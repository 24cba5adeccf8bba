/**
 * The texts and keys of a parsed configuration that hold characters confbill refuses: a NUL byte
 * (PostgreSQL text and jsonb cannot hold it), any other control character but tab and line breaks
 * (invisible, they would garble names on invoices and messages in a terminal), or a lone UTF-16
 * surrogate (no character at all). Each comes with its path, so the refusal names the key.
 */
export function configTextProblems(value: unknown, path: readonly (string | number)[] = []): { path: (string | number)[]; message: string }[] {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? [{ path: [...path], message }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => configTextProblems(item, [...path, i]));
  return Object.entries(value).flatMap(([key, item]) => {
    const keyProblem = textProblem(key);
    return keyProblem ? [{ path: [...path, key], message: `(the name of this key) ${keyProblem}` }] : configTextProblems(item, [...path, key]);
  });
}

function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL byte (0x00)';
  const control = [...text].find((c) => c !== '\t' && c !== '\n' && c !== '\r' && /\p{Cc}/u.test(c));
  if (control) return `contains the control character U+${control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\p{Cs}/u.test(text)) return 'contains a lone UTF-16 surrogate, which is not a character';
  return undefined;
}

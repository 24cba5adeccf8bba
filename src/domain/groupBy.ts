/** Values grouped by a key, each group in the values' order, the groups in the order their keys first came. */
export function groupBy<T>(values: Iterable<T>, keyOf: (v: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const v of values) {
    const key = keyOf(v);
    const list = groups.get(key);
    if (list) list.push(v);
    else groups.set(key, [v]);
  }
  return groups;
}

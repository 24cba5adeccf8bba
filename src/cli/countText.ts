/** "1 customer", "2 customers", "0 customers": a count with its noun in the right number. */
export function countText(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

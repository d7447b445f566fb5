/** `No.3-2`: how mails and notices name an item. */
export function itemNumberLabel(item: { number: number; subNumber: string | null }): string {
  return `No.${item.number}${item.subNumber ? `-${item.subNumber}` : ''}`;
}

/** Orders rows by item number and sub-number (as the database's C collation does). */
export function byItemNumber(a: { number: number; subNumber: string | null }, b: { number: number; subNumber: string | null }): number {
  if (a.number !== b.number) return a.number - b.number;
  const x = a.subNumber ?? '';
  const y = b.subNumber ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

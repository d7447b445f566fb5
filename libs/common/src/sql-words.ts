/**
 * The members of a domain enumeration as an SQL list, for `state IN (${sqlWords(GROUP)})` in
 * a query's text: the words are the domain's own (lower-case identifiers), never user input,
 * which this refuses so the helper cannot become an injection path.
 */
export function sqlWords(words: readonly string[]): string {
  if (!words.length) throw new Error('sqlWords: an empty list');
  for (const w of words) if (!/^[a-z][a-z0-9_]*$/.test(w)) throw new Error(`sqlWords: not a domain word: ${w}`);
  return words.map((w) => `'${w}'`).join(', ');
}

/**
 * Sorted indices as ranges, for the block mask's table (pure): [0, 1, 2, 5, 7, 8] → "0–2, 5, 7–8".
 */
export function indexRanges(indices: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indices.length; i++) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j] + 1) j++;
    parts.push(j === i ? String(indices[i]) : `${indices[i]}–${indices[j]}`);
    i = j;
  }
  return parts.join(', ');
}

/** numpy.percentile's default ('linear'): interpolate between the two closest ranks. */
export function percentile(sortedAscending: ArrayLike<number>, q: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = (q / 100) * (sortedAscending.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sortedAscending.length - 1);
  return sortedAscending[low] + (sortedAscending[high] - sortedAscending[low]) * (rank - low);
}

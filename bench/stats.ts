// Small statistics for repeated rounds: fsync-bound figures are noisy (±30 %, STACK.md), so the
// benchmarks report the median of a few rounds and keep every round in the JSON.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The round whose figure is the median (the lower middle one for an even count). */
export function medianRound<T>(rounds: T[], figure: (round: T) => number): T {
  const sorted = [...rounds].sort((a, b) => figure(a) - figure(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

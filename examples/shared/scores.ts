/**
 * Scoring points for out-of-distribution detection, shared by examples/ood-scores.ts and
 * examples/classifier-energy.ts (a helper, not an example: spec/examples.spec.ts runs only the files of
 * examples/ itself).
 *
 * @module
 */
/**
 * The AUROC of a score that should be higher outside: P(score of an outside point > score of an inside
 * point), ties counting ½, from the Mann–Whitney rank sum. 1 separates perfectly, ½ is chance.
 */
export const auroc = (inside: ArrayLike<number>, outside: ArrayLike<number>): number => {
  const all = [...Array.from(inside, (v) => [v, 0]), ...Array.from(outside, (v) => [v, 1])].sort((a, b) => a[0] - b[0])
  let rankSum = 0
  for (let i = 0; i < all.length; ) {
    let j = i
    while (j < all.length && all[j][0] === all[i][0]) j++
    const rank = (i + j + 1) / 2 // the average rank (1-based) of a run of ties
    for (let k = i; k < j; k++) if (all[k][1] === 1) rankSum += rank
    i = j
  }
  return (rankSum - (outside.length * (outside.length + 1)) / 2) / (inside.length * outside.length)
}

/** The fraction of `scores` above the p-quantile of `inside` (p = 0.95 flags 5% of inside points). */
export const flaggedAbove = (inside: ArrayLike<number>, p: number, scores: ArrayLike<number>): number => {
  const sorted = Float64Array.from(inside).sort()
  const threshold = sorted[Math.floor(p * (sorted.length - 1))]
  return Array.from(scores).filter((s) => s > threshold).length / scores.length
}

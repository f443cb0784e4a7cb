/**
 * Scoring points for out-of-distribution detection, shared by examples/ood-scores.ts and
 * examples/classifier-energy.ts (a helper, not an example: spec/examples.spec.ts runs only the files of
 * examples/ itself).
 *
 * @module
 */
import { diagnostics } from '../../src/index.js'

/**
 * The AUROC of a score that should be higher outside: P(score of an outside point > score of an inside
 * point), ties counting ½ (`diagnostics.auroc` with the outside points as the positives). 1 separates
 * perfectly, ½ is chance.
 */
export const auroc = (inside: ArrayLike<number>, outside: ArrayLike<number>): number =>
  diagnostics.auroc([...Array.from(inside), ...Array.from(outside)], [...Array.from(inside, () => 0), ...Array.from(outside, () => 1)])

/** The fraction of `scores` above the p-quantile of `inside` (p = 0.95 flags 5% of inside points). */
export const flaggedAbove = (inside: ArrayLike<number>, p: number, scores: ArrayLike<number>): number => {
  const sorted = Float64Array.from(inside).sort()
  const threshold = sorted[Math.floor(p * (sorted.length - 1))]
  return Array.from(scores).filter((s) => s > threshold).length / scores.length
}

/**
 * How well a score separates two classes: the area under the ROC curve and the average precision (the
 * area under the precision–recall curve as a step function), both exact with ties. Label 1 is the
 * positive class (an anomaly, a point out of distribution) and a higher score means more positive.
 *
 * Both are computed from the scores in ascending order, by the same walk over groups of tied scores,
 * so that a rolling window that keeps its scores sorted (stream.rollingAuroc, stream.rollingAuprc)
 * gives the same bits as these functions on the same values.
 *
 * @module
 */
import { array, numbers, rangeError, typeError } from '../check/index.js'

/** A class label: 1 (or true) positive, 0 (or false) negative. */
export type Label = 0 | 1 | boolean

/**
 * The AUROC of scores sorted ascending with their labels aligned (the first `n` of each): the
 * Mann–Whitney U of the positives over the negatives, ties counting ½, divided by P·N. NaN when a class
 * is missing. 2U is an integer (exact in a double below 2^53), so the result is one rounding of 2U / 2PN
 * whatever order ties are in.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { aurocOfSorted } from './roc.js'
 * assert.equal(aurocOfSorted([1, 2, 2, 3], [0, 1, 0, 1]), 0.875) // (½ + 1 + 1 + 1)/4
 */
export const aurocOfSorted = (scores: ArrayLike<number>, labels: ArrayLike<number>, n = scores.length): number => {
  let below = 0 // negatives strictly below the current group
  let twiceU = 0
  let positives = 0
  for (let i = 0; i < n; ) {
    let p = 0
    let j = i
    for (; j < n && scores[j] === scores[i]; j++) p += labels[j]
    const q = j - i - p
    twiceU += p * (2 * below + q)
    below += q
    positives += p
    i = j
  }
  return positives === 0 || below === 0 ? NaN : twiceU / (2 * positives * below)
}

/**
 * The average precision of scores sorted ascending with their labels aligned (the first `n` of each):
 * Σ over distinct thresholds, from the highest down, of the recall gained there times the precision
 * there (scikit-learn's average_precision_score). A group of tied scores is one threshold. NaN without
 * positives.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { auprcOfSorted } from './roc.js'
 * assert.equal(auprcOfSorted([1, 2, 3], [1, 0, 1]), (1 / 1 + 2 / 3) / 2)
 */
export const auprcOfSorted = (scores: ArrayLike<number>, labels: ArrayLike<number>, n = scores.length): number => {
  let truePositives = 0
  let flagged = 0
  let sum = 0
  for (let j = n; j > 0; ) {
    let p = 0
    let i = j
    for (; i > 0 && scores[i - 1] === scores[j - 1]; i--) p += labels[i - 1]
    truePositives += p
    flagged += j - i
    sum += (p * truePositives) / flagged
    j = i
  }
  return truePositives === 0 ? NaN : sum / truePositives
}

/**
 * A label checked: 0 or 1 (false or true), or undefined for none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { labelOf } from './roc.js'
 * assert.equal(labelOf(true, 'record 3: label'), 1)
 * assert.throws(() => labelOf(2, 'record 3: label'), { message: 'record 3: label: expected a label 0 or 1 (or false, true), got 2' })
 */
export const labelOf = (v: unknown, where: string): 0 | 1 | undefined => {
  if (v === undefined) return undefined
  if (v === 1 || v === true) return 1
  if (v === 0 || v === false) return 0
  throw (typeof v === 'number' ? rangeError : typeError)(where, 'a label 0 or 1 (or false, true)', v)
}

/** Scores and labels checked, and sorted together by score. */
const sortedPairs = (name: string, scores: unknown, labels: unknown): { scores: Float64Array; labels: Uint8Array } => {
  const s = numbers(scores, `${name}: scores`)
  const l = array<ArrayLike<unknown>>(labels, `${name}: labels`, { length: s.length, lengthReason: `the ${s.length} scores` })
  const bits = Uint8Array.from({ length: l.length }, (_v, i) => {
    const b = labelOf(l[i], `${name}: labels[${i}]`)
    if (b === undefined) throw typeError(`${name}: labels[${i}]`, 'a label 0 or 1 (or false, true)', b)
    return b
  })
  const order = Array.from(s.keys()).sort((a, b) => s[a] - s[b])
  return { scores: Float64Array.from(order, (i) => s[i]), labels: Uint8Array.from(order, (i) => bits[i]) }
}

const classes = (name: string, labels: Uint8Array, needNegatives: boolean): void => {
  const p = labels.reduce((a, b) => a + b, 0)
  if (p === 0 || (needNegatives && p === labels.length)) {
    throw rangeError(`${name}: labels`, needNegatives ? 'both classes (a 1 and a 0)' : 'at least one positive (a 1)', `${p} positive${p === 1 ? '' : 's'} and ${labels.length - p} negative${labels.length - p === 1 ? '' : 's'}`)
  }
}

/**
 * The area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting ½ (the Mann–Whitney U over P·N). 1 separates perfectly, ½ is chance. Needs both classes.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * // anomalies (label 1) at 0.9 and 0.4; normal points at 0.1, 0.4 and 0.3: 5½ of 6 pairs ordered
 * assert.equal(diagnostics.auroc([0.9, 0.1, 0.4, 0.4, 0.3], [1, 0, 1, 0, 0]), 5.5 / 6)
 */
export const auroc = (scores: ArrayLike<number>, labels: ArrayLike<number> | ArrayLike<boolean>): number => {
  const s = sortedPairs('auroc', scores, labels)
  classes('auroc', s.labels, true)
  return aurocOfSorted(s.scores, s.labels)
}

/**
 * The area under the precision–recall curve as average precision: Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct
 * thresholds from the highest score down (scikit-learn's average_precision_score; no interpolation
 * between points, which would overstate it). Tied scores form one threshold. Its chance level is the
 * fraction of positives, so it shows what AUROC hides when positives are rare. Needs a positive.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * // from the top: 0.9 (a positive: recall ½ at precision 1), then 0.4 twice (recall 1 at precision 2/3)
 * assert.equal(diagnostics.auprc([0.9, 0.1, 0.4, 0.4, 0.3], [1, 0, 1, 0, 0]), (1 + 2 / 3) / 2)
 */
export const auprc = (scores: ArrayLike<number>, labels: ArrayLike<number> | ArrayLike<boolean>): number => {
  const s = sortedPairs('auprc', scores, labels)
  classes('auprc', s.labels, false)
  return auprcOfSorted(s.scores, s.labels)
}

/**
 * Records of a live stream, as the online operators take them: a configuration's numbers, alone or with
 * a label (1 for an anomaly, 0 for a normal point) when the stream knows it, and the scored records they
 * become.
 *
 * @module
 */
import { numbers, object, rangeError, typeError } from '../check/index.js'
import { type Label, labelOf } from '../diagnostics/roc.js'

/** A record: its numbers, or its numbers with a label (1 or true: an anomaly). */
export type OnlineRecord = ArrayLike<number> | { readonly x: ArrayLike<number>; readonly label?: Label }

/** A record checked: its numbers and its label (undefined when it has none). */
export interface CheckedRecord {
  readonly x: Float64Array
  readonly label?: 0 | 1
}

/** A record with its index in the stream (from 0) and its anomaly scores; `score` higher is more anomalous. */
export interface Scored extends CheckedRecord {
  readonly index: number
  readonly score: number
  /** JEM: log p(x) up to its constant. */
  readonly logDensity?: number
  /** JEM: ‖∇ₓ log p(x)‖. */
  readonly gradientNorm?: number
}

/** What the rolling operators read: a score, and a label to judge it by. */
export interface ScoreLike {
  readonly score: number
  readonly label?: Label
}

/**
 * A record checked against a dimension: D finite numbers (`where` names the record).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRecord } from './record.js'
 * assert.deepEqual(checkRecord({ x: [1, 2], label: 0 }, 2, 'record 0'), { x: new Float64Array([1, 2]), label: 0 })
 * assert.throws(() => checkRecord([1, 2, 3], 2, 'stream.score: record 7'), { message: 'stream.score: record 7: has 3 values; configurations of 2 numbers need 2' })
 */
export const checkRecord = (r: unknown, D: number, where: string): CheckedRecord => {
  const bare = Array.isArray(r) || ArrayBuffer.isView(r)
  const o = bare ? { x: r } : object(r, where)
  const x = numbers(o.x, bare ? where : `${where}: x`, { length: D, lengthReason: `configurations of ${D} number${D === 1 ? '' : 's'}` })
  const label = labelOf(o.label, `${where}: label`)
  return label === undefined ? { x } : { x, label }
}

/**
 * A score read from a number or a record's `score`, checked finite (`where` names the record).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { scoreOf } from './record.js'
 * assert.equal(scoreOf({ score: 2.5 }, 'record 1'), 2.5)
 * assert.throws(() => scoreOf({ score: NaN }, 'stream.adwin: record 1'), { message: 'stream.adwin: record 1: score: expected a finite number, got NaN' })
 */
export const scoreOf = (r: unknown, where: string): number => {
  const v = typeof r === 'number' ? r : (object(r, where).score as unknown)
  const at = typeof r === 'number' ? where : `${where}: score`
  if (typeof v !== 'number') throw typeError(at, 'a finite number', v)
  if (!Number.isFinite(v)) throw rangeError(at, 'a finite number', v)
  return v
}

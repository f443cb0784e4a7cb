/**
 * Rolling windows over streams, the frame of every chain-health operator.
 *
 * @module
 */
import { integer, positiveInteger, typeError } from '../check/index.js'
import { filter, map, pipe, scan, type OperatorFunction } from 'rxjs'
import { checkSnapshot, type Snapshot } from '../diagnostics/index.js'

/**
 * Emits, for every value from the `size`-th on, the last `size` values (oldest first) as a new array.
 *
 * Lossless: every value enters the windows it belongs to and none is skipped; the first `size − 1`
 * values only fill the first window. Memory is bounded by `size` values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * const triples = stream.rollingWindow<number>(3)
 * assert.deepEqual(await lastValueFrom(from([1, 2, 3, 4]).pipe(triples, toArray())), [[1, 2, 3], [2, 3, 4]])
 */
export const rollingWindow = <A>(size: number): OperatorFunction<A, readonly A[]> => {
  positiveInteger(size, 'rollingWindow: size')
  return pipe(
    scan((window: readonly A[], value: A) => [...window.slice(window.length < size ? 0 : 1), value], []),
    filter((window) => window.length === size),
  )
}

/**
 * Checks each snapshot (an inconsistent one errors the stream with a message naming `name` and the
 * step), then reports over rolling windows of `size` snapshots, each report stamped with the step of
 * the window's newest snapshot. Lossless, as `rollingWindow`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { rollingReport } from './rolling-window.js'
 * const windowSize = rollingReport('windowSize', 10, (window) => ({ size: window.length }))
 * assert.throws(() => rollingReport('rollingStagnation', 1, () => ({}), 2), { name: 'RangeError', message: 'rollingStagnation: size: expected an integer ≥ 2, got 1' })
 */
export const rollingReport = <R extends object>(
  name: string,
  size: number,
  report: (window: readonly Snapshot[]) => R,
  minimumSize = 1,
): OperatorFunction<Snapshot, { readonly step: number } & R> => {
  integer(size, `${name}: size`, { min: minimumSize })
  return pipe(
    map((s: Snapshot) => checkSnapshot(name, s)),
    rollingWindow(size),
    map((window) => ({ step: window[window.length - 1].step, ...report(window) })),
  )
}

/**
 * A snapshot field that an operator needs, or a TypeError naming the operator, the step and the field.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { required } from './rolling-window.js'
 * const s = { step: 1, chains: 1, dimension: 1, positions: new Float64Array(1), energies: new Float64Array(1), accepted: new Float64Array([1]) }
 * assert.deepEqual(required('rollingAcceptance', s, 'accepted'), new Float64Array([1]))
 * assert.throws(() => required('rollingGradientNorm', s, 'gradientNorms'), { name: 'TypeError', message: 'rollingGradientNorm: snapshot at step 1: gradientNorms: expected per-chain values (this operator needs them), got undefined' })
 */
export const required = <K extends 'gradientNorms' | 'accepted' | 'dataEnergies'>(name: string, s: Snapshot, field: K): Float64Array => {
  const value = s[field]
  if (value === undefined) throw typeError(`${name}: snapshot at step ${s.step}: ${field}`, 'per-chain values (this operator needs them)', value)
  return value
}

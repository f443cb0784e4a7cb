/**
 * Drift detectors as values: a detector is its options and a pure transition (state, value) → (state,
 * drift or null), whose state is plain numbers and arrays (a checkpoint can hold it). The stream layer
 * runs them over score streams (stream.pageHinkley, stream.adwin) and stamps each drift with its record.
 *
 * @module
 */
import { func, numbers, object } from '../check/index.js'

/** What a detector reports when it signals a drift. */
export interface Drift {
  readonly detector: 'pageHinkley' | 'adwin'
  /** The test statistic when it crossed the threshold. */
  readonly statistic: number
  /** The threshold it crossed. */
  readonly threshold: number
  /** Page–Hinkley: the direction of the change; ADWIN: whether the recent mean is above the old one. */
  readonly direction: 'up' | 'down'
}

/** A drift detector: its initial state and its transition, pure (the state given is never written). */
export interface DriftDetector<S> {
  readonly name: Drift['detector']
  readonly init: () => S
  readonly update: (state: S, value: number) => readonly [S, Drift | null]
}

/** A drift found by {@link detectDrifts}: what the detector reported, at the value's index. */
export interface DriftAt extends Drift {
  readonly index: number
}

/**
 * Runs a detector over a sequence of values from its initial state and returns every drift it signals,
 * each with the index of the value that set it off: the offline form of `stream.pageHinkley` and
 * `stream.adwin`, for scores already at hand.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * const scores = Array.from({ length: 400 }, (_v, i) => (i < 300 ? 1 : 3)) // the mean jumps by 2 at 300
 * const found = diagnostics.detectDrifts(diagnostics.pageHinkley({ delta: 0.1, threshold: 19, alpha: 1 }), scores)
 * assert.deepEqual(found.map((d) => d.index), [310])
 */
export const detectDrifts = <S>(detector: DriftDetector<S>, values: ArrayLike<number>): DriftAt[] => {
  const where = 'detectDrifts'
  const d = object(detector, `${where}: detector`)
  func(d.update, `${where}: detector.update`)
  const x = numbers(values, `${where}: values`)
  const found: DriftAt[] = []
  let state = detector.init()
  for (let i = 0; i < x.length; i++) {
    const [next, drift] = detector.update(state, x[i])
    if (drift !== null) found.push({ ...drift, index: i })
    state = next
  }
  return found
}

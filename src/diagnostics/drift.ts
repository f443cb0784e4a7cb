/**
 * Drift detectors as values: a detector is its options and a pure transition (state, value) → (state,
 * drift or null), whose state is plain numbers and arrays (a checkpoint can hold it). The stream layer
 * runs them over score streams (stream.pageHinkley, stream.adwin) and stamps each drift with its record.
 *
 * @module
 */

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

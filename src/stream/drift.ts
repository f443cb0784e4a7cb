/**
 * The frame of the drift operators: a detector of src/diagnostics run over a stream of scores, each of
 * its signals stamped with the record it came at.
 *
 * @module
 */
import { defer, filter, map, type OperatorFunction } from 'rxjs'
import { type Drift, type DriftDetector } from '../diagnostics/drift.js'
import { scoreOf } from './record.js'

/** A drift signalled by a detector, at the record whose score set it off. */
export interface DriftEvent extends Drift {
  /** The record's index: its own `index` field, else its position in the stream (from 0). */
  readonly index: number
}

/** What a drift detector reads: a score, alone or as a record's `score` (with its `index`, when it has one). */
export type DriftInput = number | { readonly score: number; readonly index?: number }

/**
 * Runs `detector` over the scores of a stream (a subscription's own state from `init`), emitting a
 * {@link DriftEvent} for each signal and nothing otherwise. `where` names the operator in errors.
 */
export const detectDrift =
  <S>(where: string, detector: DriftDetector<S>): OperatorFunction<DriftInput, DriftEvent> =>
  (source) =>
    defer(() => {
      let state = detector.init()
      let position = 0
      return source.pipe(
        map((r): DriftEvent | null => {
          const index = typeof r === 'object' && r !== null && typeof r.index === 'number' ? r.index : position
          const score = scoreOf(r, `${where}: record ${index}`)
          position++
          const [next, drift] = detector.update(state, score)
          state = next
          return drift === null ? null : { ...drift, index }
        }),
        filter((e): e is DriftEvent => e !== null),
      )
    })

/**
 * `stream.adwin`: ADWIN's adaptive window over a score stream.
 *
 * @module
 */
import { type OperatorFunction } from 'rxjs'
import { adwin as detector, type AdwinOptions } from '../diagnostics/adwin.js'
import { detectDrift, type DriftEvent, type DriftInput } from './drift.js'

/**
 * Runs ADWIN (`diagnostics.adwin`) over scores and emits a drift event, with the record's index, the
 * difference of the means at the cut and the bound it crossed, each time the window sheds its older part.
 * Its bound assumes values of range about `range` (default 1: scores in [0, 1], such as the flags of a
 * threshold); on a stationary stream a check signals with probability at most about `delta`. Options are
 * checked at once.
 *
 * Lossless: every score enters the window, synchronously; memory grows with the log of the window's
 * length. A score that is not a finite number errors the stream naming the record.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { stream } from 'heatbath'
 * // A flag rate of 1 in 8 that jumps to 5 in 8 at record 2000.
 * const flags = Array.from({ length: 3000 }, (_v, i) => (i % 8 < (i < 2000 ? 1 : 5) ? 1 : 0))
 * const events = await lastValueFrom(from(flags).pipe(stream.adwin({ delta: 0.002 }), toArray()))
 * assert.equal(events.length > 0 && events[0].index >= 2000 && events[0].index < 2100, true)
 * assert.equal(events[0].direction, 'up')
 */
export const adwin = (options: AdwinOptions = {}): OperatorFunction<DriftInput, DriftEvent> => detectDrift('stream.adwin', detector(options, 'stream.adwin'))

/**
 * `stream.score(energy, params, options)`: the anomaly scores of a stream of records under an energy.
 *
 * @module
 */
import { Observable, type OperatorFunction } from 'rxjs'
import { func, integer, oneOf, options as checkOptions } from '../check/index.js'
import { anomalyScoreOptionNames, anomalyScores, type AnomalyScoreOptions, type AnomalyScores } from '../diagnostics/anomaly-score.js'
import { checkEnergy, type Energy, type Params } from '../energy/energy.js'
import { paramValues } from '../energy/params.js'
import * as ir from '../ir/index.js'
import { checkRecord, type CheckedRecord, type OnlineRecord, type Scored } from './record.js'

/** Options of {@link score}: the score function and executor, and the largest batch. */
export interface ScoreOptions extends AnomalyScoreOptions {
  /** The most records scored in one call; default 256. */
  readonly batchSize?: number
}

/**
 * The scored records of a batch: each record with its index and its scores (`score`, and JEM's
 * `logDensity` and `gradientNorm` where the score function gives them).
 */
export const scoredRecords = (batch: readonly CheckedRecord[], first: number, scores: AnomalyScores): Scored[] => {
  const { score, logDensity, gradientNorm } = scores
  // Each record built whole, in one shape, rather than by spreads: this is the per-record cost of scoring.
  return batch.map((r, i): Scored => {
    const base = r.label === undefined ? { x: r.x, index: first + i, score: score[i] } : { x: r.x, label: r.label, index: first + i, score: score[i] }
    return logDensity === undefined || gradientNorm === undefined ? base : { ...base, logDensity: logDensity[i], gradientNorm: gradientNorm[i] }
  })
}

/** The records' numbers, row-major. */
export const stacked = (batch: readonly CheckedRecord[], D: number): Float64Array => {
  const x = new Float64Array(batch.length * D)
  batch.forEach((r, i) => x.set(r.x, i * D))
  return x
}

/**
 * Scores each record of a stream under `energy`: its energy E(x) (for a classifier's energy JEM's scores
 * too: log p(x) up to its constant, and ‖∇ₓ log p(x)‖; see `diagnostics.anomalyScores`), higher meaning
 * more anomalous. `params` is the parameters, or a function giving the current ones, read at each batch
 * (a model trained elsewhere as the stream runs). Records are scored in batches on the native executor
 * when it is built: the records that have arrived when a microtask comes round, at most `batchSize`
 * (a full batch is scored at once), so a burst is batched and a lone record waits for nothing. With
 * `dtype: 'float32'` the energy is computed in single precision (about twice the native rate; the scores
 * are float32 values, within about 1e-6 relative of float64's for a well-scaled network), which ranks
 * records as float64 does but for near ties.
 *
 * Lossless: every record is scored, in order, once; memory is bounded by one batch. A record of the
 * wrong size or with a value that is not finite errors the stream naming it (by its index, from 0).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { from, lastValueFrom, toArray } from 'rxjs'
 * import { energy, stream } from 'heatbath'
 * const well = energy.doubleWell()
 * const scored = await lastValueFrom(from([[1], { x: [0], label: 0 }, { x: [3], label: 1 }]).pipe(stream.score(well, energy.init(well), { backend: 'reference' }), toArray()))
 * assert.deepEqual(scored.map((r) => r.score), [-1, 0, 63])
 * assert.deepEqual(scored.map((r) => [r.index, r.label]), [[0, undefined], [1, 0], [2, 1]])
 * // In single precision: float32 values, within float32's rounding of the energy.
 * const [single] = await lastValueFrom(from([[0.1]]).pipe(stream.score(well, energy.init(well), { backend: 'reference', dtype: 'float32' }), toArray()))
 * assert.equal(Math.fround(single.score), single.score)
 * assert.ok(Math.abs(single.score - (0.1 ** 4 - 2 * 0.1 ** 2)) < 1e-8)
 */
export const score = (energy: Energy, params: Params | (() => Params), options: ScoreOptions = {}): OperatorFunction<OnlineRecord, Scored> => {
  const where = 'stream.score'
  checkEnergy(energy, `${where}: energy`)
  const current = typeof params === 'function' ? func<() => Params>(params, `${where}: params`) : ((p) => () => p)(paramValues(energy, params, `${where}: params`))
  const o = checkOptions<ScoreOptions>(options, `${where}: options`, [...anomalyScoreOptionNames, 'batchSize'])
  const batchSize = integer(o.batchSize ?? 256, `${where}: batchSize`, { min: 1 })
  if (o.dtype !== undefined) oneOf(o.dtype, `${where}: dtype`, ['float64', 'float32'] as const)
  const { batchSize: _b, ...scoring } = o
  const D = ir.size(energy.shape)
  return (source) =>
    new Observable<Scored>((subscriber) => {
      let queue: CheckedRecord[] = []
      let arrived = 0
      let scheduled = false
      const flush = (): void => {
        scheduled = false
        if (queue.length === 0 || subscriber.closed) return
        const batch = queue
        queue = []
        let out: Scored[]
        try {
          out = scoredRecords(batch, arrived - batch.length, anomalyScores(energy, stacked(batch, D), current(), scoring))
        } catch (e) {
          return subscriber.error(e)
        }
        for (const r of out) subscriber.next(r)
      }
      const subscription = source.subscribe({
        next: (r) => {
          try {
            queue.push(checkRecord(r, D, `${where}: record ${arrived}`))
          } catch (e) {
            return subscriber.error(e)
          }
          arrived++
          if (queue.length >= batchSize) flush()
          else if (!scheduled) {
            scheduled = true
            queueMicrotask(flush)
          }
        },
        error: (e: unknown) => {
          flush()
          subscriber.error(e)
        },
        complete: () => {
          flush()
          subscriber.complete()
        },
      })
      return () => subscription.unsubscribe()
    })
}

/**
 * `stream.train(energy, options)`: the training step as an RxJS operator, from a stream of positive
 * batches to a stream of step records.
 *
 * @module
 */
import { concat, defer, filter, type OperatorFunction } from 'rxjs'
import { type SourceCheckpoint } from '../io/checkpoint.js'
import { numbers, object, options as checkOptions, typeError } from '../check/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { type TrainRecord, type TrainState } from '../train/index.js'
import { type Checkpoints, prepareRun, type Run, type TrainingOptions, trainingOptionNames } from '../train/run.js'
import { queuedSteps, queueOptions, type QueueOptions } from './bounded-concat-map.js'

/** A positive batch: `batchSize` rows of the energy's size, row-major. */
export type Batch = Float64Array | readonly number[]

/** Options of {@link train}: the trainer's, the run's, and the queue's. */
export interface StreamTrainOptions extends TrainingOptions, QueueOptions {}

/** A step's record, with the parameters and the whole state after the step. */
export interface StreamRecord extends TrainRecord {
  /** The parameters after the step (the state's own arrays, never written: no copy is made). */
  readonly params: Readonly<Record<string, Float64Array>>
  /** The state after the step, from which training can go on. */
  readonly state: TrainState
}

const where = 'stream.train'

/**
 * Trains `energy` on a stream of positive batches: one training step per batch, in order, keyed by
 * (seed, step), each emitting its record with the parameters and state after it. Subscribing starts a
 * run (every subscription its own, from the same start); unsubscribing stops it between steps and
 * cancels a running sampler through the step's AbortSignal, and no step starts after it. The same seed
 * and batches give the same bits on any thread count, and the same records as `train.fit` given the same
 * batches. The fresh state's fixed inputs (NCE's noise) are fitted to the first batch.
 *
 * Records: those of steps 0, r, 2r, … (r = `recordEvery`, default 1) as their steps end, and the last
 * step's when the source completes, as `train.fit` keeps them. With `checkpoint`, the state is written
 * every `every` steps (before the record of that step is emitted) and when the source completes.
 *
 * Each batch is a Float64Array or array of `batchSize` × D numbers; one of another length, or with a
 * value that is not finite, errors the stream naming the batch: batches are not cut or joined, since the
 * tape has a fixed batch size and a step's batch is what the source sent.
 *
 * Lossless: every batch is trained on, in order, or the stream errors; nothing is dropped. Batches wait in
 * a queue of `highWaterMark` while a step runs. A pullable source (`stream.pullBatches`) is asked for a
 * batch only when the queue has room, so it never overflows. A source that pushes (RxJS has no pull
 * backpressure) and finds the queue full errors the stream naming the bound (`onOverflow: 'error'`, the
 * default), or with `onOverflow: 'buffer'` has its batch queued beyond the bound: memory then grows
 * with the lag. Bad options throw at once, when `train` is called.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lastValueFrom, toArray } from 'rxjs'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching, sgd } from '../train/index.js'
 * import { pullBatches } from './pull.js'
 * import { train } from './train.js'
 * // Score matching of E = ½(x − θ)² with SGD at η = ½ moves θ half-way to each batch's mean.
 * const batches = [[1, 3], [4, 4], [0, 2]]
 * const records = await lastValueFrom(pullBatches(batches).pipe(train(quadratic({ center: [0] }), { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.5 }), batchSize: 2, seed: 1 }), toArray()))
 * assert.deepEqual(records.map((r) => r.params.theta[0]), [1, 2.5, 1.75])
 */
export const train = (energy: Energy, options: StreamTrainOptions): OperatorFunction<Batch, StreamRecord> => {
  const { run, queue, D } = prepareStream(energy, options, where, [])
  const size = { length: run.trainer.batchSize * D, lengthReason: `${run.trainer.batchSize} rows × ${D} dimensions` }
  return trainSteps(run, queue, where, (b: Batch, i: number) => numbers(b, `${where}: batch ${i}`, size))
}

/** A run and its queue, from the options of `stream.train` and `more` option names. */
export const prepareStream = (energy: Energy, options: unknown, at: string, more: readonly string[]) => {
  if (!isEnergy(energy)) throw typeError(`${at}: energy`, 'an Energy value (built by energy.define or the catalogue)', energy)
  const o = checkOptions(object(options, `${at}: options`), `${at}: options`, [...trainingOptionNames, 'highWaterMark', 'onOverflow', ...more])
  return { o, queue: queueOptions(o, at), run: prepareRun(energy, o, at, null), D: ir.size(energy.shape) }
}

/**
 * What a stream trained from a source adds to each step: `taken` is told of each batch once its step is
 * done (and gives what its record carries besides), `source` says what a checkpoint holds of the source,
 * and `safe` is called once a checkpoint holds every batch taken so far.
 */
export interface Progress<In, E> {
  readonly taken: (value: In) => E
  readonly source: () => SourceCheckpoint
  readonly safe: () => Promise<void>
}

/**
 * The training steps of `stream.train` over values admitted as batches by `admit`, with a `Progress` for
 * a stream trained from a source.
 */
export const trainSteps = <In, E extends object = object>(run: Run, queue: Required<QueueOptions>, at: string, admit: (value: In, i: number) => Float64Array, progress?: Progress<In, E>): OperatorFunction<In, StreamRecord & E> =>
  (source) =>
    defer(() => {
      type Out = StreamRecord & E
      let state: TrainState | null = null
      let checkpoints: Checkpoints | null = null
      // The latest record off the record interval: emitted only if its step turns out to be the last.
      let held: Out | null = null
      const checkpointed = async (s: TrainState, end: boolean): Promise<void> => {
        if ((await (checkpoints as Checkpoints).after(s, end)) && progress !== undefined) await progress.safe()
      }
      const step = async ({ value, batch }: { readonly value: In; readonly batch: Float64Array }, _i: number, signal: AbortSignal): Promise<Out | null> => {
        const current = state ?? run.first(batch)
        checkpoints ??= run.checkpoints(current, () => null, progress?.source)
        const [next, record] = await run.step(current, batch, signal)
        // Unsubscribed during the step: its state is not kept, and no checkpoint is written.
        if (signal.aborted) return null
        state = next
        const extra = (progress?.taken(value) ?? {}) as E
        await checkpointed(next, false)
        const full = { ...record, ...extra, params: next.params, state: next } as Out
        held = record.step % run.recordEvery === 0 ? null : full
        return held === null ? full : null
      }
      const last = defer(async () => {
        if (state !== null) await checkpointed(state, true)
        return held
      })
      const steps = queuedSteps({ where: at, noun: ['batch', 'batches'], admit: (value: In, i: number) => ({ value, batch: admit(value, i) }), step }, queue)
      return concat(source.pipe(steps), last).pipe(filter((r): r is Out => r !== null))
    })

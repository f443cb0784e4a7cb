/**
 * A run of the training step, as `train.fit` and `stream.train` both drive it: its options besides the
 * trainer's (seed, starting parameters, record interval, checkpoints, resume), its first state (fresh or
 * a checkpoint's), its timed steps and the checkpoints it writes.
 *
 * @module
 */
import { object, options as checkOptions, positive, positiveInteger, rangeError, seed as checkSeed, string } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import { type Checkpoint, type DataPosition, saveCheckpoint, type SourceCheckpoint } from '../io/checkpoint.js'
import { startingParams } from './params.js'
import { type Key } from './random.js'
import { recordedOptions, resumeState } from './resume.js'
import { prepareTrainer, type StepRecord, type Trainer, type TrainerOptions, trainerOptionNames, type TrainState } from './step.js'

/** Where and how often a run writes its checkpoint. */
export interface CheckpointOptions {
  /** The directory (created if missing); each checkpoint replaces the one before. */
  readonly dir: string
  /** Write after every `every`-th step (when the step count is a multiple of it) and at the end. */
  readonly every?: number
  /** Write also after any step that ends `seconds` or more after the last checkpoint (or the run's start). */
  readonly seconds?: number
  /**
   * Write also after any step that brings the records trained on since the last checkpoint (batchSize a
   * step) to `records` or more: "every N records" when the batch does not divide N.
   */
  readonly records?: number
}

/** The options of a run besides the trainer's. */
export interface TrainingOptions extends TrainerOptions {
  /** The seed of every random draw: an integer in [0, 2^53). */
  readonly seed: number
  /** Initial parameter values by name; default: `energy.init(e)` with the energy's own seed, else `seed`. Refused when resuming. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  /** Keep the record of every `recordEvery`-th step (steps 0, r, 2r, …) and of the last; default 1. */
  readonly recordEvery?: number
  /** Write checkpoints to a directory. */
  readonly checkpoint?: CheckpointOptions
  /** Go on from a checkpoint (`await io.loadCheckpoint(dir)`), checked against these options first. */
  readonly resume?: Checkpoint | null
}

/** The option names of {@link TrainingOptions}. */
export const trainingOptionNames = [...trainerOptionNames, 'seed', 'params', 'recordEvery', 'checkpoint', 'resume'] as const

/** A step's record with its wall time. */
export interface TrainRecord extends StepRecord {
  /** Milliseconds the step took. */
  readonly wallTime: number
}

/** A checked run. */
export interface Run {
  readonly trainer: Trainer
  readonly seed: number
  readonly recordEvery: number
  /** The checkpoint's state when resuming; else a fresh one whose fixed inputs (NCE's noise) are fitted to `data`. */
  readonly first: (data: Float64Array) => TrainState
  /** Runs one step keyed by (seed, state.step) and times it. */
  readonly step: (state: TrainState, positives: Float64Array, signal?: AbortSignal) => Promise<readonly [TrainState, TrainRecord]>
  /**
   * Writes the checkpoints of a run that starts at `from`, each data position given by `position` and,
   * for a stream trained from a source, the source's position and operators' states by `source`.
   */
  readonly checkpoints: (from: TrainState, position: (s: TrainState) => DataPosition | null, source?: () => SourceCheckpoint) => Checkpoints
}

/** Writes a run's checkpoints. */
export interface Checkpoints {
  /**
   * Writes `state`'s checkpoint when its step count is a multiple of `every`, or when `end` is true and it
   * is not written yet; resolves to whether it wrote one (once written, what it holds is safe).
   */
  readonly after: (state: TrainState, end: boolean) => Promise<boolean>
}

/**
 * Checks checkpoint options.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkCheckpoint } from './run.js'
 * assert.deepEqual(checkCheckpoint({ dir: 'runs/a', every: 100 }, 'train.fit: checkpoint'), { dir: 'runs/a', every: 100 })
 * assert.throws(() => checkCheckpoint({ dir: 'runs/a', every: 0 }, 'train.fit: checkpoint'), { message: 'train.fit: checkpoint.every: expected an integer ≥ 1, got 0' })
 * assert.deepEqual(checkCheckpoint({ dir: 'runs/a', seconds: 30 }, 'c'), { dir: 'runs/a', seconds: 30 })
 * assert.deepEqual(checkCheckpoint({ dir: 'runs/a', records: 1000 }, 'c'), { dir: 'runs/a', records: 1000 })
 * assert.throws(() => checkCheckpoint({ dir: 'runs/a' }, 'c'), { message: /^c: expected every \(steps\), records, seconds, or any of them, got/ })
 */
export const checkCheckpoint = (v: unknown, where: string): CheckpointOptions => {
  const o = checkOptions(object(v, where), where, ['dir', 'every', 'seconds', 'records'])
  if (o.every === undefined && o.seconds === undefined && o.records === undefined) throw rangeError(where, 'every (steps), records, seconds, or any of them', v)
  return {
    dir: string(o.dir, `${where}.dir`),
    ...(o.every === undefined ? {} : { every: positiveInteger(o.every, `${where}.every`) }),
    ...(o.seconds === undefined ? {} : { seconds: positive(o.seconds, `${where}.seconds`) }),
    ...(o.records === undefined ? {} : { records: positiveInteger(o.records, `${where}.records`) }),
  }
}

/** Whether a checkpoint is due after `step`, `elapsed` seconds and `records` records after the last one. */
const due = (c: CheckpointOptions, step: number, elapsed: number, records: number): boolean =>
  (c.every !== undefined && step % c.every === 0) || (c.seconds !== undefined && elapsed >= c.seconds) || (c.records !== undefined && records >= c.records)

/**
 * Checks the options of a run named `where` (whose names the caller has checked), prepares its trainer
 * and, when resuming, checks the checkpoint against the options and `data` (train.fit's data, or null).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching } from './score-matching.js'
 * import { sgd } from './sgd.js'
 * import { prepareRun } from './run.js'
 * const run = prepareRun(quadratic({ center: [0] }), { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.5 }), batchSize: 2, seed: 1, backend: 'reference' }, 'train.fit', null)
 * const [state, record] = await run.step(run.first(Float64Array.of(1, 3)), Float64Array.of(1, 3))
 * assert.equal(state.params.theta[0], 1) // ½ of the way to the mean 2
 * assert.equal(record.step, 0)
 */
export const prepareRun = (e: Energy, o: Readonly<Record<string, unknown>>, where: string, data: { readonly rows: number; readonly sha256: string } | null): Run => {
  const seed = checkSeed(o.seed, `${where}: seed`)
  const recordEvery = positiveInteger(o.recordEvery ?? 1, `${where}: recordEvery`)
  const checkpoint = o.checkpoint === undefined ? null : checkCheckpoint(o.checkpoint, `${where}: checkpoint`)
  const t = prepareTrainer(e, Object.fromEntries(trainerOptionNames.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as unknown as TrainerOptions, where)
  const resumed = o.resume === undefined || o.resume === null ? null : resumeState(t, o.resume as Checkpoint, seed, data, where)
  if (resumed !== null && o.params !== undefined) throw rangeError(`${where}: params`, 'none when resuming (the checkpoint holds the parameters)', o.params)
  const known = Object.fromEntries(Object.entries(t.program.params).map(([n, spec]) => [n, spec.shape]))
  const params = resumed === null ? startingParams(e, o.params, known, seed, where) : {}
  const options = recordedOptions(t)
  return {
    trainer: t,
    seed,
    recordEvery,
    first: (x) => resumed ?? t.init(x, params, seed),
    step: async (state, positives, signal) => {
      const key: Key = { seed, step: state.step }
      const started = performance.now()
      const [next, record] = await t.step(state, positives, key, signal)
      return [next, { ...record, wallTime: performance.now() - started }]
    },
    checkpoints: (from, position, source) => {
      let saved = from.step
      let savedAt = performance.now()
      return {
        after: async (state, end) => {
          if (checkpoint === null || state.step === saved || !(end || due(checkpoint, state.step, (performance.now() - savedAt) / 1000, (state.step - saved) * t.batchSize))) return false
          await saveCheckpoint(checkpoint.dir, state, { seed, data: position(state), options, ...(source === undefined ? {} : { source: source() }) })
          saved = state.step
          savedAt = performance.now()
          return true
        },
      }
    },
  }
}

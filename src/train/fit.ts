/**
 * `train.fit(energy, data, options)`: checks everything, then runs the training step `steps` times over
 * minibatches of the data and resolves to the trained parameters, the records and the final state.
 *
 * Minibatches: each epoch visits the data in a uniformly random order (a Fisher–Yates permutation from
 * the epoch's Philox stream) in ⌊n / batchSize⌋ batches; the last n mod batchSize points of that order
 * sit the epoch out (tapes have a fixed batch size). Everything random is keyed by (seed, step), so the
 * same seed and data give the same bits whatever the thread count.
 *
 * @module
 */
import { integer, numbers, object, options as checkOptions, positiveInteger, rangeError, seed as checkSeed, typeError } from '../check/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { startingParams } from './params.js'
import { permutation } from './random.js'
import { prepareTrainer, type StepRecord, type TrainerOptions, trainerOptionNames, type TrainState } from './step.js'

/** Options of {@link fit}: those of the step and the run's. */
export interface FitOptions extends TrainerOptions {
  /** Training steps to run. */
  readonly steps: number
  /** The seed of every random draw: an integer in [0, 2^53). */
  readonly seed: number
  /** Initial parameter values by name; default: `energy.init(e)` with the energy's own seed, else `seed`. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  /** Keep the record of every `recordEvery`-th step (steps 0, r, 2r, …) and of the last; default 1. */
  readonly recordEvery?: number
  /** Aborting stops the run between steps (and the sampler between its steps); the promise rejects with an AbortError. */
  readonly signal?: AbortSignal
}

/** A step's record with its wall time. */
export interface TrainRecord extends StepRecord {
  /** Milliseconds the step took. */
  readonly wallTime: number
}

/** What {@link fit} resolves to. */
export interface FitResult {
  /** The trained parameters (the energy's, and the objective's own such as NCE's logZ). */
  readonly params: Readonly<Record<string, Float64Array>>
  readonly records: readonly TrainRecord[]
  /** The final state, from which training can go on. */
  readonly state: TrainState
}

const where = 'train.fit'

const checkData = (e: Energy, data: unknown, batchSize: number): Float64Array => {
  const x = numbers(data, `${where}: data`)
  const D = ir.size(e.shape)
  if (x.length === 0 || x.length % D !== 0) throw rangeError(`${where}: data`, `row-major rows of ${D} numbers (energy '${e.name}' takes shape ${ir.showShape(e.shape)})`, data)
  if (x.length / D < batchSize) throw rangeError(`${where}: batchSize`, `at most the ${x.length / D} rows of data`, batchSize)
  return x
}

const abortError = (step: number): Error => Object.assign(new Error(`${where}: aborted after ${step} steps`), { name: 'AbortError' })

/**
 * Trains `energy` on `data` (row-major numbers, n rows of the energy's size) and resolves to the
 * parameters, the records and the final state. Bad input is refused before any work.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { scoreMatching } from './score-matching.js'
 * import { sgd } from './sgd.js'
 * import { fit } from './fit.js'
 * // Score matching of E = ½(x − θ)² moves θ to the data mean.
 * const { params } = await fit(quadratic({ center: [0] }), [1, 2, 3, 6], { objective: scoreMatching({ kind: 'exact' }), optimizer: sgd({ lr: 0.5 }), batchSize: 4, steps: 60, seed: 1 })
 * assert.ok(Math.abs(params.theta[0] - 3) < 1e-9)
 */
export const fit = async (e: Energy, data: ArrayLike<number>, options: FitOptions): Promise<FitResult> => {
  if (!isEnergy(e)) throw typeError(`${where}: energy`, 'an Energy value (built by energy.define or the catalogue)', e)
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, [...trainerOptionNames, 'steps', 'seed', 'params', 'recordEvery', 'signal'])
  const steps = integer(o.steps, `${where}: steps`)
  const seed = checkSeed(o.seed, `${where}: seed`)
  const recordEvery = positiveInteger(o.recordEvery ?? 1, `${where}: recordEvery`)
  const batchSize = positiveInteger(o.batchSize, `${where}: batchSize`)
  const x = checkData(e, data, batchSize)
  const t = prepareTrainer(e, Object.fromEntries(trainerOptionNames.filter((k) => o[k] !== undefined).map((k) => [k, o[k]])) as unknown as TrainerOptions, where)
  const known = Object.fromEntries(Object.entries(t.program.params).map(([n, spec]) => [n, spec.shape]))
  let state = t.init(x, startingParams(e, o.params, known, seed, where), seed)
  const D = ir.size(e.shape)
  const perEpoch = Math.floor(x.length / D / batchSize)
  const batch = new Float64Array(batchSize * D)
  const records: TrainRecord[] = []
  let order: Uint32Array = new Uint32Array(0)
  for (let k = 0; k < steps; k++) {
    if (options.signal?.aborted) throw abortError(k)
    if (k % perEpoch === 0) order = permutation(seed, k / perEpoch, x.length / D)
    const first = (k % perEpoch) * batchSize
    for (let i = 0; i < batchSize; i++) batch.set(x.subarray(order[first + i] * D, (order[first + i] + 1) * D), i * D)
    const started = performance.now()
    const [next, record] = await t.step(state, batch.slice(), { seed, step: k }, options.signal)
    state = next
    if (k % recordEvery === 0 || k === steps - 1) records.push({ ...record, wallTime: performance.now() - started })
  }
  return { params: state.params, records, state }
}

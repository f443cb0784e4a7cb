/**
 * `train.fit(energy, data, options)`: checks everything, then runs the training step `steps` times over
 * minibatches of the data and resolves to the trained parameters, the records and the final state.
 *
 * Minibatches: each epoch visits the data in a uniformly random order (a Fisher–Yates permutation from
 * the epoch's Philox stream) in ⌊n / batchSize⌋ batches; the last n mod batchSize points of that order
 * sit the epoch out (tapes have a fixed batch size). Everything random is keyed by (seed, step), so the
 * same seed and data give the same bits whatever the thread count, and a run resumed from a checkpoint
 * at step K goes on exactly as the uninterrupted run did after step K.
 *
 * @module
 */
import { abortError as checkAbortError, abortSignal, integer, numbers, object, options as checkOptions, positiveInteger, rangeError, typeError } from '../check/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { type DataPosition, sha256 } from '../io/checkpoint.js'
import { permutation } from './random.js'
import { prepareRun, type TrainingOptions, trainingOptionNames, type TrainRecord } from './run.js'
import { type TrainState } from './step.js'

/** Options of {@link fit}: those of the step and the run's. */
export interface FitOptions extends TrainingOptions {
  /** Training steps in all: a run resumed at step K runs steps K … steps − 1. */
  readonly steps: number
  /** Aborting stops the run between steps (and the sampler between its steps); the promise rejects with an AbortError. */
  readonly signal?: AbortSignal
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

const abortError = (step: number): Error => checkAbortError(`${where}: aborted after ${step} steps`)

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
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, [...trainingOptionNames, 'steps', 'signal'])
  const steps = integer(o.steps, `${where}: steps`)
  abortSignal(o.signal, `${where}: signal`)
  const batchSize = positiveInteger(o.batchSize, `${where}: batchSize`)
  const x = checkData(e, data, batchSize)
  const D = ir.size(e.shape)
  const rows = x.length / D
  // The data's fingerprint goes into checkpoints and is checked on resume; without either it is not needed.
  const fingerprint = o.checkpoint === undefined && (o.resume === undefined || o.resume === null) ? null : { rows, sha256: sha256(new Uint8Array(x.buffer, x.byteOffset, x.byteLength)) }
  const run = prepareRun(e, o, where, fingerprint)
  const { seed, recordEvery } = run
  let state = run.first(x)
  if (state.step > steps) throw rangeError(`${where}: steps`, `at least the checkpoint's ${state.step} steps`, steps)
  const perEpoch = Math.floor(rows / batchSize)
  const position = (s: TrainState): DataPosition | null => (fingerprint === null ? null : { ...fingerprint, epoch: Math.floor(s.step / perEpoch), position: s.step % perEpoch })
  const checkpoints = run.checkpoints(state, position)
  const batch = new Float64Array(batchSize * D)
  const records: TrainRecord[] = []
  let order: Uint32Array = new Uint32Array(0)
  let epoch = -1
  for (let k = state.step; k < steps; k++) {
    if (options.signal?.aborted) throw abortError(k)
    // A resumed run may start mid-epoch: the order is that of the step's epoch, whatever came before.
    if (Math.floor(k / perEpoch) !== epoch) order = permutation(seed, (epoch = Math.floor(k / perEpoch)), rows)
    const first = (k % perEpoch) * batchSize
    for (let i = 0; i < batchSize; i++) batch.set(x.subarray(order[first + i] * D, (order[first + i] + 1) * D), i * D)
    const [next, record] = await run.step(state, batch.slice(), options.signal)
    state = next
    if (k % recordEvery === 0 || k === steps - 1) records.push(record)
    await checkpoints.after(state, k === steps - 1)
  }
  return { params: state.params, records, state }
}

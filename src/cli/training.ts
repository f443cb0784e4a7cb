/**
 * A training run as `demo` and `train` drive it: `stream.train` fed with minibatches drawn from the data,
 * each step's record handed to the caller as it comes (for the progress display and the curves), and an
 * interrupt that stops the run between steps.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import * as rng from '../rng/index.js'
import * as stream from '../stream/index.js'
import type { Energy } from '../energy/index.js'
import { input } from './command.js'

// Minibatch picks come from streams of their own under the run's seed, far above the streams training
// keys by step (step · 16 + purpose), so that they never share draws.
const batchStreams = 2 ** 45

/**
 * Step k's minibatch: `batchSize` rows drawn uniformly with replacement from `data` (rows of D numbers),
 * from the Philox stream of (seed, k). It depends on nothing but (data, seed, k), so a resumed run sees the
 * batches the uninterrupted one would have.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { minibatch } from './training.js'
 * const data = Float64Array.of(0, 0, 1, 1, 2, 2)
 * const b = minibatch(data, 2, 4, 7, 3)
 * assert.equal(b.length, 8)
 * assert.ok([0, 2, 4, 6].every((i) => b[i] === b[i + 1] && [0, 1, 2].includes(b[i]))) // whole rows
 * assert.deepEqual(minibatch(data, 2, 4, 7, 3), b)
 */
export const minibatch = (data: Float64Array, D: number, batchSize: number, seed: number, k: number): Float64Array => {
  const rows = data.length / D
  const u = rng.uniforms(seed, batchStreams + k, 0, batchSize)
  const out = new Float64Array(batchSize * D)
  for (let i = 0; i < batchSize; i++) {
    const r = Math.floor(u[i] * rows)
    out.set(data.subarray(r * D, (r + 1) * D), i * D)
  }
  return out
}

/** What a run needs besides the energy and the stream's options. */
export interface RunOptions {
  /** Rows of the energy's size, row-major. */
  readonly data: Float64Array
  /** Steps in all: a run resumed at step K runs K … steps − 1. */
  readonly steps: number
  /** The step to start at (a checkpoint's step when resuming, else 0). */
  readonly first: number
  /** Called with every step's record, in order. */
  readonly onRecord: (r: stream.StreamRecord) => void
  /** Aborting stops the run between steps. */
  readonly signal?: AbortSignal
  /** The input the options came from, for errors in them (`run.json`): they are bad input, not a failed run. */
  readonly source: string
}

/**
 * Trains `energy` with `stream.train` on minibatches of the data and resolves to the last record (undefined
 * when no step ran), and whether the run was interrupted.
 */
export const runTraining = async (energy: Energy, options: stream.StreamTrainOptions, o: RunOptions): Promise<{ last: stream.StreamRecord | undefined; interrupted: boolean }> => {
  const D = ir.size(energy.shape)
  function* batches(): Generator<Float64Array> {
    for (let k = o.first; k < o.steps; k++) yield minibatch(o.data, D, options.batchSize, options.seed, k)
  }
  const training = stream.pullBatches(batches()).pipe(input(o.source, () => stream.train(energy, options)))
  return new Promise((resolve, reject) => {
    let last: stream.StreamRecord | undefined
    const stop = () => {
      subscription.unsubscribe()
      resolve({ last, interrupted: true })
    }
    const subscription = training.subscribe({
      next: (r) => {
        last = r
        o.onRecord(r)
      },
      error: (e: unknown) => {
        o.signal?.removeEventListener('abort', stop)
        reject(e)
      },
      complete: () => {
        o.signal?.removeEventListener('abort', stop)
        resolve({ last, interrupted: false })
      },
    })
    if (o.signal?.aborted) stop()
    else o.signal?.addEventListener('abort', stop, { once: true })
  })
}

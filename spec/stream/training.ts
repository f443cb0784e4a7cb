/**
 * Shared fixtures of the stream.train specs: data, a small MLP energy, persistent-chain options, and the
 * minibatches `train.fit` draws from the data, so that a stream can be set beside a fit.
 */
import { lastValueFrom, type Observable, toArray } from 'rxjs'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import { type Batch, type StreamRecord, type StreamTrainOptions, train } from '../../src/stream/index.js'
import * as trainNs from '../../src/train/index.js'
import { permutation } from '../../src/train/random.js'
import { gaussianData } from '../train/fixtures.js'

export const D = 2
export const B = 8
/** 40 rows: five batches of B an epoch. */
export const data = gaussianData(40, [1, -0.5], [0.8, 0, 0.3, 0.6], 11)
export const mlp = () => energy.mlp({ widths: [2, 8, 1], activation: 'softplus', seed: 5 })
export const pcd: StreamTrainOptions = {
  objective: trainNs.contrastive({ energyL2: 0.1 }),
  negatives: trainNs.persistent({ kernel: sampler.mala({ stepSize: 0.05 }), steps: 4, init: { kind: 'normal', std: 1.5 }, bufferSize: 32, reinit: 0.2 }),
  optimizer: trainNs.adam({ lr: 0.02 }),
  batchSize: B,
  seed: 9,
  backend: 'reference',
}

/** The batches `train.fit` trains on in `steps` steps of `data` with this seed: its epochs' permutations. */
export const fitBatches = (seed: number, steps: number): Float64Array[] => {
  const rows = data.length / D
  const perEpoch = Math.floor(rows / B)
  return Array.from({ length: steps }, (_v, k) => {
    const order = permutation(seed, Math.floor(k / perEpoch), rows).subarray((k % perEpoch) * B, (k % perEpoch + 1) * B)
    return Float64Array.from(Array.from(order).flatMap((i) => Array.from(data.subarray(i * D, (i + 1) * D))))
  })
}

/** Records without what `train.fit`'s lack (wall time, which differs run to run, and the state). */
export const withoutExtras = (records: readonly trainNs.TrainRecord[]) =>
  records.map((r) => {
    const { wallTime: _w, params: _p, state: _s, ...rest } = r as StreamRecord
    return rest
  })

/** Every record of training `e` (default the MLP) on a source. */
export const collect = (source: Observable<Batch>, o: StreamTrainOptions, e = mlp()) => lastValueFrom(source.pipe(train(e, o), toArray()))

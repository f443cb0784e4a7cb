/**
 * The training the stream benchmarks share: persistent contrastive divergence with a replay buffer of
 * 10,000 chains, 20 ULA steps a step, batch 128, Adam; native in float32 when the addon is built.
 */
import { sampler, train } from '../src/index.js'

export const pcdBatchSize = 128

/** The options of `stream.train`, `stream.trainOnSource` and `train.fit` for PCD on `backend`. */
export const pcdOptions = (backend: 'native' | 'reference') =>
  ({
    objective: train.contrastive({ energyL2: 0.1 }),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.01 }), steps: 20, init: { kind: 'uniform' as const, low: -4, high: 4 }, bufferSize: 10_000 }),
    optimizer: train.adam({ lr: 1e-3 }),
    batchSize: pcdBatchSize,
    seed: 1,
    backend,
    ...(backend === 'native' ? { dtype: 'float32' as const } : {}),
  }) as const

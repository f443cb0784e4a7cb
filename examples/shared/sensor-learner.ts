/**
 * The online learner of examples/online-anomaly.ts, which spec/stream/online-anomaly.spec.ts verifies at
 * CI size: an MLP energy D→32→32→1 learnt by denoising score matching (σ = 0.5) on minibatches of 64
 * drawn every 4 records from a window of the last 2000, Adam's rate settling from 0.01 to 0.002.
 */
import { energy, sampler, train } from '../../src/index.js'

export const sensorModel = (D: number) => energy.mlp({ widths: [D, 32, 32, 1], activation: 'silu', seed: 0 })

export const sensorLearner = (model: energy.Energy, o: Partial<train.OnlineOptions> = {}) =>
  train.online(model, {
    objective: train.scoreMatching({ kind: 'denoising', sigma: 0.5 }),
    optimizer: train.adam({ lr: sampler.geometric(0.01, 0.002, 300), betas: [0.5, 0.999] }),
    batchSize: 64,
    updateEvery: 4,
    memory: { kind: 'window', size: 2000 },
    seed: 1,
    ...o,
  })

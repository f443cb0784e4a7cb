/**
 * Persistent contrastive divergence end to end: an MLP energy trained on 8gaussians (src/data/toy.ts)
 * covers all eight modes, measured by KL(data ‖ model) on a grid, where the data density is the toy's
 * known mixture (8 isotropic Gaussians, centres 4c/1.414 for the unit vectors c at multiples of 45°,
 * σ = 0.5/1.414) evaluated exactly by grid.tabulate, not a histogram. And the native executor gives the
 * reference's records to rounding.
 */
import t from 'tap'
import { nativeAddon } from '../../src/backend/index.js'
import * as data from '../../src/data/index.js'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as sampler from '../../src/sampler/index.js'
import * as train from '../../src/train/index.js'

const eightGaussians = data.toyDensity('8gaussians')
const native = nativeAddon().addon !== undefined

t.test('PCD on 8gaussians brings KL(data ‖ model) on the grid below 0.6 in 1,000 steps', { skip: native ? false : 'the native addon is not built (the reference executor would take minutes)' }, async (t) => {
  const spec = { bounds: [[-4.5, 4.5], [-4.5, 4.5]] as [number, number][], n: 90 }
  const target = grid.tabulate(eightGaussians, spec)
  const e = energy.mlp({ widths: [2, 32, 32, 1], activation: 'silu', seed: 0 })
  const before = grid.kl(target, grid.tabulate(e, spec))
  const { params, records } = await train.fit(e, data.toy('8gaussians', 4000, 1), {
    objective: train.contrastive(),
    negatives: train.persistent({ kernel: sampler.ula({ stepSize: 0.02 }), steps: 20, init: { kind: 'uniform', low: -4.5, high: 4.5 } }),
    optimizer: train.adam({ lr: 0.01, betas: [0.5, 0.999] }),
    batchSize: 128,
    steps: 1000,
    seed: 1,
    recordEvery: 100,
  })
  const kl = grid.kl(target, grid.tabulate(e, { ...spec, params }))
  // For scale: a flat density on the grid is at 1.55, the best single Gaussian at ≈ 1.4, and a model that
  // drops one of the eight modes pays at least ⅛·log(⅛ / its leftover mass there). 0.6 needs all eight.
  t.ok(kl < 0.6, `KL(data ‖ model) = ${kl.toFixed(3)} (at the start ${before.toFixed(3)})`)
  t.ok(records.every((r) => r.buffer?.size === 10000 && r.sampler?.nonFinite === 0), 'a buffer of 10,000 chains, none lost')
})

t.test('the native executor gives the reference records to rounding (float64)', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  const e = energy.mlp({ widths: [2, 8, 8, 1], activation: 'softplus', seed: 2 })
  const options: train.FitOptions = {
    objective: train.contrastive({ energyL2: 0.1, gradientPenalty: 0.1 }),
    negatives: train.persistent({ kernel: sampler.mala({ stepSize: 0.05 }), steps: 5, init: { kind: 'normal', std: 2 }, bufferSize: 256 }),
    optimizer: train.adam({ lr: 0.01 }),
    batchSize: 32,
    steps: 4,
    seed: 3,
  }
  const x = data.toy('8gaussians', 256, 2)
  const ref = await train.fit(e, x, { ...options, backend: 'reference' })
  const nat = await train.fit(e, x, { ...options, backend: 'native' })
  const numbers = (r: train.FitResult) => r.records.flatMap((q) => [q.loss, ...Object.values(q.terms), q.meanPositiveEnergy, q.meanNegativeEnergy as number, q.gradientNorm, q.paramNorm, q.sampler?.acceptanceRate as number, q.sampler?.meanGradientNorm as number])
  const a = numbers(ref)
  const b = numbers(nat)
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i]) / (1e-12 + Math.abs(v))))
  t.ok(worst < 1e-9, `largest relative difference ${worst}`)
  t.equal(a.length, 4 * 10)
})

t.test('float32 runs (sampler and loss in float32, parameters in float64) track float64 to float32 rounding', { skip: native ? false : 'the native addon is not built' }, async (t) => {
  const e = energy.mlp({ widths: [2, 8, 8, 1], activation: 'softplus', seed: 2 })
  const options: train.FitOptions = {
    objective: train.contrastive({ energyL2: 0.1 }),
    negatives: train.shortRun({ kernel: sampler.ula({ stepSize: 0.01 }), steps: 5, init: { kind: 'normal', std: 2 } }),
    optimizer: train.sgd({ lr: 0.01 }),
    batchSize: 32,
    steps: 3,
    seed: 3,
    backend: 'native',
  }
  const x = data.toy('8gaussians', 256, 2)
  const wide = await train.fit(e, x, options)
  const narrow = await train.fit(e, x, { ...options, dtype: 'float32' })
  const worst = Math.max(...wide.records.map((r, i) => Math.abs(r.meanPositiveEnergy - narrow.records[i].meanPositiveEnergy) / Math.abs(r.meanPositiveEnergy)))
  t.ok(worst < 1e-4, `mean E⁺ relative difference ${worst}`)
  t.ok(narrow.params.W0 instanceof Float64Array)
})

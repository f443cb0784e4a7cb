import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'
import { quadratic } from './fixtures.js'

t.test('one ULA step is x − h·∇E(x) + √(2hT)·ξ with ξ draw t·drawsPerStep + j of the chain\'s stream', async (t) => {
  const a = 3
  const h = 0.1
  const T = 0.5
  const seed = 11
  const init = [0.4, -1.2, 2.0, 0.1]
  const r = await sampler.sample(quadratic(a, 2), sampler.ula({ stepSize: h, temperature: T }), { backend: 'reference', chains: 2, steps: 2, seed, init })
  for (let c = 0; c < 2; c++) {
    for (let j = 0; j < 2; j++) {
      let x = init[c * 2 + j]
      for (let step = 0; step < 2; step++) x = x - h * a * x + Math.sqrt(2 * h * T) * rng.normal(seed, c, step * 2 + j)
      // to rounding: the tape computes a·x as its own product
      t.ok(Math.abs(r.positions[c * 2 + j] - x) < 1e-15 * 4, `chain ${c}, coordinate ${j}: ${r.positions[c * 2 + j]} vs ${x}`)
    }
  }
})

t.test('sample gives each chain the same trajectory whatever the number of chains beside it', async (t) => {
  const e = quadratic(1.5, 3)
  for (const k of [sampler.ula({ stepSize: 0.2 }), sampler.mala({ stepSize: 0.5 }), sampler.hmc({ stepSize: 0.3, leapfrogSteps: 3 }), sampler.sghmc({ stepSize: 0.2, friction: 1 })]) {
    const init = Float64Array.from({ length: 7 * 3 }, (_v, i) => Math.sin(i))
    const all = await sampler.sample(e, k, { backend: 'reference', chains: 7, steps: 15, seed: 5, init })
    const few = await sampler.sample(e, k, { backend: 'reference', chains: 3, steps: 15, seed: 5, init: init.subarray(0, 9) })
    t.same(few.positions, all.positions.subarray(0, 9), `${JSON.stringify(k).slice(0, 40)}…`)
  }
})

t.test('sample with a schedule changes the step size over the steps', async (t) => {
  // Drift only (no noise) on E = x²/2 with h going 0.5 → 0.1 linearly over 3 steps: x·(1 − 0.5)(1 − 0.3)(1 − 0.1)
  const r = await sampler.sample(quadratic(1, 1), sampler.drift({ stepSize: sampler.linear(0.5, 0.1, 3) }), { backend: 'reference', chains: 1, steps: 3, seed: 0, init: [1] })
  t.ok(Math.abs(r.positions[0] - 0.5 * 0.7 * 0.9) < 1e-15)
})

t.test('sample with every(k) runs the block only on steps k − 1, 2k − 1, …', async (t) => {
  const k = pipe(sampler.drift({ stepSize: 0.5 }), sampler.every(3))
  const two = await sampler.sample(quadratic(1, 1), k, { backend: 'reference', chains: 1, steps: 2, seed: 0, init: [1] })
  const three = await sampler.sample(quadratic(1, 1), k, { backend: 'reference', chains: 1, steps: 3, seed: 0, init: [1] })
  t.equal(two.positions[0], 1)
  t.equal(three.positions[0], 0.5)
})

t.test('sample with clipping and clamping: the decoupled ULA of the EBM literature', async (t) => {
  // E = 10·x: gradient 10, clipped to 0.5; no noise; clamped at −1.
  const slope = energy.define({ shape: [1], build: (x) => ir.mul(ir.sum(x, 1), 10) })
  const k = sampler.ula({ stepSize: 1, noiseScale: 0, clip: 0.5, clamp: { low: -1, high: 1 } })
  const r = await sampler.sample(slope, k, { backend: 'reference', chains: 1, steps: 3, seed: 0, init: [0.2] })
  t.same([...r.positions], [-1]) // 0.2 → −0.3 → −0.8 → −1.3 clamped to −1
})

t.test('chains that become non-finite are frozen, counted and left out of the means', async (t) => {
  // E = x⁴/4 with h = 0.1: from |x| = 100 the drift overshoots without bound; from 0.5 it converges.
  const quartic = energy.define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(ir.square(x)), 1), 0.25) })
  const r = await sampler.sample(quartic, sampler.drift({ stepSize: 0.1 }), { backend: 'reference', chains: 4, steps: 30, seed: 0, init: [0.5, 100, -0.5, -100], thin: 10 })
  t.equal(r.statistics.nonFinite, 2)
  t.ok(Number.isFinite(r.statistics.meanEnergy))
  t.ok(Number.isFinite(r.positions[0]) && Number.isFinite(r.positions[2]))
  t.same(r.trace.map((s) => s.nonFinite), [2, 2, 2])
  t.ok(!Number.isFinite(r.energies[1]) && !Number.isFinite(r.energies[3]))
})

t.test('Metropolis rejects proposals with a non-finite energy, so MALA chains never become non-finite', async (t) => {
  // E = −log(x) − … is NaN for x < 0: the Langevin proposal leaves the domain often at this step size.
  const gammaLike = energy.define({ shape: [1], build: (x) => ir.sum(ir.sub(x, ir.log(x)), 1) })
  const r = await sampler.sample(gammaLike, sampler.mala({ stepSize: 1 }), { backend: 'reference', chains: 200, steps: 30, seed: 9, init: new Float64Array(200).fill(1) })
  t.equal(r.statistics.nonFinite, 0)
  t.ok(r.positions.every((x) => x > 0))
  t.ok((r.statistics.acceptanceRate ?? 1) < 0.9)
})

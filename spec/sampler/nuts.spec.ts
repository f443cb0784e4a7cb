/**
 * NUTS keeps exact draws exact (checkStationarity: KS per coordinate and on E, energy distance jointly)
 * on Gaussians of condition numbers 1, 100 and 10⁴ and on a 100-dimensional one, at T ≠ 1; on Neal's
 * funnel the centred form reports divergences and the non-centred one samples the exact marginals; its
 * statistics count what the trees did; the native loop follows the reference (float64: the same
 * decisions, positions to 1e-9) and gives the same bits on any thread count.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'
import * as testing from '../../src/testing/index.js'
import { coupled } from './fixtures.js'

const native = samplerAddon().addon !== undefined

// P = R(θ)·diag(λ₀, λ₁)·R(θ)ᵀ: a Gaussian of condition number λ₁/λ₀ whose axes are not the coordinates.
const rotated = (lambda0: number, lambda1: number, theta = 0.5): number[][] => {
  const c = Math.cos(theta), s = Math.sin(theta)
  return [
    [c * c * lambda0 + s * s * lambda1, c * s * (lambda0 - lambda1)],
    [c * s * (lambda0 - lambda1), s * s * lambda0 + c * c * lambda1],
  ]
}

// The step size of each target by hand (until warmup adapts it): leapfrog is stable for h·√λmax < 2;
// 0.8/√λmax keeps the acceptance statistic high.
const T = 0.7
const gaussians = [
  { kappa: 1, precision: rotated(2, 2), h: 0.8 / Math.sqrt(2) },
  { kappa: 100, precision: rotated(0.5, 50), h: 0.8 / Math.sqrt(50) },
  { kappa: 1e4, precision: rotated(0.01, 100), h: 0.8 / Math.sqrt(100) },
]

t.test('NUTS keeps exact draws of Gaussians of condition numbers 1, 100 and 10⁴ exact (T = 0.7)', async (t) => {
  for (const { kappa, precision, h } of gaussians) {
    const target = testing.gaussianTarget({ mean: [1, -2], precision, temperature: T })
    const report = await testing.checkStationarity(target, sampler.nuts({ stepSize: h, temperature: T }), { seed: 11, steps: 10 })
    t.ok(report.passed, `κ = ${kappa}: ${report.message}`)
  }
})

t.test('the native NUTS in float32 keeps exact draws exact (κ = 100, T = 0.7)', { skip: native ? false : 'needs the native addon' }, async (t) => {
  const { precision, h } = gaussians[1]
  const target = testing.gaussianTarget({ mean: [1, -2], precision, temperature: T })
  const report = await testing.checkStationarity(target, sampler.nuts({ stepSize: h, temperature: T }), { seed: 14, steps: 10, dtype: 'float32', backend: 'native' })
  t.ok(report.passed, report.message)
})

t.test('the reference NUTS keeps exact draws exact too (κ = 100, T = 0.7)', async (t) => {
  const { precision, h } = gaussians[1]
  const target = testing.gaussianTarget({ mean: [1, -2], precision, temperature: T })
  const report = await testing.checkStationarity(target, sampler.nuts({ stepSize: h, temperature: T }), { seed: 12, steps: 5, chains: 300, backend: 'reference' })
  t.ok(report.passed, report.message)
})

t.test('NUTS keeps exact draws of a 100-dimensional Gaussian exact', { skip: native ? false : 'needs the native addon (the reference takes minutes)' }, async (t) => {
  const D = 100
  // Scales from 0.5 to 2 along the coordinates, and the mean away from 0.
  const lambda = Array.from({ length: D }, (_v, i) => 4 ** (i / (D - 1) - 0.5) * 2)
  const precision = lambda.map((l, i) => lambda.map((_m, j) => (i === j ? l : 0)))
  const target = testing.gaussianTarget({ mean: lambda.map((_l, i) => Math.sin(i)), precision, temperature: 1.3 })
  const report = await testing.checkStationarity(target, sampler.nuts({ stepSize: 0.8 / Math.sqrt(Math.max(...lambda)), temperature: 1.3 }), { seed: 13, steps: 5 })
  t.ok(report.passed, report.message)
})

t.test('a NUTS that samples its leaves uniformly instead of by weight fails the check (the test sees the bug)', async (t) => {
  // Plant: leaves as if every energy error were 0 (at T → ∞), the draw is no longer multinomial in
  // exp(−H/T): the chains spread out.
  const { precision, h } = gaussians[1]
  const target = testing.gaussianTarget({ mean: [1, -2], precision, temperature: T })
  const report = await testing.checkStationarity(target, sampler.nuts({ stepSize: h, temperature: 1e6 }), { seed: 11, steps: 10 })
  t.notOk(report.passed, report.message)
})

// Neal's funnel in D dimensions: v ~ N(0, 3²), xᵢ | v ~ N(0, eᵛ). Centred: E(v, x) = v²/18 + ½e⁻ᵛ‖x‖² + (D − 1)v/2.
const D = 10
const funnel = energy.define({
  name: 'funnel',
  shape: [D],
  build: (x) => {
    const B = x.shape[0]
    const v = ir.reshape(ir.slice(x, 1, 0, 1), [B])
    const rest = ir.sum(ir.square(ir.slice(x, 1, 1, D)), 1)
    return ir.add(ir.add(ir.mul(ir.square(v), 1 / 18), ir.mul(ir.mul(rest, ir.exp(ir.neg(v))), 0.5)), ir.mul(v, (D - 1) / 2))
  },
})
// Non-centred: (ṽ, x̃) standard normal, v = 3ṽ and xᵢ = e^(v/2)·x̃ᵢ.
const nonCentred = energy.define({ name: 'funnel (non-centred)', shape: [D], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
const funnelDraws = (n: number, stream: number): Float64Array => {
  const z = rng.normals(5, stream, 0, n * D)
  return z.map((zi, i) => (i % D === 0 ? 3 * zi : Math.exp((3 * z[i - (i % D)]) / 2) * zi))
}
const fromNonCentred = (u: Float64Array): Float64Array => u.map((ui, i) => (i % D === 0 ? 3 * ui : Math.exp((3 * u[i - (i % D)]) / 2) * ui))
const column = (xs: Float64Array, j: number): Float64Array => xs.filter((_v, i) => i % D === j)

t.test("Neal's funnel: the centred form reports divergences in the neck, the non-centred form none", async (t) => {
  const chains = 200
  const centred = await sampler.sample(funnel, sampler.nuts({ stepSize: 0.3 }), { chains, steps: 20, seed: 2, init: funnelDraws(chains, 0) })
  const trees = centred.statistics.trees
  t.ok(trees !== undefined && trees.divergences > 0, `${trees?.divergences} divergent transitions of ${trees?.transitions}`)
  t.ok(trees !== undefined && trees.divergentChains.length > 0 && trees.divergentChains.length <= chains, `${trees?.divergentChains.length} chains diverged`)
  t.ok(trees !== undefined && sampler.treeWarnings(trees).some((w) => w.code === 'divergent' && w.count === trees.divergences), 'a divergent warning')
  const smooth = await sampler.sample(nonCentred, sampler.nuts({ stepSize: 0.3 }), { chains, steps: 20, seed: 2, init: rng.normals(6, 0, 0, chains * D) })
  t.equal(smooth.statistics.trees?.divergences, 0)
})

t.test("Neal's funnel, non-centred: v and x₁ have the funnel's exact marginals", async (t) => {
  const chains = 500
  const start = rng.normals(6, 1, 0, chains * D)
  const run = await sampler.sample(nonCentred, sampler.nuts({ stepSize: 0.6 }), { chains, steps: 10, seed: 3, init: start })
  const x = fromNonCentred(run.positions)
  const exact = funnelDraws(chains, 2)
  for (const j of [0, 1]) {
    const ks = testing.ksTwoSample(column(x, j), column(exact, j))
    // two tests at a false-alarm rate of 1% in all
    t.ok(ks.pValue > 0.005, `${j === 0 ? 'v' : 'x₁'}: KS p = ${ks.pValue}`)
  }
})

t.test('the statistics count the trees: transitions, depths within the maximum, hits of the maximum, acceptance', async (t) => {
  const chains = 50
  // A nearly flat bowl (angular frequency 0.01): in 7 steps of 0.1 the momentum turns by 0.007 rad, so no
  // trajectory turns back and every transition stops at the maximum depth 3.
  const flat = energy.gaussian({ mean: [1, -2], precision: rotated(1e-4, 1e-4) })
  const shallow = await sampler.sample(flat, sampler.nuts({ stepSize: 0.1, maxTreeDepth: 3 }), { chains, steps: 4, seed: 1, backend: 'reference' })
  const s = shallow.statistics.trees
  t.equal(s?.transitions, chains * 4)
  t.equal(s?.maxDepthHits, chains * 4, 'every transition stops at depth 3')
  t.equal(s?.meanDepth, 3)
  t.equal(s?.meanLeapfrogSteps, 7, '2³ − 1 leapfrog steps each')
  t.equal(s?.maxDepthChains.length, chains)
  // Frequency √2 at h = 0.05: half a period is about 44 steps, depths 3 to 6.
  const e = energy.gaussian({ mean: [1, -2], precision: rotated(2, 2) })
  const h = 0.05
  const deep = await sampler.sample(e, sampler.nuts({ stepSize: h }), { chains, steps: 4, seed: 1, backend: 'reference' })
  const d = deep.statistics.trees
  t.ok(d !== undefined && d.meanDepth > 3 && d.meanDepth < 10 && d.maxDepthHits === 0, `mean depth ${d?.meanDepth}`)
  t.ok(d !== undefined && d.meanLeapfrogSteps >= 2 ** d.meanDepth / 2, `mean leapfrog steps ${d?.meanLeapfrogSteps}`)
  const a = deep.statistics.acceptanceRate ?? NaN
  t.ok(a > 0.5 && a <= 1, `acceptance statistic ${a}`)
  // snapshots count their own steps
  const traced = await sampler.sample(e, sampler.nuts({ stepSize: h, maxTreeDepth: 3 }), { chains, steps: 4, seed: 1, thin: 2, backend: 'reference' })
  t.same(traced.trace.map((x) => x.trees?.transitions), [chains * 2, chains * 2])
})

t.test('nuts checks its options and refuses to sit in a Metropolis proposal', async (t) => {
  t.throws(() => sampler.nuts({ stepSize: -1 }), { message: 'nuts: stepSize: expected a positive number, got -1' })
  t.throws(() => sampler.nuts({ stepSize: 0.1, maxTreeDepth: 21 }), { message: 'nuts: maxTreeDepth: expected an integer in [1, 20], got 21' })
  t.throws(() => sampler.nuts({ stepSize: 0.1, temperature: 0 }), { message: /^nuts: temperature: expected a positive/ })
  t.throws(() => sampler.checkKernel({ type: 'metropolis', temperature: 1, proposal: { type: 'nuts', stepSize: 0.1, maxTreeDepth: 3, temperature: 1 } }, 'k'), { message: 'k (metropolis).proposal (nuts): expected no NUTS block inside a Metropolis proposal (NUTS is exact by itself), got one' })
  t.same(sampler.checkKernel(JSON.parse(JSON.stringify(sampler.nuts({ stepSize: 0.1 }))), 'k'), sampler.nuts({ stepSize: 0.1 }))
  t.throws(() => sampler.nuts({ stepSize: 0.1, metric: { kind: 'diagonal', inverse: [1, 0] } }), { message: 'nuts: metric.inverse[1]: expected a positive variance, got 0' })
  const dense = sampler.nuts({ stepSize: 0.1, metric: { kind: 'dense', inverse: [2, 0.5, 0.5, 1] } })
  t.same(sampler.checkKernel(JSON.parse(JSON.stringify(dense)), 'k'), dense, 'a metric survives JSON')
  // a metric for D = 3 on a 2-D energy: refused when the kernel is laid out for the energy
  const wrong = sampler.nuts({ stepSize: 0.1, metric: { kind: 'dense', inverse: [1, 0, 0, 0, 1, 0, 0, 0, 1] } })
  await t.rejects(sampler.sample(energy.gaussian({ mean: [0, 0], precision: rotated(1, 2) }), wrong, { chains: 2, steps: 1, seed: 1, backend: 'reference' }), { name: 'RangeError', message: /metric\)\.inverse: expected 4 numbers \(D × D for D = 2\)/ })
})

if (native) {
  // A smooth non-Gaussian energy (a tilted bowl with a ridge) on which chains take trees of different depths.
  const tilted = energy.define({
    name: 'tilted',
    shape: [3],
    build: (x) => ir.add(ir.mul(ir.sum(ir.square(ir.mul(x, ir.constant([1, 3, 0.3], [3]))), 1), 0.5), ir.reshape(ir.matmul(ir.sin(x), ir.constant([0.8, -0.5, 0.4], [3, 1])), [x.shape[0]])),
  })
  const chains = 300
  const init = Float64Array.from({ length: chains * 3 }, (_v, i) => 2 * Math.sin(0.37 * i + 0.2))
  const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])))
    return worst
  }

  // Parity is to rounding: the trees' arithmetic is the reference's bit for bit, but the executors' E and
  // ∇E may differ in the last bit (exp, sin), and on a chaotic trajectory (the funnel's neck) that can
  // grow over hundreds of leapfrog steps until a U-turn check goes the other way; so parity is held on a
  // smooth energy, and the funnel checks determinism across threads.
  t.test('the native NUTS follows the reference (float64): the same trees, positions to 1e-9, the same bits on 1 and 2 threads', async (t) => {
    for (const [e, k] of [
      [tilted, sampler.nuts({ stepSize: sampler.linear(0.4, 0.2, 12), maxTreeDepth: 6, temperature: 1.4 })],
      [energy.gaussian({ mean: [1, -2], precision: rotated(0.01, 100) }), sampler.nuts({ stepSize: 0.08, temperature: 0.7 })],
      // mass matrices: a diagonal one away from the target's scales, a dense one with every pair correlated
      [tilted, sampler.nuts({ stepSize: 0.3, maxTreeDepth: 6, temperature: 1.4, metric: { kind: 'diagonal', inverse: [2, 0.3, 4] } })],
      [tilted, sampler.nuts({ stepSize: 0.35, maxTreeDepth: 6, temperature: 1.4, metric: { kind: 'dense', inverse: [1, 0.2, 0.3, 0.2, 0.4, -0.1, 0.3, -0.1, 2] } })],
    ] as const) {
      const D = ir.size(e.shape)
      const options = { chains, steps: 12, seed: 5, thin: 4, init: init.subarray(0, chains * D) }
      const ref = await sampler.sample(e, k, { ...options, backend: 'reference' })
      const one = await sampler.sample(e, k, { ...options, backend: 'native' })
      const two = await sampler.sample(e, k, { ...options, backend: 'native', threads: 2 })
      const name = `${e.name}, ${k.metric?.kind ?? 'identity'} metric`
      t.ok(maxRelative(ref.positions, one.positions) < 1e-9, `${name}: positions differ by ${maxRelative(ref.positions, one.positions)}`)
      t.ok(maxRelative(ref.momenta, one.momenta) < 1e-9, `${name}: momenta`)
      t.same(one.trace.map((s) => [s.trees, s.acceptanceRate, s.nonFinite]), ref.trace.map((s) => [s.trees, s.acceptanceRate, s.nonFinite]), `${name}: trees, acceptance, non-finite chains`)
      t.strictSame(two.positions, one.positions, `${name}: the same bits on two threads`)
      const depths = new Set(ref.trace.map((s) => s.trees?.meanDepth))
      t.ok(depths.size > 1, `${name}: chains take different trees`)
    }
  })

  t.test("the native NUTS on Neal's funnel (trees of depth 1 to 10, divergences) gives the same bits on 1 and 2 threads", async (t) => {
    const options = { chains, steps: 10, seed: 5, init: funnelDraws(chains, 4), backend: 'native' as const }
    const one = await sampler.sample(funnel, sampler.nuts({ stepSize: 0.3 }), options)
    const two = await sampler.sample(funnel, sampler.nuts({ stepSize: 0.3 }), { ...options, threads: 2 })
    t.strictSame(two.positions, one.positions)
    t.strictSame(two.statistics, one.statistics)
    t.ok((one.statistics.trees?.divergences ?? 0) > 0)
  })

  t.test('an energy that couples the chains is evaluated whole, every chain at its row, as the reference does', async (t) => {
    // No chain's gradient is its own, so the native rounds cannot pack the chains still building.
    const options = { chains: 64, steps: 6, seed: 8, init: init.subarray(0, 128) }
    const k = sampler.nuts({ stepSize: 0.3, maxTreeDepth: 5 })
    const ref = await sampler.sample(coupled, k, { ...options, backend: 'reference' })
    const nat = await sampler.sample(coupled, k, { ...options, backend: 'native' })
    t.ok(maxRelative(ref.positions, nat.positions) < 1e-9, `positions differ by ${maxRelative(ref.positions, nat.positions)}`)
    t.same(nat.statistics.trees, ref.statistics.trees)
  })
}

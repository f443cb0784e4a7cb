/**
 * The mass matrix of the Hamiltonian blocks: momenta drawn with covariance T·M, HMC with a diagonal or
 * dense metric keeps exact draws exact, the native loop computes what the reference does (HMC and
 * underdamped Langevin), and a runner takes a retuned kernel between runs.
 */
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'
import { checkParity } from '../../src/testing/index.js'
import { correlatedGaussian, expectMoments, gaussianDraws, gaussianMoments, spectral } from './stationary.js'

const T = 2.5
// M⁻¹ = the target's covariance at T (a dense metric) and its diagonal; and a deliberately poor dense one.
const dense: sampler.Metric = { kind: 'dense', inverse: spectral((lambda) => T / lambda).flat() }
const diagonal: sampler.Metric = { kind: 'diagonal', inverse: spectral((lambda) => T / lambda).map((row, i) => row[i]) }
const skewed: sampler.Metric = { kind: 'dense', inverse: [2, 0.5, 0, 0.5, 1, 0.3, 0, 0.3, 0.7] }

t.test('a momentum refresh draws p ~ N(0, T·M), M the inverse of the metric (every entry within 4 MCSE)', async (t) => {
  const n = 20_000
  const r = sampler.runner(correlatedGaussian, sampler.momentum({ temperature: T, metric: skewed }), { chains: n, backend: 'reference' })
  await r.run({ seed: 4, from: 0, to: 1 })
  // T·M = T·Σ⁻¹ with Σ the skewed metric, its moments scored as draws about mean 0
  const inverse = invert3(skewed.inverse)
  expectMoments(t, Float64Array.from(r.state.momentum), { mean: [0, 0, 0], covariance: inverse.map((row) => row.map((v) => T * v)) }, 'momenta')
})

t.test('HMC with a diagonal, dense or skewed metric keeps exact draws exact at T = 2.5', async (t) => {
  const chains = 4000
  const kernels: Record<string, sampler.Kernel> = {
    'hmc, dense': sampler.hmc({ stepSize: 0.6, leapfrogSteps: 3, temperature: T, metric: dense }),
    'hmc, diagonal': sampler.hmc({ stepSize: 0.4, leapfrogSteps: 3, temperature: T, metric: diagonal }),
    'hmc, skewed dense': sampler.hmc({ stepSize: 0.3, leapfrogSteps: 4, temperature: T, metric: skewed }),
  }
  for (const [i, [name, kernel]] of Object.entries(kernels).entries()) {
    const r = await sampler.sample(correlatedGaussian, kernel, { chains, steps: 20, seed: 30 + i, backend: 'reference', init: gaussianDraws(T, chains, 8_000_000 + i) })
    expectMoments(t, r.positions, gaussianMoments(T), `${name}, acceptance ${r.statistics.acceptanceRate?.toFixed(2)}`)
  }
})

t.test('the native loop runs metric blocks as the reference does (float64 to 1e-9, float32 to 1e-4)', async (t) => {
  const kernels = [
    sampler.hmc({ stepSize: 0.3, leapfrogSteps: 3, temperature: T, metric: skewed }),
    sampler.hmc({ stepSize: 0.3, leapfrogSteps: 3, temperature: T, metric: diagonal }),
    sampler.sghmc({ stepSize: 0.1, friction: 0.7, temperature: T, metric: skewed }),
  ]
  for (const kernel of kernels) {
    for (const dtype of ['float64', 'float32'] as const) {
      const report = await checkParity(correlatedGaussian, kernel, { chains: 37, steps: 12, seed: 5, dtype })
      t.ok(report.passed, `${JSON.stringify(kernel).slice(0, 60)}… ${dtype}: ${report.message}`)
    }
  }
})

t.test('a metric with the identity is the block without one, and bad metrics are refused by name', async (t) => {
  t.same(sampler.leapfrog({ stepSize: 0.1, metric: { kind: 'identity' } }), sampler.leapfrog({ stepSize: 0.1 }))
  t.throws(() => sampler.momentum({ metric: { kind: 'diagonal', inverse: [1, -1] } }), { message: 'momentum: metric.inverse[1]: expected a positive variance, got -1' })
  const flat = (m: sampler.Metric) => sampler.flatten(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 1, metric: m }), 3)
  t.throws(() => flat({ kind: 'diagonal', inverse: [1, 2] }), { message: /^flatten: kernel \(metric\)\.inverse: expected 3 numbers \(D for D = 3\)/ })
  t.throws(() => flat({ kind: 'dense', inverse: [1, 2, 2, 1, 0, 0, 0, 0, 1] }), { message: /expected a symmetric matrix/ })
  t.throws(() => flat({ kind: 'dense', inverse: [1, 2, 0, 2, 1, 0, 0, 0, 1] }), { message: /expected a positive-definite matrix/ })
  t.equal(flat(dense).metric.length, 18, 'one table entry [Σ, F] shared by momentum, leapfrog and accept')
})

t.test('the addon refuses a metric outside its table with an error, not a crash', { skip: samplerAddon().addon === undefined ? 'no addon' : false }, async (t) => {
  const r = sampler.runner(correlatedGaussian, sampler.hmc({ stepSize: 0.1, leapfrogSteps: 1, metric: dense }), { chains: 2, backend: 'native' })
  r.setup.program.metric.fill(0) // the table the runner encoded from: a zero Σ is no crash, only a frozen chain
  await t.resolves(r.run({ seed: 1, from: 0, to: 1 }))
  const { addon } = samplerAddon()
  const layout = addon!.samplerInstructions()
  const program = sampler.flatten(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 1, metric: dense }), 3)
  const { encodeProgram, loadEnergy } = await import('../../src/sampler/native.js')
  const loaded = loadEnergy(addon!, correlatedGaussian, 2)
  const n = 6
  const call = (metric: Float64Array) =>
    addon!.sampleAsync({
      handle: loaded.handle, gradientHandle: -1, dtype: 'float64', program: encodeProgram(program, layout), drawsPerStep: program.drawsPerStep, metric,
      feeds: loaded.tape.feeds.map(() => null), xFeed: loaded.xFeed, energyOutput: 0, gradientOutput: 1,
      state: { position: new Float64Array(n), momentum: new Float64Array(n), energy: new Float64Array(2), gradient: new Float64Array(n), alive: new Uint8Array(2).fill(1), proposed: new Float64Array(2), accepted: new Float64Array(2), trees: new Float64Array(10), fresh: new Int32Array(1) },
      seed: 1, from: 0, to: 1, threads: 1, cancel: new Int32Array(1),
    })
  t.throws(() => call(new Float64Array(17)), { message: /metricAt: a metric of 18 numbers at 0 outside the metric table's 17/ })
  t.throws(() => call(new Float32Array(18) as unknown as Float64Array), { message: /sampleAsync: metric: expected a Float64Array/ })
})

t.test('a runner retuned between runs gives the bits of a runner built with the new numbers', async (t) => {
  const backends = samplerAddon().addon === undefined ? (['reference'] as const) : (['reference', 'native'] as const)
  for (const backend of backends) {
    const init = gaussianDraws(T, 8, 99)
    const first = sampler.hmc({ stepSize: 0.2, leapfrogSteps: 3, temperature: T })
    const second = sampler.hmc({ stepSize: 0.45, leapfrogSteps: 5, temperature: T, metric: skewed })
    const retuned = sampler.runner(correlatedGaussian, first, { chains: 8, init, backend })
    const fresh = sampler.runner(correlatedGaussian, second, { chains: 8, init, backend })
    await retuned.run({ seed: 3, from: 0, to: 4 })
    fresh.state.position.set(retuned.state.position)
    retuned.retune(second)
    await retuned.run({ seed: 3, from: 4, to: 9 })
    await fresh.run({ seed: 3, from: 4, to: 9 })
    t.same(Array.from(retuned.state.position), Array.from(fresh.state.position), `${backend}: the same positions`)
    t.equal(retuned.setup.kernel.type, 'sequence', 'setup follows')
    t.same(retuned.setup.kernel, second, 'the runner reports the kernel it runs')
    t.throws(() => retuned.retune(sampler.ula({ stepSize: 0.1 })), { message: /^retune: kernel: expected a kernel like the runner's \(6 draws per step, a Metropolis test, E at every step\), got "4 draws per step"$/ })
  }
})

t.test('the metric helpers: velocity, kinetic energy and momentum factor of a dense metric against hand values', async (t) => {
  const numbers = sampler.metricNumbers({ kind: 'dense', inverse: [4, 2, 2, 2] }, 2, 'm')
  // Σ = [[4, 2], [2, 2]] = L·Lᵀ with L = [[2, 0], [1, 1]]; F = L⁻ᵀ = [[1/2, −1/2], [0, 1]]
  t.same(Array.from(numbers.subarray(4)), [0.5, -0.5, 0, 1])
  const slot = { kind: 'dense', at: 0, inverse: numbers.subarray(0, 4), factor: numbers.subarray(4) } as const
  const p = new Float64Array([1, -1])
  t.same([sampler.velocityAt(slot, p, 0, 2, 0), sampler.velocityAt(slot, p, 0, 2, 1)], [2, 0])
  t.equal(sampler.kinetic(slot, p, 0, 2), 1)
  // F·z for z = (1, 1): (0, 1); its covariance F·Fᵀ is Σ⁻¹
  t.same([sampler.momentumAt(slot, new Float64Array([1, 1]), 2, 0), sampler.momentumAt(slot, new Float64Array([1, 1]), 2, 1)], [0, 1])
})

function invert3(m: readonly number[]): number[][] {
  const [a, b, c, d, e, f, g, h, i] = m
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ]
}

/**
 * Warmup as the issue verifies it: dual averaging reaches its target acceptance (HMC and MALA); HMC tuned
 * with a dense mass matrix keeps exact draws exact on Gaussians of condition number 1, 100 and 10⁴ and on
 * a 100-dimensional one (two-sample tests against exact draws); with the dense mass matrix the bulk ESS
 * per gradient stays within 2× across conditioning. Targets are rotated (a diagonal mass matrix cannot
 * undo them) and sampled at T = 0.5.
 */
import t from 'tap'
import * as sampler from '../../../src/sampler/index.js'
import { collect, essPerGradient, exactAfterWarmup, exactnessTargets, mean, rotated, T } from './gaussians.js'

t.test('dual averaging reaches its target acceptance within ±0.05 (HMC 0.8, MALA 0.574, and a target given)', async (t) => {
  const target = rotated(4, 100)
  const cases = [
    { name: 'hmc, dense', kernel: sampler.hmc({ stepSize: 0.05, leapfrogSteps: 4, temperature: T }), massMatrix: 'dense', want: 0.8 },
    { name: 'hmc, identity', kernel: sampler.hmc({ stepSize: 0.05, leapfrogSteps: 4, temperature: T }), massMatrix: 'identity', want: 0.8 },
    { name: 'mala', kernel: sampler.mala({ stepSize: 0.05, temperature: T }), massMatrix: 'identity', want: 0.574 },
    { name: 'mala at 0.7', kernel: sampler.mala({ stepSize: 0.05, temperature: T }), massMatrix: 'identity', want: 0.7, targetAcceptance: 0.7 },
  ] as const
  for (const c of cases) {
    const chains = 64
    const w = await sampler.warmup(target.energy, c.kernel, { chains, steps: 500, seed: 21, massMatrix: c.massMatrix, ...('targetAcceptance' in c ? { targetAcceptance: c.targetAcceptance } : {}) })
    // the acceptance of the final fast interval (50 iterations × 64 chains: MCSE ≈ 0.007)
    const reached = mean(w.acceptance.slice(-50))
    t.ok(Math.abs(reached - c.want) < 0.05, `${c.name}: acceptance ${reached.toFixed(3)} over the last 50 iterations, target ${c.want}`)
    // h̄, the averaged iterate, sits at or below the iterates (Jensen), so sampling accepts at least as often
    const { acceptance } = await collect(sampler.runner(target.energy, w.kernel, { chains, init: w.positions }), 100, 22)
    t.ok(acceptance > c.want - 0.05 && acceptance < 0.97, `${c.name}: sampling with h̄ = ${w.stepSize.toFixed(4)} accepts ${acceptance.toFixed(3)}`)
  }
})

t.test('adapted HMC (dense mass matrix) keeps exact draws exact: condition numbers 1, 100, 10⁴ and 100 dimensions', async (t) => {
  for (const [i, { kappa, target }] of exactnessTargets.entries()) {
    const chains = 64
    const w = await sampler.warmup(target.energy, sampler.hmc({ stepSize: 0.05, leapfrogSteps: 3, temperature: T }), { chains, steps: 400, seed: 30 + i, massMatrix: 'dense', init: target.exact(chains, 40 + i) })
    const p = await exactAfterWarmup(target, w.kernel, 50 + i)
    // Bonferroni over the D coordinates at level 0.001
    t.ok(p > 0.001 / target.D, `D = ${target.D}, κ = ${kappa}: smallest KS p-value ${p.toExponential(2)} (h = ${w.stepSize.toFixed(3)})`)
  }
})

t.test('with the dense mass matrix the bulk ESS per gradient stays within 2× across condition numbers 1, 100, 10⁴', async (t) => {
  const rates = await essPerGradient(sampler.hmc({ stepSize: 0.05, leapfrogSteps: 1, temperature: T }), { warmup: 500, steps: 400, seed: 80, leapfrogSteps: 1 }, (s) => t.comment(s))
  t.ok(Math.max(...rates) / Math.min(...rates) < 2, `ESS per gradient ${rates.map((r) => r.toFixed(4)).join(', ')}`)
})

t.test('warmup refuses what it cannot tune, naming the option', async (t) => {
  const target = rotated(2, 1)
  const run = (k: sampler.Kernel, o: Partial<sampler.WarmupOptions>) => sampler.warmup(target.energy, k, { chains: 4, steps: 10, seed: 1, ...o })
  await t.rejects(run(sampler.ula({ stepSize: 0.1 }), {}), { message: /^warmup: kernel: expected a kernel with a Metropolis test/ })
  await t.rejects(run(sampler.mala({ stepSize: 0.1 }), { massMatrix: 'dense' }), { message: `warmup: massMatrix: expected 'identity' for a kernel without leapfrog steps, got "dense"` })
  await t.rejects(run(sampler.mala({ stepSize: 0.1 }), { trajectory: 'chees' }), { message: /^warmup: trajectory: expected a kernel with leapfrog steps \(hmc\) for ChEES/ })
  await t.rejects(run(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 2 }), { trajectory: 'chees', chains: 1 }), { message: 'warmup: chains: expected at least 2 chains for ChEES (it centres across chains), got 1' })
  await t.rejects(run(sampler.hmc({ stepSize: sampler.linear(0.1, 0.01, 5), leapfrogSteps: 2 }), {}), { message: /^warmup: kernel: expected a constant step size to start from/ })
  await t.rejects(run(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 2 }), { steps: 0 }), { message: 'warmup: steps: expected an integer ≥ 1, got 0' })
})

t.test('ChEES tunes the trajectory length and the tuned kernel runs ⌈L/(2h)⌉ leapfrog steps, the same on both backends', async (t) => {
  const target = rotated(3, 10)
  const o = { chains: 64, steps: 300, seed: 5, massMatrix: 'diagonal', trajectory: 'chees', init: target.exact(64, 6) } as const
  const w = await sampler.warmup(target.energy, sampler.hmc({ stepSize: 0.05, leapfrogSteps: 2, temperature: T }), { ...o, backend: 'reference' })
  const L = w.trajectoryLength ?? NaN
  t.ok(L > 5 * 0.05 * 2, `L = ${L.toFixed(3)} grew from 2 steps of 0.05`)
  const k = w.kernel as sampler.Sequence
  const repeat = (k.blocks[1] as sampler.Metropolis).proposal as sampler.Repeat
  t.equal(repeat.times, Math.ceil(L / (2 * w.stepSize)), 'the mean of the jittered lengths')
  const native = await sampler.warmup(target.energy, sampler.hmc({ stepSize: 0.05, leapfrogSteps: 2, temperature: T }), { ...o, backend: 'auto' })
  t.same([native.stepSize, native.trajectoryLength, Array.from(native.positions)], [w.stepSize, w.trajectoryLength, Array.from(w.positions)], 'native warmup follows the reference bit for bit')
})

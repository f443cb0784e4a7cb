/**
 * Warmup tunes NUTS as the issue verifies it: dual averaging brings NUTS's acceptance statistic to 0.8
 * within ±0.05; NUTS tuned with a dense mass matrix keeps exact draws exact on Gaussians of condition
 * number 1, 100 and 10⁴ and on a 100-dimensional one; with the dense mass matrix its bulk ESS per gradient
 * (per leapfrog step of its trees) stays within 2× across conditioning. Rotated targets at T = 0.5.
 */
import t from 'tap'
import * as sampler from '../../../src/sampler/index.js'
import { collect, essPerGradient, exactAfterWarmup, exactnessTargets, mean, rotated, T } from './gaussians.js'

const nuts = sampler.nuts({ stepSize: 0.05, temperature: T })

t.test("dual averaging brings NUTS's acceptance statistic to 0.8 within ±0.05 (identity and dense mass matrices)", async (t) => {
  const target = rotated(4, 100)
  for (const massMatrix of ['identity', 'dense'] as const) {
    const chains = 64
    const w = await sampler.warmup(target.energy, nuts, { chains, steps: 300, seed: 21, massMatrix, init: target.exact(chains, 20) })
    // the acceptance of the final fast interval (50 iterations × 64 chains: MCSE ≈ 0.005)
    const reached = mean(w.acceptance.slice(-50))
    t.ok(Math.abs(reached - 0.8) < 0.05, `${massMatrix}: acceptance ${reached.toFixed(3)} over the last 50 iterations`)
    t.equal((w.kernel as sampler.Nuts).metric?.kind ?? 'identity', massMatrix, 'the tuned kernel holds the mass matrix')
    const { acceptance } = await collect(sampler.runner(target.energy, w.kernel, { chains, init: w.positions }), 50, 22)
    t.ok(acceptance > 0.75 && acceptance < 0.97, `${massMatrix}: sampling with h̄ = ${w.stepSize.toFixed(4)} accepts ${acceptance.toFixed(3)}`)
  }
})

t.test('adapted NUTS (dense mass matrix) keeps exact draws exact: condition numbers 1, 100, 10⁴ and 100 dimensions', async (t) => {
  for (const [i, { kappa, target }] of exactnessTargets.entries()) {
    const chains = 64
    const w = await sampler.warmup(target.energy, nuts, { chains, steps: 300, seed: 130 + i, massMatrix: 'dense', init: target.exact(chains, 140 + i) })
    const p = await exactAfterWarmup(target, w.kernel, 150 + i)
    // Bonferroni over the D coordinates at level 0.001
    t.ok(p > 0.001 / target.D, `D = ${target.D}, κ = ${kappa}: smallest KS p-value ${p.toExponential(2)} (h = ${w.stepSize.toFixed(3)})`)
  }
})

t.test('with the dense mass matrix NUTS’s bulk ESS per gradient stays within 2× across condition numbers 1, 100, 10⁴', async (t) => {
  const rates = await essPerGradient(nuts, { warmup: 400, steps: 200, seed: 180, leapfrogSteps: 0 }, (s) => t.comment(s))
  t.ok(Math.max(...rates) / Math.min(...rates) < 2, `ESS per gradient ${rates.map((r) => r.toFixed(4)).join(', ')}`)
})

t.test('warmup refuses ChEES for NUTS (its trees choose their own lengths)', async (t) => {
  const target = rotated(2, 1)
  await t.rejects(sampler.warmup(target.energy, nuts, { chains: 4, steps: 10, seed: 1, trajectory: 'chees' }), { message: /^warmup: trajectory: expected a kernel with leapfrog steps \(hmc\) for ChEES/ })
})

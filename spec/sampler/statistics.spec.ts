/**
 * Statistical tests of the built-in samplers on quadratic energies, run on the reference runner.
 * Fixed seeds; every tolerance is 4 Monte Carlo standard errors or a KS critical value at alpha = 0.001.
 */
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import { gaussianDraws, ksCritical, ksDistance, meanSquare, quadratic } from './fixtures.js'

t.test('sample with ULA on a quadratic samples at the effective temperature 2/(2 − a·h)', async (t) => {
  const a = 2
  // n = 32000 draws: 4 standard errors are 3.2% of the variance, below the 5.3% bias at a·h = 0.1.
  const chains = 2000
  const dimension = 16
  for (const [i, ah] of [0.1, 0.5, 1.0, 1.5].entries()) {
    // From x = 0 the variance approaches its limit by a factor (1 − a·h)² per step: 100 steps leave < 1e-9.
    const r = await sampler.sample(quadratic(a, dimension), sampler.ula({ stepSize: ah / a }), { backend: 'reference', chains, steps: 100, seed: 100 + i })
    const v = meanSquare(r.positions)
    const want = 2 / (a * (2 - ah))
    // The coordinates are independent Gaussians (separable drift, independent noise): n = chains·dimension
    // draws; the variance about the known mean has sd want·√(2/n). 4 standard errors.
    const n = chains * dimension
    t.ok(Math.abs(v - want) < 4 * want * Math.sqrt(2 / n), `a·h=${ah}: variance ${v.toFixed(5)} vs ${want.toFixed(5)} ± ${(want * Math.sqrt(2 / n)).toFixed(5)}`)
  }
})

t.test('sample with MALA started from exact draws stays exact at a step size where ULA doubles the variance', async (t) => {
  const a = 2
  const chains = 4000
  const r = await sampler.sample(quadratic(a, 1), sampler.mala({ stepSize: 1 / a }), { backend: 'reference', chains, steps: 40, seed: 200, init: gaussianDraws(chains, 1 / a) })
  const d = ksDistance(r.positions, 1 / a)
  t.ok(d < ksCritical(chains), `KS distance ${d.toFixed(4)} < ${ksCritical(chains).toFixed(4)} (alpha 0.001)`)
  const v = meanSquare(r.positions)
  // Independent chains, Gaussian marginal: sd of the variance estimate is (1/a)·√(2/n); 4 standard errors.
  t.ok(Math.abs(v - 1 / a) < 4 * (1 / a) * Math.sqrt(2 / chains), `variance ${v} vs ${1 / a}`)
  t.ok((r.statistics.acceptanceRate ?? 0) > 0.5 && (r.statistics.acceptanceRate ?? 1) < 1, `acceptance ${r.statistics.acceptanceRate}`)
})

t.test('sample with HMC started from exact draws stays exact', async (t) => {
  const a = 2
  const chains = 4000
  const r = await sampler.sample(quadratic(a, 1), sampler.hmc({ stepSize: 0.9, leapfrogSteps: 5 }), { backend: 'reference', chains, steps: 20, seed: 300, init: gaussianDraws(chains, 1 / a) })
  const d = ksDistance(r.positions, 1 / a)
  t.ok(d < ksCritical(chains), `KS distance ${d.toFixed(4)} < ${ksCritical(chains).toFixed(4)} (alpha 0.001)`)
  const v = meanSquare(r.positions)
  t.ok(Math.abs(v - 1 / a) < 4 * (1 / a) * Math.sqrt(2 / chains), `variance ${v} vs ${1 / a}`)
  t.ok((r.statistics.acceptanceRate ?? 0) > 0.3 && (r.statistics.acceptanceRate ?? 1) < 1, `acceptance ${r.statistics.acceptanceRate}`)
})

t.test('sample with SGHMC on a quadratic matches the closed-form stationary variance of its integrator', async (t) => {
  const a = 2
  const chains = 1000
  const dimension = 8
  for (const [i, [h, friction]] of [[0.3, 1], [0.8, 0.5], [0.9, 3]].entries()) {
    const c = Math.exp(-friction * h)
    // docs/samplers.md: Var(x) = T(1 + c)² / (a(2(1 + c) − a·h²)) for the O-B-A step.
    const want = (1 + c) ** 2 / (a * (2 * (1 + c) - a * h * h))
    // From x = p = 0 the covariance approaches its limit by |λ|² ≤ c per step (λ the eigenvalues of the
    // linear step, det = c): 100 steps leave < 1e-12 here.
    const r = await sampler.sample(quadratic(a, dimension), sampler.sghmc({ stepSize: h, friction }), { backend: 'reference', chains, steps: 100, seed: 400 + i })
    const v = meanSquare(r.positions)
    const n = chains * dimension
    // Coordinates evolve independently (linear dynamics, independent noise) and x is Gaussian: sd want·√(2/n).
    t.ok(Math.abs(v - want) < 4 * want * Math.sqrt(2 / n), `h=${h}, γ=${friction}: variance ${v.toFixed(5)} vs ${want.toFixed(5)} ± ${(want * Math.sqrt(2 / n)).toFixed(5)}`)
  }
})

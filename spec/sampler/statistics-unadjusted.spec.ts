/**
 * The unadjusted samplers (SGHMC and ULA) on a correlated Gaussian in three dimensions at T = 0.5 and
 * T = 2.5: the mean vector and every entry of the exact stationary covariance of the discrete-time chain
 * within 4 Monte Carlo standard errors, on the native backend in float64 and float32 and on the reference
 * backend. Not T·P⁻¹: at these steps the stiffest direction's variance is 18% (SGHMC) and 150% (ULA) above
 * it, so a test against T·P⁻¹ would need a tolerance too wide to see anything.
 *
 * On E = ½(x − μ)ᵀP(x − μ) both samplers are linear maps plus Gaussian noise, and P = R·diag(λ)·Rᵀ with
 * isotropic noise, so every eigendirection of P is an independent chain on a quadratic of curvature λ:
 * the stationary covariance is R·diag(v(λ))·Rᵀ with v the one-dimensional variance of docs/samplers.md,
 * and the stationary mean is μ. The chains start at x = 0 (and p = 0), and the law at step t is Gaussian,
 * approaching its limit at the rate ρᵗ of the step's spectral radius: the step counts leave less than
 * 1e-9 of the start. The final positions of independent chains are then i.i.d. Gaussian draws, whose MCSE
 * are those of stationary.ts.
 */
import type { Test } from 'tap'
import * as sampler from '../../src/sampler/index.js'
import { correlatedGaussian, eigenvalues, expectMoments, gaussianMoments, spectral, temperatures, testEachRun, type Run } from './stationary.js'

/** An unadjusted sampler with its exact stationary variance on a quadratic of curvature λ and the spectral radius of its step. */
interface Unadjusted {
  readonly kernel: sampler.Kernel
  readonly variance: (lambda: number) => number
  readonly radius: (lambda: number) => number
}

/**
 * SGHMC's O-B-A step with c = e^(−γh): Var(x) = T(1 + c)²/(λ(2(1 + c) − λh²)) (docs/samplers.md); the
 * step's matrix [[1 − h²λ, hc], [−hλ, c]] has determinant c and trace τ = 1 − h²λ + c, so its spectral
 * radius is √c when τ² < 4c and (|τ| + √(τ² − 4c))/2 otherwise.
 */
const sghmc = (h: number, friction: number, T: number): Unadjusted => {
  const c = Math.exp(-friction * h)
  return {
    kernel: sampler.sghmc({ stepSize: h, friction, temperature: T }),
    variance: (lambda) => (T * (1 + c) ** 2) / (lambda * (2 * (1 + c) - lambda * h * h)),
    radius: (lambda) => {
      const trace = 1 - h * h * lambda + c
      return trace * trace < 4 * c ? Math.sqrt(c) : (Math.abs(trace) + Math.sqrt(trace * trace - 4 * c)) / 2
    },
  }
}

/** ULA: x′ = (1 − hλ)x + √(2hT)·ξ per eigendirection, so Var(x) = 2T/(λ(2 − hλ)) and the radius is |1 − hλ|. */
const ula = (h: number, T: number): Unadjusted => ({
  kernel: sampler.ula({ stepSize: h, temperature: T }),
  variance: (lambda) => (2 * T) / (lambda * (2 - h * lambda)),
  radius: (lambda) => Math.abs(1 - h * lambda),
})

// Steps where the discrete chains' bias is large: SGHMC's variance factor (1 + c)/(1 + c − λh²/2) is 1.18 at
// λ = 4 (1.02 at λ = 0.5), ULA's 2/(2 − hλ) is 2.5 at λ = 4 (1.08 at λ = 0.5).
const samplers = (T: number): Record<string, Unadjusted> => ({ sghmc: sghmc(0.35, 1.5, T), ula: ula(0.3, T) })

const checkMoments = async (t: Test, run: Run): Promise<void> => {
  for (const [i, T] of temperatures.entries()) {
    for (const [j, [name, s]] of Object.entries(samplers(T)).entries()) {
      const left = Math.max(...eigenvalues.map(s.radius)) ** run.steps
      t.ok(left < 1e-9, `${name}: ${run.steps} steps leave ${left.toExponential(1)} of the start`)
      const r = await sampler.sample(correlatedGaussian, s.kernel, { ...run, seed: run.seed + 10 * i + j })
      expectMoments(t, r.positions, { mean: gaussianMoments(T).mean, covariance: spectral(s.variance) }, `${name} at T = ${T}`)
    }
  }
}

await testEachRun('SGHMC and ULA sample a correlated Gaussian at T ≠ 1 with the exact mean and covariance of their discrete-time chains', [
  { backend: 'native', dtype: 'float64', chains: 40_000, steps: 200, seed: 500 },
  { backend: 'native', dtype: 'float32', chains: 40_000, steps: 200, seed: 600 },
  { backend: 'reference', dtype: 'float64', chains: 4_000, steps: 200, seed: 700 },
], checkMoments)

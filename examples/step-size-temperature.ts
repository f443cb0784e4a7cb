/**
 * Step size as temperature. Unadjusted Langevin (ULA), x ← x − h·∇E(x) + √(2hT)·ξ, along a direction of
 * curvature λ is the AR(1) process x ← (1 − hλ)x + √(2hT)·ξ, whose stationary variance is (T/λ)·2/(2 − hλ)
 * instead of T/λ: the chain samples as if at the temperature T·2/(2 − hλ). A step size that is not small
 * against 1/λ heats the chain; at hλ = 1 it samples at twice the temperature asked, and from hλ = 2 on it
 * diverges. MALA proposes the same move and accepts it with the Metropolis–Hastings ratio, which makes
 * exp(−E/T) exactly invariant at any step size; what a large step costs it is acceptance, not accuracy.
 *
 * The energy is the Gaussian E(x) = ½(4x₀² + x₁²) at T = 0.5: curvatures λ = 4 and 1. Its largest
 * curvature is found as a user would for any energy, by power iteration on Hessian-vector products
 * (diagnostics.largestCurvature), and diagnostics.langevinStability turns it into the effective
 * temperature of the stiffest direction. Each chain's final position is one independent draw, so the
 * temperature a chain samples along an axis is λ·(variance of that coordinate over the chains), with a
 * standard error of T_eff·√(2/chains).
 *
 * Run: npm run example examples/step-size-temperature.ts
 */
import { diagnostics, energy, sampler } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'
const chains = quick ? 4000 : 40000
const T = 0.5
const curvatures = [4, 1]
const gaussian = energy.gaussian({ mean: [0, 0], precision: [[curvatures[0], 0], [0, curvatures[1]]] })
const { eigenvalue: lambdaMax } = diagnostics.largestCurvature(gaussian, energy.init(gaussian), [0.3, -0.7])

/** The temperature the chains sample along each axis, λ·variance, over the chains that stayed finite. */
const temperatures = (positions: Float64Array) =>
  curvatures.map((lambda, axis) => {
    const x = Array.from({ length: chains }, (_v, c) => positions[2 * c + axis]).filter(Number.isFinite)
    if (x.length < 2) return NaN
    const mean = x.reduce((s, v) => s + v, 0) / x.length
    return (lambda * x.reduce((s, v) => s + (v - mean) ** 2, 0)) / (x.length - 1)
  })
const show = (measured: number, want: number) =>
  Number.isFinite(want) ? `${measured.toFixed(3)} (${((measured - want) / (want * Math.sqrt(2 / chains))).toFixed(1).padStart(4)})` : `${measured.toExponential(1)}, growing`

console.log(`E(x) = ½(4x₀² + x₁²) at T = ${T}; largest curvature by power iteration on Hessian-vector products: ${lambdaMax.toFixed(6)}`)
console.log(`${chains} chains from 0, each run for 10/h steps; the temperature each samples along x₀ (λ = 4) and x₁ (λ = 1), with its`)
console.log('distance from the prediction in standard errors')
console.log('     h  h·λ_max  ULA along x₀    predicted   ULA along x₁    predicted   MALA along x₀   MALA along x₁   acceptance  warning')
const results: { h: number; ula: number; mala: number; acceptance: number; diverges: boolean }[] = []
for (const h of [0.025, 0.125, 0.25, 0.375, 0.475, 0.55]) {
  const steps = Math.ceil(10 / h)
  const stiff = diagnostics.langevinStability(h, lambdaMax, { temperature: T })
  const soft = diagnostics.effectiveTemperature(h, curvatures[1], T)
  const ula = await sampler.sample(gaussian, sampler.ula({ stepSize: h, temperature: T }), { chains, steps, seed: 1 })
  const mala = await sampler.sample(gaussian, sampler.mala({ stepSize: h, temperature: T }), { chains, steps, seed: 1 })
  const [u0, u1] = temperatures(ula.positions)
  const [m0, m1] = temperatures(mala.positions)
  const acceptance = mala.statistics.acceptanceRate ?? NaN
  results.push({ h, ula: u0, mala: m0, acceptance, diverges: stiff.diverges })
  console.log(
    `${h.toFixed(3).padStart(6)}  ${stiff.stepCurvature.toFixed(2).padStart(7)}  ${show(u0, stiff.effectiveTemperature).padEnd(14)}  ${stiff.diverges ? '∞'.padEnd(9) : stiff.effectiveTemperature.toFixed(3).padEnd(9)}` +
      `   ${show(u1, soft).padEnd(14)}  ${soft.toFixed(3).padEnd(9)}   ${show(m0, T).padEnd(14)}  ${show(m1, T).padEnd(14)}  ${acceptance.toFixed(3).padStart(10)}  ${stiff.warning === undefined ? '' : stiff.warning.split(':')[0]}`,
  )
}
const [stable, unstable] = [results.filter((r) => !r.diverges), results.find((r) => r.diverges)!]
const last = stable[stable.length - 1]
console.log(`ULA's temperature along x₀ follows T·2/(2 − h·λ): from ${stable[0].ula.toFixed(3)} at h·λ = ${(stable[0].h * lambdaMax).toFixed(1)} to ${last.ula.toFixed(3)} at h·λ = ${(last.h * lambdaMax).toFixed(1)}, ${(last.ula / T).toFixed(1)} times the T asked;`)
console.log(`past h·λ = 2 the chain's variance grows by (1 − h·λ)² = ${((1 - unstable.h * lambdaMax) ** 2).toFixed(2)} a step, without end. MALA sampled T = ${T} at every step size (its largest distance from T: ${Math.max(...results.map((r) => Math.abs(r.mala - T) / (T * Math.sqrt(2 / chains)))).toFixed(1)} standard errors);`)
console.log(`its acceptance fell from ${results[0].acceptance.toFixed(3)} to ${results[results.length - 1].acceptance.toFixed(3)}: fewer moves, each exact.`)

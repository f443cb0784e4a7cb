/**
 * SGHMC: Langevin dynamics with momentum and friction (Chen, Fox and Guestrin 2014, without the gradient
 * noise: underdamped Langevin). Each step refreshes the momentum partially, p ← c·p + √(T(1 − c²))·ξ with
 * c = e^(−γh), kicks it, p ← p − h·∇E(x), and moves, x ← x + h·p. The friction γ sets how much of the
 * momentum survives a step: little friction and a chain coasts (and oscillates), much friction and it
 * forgets its momentum and crawls like ULA.
 *
 * 1. Its stationary law on a quadratic against the closed form of docs/samplers.md: on E = a·x²/2 at
 *    temperature T, with c = e^(−γh) and s = 2(1 + c) − a·h²,
 *      Var x = T(1 + c)²/(a·s),   Var p = 2T(1 + c)/s,
 *    so x is sampled at the temperature T·(1 + c)²/s. Like ULA's, this is biased for any h > 0: hot when
 *    little momentum is lost per step (c near 1, where it is T/(1 − a·h²/4)), and cold when γh is large
 *    (as h → 0 at a fixed γh it tends to T(1 + c)/2, half of T at c = 0: with the momentum refreshed
 *    entirely every step, the move x ← x − h²·∇E + h·√T·ξ is Langevin at step h² with half its noise).
 * 2. Mixing against ULA on an ill-conditioned Gaussian (curvatures 100 and 1): ULA's step, and SGHMC's at
 *    critical damping of the soft direction (γ = 2√1), are set so that each samples the stiff direction
 *    10% too hot; then the effective sample size of the slow coordinate per step (= per gradient
 *    evaluation) is measured with diagnostics.essBulk, and SGHMC's with less and more friction at the same
 *    step. ULA's step is bound by the stiff curvature, so it crawls along the soft one; momentum carries
 *    SGHMC along it.
 *
 * Run: npm run example examples/sghmc.ts
 */
import { lastValueFrom, toArray } from 'rxjs'
import { diagnostics, energy, sample$, sampler } from '../src/index.js'

const quick = process.env.HEATBATH_EXAMPLE_QUICK === '1'

// 1. The stationary variances.
const [T, h] = [0.5, 0.2]
const curvatures = [4, 1]
const chains = quick ? 4000 : 40000
const diagonal = (a: readonly number[]) => energy.gaussian({ mean: a.map(() => 0), precision: a.map((ai, i) => a.map((_v, j) => (i === j ? ai : 0))) })
const quadratic = diagonal(curvatures)
/** SGHMC's stationary variances of x and p on E = a·x²/2 at temperature t, step `step`, friction γ. */
const closedForm = (a: number, gamma: number, step = h, t = T) => {
  const c = Math.exp(-gamma * step)
  const s = 2 * (1 + c) - a * step * step
  return { x: (t * (1 + c) ** 2) / (a * s), p: (2 * t * (1 + c)) / s }
}
/** The variance over the chains of coordinate `axis` of a row-major [chains × 2] array. */
const variance = (values: Float64Array, axis: number) => {
  const x = Array.from({ length: values.length / 2 }, (_v, c) => values[2 * c + axis])
  const mean = x.reduce((t, v) => t + v, 0) / x.length
  return x.reduce((t, v) => t + (v - mean) ** 2, 0) / (x.length - 1)
}
// A variance from n independent Gaussian draws has standard error v·√(2/n).
const z = (measured: number, want: number) => ((measured - want) / (want * Math.sqrt(2 / chains))).toFixed(1)

console.log(`1. E = ½(4x₀² + x₁²) at T = ${T}, SGHMC with h = ${h}; the variances of x and p over ${chains} chains (each run 1000 steps from 0)`)
console.log('against the closed form, with the distance in standard errors; T/a and T are what exact sampling gives')
console.log('    γ   c = e^(−γh)  a   Var x (z)            closed form   T/a      Var p (z)            closed form   T')
for (const gamma of [0.5, 2, 10]) {
  const run = await sampler.sample(quadratic, sampler.sghmc({ stepSize: h, friction: gamma, temperature: T }), { chains, steps: 1000, seed: 1 })
  curvatures.forEach((a, axis) => {
    const want = closedForm(a, gamma)
    const [vx, vp] = [variance(run.positions, axis), variance(run.momenta, axis)]
    console.log(`${String(gamma).padStart(5)}   ${Math.exp(-gamma * h).toFixed(4).padEnd(11)}  ${a}   ${vx.toFixed(4)} (${z(vx, want.x).padStart(4)})      ${want.x.toFixed(4).padEnd(12)}  ${(T / a).toFixed(3)}    ${vp.toFixed(4)} (${z(vp, want.p).padStart(4)})      ${want.p.toFixed(4).padEnd(12)}  ${T}`)
  })
}

const factors = [0.5, 2, 10].map((gamma) => (closedForm(4, gamma).x / (T / 4)).toFixed(3))
console.log(`along x₀ SGHMC samples x at ${factors.join(', ')} times T for γ = 0.5, 2, 10: near T while little momentum is lost per step,`)
console.log('ever colder as γh grows (part 2 shows the other side: too hot, where h²·a is larger)')

// 2. Mixing on an ill-conditioned Gaussian, at the same bias in the stiff direction.
const [stiff, soft] = [100, 1]
const illConditioned = diagonal([stiff, soft])
const bias = 1.1
/** The step size below `high` at which a temperature factor, below `bias` for small steps, reaches it (bisection). */
const stepFor = (factor: (h: number) => number, high: number) => {
  let [lo, hi] = [0, high]
  for (let i = 0; i < 100; i++) [lo, hi] = factor((lo + hi) / 2) < bias ? [(lo + hi) / 2, hi] : [lo, (lo + hi) / 2]
  return lo
}
const critical = 2 * Math.sqrt(soft)
const ulaStep = stepFor((s) => diagnostics.effectiveTemperature(s, stiff), 2 / stiff)
const sghmcStep = stepFor((s) => stiff * closedForm(stiff, critical, s, 1).x, Math.sqrt(2 / stiff))
const [mixChains, steps, thin] = quick ? [8, 5000, 5] : [16, 40000, 5]
const init = Array.from({ length: mixChains }, (_v, c) => [0, c % 2 === 0 ? 3 : -3]).flat() // x₁ = ±3, 3 standard deviations out

/** Bulk ESS of x₁ per step, R-hat of x₁, and the variance of x₁ over every kept draw. */
const mixing = async (kernel: sampler.Kernel) => {
  const snapshots = await lastValueFrom(sample$(illConditioned, kernel, { chains: mixChains, steps, seed: 2, init, thin }).pipe(toArray()))
  const kept = snapshots.slice(snapshots.length / 10) // the first tenth is warm-up
  const x1 = Array.from({ length: mixChains }, (_v, c) => Float64Array.from(kept, (q) => q.positions[2 * c + 1]))
  const all = x1.flatMap((chain) => Array.from(chain))
  const mean = all.reduce((t, v) => t + v, 0) / all.length
  return { essPerStep: diagnostics.essBulk(x1) / (mixChains * kept.length * thin), rhat: diagnostics.rhat(x1), v: all.reduce((t, v) => t + (v - mean) ** 2, 0) / all.length }
}

console.log(`\n2. E = ½(${stiff}x₀² + x₁²) at T = 1; ULA's step and SGHMC's at γ = ${critical} set so that the stiff direction is sampled ${Math.round(100 * (bias - 1))}% too hot;`)
console.log(`${mixChains} chains started at x₁ = ±3, ${steps} steps, x₁ every ${thin} steps, the first tenth dropped; bulk ESS of x₁ per step (one gradient each).`)
console.log('The temperatures along x₀ and x₁ are the closed forms (ULA: 2/(2 − hλ); SGHMC: (1 + c)²/(2(1 + c) − λh²)); Var x₁ is measured.')
console.log('sampler            h        T along x₀  T along x₁  Var x₁   R-hat(x₁)  ESS of x₁ per step')
const ulaTemperature = (lambda: number) => diagnostics.effectiveTemperature(ulaStep, lambda)
const rows: [string, number, sampler.Kernel, (lambda: number) => number][] = [
  ['ULA', ulaStep, sampler.ula({ stepSize: ulaStep }), ulaTemperature],
  ...[critical, critical / 10, critical * 10].map((gamma): [string, number, sampler.Kernel, (lambda: number) => number] =>
    [`SGHMC γ = ${gamma}`, sghmcStep, sampler.sghmc({ stepSize: sghmcStep, friction: gamma }), (lambda) => lambda * closedForm(lambda, gamma, sghmcStep, 1).x]),
]
const ess: number[] = []
for (const [name, step, kernel, temperature] of rows) {
  const m = await mixing(kernel)
  ess.push(m.essPerStep)
  console.log(`${name.padEnd(17)}  ${step.toFixed(5)}  ${temperature(stiff).toFixed(3).padStart(10)}  ${temperature(soft).toFixed(3).padStart(10)}  ${m.v.toFixed(3).padStart(6)}  ${m.rhat.toFixed(3).padStart(10)}  ${m.essPerStep.toExponential(2).padStart(18)}`)
}
console.log(`at the same bias along x₀, SGHMC at γ = ${critical} mixes x₁ ${(ess[1] / ess[0]).toFixed(0)} times faster per gradient than ULA: ULA's step is bound by the stiff`)
console.log(`curvature (h·100 = ${(ulaStep * stiff).toFixed(3)}), so x₁ relaxes by a fraction ${ulaStep.toFixed(4)} a step, while momentum carries SGHMC along x₁.`)
const [coasting, damped] = [rows[2][3], rows[3][3]]
console.log(`With ten times less friction, ESS per step is ${(ess[2] / ess[1]).toFixed(2)} times critical damping's and the stiff direction is sampled at ${coasting(stiff).toFixed(3)}:`)
console.log('coasting chains swing from one side of x₁ to the other, and draws that alternate estimate the mean well (as antithetic')
console.log(`draws do). With ten times more, ${(ess[3] / ess[1]).toFixed(2)} times: the chains forget their momentum every step and diffuse, at the cold`)
console.log(`temperatures ${damped(stiff).toFixed(3)} and ${damped(soft).toFixed(3)} that part 1 found for a large γh.`)

/**
 * What the warmup specs share: rotated Gaussians of a chosen condition number with their exact draws, and
 * the draws of a runner step by step.
 */
import * as energy from '../../../src/energy/index.js'
import * as rng from '../../../src/rng/index.js'
import { essBulk } from '../../../src/diagnostics/index.js'
import * as sampler from '../../../src/sampler/index.js'
import { ksTwoSample } from '../../../src/testing/index.js'

/** The temperature the warmup specs sample at. */
export const T = 0.5

/** A Gaussian in D dimensions with precision eigenvalues from 1 to κ (geometric), rotated by a Householder reflection. */
export const rotated = (D: number, kappa: number) => {
  const lambda = Array.from({ length: D }, (_, k) => Math.pow(kappa, D === 1 ? 0 : k / (D - 1)))
  // R = I − 2vvᵀ/‖v‖² with v = (1, 2, …, D): orthogonal and mixing every pair of coordinates
  const v = Array.from({ length: D }, (_, i) => i + 1)
  const vv = v.reduce((s, x) => s + x * x, 0)
  const R = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv))
  const mean = Array.from({ length: D }, (_, i) => 0.5 - 0.1 * i)
  const precision = R.map((ri) => R.map((rj) => ri.reduce((s, rik, k) => s + rik * lambda[k] * rj[k], 0)))
  // n exact draws of exp(−E/T): μ + R·diag(√(T/λ))·z
  const exact = (n: number, seed: number): Float64Array => {
    const z = rng.normals(seed, 0, 0, D * n)
    const x = new Float64Array(D * n)
    for (let c = 0; c < n; c++) for (let i = 0; i < D; i++) {
      let s = mean[i]
      for (let k = 0; k < D; k++) s += R[i][k] * Math.sqrt(T / lambda[k]) * z[D * c + k]
      x[D * c + i] = s
    }
    return x
  }
  return { energy: energy.gaussian({ mean, precision }), exact, D }
}

/**
 * Draws [coordinate][chain][step] of `steps` steps of a runner, with its acceptance over them and the
 * leapfrog steps of its NUTS trees (0 without).
 */
export const collect = async (r: sampler.Runner, steps: number, seed: number) => {
  const { chains, dimension: D } = r.state
  const draws = Array.from({ length: D }, () => Array.from({ length: chains }, () => new Float64Array(steps)))
  let acceptance = 0
  let leapfrogs = 0
  for (let s = 0; s < steps; s++) {
    const stats = await r.run({ seed, from: s, to: s + 1 })
    acceptance += (stats.acceptanceRate ?? NaN) / steps
    leapfrogs += stats.trees === undefined ? 0 : stats.trees.meanLeapfrogSteps * stats.trees.transitions
    for (let c = 0; c < chains; c++) for (let j = 0; j < D; j++) draws[j][c][s] = r.state.position[c * D + j]
  }
  return { draws, acceptance, leapfrogs }
}

/** The mean of some numbers. */
export const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, x) => s + x, 0) / a.length

/** Target Gaussians of the exactness tests: condition numbers 1, 100 and 10⁴ in 2 dimensions, and 100 in 100. */
export const exactnessTargets = [
  { kappa: 1, target: rotated(2, 1) },
  { kappa: 100, target: rotated(2, 100) },
  { kappa: 1e4, target: rotated(2, 1e4) },
  { kappa: 100, target: rotated(100, 100) },
]

/**
 * The smallest KS p-value over coordinates of a kernel tuned by warmup (`w.kernel`) run 10 steps from n
 * fresh exact draws, against n other exact draws: the tuned kernel keeps exact draws exact.
 */
export const exactAfterWarmup = async (target: ReturnType<typeof rotated>, kernel: sampler.Kernel, seed: number): Promise<number> => {
  const n = target.D === 100 ? 1000 : 2000
  const r = sampler.runner(target.energy, kernel, { chains: n, init: target.exact(n, seed) })
  await r.run({ seed: seed + 10, from: 0, to: 10 })
  const truth = target.exact(n, seed + 20)
  const column = (x: ArrayLike<number>, j: number) => Float64Array.from({ length: n }, (_, c) => x[c * target.D + j])
  return Math.min(...Array.from({ length: target.D }, (_, j) => ksTwoSample(column(r.state.position, j), column(truth, j)).pValue))
}

/**
 * Bulk ESS (minimum over coordinates) per gradient of `kernel` tuned by warmup with a dense mass matrix,
 * on rotated 6-D Gaussians of condition numbers 1, 100 and 10⁴: 32 chains, `steps` draws each, gradients
 * counted from NUTS's trees or, without, `leapfrogSteps` a step.
 */
export const essPerGradient = async (kernel: sampler.Kernel, o: { readonly warmup: number; readonly steps: number; readonly seed: number; readonly leapfrogSteps: number }, comment: (s: string) => void): Promise<number[]> => {
  const rates: number[] = []
  for (const [i, kappa] of [1, 100, 1e4].entries()) {
    const target = rotated(6, kappa)
    const chains = 32
    const w = await sampler.warmup(target.energy, kernel, { chains, steps: o.warmup, seed: o.seed + i, massMatrix: 'dense', init: target.exact(chains, o.seed + 10 + i) })
    const { draws, leapfrogs } = await collect(sampler.runner(target.energy, w.kernel, { chains, init: w.positions }), o.steps, o.seed + 20 + i)
    const gradients = leapfrogs > 0 ? leapfrogs : chains * o.steps * o.leapfrogSteps
    const ess = Math.min(...draws.map((d) => essBulk(d)))
    rates.push(ess / gradients)
    comment(`κ = ${kappa}: bulk ESS ${ess.toFixed(0)} of ${gradients} gradients, h = ${w.stepSize.toFixed(3)}`)
  }
  return rates
}

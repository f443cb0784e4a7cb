/**
 * Exact targets for the statistical sampler specs (statistics-*.spec.ts) and the statistics that score
 * draws against them: a correlated Gaussian in three dimensions with its exact draws, the per-entry Monte
 * Carlo standard errors of its mean and covariance, and a double well with exact draws and the total
 * variation between a histogram and its exact bin probabilities.
 *
 * Every spec takes one draw per chain from many chains, each with its own random stream and its own
 * exact starting draw, so the draws are independent and identically distributed: the standard errors
 * below are those of i.i.d. draws, with no autocorrelation to estimate.
 */
import tap, { type Test } from 'tap'
import * as energy from '../../src/energy/index.js'
import * as grid from '../../src/energy/grid.js'
import * as rng from '../../src/rng/index.js'
import * as sampler from '../../src/sampler/index.js'

type Matrix = readonly (readonly number[])[]

/** The temperatures of every spec: away from T = 1, where a dropped or misplaced temperature is invisible. */
export const temperatures = [0.5, 2.5] as const

/** Where a spec runs its samplers, how many chains for how long, and the seed its streams start from. */
export interface Run {
  readonly backend: 'native' | 'reference'
  readonly dtype: 'float64' | 'float32'
  readonly chains: number
  readonly steps: number
  readonly seed: number
}

/** Why the native backend cannot run, or undefined when it can: found by running it (public API only). */
const nativeUnavailable = async (): Promise<string | undefined> => {
  try {
    await sampler.sample(correlatedGaussian, sampler.ula({ stepSize: 0.1 }), { chains: 1, steps: 1, seed: 0, backend: 'native' })
    return undefined
  } catch (e) {
    return (e as Error).message
  }
}

/**
 * One test per run, titled with its backend and dtype; those on the native backend are skipped, with the
 * reason, when it is not available.
 */
export const testEachRun = async (title: string, runs: readonly Run[], check: (t: Test, run: Run) => Promise<void>): Promise<void> => {
  const unavailable = await nativeUnavailable()
  for (const run of runs) {
    tap.test(`${title} (${run.backend}, ${run.dtype})`, { skip: run.backend === 'native' ? unavailable : false }, (t) => check(t, run))
  }
}

// R = I − 2vvᵀ with v = (1, 2, 2)/3: orthogonal, with rational entries, and mixing every pair of coordinates.
const rotation: Matrix = [[7, -4, -4], [-4, 1, -8], [-4, -8, 1]].map((row) => row.map((v) => v / 9))

/** The eigenvalues of the Gaussian's precision: a condition number of 8. */
export const eigenvalues = [0.5, 1.5, 4] as const

/** R·diag(f(λ₀), f(λ₁), f(λ₂))·Rᵀ: a function of the precision matrix, by its eigendecomposition. */
export const spectral = (f: (lambda: number) => number): number[][] =>
  rotation.map((ri) => rotation.map((rj) => eigenvalues.reduce((s, lambda, k) => s + ri[k] * f(lambda) * rj[k], 0)))

const mean = [1, -0.5, 0.25]

/** E(x) = ½(x − μ)ᵀP(x − μ) with the full precision P = R·diag(0.5, 1.5, 4)·Rᵀ and μ = (1, −0.5, 0.25). */
export const correlatedGaussian = energy.gaussian({ mean, precision: spectral((lambda) => lambda) })

/** The moments draws are scored against. */
export interface Moments {
  readonly mean: readonly number[]
  readonly covariance: Matrix
}

/** The exact moments of exp(−E/T) for the correlated Gaussian: mean μ and covariance T·P⁻¹. */
export const gaussianMoments = (T: number): Moments => ({ mean, covariance: spectral((lambda) => T / lambda) })

/**
 * n exact draws of exp(−E/T) for the correlated Gaussian, row-major [n × 3]: μ + R·diag(√(T/λ))·z, from
 * a seed no chain uses, so that chains started there are at stationarity from their first step.
 */
export const gaussianDraws = (T: number, n: number, seed: number): Float64Array => {
  const z = rng.normals(seed, 0, 0, 3 * n)
  const x = new Float64Array(3 * n)
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < 3; i++) {
      let s = mean[i]
      for (let k = 0; k < 3; k++) s += rotation[i][k] * Math.sqrt(T / eigenvalues[k]) * z[3 * c + k]
      x[3 * c + i] = s
    }
  }
  return x
}

/** One estimate against its truth, in units of its Monte Carlo standard error. */
interface Discrepancy {
  readonly what: string
  readonly estimate: number
  readonly truth: number
  readonly mcse: number
}

const zScore = (d: Discrepancy): number => Math.abs(d.estimate - d.truth) / d.mcse

/**
 * The sample mean of every coordinate of n i.i.d. draws against the truth. Its MCSE is √(Σᵢᵢ/n).
 */
const meanDiscrepancies = (xs: Float64Array, m: Moments): Discrepancy[] => {
  const D = m.mean.length
  const n = xs.length / D
  return m.mean.map((mu, i) => {
    let s = 0
    for (let c = 0; c < n; c++) s += xs[c * D + i]
    return { what: `mean[${i}]`, estimate: s / n, truth: mu, mcse: Math.sqrt(m.covariance[i][i] / n) }
  })
}

/**
 * Every entry of the covariance about the known mean, (1/n)·Σ(xᵢ − μᵢ)(xⱼ − μⱼ), against the truth. For
 * Gaussian draws Var((xᵢ − μᵢ)(xⱼ − μⱼ)) = ΣᵢᵢΣⱼⱼ + Σᵢⱼ² (Isserlis), so the MCSE is √((ΣᵢᵢΣⱼⱼ + Σᵢⱼ²)/n).
 */
const covarianceDiscrepancies = (xs: Float64Array, m: Moments): Discrepancy[] => {
  const D = m.mean.length
  const n = xs.length / D
  const S = m.covariance
  const out: Discrepancy[] = []
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      let s = 0
      for (let c = 0; c < n; c++) s += (xs[c * D + i] - m.mean[i]) * (xs[c * D + j] - m.mean[j])
      out.push({ what: `cov[${i}][${j}]`, estimate: s / n, truth: S[i][j], mcse: Math.sqrt((S[i][i] * S[j][j] + S[i][j] ** 2) / n) })
    }
  }
  return out
}

/** The discrepancy farthest from its truth in MCSE, and how far. */
const worst = (ds: readonly Discrepancy[]): { readonly z: number; readonly message: string } => {
  const d = ds.reduce((a, b) => (zScore(b) > zScore(a) ? b : a))
  return { z: zScore(d), message: `worst ${d.what} = ${d.estimate.toFixed(4)} vs ${d.truth.toFixed(4)} (${zScore(d).toFixed(2)} MCSE of ${d.mcse.toExponential(2)})` }
}

/** Asserts that the mean vector and every covariance entry of the draws are within 4 MCSE of the truth. */
export const expectMoments = (t: Test, xs: Float64Array, truth: Moments, where: string): void => {
  const m = worst(meanDiscrepancies(xs, truth))
  const c = worst(covarianceDiscrepancies(xs, truth))
  t.ok(m.z < 4, `${where}: mean within 4 MCSE: ${m.message}`)
  t.ok(c.z < 4, `${where}: covariance within 4 MCSE: ${c.message}`)
}

/** The double well of the specs: E = x₀⁴ − 2x₀² + ½x₁² (energy.doubleWell with dim 2), minima at x₀ = ±1. */
export const doubleWell = energy.doubleWell({ dim: 2 })

// |x₀| ≤ 3 holds all but e^(−(81 − 18 + 1)/T)-small mass of x₀ at T ≤ 2.5 (below 1e-11): draws of x₀ are
// made by rejection on that interval, and the histogram covers it.
const wellReach = 3

/**
 * n exact draws of exp(−E/T) for the double well, row-major [n × 2]: x₀ by rejection from the uniform on
 * [−3, 3] (accepted with probability exp(−(E(x₀) − E_min)/T), E_min = −1), x₁ ~ N(0, T).
 */
export const doubleWellDraws = (T: number, n: number, seed: number): Float64Array => {
  const x = new Float64Array(2 * n)
  const z = rng.normals(seed, 1, 0, n)
  let draw = 0
  for (let c = 0; c < n; c++) {
    for (;;) {
      const [u, v] = rng.uniforms(seed, 0, draw, 2)
      draw += 2
      const x0 = wellReach * (2 * u - 1)
      if (v < Math.exp(-(x0 ** 4 - 2 * x0 ** 2 + 1) / T)) {
        x[2 * c] = x0
        break
      }
    }
    x[2 * c + 1] = Math.sqrt(T) * z[c]
  }
  return x
}

/** The histogram grid of the double well at T: 16 × 16 cells over |x₀| ≤ 3 and |x₁| ≤ 5.5·√T. */
export const doubleWellBins = (T: number): grid.GridSpec => ({
  bounds: [[-wellReach, wellReach], [-5.5 * Math.sqrt(T), 5.5 * Math.sqrt(T)]],
  n: 16,
})

/**
 * The exact probability of every cell of the 2-D grid `spec` under exp(−E/T): the density of grid.tabulate on a grid
 * `refine` times finer per axis, summed over the fine cells of each cell (the midpoint rule on the fine
 * cells, whose error is far below a histogram's sampling error).
 */
export const binProbabilities = (e: energy.Energy, T: number, spec: grid.GridSpec, refine: number): Float64Array => {
  const fine = grid.tabulate(energy.temper(T)(e), { bounds: spec.bounds, n: spec.n * refine })
  const n = spec.n
  const fn = n * refine
  const p = new Float64Array(n * n)
  for (let i = 0; i < fn; i++) {
    for (let j = 0; j < fn; j++) p[Math.floor(i / refine) * n + Math.floor(j / refine)] += fine.density[i * fn + j] * fine.cellVolume
  }
  return p
}

/**
 * The total variation between the draws' histogram on `spec` and the exact cell probabilities:
 * ½(Σₖ|countₖ/n − pₖ| + outside/n), the draws outside the bounds counted as mass the target does not have
 * there (its mass outside is below 1e-7 on the bounds of doubleWellBins).
 */
export const totalVariation = (points: Float64Array, spec: grid.GridSpec, p: Float64Array): number => {
  const n = points.length / spec.bounds.length
  const h = grid.histogram(points, spec)
  const inside = n - (h.outside ?? 0)
  let s = (h.outside ?? 0) / n
  for (let k = 0; k < p.length; k++) s += Math.abs((h.density[k] * h.cellVolume * inside) / n - p[k])
  return s / 2
}

/**
 * The largest total variation that n i.i.d. draws from the exact law reach with probability above α:
 * E[TV] ≤ ½Σₖ√(pₖ(1 − pₖ)/n) (Jensen: E|p̂ₖ − pₖ| ≤ sd(p̂ₖ)), and moving one draw changes TV by at most
 * 1/n, so by McDiarmid's inequality P(TV ≥ E[TV] + ε) ≤ exp(−2nε²), i.e. ε = √(ln(1/α)/(2n)).
 */
export const totalVariationBound = (p: Float64Array, n: number, alpha: number): number => {
  let s = 0
  for (const pk of p) s += Math.sqrt((pk * (1 - pk)) / n)
  return s / 2 + Math.sqrt(Math.log(1 / alpha) / (2 * n))
}

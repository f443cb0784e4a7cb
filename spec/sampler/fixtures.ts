/**
 * Shared fixtures of the sampler tests: quadratic energies, exact Gaussian draws, variance and
 * Kolmogorov–Smirnov statistics.
 */
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as rng from '../../src/rng/index.js'

/** E(x) = a·‖x‖²/2 on `dimension` coordinates: N(0, T/a) at temperature T. */
export const quadratic = (a: number, dimension: number) =>
  energy.define({ name: 'quadratic', shape: [dimension], build: (x) => ir.mul(ir.sum(ir.square(x), 1), a / 2) })

/**
 * E = ½ xᵢᵀ C xᵢ with C = I + 0.01·XᵀX/B built from all chains: an energy that couples the chains (no
 * chain's gradient is its own), which the native executor may not evaluate a few rows at a time and whose
 * matmul operand changes with x every step.
 */
export const coupled = energy.define({
  name: 'coupled',
  shape: [2],
  build: (x) => {
    const B = x.shape[0]
    const C = ir.add(ir.constant([1, 0, 0, 1], [2, 2]), ir.mul(ir.matmul(ir.transpose(x), x), 0.01 / B))
    return ir.mul(ir.sum(ir.mul(ir.matmul(x, C), x), 1), 0.5)
  },
})

/** n exact draws of N(0, variance), from a seed no sampler test uses for its chains. */
export const gaussianDraws = (n: number, variance: number, seed = 987654321): Float64Array =>
  rng.normals(seed, 0, 0, n).map((z) => z * Math.sqrt(variance))

/** Mean of x² (the variance about the known mean 0). */
export const meanSquare = (xs: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < xs.length; i++) s += xs[i] * xs[i]
  return s / xs.length
}

/** Standard normal CDF via erfc (W. J. Cody's rational approximations are overkill here: 1e-7 is ample for KS at n ≤ 1e5). */
const normalCdf = (z: number): number => {
  // Abramowitz & Stegun 7.1.26, absolute error < 1.5e-7.
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * x)
  const y = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x)
  return z >= 0 ? 1 - y / 2 : y / 2
}

/** The Kolmogorov–Smirnov distance between the sample and N(0, variance). */
export const ksDistance = (xs: ArrayLike<number>, variance: number): number => {
  const sorted = Float64Array.from(xs).sort()
  const n = sorted.length
  const sd = Math.sqrt(variance)
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = normalCdf(sorted[i] / sd)
    d = Math.max(d, f - i / n, (i + 1) / n - f)
  }
  return d
}

/** The asymptotic KS critical value at alpha = 0.001: √(−ln(α/2)/2)/√n = 1.9495/√n. */
export const ksCritical = (n: number): number => Math.sqrt(-Math.log(0.001 / 2) / 2) / Math.sqrt(n)

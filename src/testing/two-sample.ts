/**
 * Two-sample tests of "x and y are draws of one law": Kolmogorov–Smirnov on one coordinate (exact p-value
 * by counting lattice paths, asymptotic for large samples) and the energy distance on the joint law
 * (p-value by permutations).
 *
 * @module
 */
import { draws } from '../backend/index.js'
import * as check from '../check/index.js'
import * as rng from '../rng/index.js'

/** A statistic and its p-value. */
export interface TwoSample {
  readonly statistic: number
  readonly pValue: number
}

/** Above this many lattice cells (n·m) the KS p-value is the asymptotic one. */
export const exactCells = 4_000_000

const ascending = (a: Float64Array): Float64Array => Float64Array.from(a).sort()

// A sample checked: finite numbers (a NaN never equals itself, and the merge of the two orders waited for
// it forever), at least one row of `dimension` values.
const sampleOf = (v: unknown, where: string, dimension = 1): Float64Array => {
  const a = check.numbers(v, where)
  if (a.length === 0 || a.length % dimension !== 0) throw check.rangeError(where, `whole rows of ${dimension} value${dimension === 1 ? '' : 's'}, at least one`, v)
  return a
}

/** The most rows {@link energyDistance} pools: it holds the distance of every pair (8192 rows: 256 MB). */
export const maxPooledRows = 8192

/** k = max over the merged order of |i·m − j·n| (the statistic D = k/(n·m), in integers so ties are exact). */
const ksNumerator = (x: Float64Array, y: Float64Array): number => {
  const n = x.length
  const m = y.length
  let i = 0
  let j = 0
  let k = 0
  while (i < n || j < m) {
    const v = i < n && (j >= m || x[i] <= y[j]) ? x[i] : y[j]
    while (i < n && x[i] === v) i++
    while (j < m && y[j] === v) j++
    k = Math.max(k, Math.abs(i * m - j * n))
  }
  return k
}

/**
 * P(D ≥ k/(nm)) under the null, exactly: the fraction of the C(n+m, n) monotone lattice paths from (0, 0)
 * to (n, m) that reach |i·m − j·n| ≥ k. u(i, j), the fraction of paths to (i, j) that stay inside, obeys
 * u(i, j) = (i·u(i−1, j) + j·u(i, j−1))/(i + j), which never overflows (Hodges 1958).
 */
const ksExact = (n: number, m: number, k: number): number => {
  const u = new Float64Array(m + 1)
  for (let j = 0; j <= m; j++) u[j] = j * n < k ? 1 : 0
  for (let i = 1; i <= n; i++) {
    u[0] = i * m < k ? u[0] : 0
    for (let j = 1; j <= m; j++) u[j] = Math.abs(i * m - j * n) < k ? (i * u[j] + j * u[j - 1]) / (i + j) : 0
  }
  return Math.min(1, Math.max(0, 1 - u[m]))
}

/**
 * Kolmogorov's tail Q(λ) = 2Σ(−1)^(k−1)·exp(−2k²λ²), the limit of P(√(nm/(n+m))·D > λ).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { kolmogorovTail } from './two-sample.js'
 * assert.ok(Math.abs(kolmogorovTail(1.3581) - 0.05) < 1e-4) // the 5% point
 */
export const kolmogorovTail = (lambda: number): number => {
  if (lambda < 0.2) return 1
  let s = 0
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda)
    s += (k % 2 === 1 ? 2 : -2) * term
    if (term < 1e-17) break
  }
  return Math.min(1, Math.max(0, s))
}

/**
 * The two-sample Kolmogorov–Smirnov test: D = sup|F_x − F_y| and P(D ≥ observed) under the null, exact
 * for n·m ≤ 4·10⁶ (counting lattice paths) and otherwise Kolmogorov's limit with Stephens' correction
 * λ = (√e + 0.12 + 0.11/√e)·D, e = nm/(n + m).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ksTwoSample } from './two-sample.js'
 * const r = ksTwoSample([1, 2, 3], [4, 5, 6])
 * assert.equal(r.statistic, 1)
 * assert.ok(Math.abs(r.pValue - 0.1) < 1e-12) // 2 of the C(6, 3) = 20 orders are as extreme
 */
export const ksTwoSample = (x: ArrayLike<number>, y: ArrayLike<number>): TwoSample => {
  const xs = ascending(sampleOf(x, 'ksTwoSample: x'))
  const ys = ascending(sampleOf(y, 'ksTwoSample: y'))
  const n = xs.length
  const m = ys.length
  const k = ksNumerator(xs, ys)
  const statistic = k / (n * m)
  if (n * m <= exactCells) return { statistic, pValue: ksExact(n, m, k) }
  const e = Math.sqrt((n * m) / (n + m))
  return { statistic, pValue: kolmogorovTail((e + 0.12 + 0.11 / e) * statistic) }
}

/** The Euclidean distances of every pair of the pooled rows (upper triangle, row by row). */
const pairDistances = (pooled: Float64Array, count: number, D: number): Float64Array => {
  const d = new Float64Array((count * (count - 1)) / 2)
  let at = 0
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      let s = 0
      for (let k = 0; k < D; k++) {
        const t = pooled[a * D + k] - pooled[b * D + k]
        s += t * t
      }
      d[at++] = Math.sqrt(s)
    }
  }
  return d
}

/** The pooled pairs' distances with what every labelling shares: their total and each row's sum. */
interface Pairs {
  readonly d: Float64Array
  readonly count: number
  readonly total: number
  readonly rowSums: Float64Array
}

const pairsOf = (pooled: Float64Array, count: number, D: number): Pairs => {
  const d = pairDistances(pooled, count, D)
  const rowSums = new Float64Array(count)
  let total = 0
  let at = 0
  for (let a = 0; a < count; a++) {
    for (let b = a + 1; b < count; b++) {
      rowSums[a] += d[at]
      rowSums[b] += d[at]
      total += d[at++]
    }
  }
  return { d, count, total, rowSums }
}

/**
 * The energy distance 2·E|X−Y| − E|X−X′| − E|Y−Y′| of a labelling s (+1: the first sample, of size n; −1:
 * the second). With Q = Σ_{a<b} d_ab·s_a·s_b and L = Σ_a s_a·(row sum a), the within sums are
 * (S ± L + Q)/4 and the across sum (S − Q)/2: one branchless pass over the pairs per labelling.
 */
const energyOf = (p: Pairs, s: Float64Array, n: number, m: number): number => {
  const { d, count, total, rowSums } = p
  let Q = 0
  let L = 0
  let at = 0
  for (let a = 0; a < count; a++) {
    let t = 0
    for (let b = a + 1; b < count; b++) t += d[at++] * s[b]
    Q += s[a] * t
    L += s[a] * rowSums[a]
  }
  const within0 = (total + L + Q) / 4
  const within1 = (total - L + Q) / 4
  const across = (total - Q) / 2
  return (2 * across) / (n * m) - (2 * within0) / (n * n) - (2 * within1) / (m * m)
}

/**
 * Permutations stop once this many were as large as the observed statistic (Besag and Clifford 1991): the
 * p-value is then h/L ≥ 20/permutations, far above any level, and a kernel that passes costs ~20/p
 * permutations instead of all of them.
 */
export const sequentialStop = 20

/** Options of {@link energyDistance}. */
export interface EnergyDistanceOptions {
  /** Permutations of the pooled sample (default 999). */
  readonly permutations?: number
  /** The seed of the permutations' uniforms. */
  readonly seed?: number
  /** The random stream of the permutations' uniforms (default 0). */
  readonly stream?: number
}

/**
 * The energy distance between two samples of D-dimensional rows (Székely and Rizzo 2004), zero only for
 * equal laws, and its permutation p-value (1 + #{permuted ≥ observed})/(1 + permutations), which is exact
 * at any size: the smallest p-value it can give is 1/(1 + permutations). Permutations stop early, with
 * Besag and Clifford's sequential p-value h/L, once h = 20 of them reached the observed statistic.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energyDistance } from './two-sample.js'
 * import { draws } from '../backend/index.js'
import * as rng from '../rng/index.js'
 * const x = rng.normals(1, 0, 0, 200), y = rng.normals(1, 1, 0, 200).map((v) => v + 1)
 * assert.ok(energyDistance(x, y, 2, { permutations: 99, seed: 1 }).pValue === 0.01) // shifted by one sd in 2-D: no permutation comes close
 */
export const energyDistance = (xs: ArrayLike<number>, ys: ArrayLike<number>, dimension: number, options: EnergyDistanceOptions = {}): TwoSample => {
  const where = 'energyDistance'
  check.positiveInteger(dimension, `${where}: dimension`)
  const x = sampleOf(xs, `${where}: x`, dimension)
  const y = sampleOf(ys, `${where}: y`, dimension)
  const o = check.options<EnergyDistanceOptions>(options, `${where}: options`, ['permutations', 'seed', 'stream'])
  if (o.permutations !== undefined) check.positiveInteger(o.permutations, `${where}: permutations`)
  if (o.seed !== undefined) check.seed(o.seed, `${where}: seed`)
  if (o.stream !== undefined) check.seed(o.stream, `${where}: stream`)
  const n = x.length / dimension
  const m = y.length / dimension
  const count = n + m
  if (count > maxPooledRows) throw check.rangeError(`${where}: x, y`, `at most ${maxPooledRows} rows in all (the distance of every pair is held)`, count)
  const pooled = new Float64Array(x.length + y.length)
  pooled.set(x)
  pooled.set(y, x.length)
  const pairs = pairsOf(pooled, count, dimension)
  const labels = new Float64Array(count).fill(1).fill(-1, n)
  const statistic = energyOf(pairs, labels, n, m)
  const permutations = o.permutations ?? 999
  const shuffled = new Float64Array(count)
  let asLarge = 0
  let done = 0
  // Uniforms for a chunk of permutations at a time, from the addon's generator when it is built.
  const chunk = 50
  while (done < permutations && asLarge < sequentialStop) {
    const batch = Math.min(chunk, permutations - done)
    const u = draws('uniform', o.seed ?? 0, o.stream ?? 0, done * count, batch * count)
    for (let b = 0; b < batch && asLarge < sequentialStop; b++) {
      const order = rng.permutation(count, u.subarray(b * count, (b + 1) * count))
      for (let a = 0; a < count; a++) shuffled[a] = labels[order[a]]
      if (energyOf(pairs, shuffled, n, m) >= statistic - 1e-12 * Math.abs(statistic)) asLarge++
      done++
    }
  }
  // Besag and Clifford's sequential p-value: stopped after h exceedances in L permutations, h/L.
  return { statistic, pValue: asLarge >= sequentialStop ? asLarge / done : (1 + asLarge) / (1 + permutations) }
}

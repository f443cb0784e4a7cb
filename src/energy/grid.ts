/**
 * Exact evaluation of energies of one or two dimensions on a regular grid: log Z, the normalised density,
 * and distances between densities (forward and reverse KL, total variation), against another energy or a
 * histogram of data. This is what makes "maximum likelihood covers the modes, reverse KL seeks one"
 * measurable.
 *
 * The grid has `n` cells per axis over `bounds`; values are taken at the cell centres and integrals are
 * sums times the cell volume (the midpoint rule). For smooth densities that vanish at the bounds the
 * midpoint rule converges faster than any power of the cell width (for a Gaussian the error falls like
 * exp(−2π²σ²/h²)), so a fine grid over wide bounds gives log Z to rounding. Densities are normalised on
 * the grid: Σ density · cellVolume = 1.
 *
 * Cells are stored row-major with the first axis slowest: cell (i, j) of a 2-D grid is entry i·n + j, at
 * (centres[0][i], centres[1][j]).
 *
 * @module
 */
import { func, nonNegative, numbers, options as checkOptions, positiveInteger, rangeError, typeError } from '../check/index.js'
import { checkEnergy, type Energy, type Params } from './energy.js'
import { type AtOptions, energyAt } from './points.js'
import { paramValues } from './params.js'

/** [[lo, hi]] in one dimension, [[x0, x1], [y0, y1]] in two. */
export type Bounds = readonly (readonly [number, number])[]

/** Where a grid lies: bounds and cells per axis. */
export interface GridSpec {
  readonly bounds: Bounds
  readonly n: number
}

/** A density on a grid. */
export interface Grid {
  readonly bounds: Bounds
  readonly n: number
  /** The cell centres along each axis. */
  readonly centres: readonly Float64Array[]
  /** The area (2-D) or length (1-D) of one cell. */
  readonly cellVolume: number
  /** log of the normalised density at each cell centre (−∞ where it is 0). */
  readonly logDensity: Float64Array
  /** The normalised density at each cell centre. */
  readonly density: Float64Array
  /** log Z = log ∫ exp(−E) over the bounds (energies only). */
  readonly logZ?: number
  /** The energy at each cell centre (energies only). */
  readonly energies?: Float64Array
  /** Points that fell outside the bounds and were not counted (histograms only). */
  readonly outside?: number
}

// `more` names the options beyond the grid's own: a misspelt one is refused, not ignored.
const checkSpec = (spec: GridSpec, what: string, more: readonly string[]): { bounds: Bounds; n: number; centres: Float64Array[]; cellVolume: number } => {
  checkOptions(spec, `${what}: options`, ['bounds', 'n', ...more])
  const { bounds } = spec
  if (!Array.isArray(bounds)) throw typeError(`${what}: bounds`, '[[lo, hi]] or [[x0, x1], [y0, y1]]', bounds)
  if (bounds.length !== 1 && bounds.length !== 2) throw rangeError(`${what}: bounds`, '[[lo, hi]] or [[x0, x1], [y0, y1]]', bounds)
  bounds.forEach((b, a) => {
    const [lo, hi] = numbers(b, `${what}: bounds[${a}]`, { length: 2, lengthReason: 'bounds [lo, hi]' })
    if (!(lo < hi)) throw new RangeError(`${what}: bounds[${a}]: expected lo < hi, got [${lo}, ${hi}]`)
  })
  const n = positiveInteger(spec.n, `${what}: n`)
  if (n ** bounds.length > 2 ** 24) throw rangeError(`${what}: n`, `at most 2^24 cells in all (${n}^${bounds.length} is too many)`, n)
  const widths = bounds.map(([lo, hi]) => (hi - lo) / n)
  const centres = bounds.map(([lo], a) => Float64Array.from({ length: n }, (_v, i) => lo + (i + 0.5) * widths[a]))
  return { bounds: bounds.map(([lo, hi]) => [lo, hi] as const), n, centres, cellVolume: widths.reduce((v, w) => v * w, 1) }
}

const logSumExp = (a: Float64Array): number => {
  let m = -Infinity
  for (const v of a) if (v > m) m = v
  if (!Number.isFinite(m)) return m
  let s = 0
  for (const v of a) s += Math.exp(v - m)
  return m + Math.log(s)
}

// Energies per chunk of this many cells, so one compiled tape serves every grid size.
const chunk = 4096

/** Options of {@link tabulate}. */
export interface TabulateOptions extends GridSpec, AtOptions {
  /** Parameter values; `init(energy)` when omitted. */
  readonly params?: Params
}

/**
 * Evaluates an energy of one or two dimensions at every cell centre (with the reference executor, or the
 * native one with `backend: 'native'`) and
 * normalises: logDensity = −E − log Z, log Z = log Σ exp(−E)·cellVolume.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate } from './grid.js'
 * import { gaussian } from './index.js'
 * const g = tabulate(gaussian({ mean: [0] }), { bounds: [[-10, 10]], n: 200 })
 * assert.ok(Math.abs(g.logZ! - 0.5 * Math.log(2 * Math.PI)) < 1e-12) // ½ log 2π: the midpoint rule is exact to rounding here
 */
export const tabulate = (e: Energy, options: TabulateOptions): Grid => {
  const what = 'grid.tabulate'
  checkEnergy(e, `${what}: energy`)
  const spec = checkSpec(options, what, ['params', 'backend', 'threads', 'dtype'])
  const d = spec.bounds.length
  if (e.shape.length !== 1 || e.shape[0] !== d) throw new RangeError(`${what}: energy: expected an energy of shape [${d}] (bounds of ${d} axes), got '${e.name}' of shape [${e.shape.join(',')}]`)
  const params = paramValues(e, options.params, `${what}: params`)
  const cells = spec.n ** d
  const batch = Math.min(chunk, cells)
  const energies = new Float64Array(cells)
  const x = new Float64Array(batch * d)
  for (let start = 0; start < cells; start += batch) {
    const count = Math.min(batch, cells - start)
    for (let k = 0; k < batch; k++) {
      // Padding rows of the last chunk repeat its first cell; their energies are dropped.
      const cell = start + (k < count ? k : 0)
      if (d === 1) x[k] = spec.centres[0][cell]
      else {
        x[2 * k] = spec.centres[0][Math.floor(cell / spec.n)]
        x[2 * k + 1] = spec.centres[1][cell % spec.n]
      }
    }
    energies.set(energyAt(e, x, params, { backend: options.backend ?? 'reference', ...(options.threads === undefined ? {} : { threads: options.threads }), ...(options.dtype === undefined ? {} : { dtype: options.dtype }) }).subarray(0, count), start)
  }
  const index = energies.findIndex((v) => Number.isNaN(v) || v === -Infinity)
  if (index >= 0) throw rangeError(`${what}: energy at cell ${index}`, 'a number > −∞ and not NaN (a density needs one)', energies[index])
  const logUnnormalised = energies.map((v) => -v)
  const logZ = logSumExp(logUnnormalised) + Math.log(spec.cellVolume)
  if (!Number.isFinite(logZ)) throw rangeError(`${what}: log Z`, 'a finite number on these bounds (exp(−E) over- or underflows everywhere: shift or temper the energy)', logZ)
  const logDensity = logUnnormalised.map((v) => v - logZ)
  return { ...spec, logDensity, density: logDensity.map(Math.exp), logZ, energies }
}

/** Options of {@link histogram}. */
export interface HistogramOptions extends GridSpec {
  /** Added to every cell's count before normalising, so empty cells keep some mass. Default 0. */
  readonly pseudocount?: number
}

/**
 * The histogram of points as a density on a grid: count per cell / (points inside · cellVolume). Points
 * outside the bounds are left out and counted in `outside`. Points are rows or a flat array of
 * coordinates.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { histogram } from './grid.js'
 * const h = histogram([[0.1], [0.2], [0.9]], { bounds: [[0, 1]], n: 2 })
 * assert.deepEqual(Array.from(h.density), [1.3333333333333333, 0.6666666666666666])
 */
export const histogram = (points: ArrayLike<number> | readonly (readonly number[])[], options: HistogramOptions): Grid => {
  const what = 'grid.histogram'
  const spec = checkSpec(options, what, ['pseudocount'])
  const d = spec.bounds.length
  const pseudocount = nonNegative(options.pseudocount ?? 0, `${what}: pseudocount`)
  const rows = Array.isArray(points) && points.length > 0 && Array.isArray(points[0])
  const coordinates = { length: d, lengthReason: 'points in these bounds', finite: false }
  const flat = rows
    ? (points as readonly unknown[]).flatMap((r, i) => Array.from(numbers(r, `${what}: points[${i}]`, coordinates)))
    : numbers(points, `${what}: points`, { finite: false })
  if (flat.length % d !== 0) throw rangeError(`${what}: points`, `whole points of ${d} coordinates`, points)
  const counts = new Float64Array(spec.n ** d).fill(pseudocount)
  let inside = 0
  let outside = 0
  for (let p = 0; p < flat.length / d; p++) {
    let cell = 0
    let ok = true
    for (let a = 0; a < d; a++) {
      const v = flat[p * d + a]
      if (Number.isNaN(v)) throw rangeError(`${what}: points: point ${p}, coordinate ${a}`, 'a number, not NaN', v)
      const [lo, hi] = spec.bounds[a]
      const i = Math.floor(((v - lo) / (hi - lo)) * spec.n)
      if (!(v >= lo && v <= hi)) ok = false
      cell = cell * spec.n + Math.min(i, spec.n - 1)
    }
    if (ok) {
      counts[cell] += 1
      inside++
    } else outside++
  }
  const total = inside + pseudocount * counts.length
  if (total === 0) throw new RangeError(`${what}: points: expected at least one point inside the bounds ${JSON.stringify(spec.bounds)}, got none (${outside} outside)`)
  const density = counts.map((c) => c / (total * spec.cellVolume))
  return { ...spec, density, logDensity: density.map(Math.log), outside }
}

const checkGrid = (g: Grid, where: string): Grid => {
  if (typeof g !== 'object' || g === null || !(g.logDensity instanceof Float64Array)) throw typeError(where, 'a grid (from grid.tabulate or grid.histogram)', g)
  return g
}

const checkSameGrid = (p: Grid, q: Grid, what: string): void => {
  checkGrid(p, `${what}: p`)
  checkGrid(q, `${what}: q`)
  const same = p.n === q.n && p.bounds.length === q.bounds.length && p.bounds.every((b, a) => b[0] === q.bounds[a][0] && b[1] === q.bounds[a][1])
  if (!same) throw new RangeError(`${what}: q: expected the grid of p (bounds ${JSON.stringify(p.bounds)}, n = ${p.n}), got bounds ${JSON.stringify(q.bounds)}, n = ${q.n}`)
}

/**
 * KL(p‖q) = ∫ p log(p/q): cells where p = 0 add nothing; a cell with p > 0 and q = 0 makes it +∞.
 * KL(target‖model) is what maximum likelihood minimises (it punishes a model that misses a mode);
 * KL(model‖target) is what variational fits minimise (it punishes mass where the target has none).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate, kl } from './grid.js'
 * import { gaussian } from './index.js'
 * const spec = { bounds: [[-12, 12]] as [number, number][], n: 400 }
 * const divergence = kl(tabulate(gaussian({ mean: [0] }), spec), tabulate(gaussian({ mean: [1] }), spec))
 * assert.ok(Math.abs(divergence - 0.5) < 1e-9) // KL(N(0, 1)‖N(1, 1)) = ½(μ₀ − μ₁)²
 */
export const kl = (p: Grid, q: Grid): number => {
  checkSameGrid(p, q, 'grid.kl')
  let s = 0
  for (let k = 0; k < p.density.length; k++) {
    if (p.density[k] === 0) continue
    s += p.density[k] * (p.logDensity[k] - q.logDensity[k])
  }
  return s * p.cellVolume
}

/**
 * Total variation ½∫|p − q|, between 0 (equal) and 1 (disjoint).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { histogram, tv } from './grid.js'
 * const spec = { bounds: [[0, 1]] as [number, number][], n: 2 }
 * assert.equal(tv(histogram([[0.1]], spec), histogram([[0.9]], spec)), 1)
 */
export const tv = (p: Grid, q: Grid): number => {
  checkSameGrid(p, q, 'grid.tv')
  let s = 0
  for (let k = 0; k < p.density.length; k++) s += Math.abs(p.density[k] - q.density[k])
  return 0.5 * s * p.cellVolume
}

/**
 * The differential entropy −∫ p log p of a grid density.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate, entropy } from './grid.js'
 * import { gaussian } from './index.js'
 * const h = entropy(tabulate(gaussian({ mean: [0] }), { bounds: [[-10, 10]], n: 400 }))
 * assert.ok(Math.abs(h - 0.5 * Math.log(2 * Math.PI * Math.E)) < 1e-9) // ½ log 2πe
 */
export const entropy = (p: Grid): number => {
  checkGrid(p, 'grid.entropy: p')
  let s = 0
  for (let k = 0; k < p.density.length; k++) if (p.density[k] > 0) s -= p.density[k] * p.logDensity[k]
  return s * p.cellVolume
}

/**
 * The expectation of f under the density, Σ f(centre)·density·cellVolume over the cells (the midpoint
 * rule): E[x], E[x²], … of an energy's Boltzmann distribution, to compare with a sampler's averages.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate, expectation } from './grid.js'
 * import { gaussian } from './index.js'
 * const p = tabulate(gaussian({ mean: [1], precision: [[4]] }), { bounds: [[-4, 6]], n: 1000 })
 * assert.ok(Math.abs(expectation(p, ([x]) => x) - 1) < 1e-9)
 * assert.ok(Math.abs(expectation(p, ([x]) => x * x) - 1.25) < 1e-9) // mean² + variance 1/4
 */
export const expectation = (p: Grid, f: (point: readonly number[]) => number): number => {
  checkGrid(p, 'grid.expectation: p')
  func(f, 'grid.expectation: f')
  let s = 0
  const n = p.n
  for (let k = 0; k < p.density.length; k++) {
    const point = p.centres.length === 1 ? [p.centres[0][k]] : [p.centres[0][Math.floor(k / n)], p.centres[1][k % n]]
    s += f(point) * p.density[k]
  }
  return s * p.cellVolume
}

/**
 * The probability mass of the cells whose centre satisfies `where` (given the centre's coordinates).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate, mass } from './grid.js'
 * import { doubleWell } from './index.js'
 * const right = mass(tabulate(doubleWell(), { bounds: [[-3, 3]], n: 600 }), ([x]) => x > 0)
 * assert.ok(Math.abs(right - 0.5) < 1e-12) // the wells are symmetric
 */
export const mass = (p: Grid, where: (point: readonly number[]) => boolean): number => {
  func(where, 'grid.mass: where')
  return expectation(p, (point) => (where(point) ? 1 : 0))
}

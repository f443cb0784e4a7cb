/**
 * The long-run probe: what a trained model's own long-run chains find. A model trained with short-run
 * chains can be a good short-run sampler and a bad density (Nijkamp et al. 2019, 2020): far from the data
 * its energy may fall into low, narrow regions, ravines, that the short chains of training never reached
 * and so never pushed up. Only long chains find them. The probe runs long chains of a sampler from data and
 * from noise and compares the energies they reach with the data's: the mean and quantiles of E over the
 * data and over each set of chains, and the fraction of chains that end below the data's 1% quantile of
 * E. On a model whose long-run distribution is the data's, that fraction is 1%; a ravine raises it. On 2-D
 * (and 1-D) models it also histograms the second half of the chains on a grid and reports KL(long run ‖
 * data density) and KL(long run ‖ the model's own exp(−E)/Z): the first says whether the chains stay where
 * the data are, the second whether they have reached the model's equilibrium.
 *
 * @module
 */
import { type Backend, type Dtype } from '../backend/index.js'
import { abortSignal, integer, numbers, object, options as checkOptions, positiveInteger, rangeError, seed as checkSeed, typeError, firstNonFinite } from '../check/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import { energyAt as energiesAt } from '../energy/points.js'
import { tabulate as onGrid, type Grid, type GridSpec } from '../energy/grid.js'
import * as ir from '../ir/index.js'
import { checkKernel, checkRun, execute, type Kernel, mala, type SampleSnapshot } from '../sampler/index.js'
import { checkExecution } from './loss.js'
import { drawInit } from './negative-phase.js'
import { type ChainInit, chainInit } from './negatives.js'
import { startingParams } from './params.js'
import { energyQuantile, fractionBelow, histogramKL, type EnergySummary, type HistogramKL, summariseEnergies } from './probe-summary.js'
import { derivedSeed, permutation, purposes } from './random.js'

/** The probe's default sampler: MALA with step size 0.01 (proposals of about √(2·0.01) ≈ 0.14 per coordinate, for data at unit scale). */
export const probeKernel: Kernel = mala({ stepSize: 0.01 })

/** Options of {@link longRunProbe}. */
export interface LongRunProbeOptions {
  /** The data the model was trained on, row-major: n rows of the energy's size. */
  readonly data: ArrayLike<number>
  /** The seed of every draw: an integer in [0, 2^53). */
  readonly seed: number
  /** Default {@link probeKernel}, MALA with step size 0.01. */
  readonly kernel?: Kernel
  /** Steps of every chain; default 10,000. */
  readonly steps?: number
  /** Chains from data, and as many from noise; default 500, or the data's rows when fewer. */
  readonly chains?: number
  /** Where the chains from noise start; default uniform on [min, max] of the data's coordinates. */
  readonly noise?: ChainInit
  /** The trace's snapshots, every `thin` steps; default steps / 100. */
  readonly thin?: number
  /** A chain ending below this quantile of the data's energies is in a ravine; default 0.01. */
  readonly ravineQuantile?: number
  /** Models of 1 or 2 dimensions: the grid of the KL divergences; default the target's grid. */
  readonly grid?: GridSpec
  /** The data density on the grid: a grid (grid.tabulate, grid.histogram) or an energy; without it only the model's KL is given. */
  readonly target?: Grid | Energy
  /** Default 'auto' (native when built); the data's energies are evaluated by the reference executor. */
  readonly backend?: Backend
  readonly dtype?: Dtype
  readonly threads?: number
  /** Aborting stops the chains between steps; the promise rejects with an AbortError. */
  readonly signal?: AbortSignal
}

/** What one set of long-run chains reached. */
export interface LongRun {
  /** The final energies of the finite chains. */
  readonly energies: EnergySummary
  /** The fraction of finite chains whose final energy is below the data's `ravineQuantile` quantile. */
  readonly ravines: number
  /** Chains that became non-finite (left out of everything else). */
  readonly nonFinite: number
  /** Final positions, row-major [chains × D]. */
  readonly positions: Float64Array
  /** Final energy of every chain. */
  readonly finalEnergies: Float64Array
  /** Mean E of the finite chains at every snapshot (steps in {@link LongRunProbe.snapshots}). */
  readonly trace: Float64Array
  /** KL divergences of the histogram of the second half of the run (snapshots after step steps/2); null without a grid. */
  readonly kl: HistogramKL | null
}

/** What {@link longRunProbe} resolves to. */
export interface LongRunProbe {
  readonly steps: number
  /** The steps of the trace's snapshots. */
  readonly snapshots: readonly number[]
  /** The energies of the data. */
  readonly data: EnergySummary
  readonly ravineQuantile: number
  /** The data's `ravineQuantile` quantile of E. */
  readonly threshold: number
  /** Over every chain and step; null for kernels without a Metropolis test. */
  readonly acceptanceRate: number | null
  readonly fromData: LongRun
  readonly fromNoise: LongRun
}

const where = 'train.longRunProbe'

const optionNames = ['data', 'seed', 'kernel', 'steps', 'chains', 'noise', 'thin', 'ravineQuantile', 'grid', 'target', 'backend', 'dtype', 'threads', 'signal']

const checkData = (e: Energy, v: unknown): Float64Array => {
  const x = numbers(v, `${where}: data`)
  const D = ir.size(e.shape)
  if (x.length === 0 || x.length % D !== 0) throw rangeError(`${where}: data`, `row-major rows of ${D} numbers (energy '${e.name}' takes shape ${ir.showShape(e.shape)})`, v)
  return x
}

const openUnit = (v: unknown, at: string): number => {
  if (typeof v !== 'number') throw typeError(at, 'a number in (0, 1)', v)
  if (!(v > 0 && v < 1)) throw rangeError(at, 'a number in (0, 1)', v)
  return v
}

/** Uniform on [min, max] of every coordinate of the data. */
const dataBox = (x: Float64Array): ChainInit => {
  const low = x.reduce((m, v) => Math.min(m, v), Infinity)
  const high = x.reduce((m, v) => Math.max(m, v), -Infinity)
  return high > low ? { kind: 'uniform', low, high } : { kind: 'normal', mean: low, std: 1 }
}

const isGrid = (v: unknown): v is Grid => typeof v === 'object' && v !== null && (v as Grid).logDensity instanceof Float64Array

/** The model's density on the grid and the data's (when given), or null when neither grid nor target is. */
const grids = (e: Energy, o: Readonly<Record<string, unknown>>, params: Readonly<Record<string, Float64Array>>): { model: Grid; data: Grid | null } | null => {
  if (o.grid === undefined && o.target === undefined) return null
  if (e.shape.length !== 1 || e.shape[0] > 2) throw rangeError(`${where}: grid`, 'a model of 1 or 2 dimensions for the grid KL', `energy '${e.name}' of shape ${ir.showShape(e.shape)}`)
  const target = o.target
  if (target !== undefined && !isGrid(target) && !isEnergy(target)) throw typeError(`${where}: target`, 'a grid (grid.tabulate, grid.histogram) or an Energy', target)
  const spec = (o.grid ?? (isGrid(target) ? { bounds: target.bounds, n: target.n } : undefined)) as GridSpec | undefined
  if (spec === undefined) throw typeError(`${where}: grid`, '{ bounds, n } to evaluate the target energy on', undefined)
  const model = onGrid(e, { bounds: spec.bounds, n: spec.n, params })
  if (isGrid(target) && !(target.n === model.n && target.bounds.length === model.bounds.length && target.bounds.every(([lo, hi], a) => lo === model.bounds[a][0] && hi === model.bounds[a][1]))) {
    throw rangeError(`${where}: target`, `a grid on bounds ${JSON.stringify(model.bounds)} with n = ${model.n} (the grid option's)`, `bounds ${JSON.stringify(target.bounds)} with n = ${target.n}`)
  }
  const data = target === undefined ? null : isGrid(target) ? target : onGrid(target, spec)
  return { model, data }
}

/** The first `chains` rows of a random order of the data (cycling when there are more chains than rows). */
const dataStarts = (x: Float64Array, D: number, chains: number, seed: number): Float64Array => {
  const n = x.length / D
  const order = permutation(seed, 0, n)
  const out = new Float64Array(chains * D)
  for (let c = 0; c < chains; c++) out.set(x.subarray(order[c % n] * D, (order[c % n] + 1) * D), c * D)
  return out
}

const rowFinite = (x: Float64Array, c: number, D: number): boolean => x.subarray(c * D, (c + 1) * D).every(Number.isFinite)

/** The finite entries of `energies[from … from + count)` whose rows are finite too. */
const finiteEnergies = (energies: Float64Array, positions: Float64Array, from: number, count: number, D: number): Float64Array =>
  Float64Array.from({ length: count }, (_v, i) => from + i).filter((c) => Number.isFinite(energies[c]) && rowFinite(positions, c, D)).map((c) => energies[c])

/** The finite rows of x. */
const finiteRows = (x: Float64Array, D: number): Float64Array => {
  const rows = Array.from({ length: x.length / D }, (_v, c) => c).filter((c) => rowFinite(x, c, D))
  const out = new Float64Array(rows.length * D)
  rows.forEach((c, i) => out.set(x.subarray(c * D, (c + 1) * D), i * D))
  return out
}

/** The rows of chains [from, from + count) of every snapshot, one after another. */
const pooledRows = (snapshots: readonly Float64Array[], from: number, count: number, D: number): Float64Array => {
  const out = new Float64Array(snapshots.length * count * D)
  snapshots.forEach((s, k) => out.set(s.subarray(from * D, (from + count) * D), k * count * D))
  return out
}

/**
 * Runs long chains of `kernel` on a trained model, `chains` from rows of the data and `chains` from
 * noise, and compares the energies they reach with the data's. Everything random comes from `seed`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { normals } from '../rng/index.js'
 * import { longRunProbe } from './probe.js'
 * // A model that is the data's distribution, N(0, I): E over the data and over long-run chains is
 * // ½χ²₂, an exponential of mean 1, so about 1% of the chains end below the data's 1% quantile.
 * const data = normals(1, 0, 0, 4000)
 * const probe = await longRunProbe(quadratic({ center: [0, 0] }), { theta: [0, 0] }, { data, seed: 2, steps: 200, chains: 400 })
 * assert.ok(Math.abs(probe.data.mean - 1) < 0.1)
 * assert.ok(Math.abs(probe.fromNoise.energies.mean - 1) < 0.25)
 * assert.ok(probe.fromNoise.ravines < 0.05)
 */
export const longRunProbe = async (e: Energy, params: Readonly<Record<string, ArrayLike<number>>>, options: LongRunProbeOptions): Promise<LongRunProbe> => {
  if (!isEnergy(e)) throw typeError(`${where}: energy`, 'an Energy value (built by energy.define or the catalogue)', e)
  const o = checkOptions(object(options, `${where}: options`), `${where}: options`, optionNames)
  const D = ir.size(e.shape)
  const x = checkData(e, o.data)
  const seed = checkSeed(o.seed, `${where}: seed`)
  const kernel = o.kernel === undefined ? probeKernel : checkKernel(o.kernel, `${where}: kernel`)
  const steps = positiveInteger(o.steps ?? 10000, `${where}: steps`)
  const chains = positiveInteger(o.chains ?? Math.min(500, x.length / D), `${where}: chains`)
  const thin = integer(o.thin ?? Math.max(1, Math.floor(steps / 100)), `${where}: thin`, { min: 1 })
  const ravineQuantile = openUnit(o.ravineQuantile ?? 0.01, `${where}: ravineQuantile`)
  const noise = o.noise === undefined ? dataBox(x) : chainInit(o.noise, `${where}: noise`)
  const execution = checkExecution(o, where)
  const signal = abortSignal(o.signal, `${where}: signal`)
  const theta = startingParams(e, params, Object.fromEntries(Object.entries(e.params).map(([n, s]) => [n, s.shape])), seed, where)
  const density = grids(e, o, theta)

  const dataEnergies = energiesAt(e, x, theta)
  const bad = firstNonFinite(dataEnergies)
  if (bad >= 0) throw rangeError(`${where}: the energy of data row ${bad}`, 'a finite number', dataEnergies[bad])
  const threshold = energyQuantile(dataEnergies, ravineQuantile)

  const key = { seed, step: 0 }
  const start = new Float64Array(2 * chains * D)
  start.set(dataStarts(x, D, chains, seed))
  start.set(drawInit(noise, chains * D, key, purposes.init), chains * D)
  const run = checkRun(e, kernel, { chains: 2 * chains, steps, seed: derivedSeed(key, purposes.sampler), init: start, params: theta, ...execution, thin })
  const snapshots: number[] = []
  const traces: [number[], number[]] = [[], []]
  const late: Float64Array[] = []
  const onSnapshot = (s: SampleSnapshot): void => {
    snapshots.push(s.step)
    for (const g of [0, 1] as const) traces[g].push(summariseEnergies(finiteEnergies(s.energies, s.positions, g * chains, chains, D)).mean)
    if (density !== null && 2 * s.step > steps) late.push(s.positions)
  }
  const result = await execute(run, { onSnapshot, ...(signal === undefined ? {} : { signal }) })

  const longRun = (g: 0 | 1): LongRun => {
    const finals = finiteEnergies(result.energies, result.positions, g * chains, chains, D)
    return {
      energies: summariseEnergies(finals),
      ravines: fractionBelow(finals, threshold),
      nonFinite: chains - finals.length,
      positions: result.positions.slice(g * chains * D, (g + 1) * chains * D),
      finalEnergies: result.energies.slice(g * chains, (g + 1) * chains),
      trace: Float64Array.from(traces[g]),
      kl: density === null ? null : histogramKL(finiteRows(pooledRows(late, g * chains, chains, D), D), density.model, density.data),
    }
  }
  return { steps, snapshots, data: summariseEnergies(dataEnergies), ravineQuantile, threshold, acceptanceRate: result.statistics.acceptanceRate, fromData: longRun(0), fromNoise: longRun(1) }
}

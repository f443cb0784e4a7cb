/**
 * The Ising model's namespace (`ising` at the package root): the lattice energy and its exact moments
 * (src/energy/ising.ts), and its observables, measured sweep by sweep on running chains: the magnetisation
 * per spin m, |m|, the energy per spin e, and from their moments the susceptibility
 * χ = N(⟨m²⟩ − ⟨|m|⟩²)/T, the specific heat C = N(⟨e²⟩ − ⟨e⟩²)/T² and Binder's cumulant
 * U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²), whose curves for different L cross at the critical temperature.
 *
 * @module
 */
import { array, integer, options as checkOptions, positive, rangeError, typeError } from '../check/index.js'
import { checkEnergy, type Energy } from '../energy/energy.js'
import type { LatticeStructure } from '../energy/structure.js'
import type { Kernel } from '../sampler/block.js'
import { checkRunner, runnerOptionNames, startRunner, type RunnerOptions } from '../sampler/runner.js'
import type { Draws } from './draws.js'
import { essMean } from './ess.js'
import { mcseMean } from './mcse.js'

export { lattice, exactMoments, criticalTemperature, maxExactSize, type LatticeOptions, type IsingMoments } from '../energy/ising.js'

/** The lattice structure of an Ising energy, or the error saying it has none. */
const latticeOf = (e: Energy, where: string): LatticeStructure => {
  checkEnergy(e, `${where}: energy`)
  if (e.structure?.kind !== 'lattice') throw rangeError(`${where}: energy`, 'an Ising lattice (ising.lattice)', `energy '${e.name}'`)
  return e.structure
}

/**
 * The magnetisation per spin m = Σsᵢ/N and the energy per spin e = E/N of the configuration at
 * x[offset … offset + N), written into out[0] and out[1].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lattice, observe } from './ising.js'
 * const e = lattice({ size: 2, coupling: 1, field: 0.5 })
 * // all up: m = 1; 8 bonds (sides of 2 bond each pair twice) and 4 spins in the field: E = −8 − 2
 * assert.deepEqual(observe(e.structure as never, [1, 1, 1, 1], 0), new Float64Array([1, -10 / 4]))
 */
export const observe = (s: LatticeStructure, x: ArrayLike<number>, offset: number, out: Float64Array = new Float64Array(2)): Float64Array => {
  // O(1) checks (this runs every sweep): a short x, or an offset past its end, read undefined spins as NaN.
  if (!(s?.rows * s?.columns >= 1)) throw typeError('ising.observe: structure', 'the structure of an Ising lattice (ising.lattice(…).structure)', s)
  const { rows, columns } = s
  const N = rows * columns
  const start = integer(offset, 'ising.observe: offset')
  if (!(array(x, 'ising.observe: x').length >= start + N)) throw rangeError('ising.observe: x', `at least offset + ${N} = ${start + N} spins (a ${rows} × ${columns} lattice from offset ${start})`, x)
  let bonds = 0
  let M = 0
  for (let r = 0; r < rows; r++) {
    const down = (r === rows - 1 ? 0 : r + 1) * columns
    for (let c = 0; c < columns; c++) {
      const si = x[offset + r * columns + c]
      bonds += si * (x[offset + r * columns + (c === columns - 1 ? 0 : c + 1)] + x[offset + down + c])
      M += si
    }
  }
  out[0] = M / N
  out[1] = (s.scale * (-s.coupling * bonds - s.field * M)) / N
  return out
}

/** Series measured every sweep, one array per chain (Draws, for the diagnostics). */
export interface IsingSeries {
  /** The magnetisation per spin m. */
  readonly magnetisation: Float64Array[]
  /** The energy per spin e. */
  readonly energy: Float64Array[]
  /** The mean number of spins a step changed, over chains and steps (a Wolff step's cluster size). */
  readonly flipsPerStep: number
  readonly size: number
  readonly temperature: number
  /** The chains' configurations after the last step, row-major [chains × N] (from {@link measure}). */
  readonly final?: Float64Array
}

/** Options of {@link measure}: a runner's, and the sweeps. */
export interface MeasureOptions extends RunnerOptions {
  /** Steps measured, one measurement a step (≥ 4). */
  readonly sweeps: number
  /** Steps run before measuring (default 0). */
  readonly burnIn?: number
  /** The seed of the chains' streams (default 0). */
  readonly seed?: number
  /** The temperature the kernel samples at (recorded for the summary). */
  readonly temperature: number
}

/**
 * Runs `kernel` on an Ising lattice and measures m and e after every step: one series per chain.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { lattice, measure } from './ising.js'
 * import { heatBath } from '../sampler/blocks/heat-bath.js'
 * const e = lattice({ size: 4 })
 * const s = await measure(e, heatBath({ temperature: 1.2, order: 'checkerboard' }), { chains: 3, sweeps: 5, temperature: 1.2, backend: 'reference' })
 * assert.equal(s.magnetisation.length, 3)
 * assert.equal(s.energy[0].length, 5)
 */
export const measure = async (e: Energy, kernel: Kernel, o: MeasureOptions): Promise<IsingSeries> => {
  const where = 'ising.measure'
  const s = latticeOf(e, where)
  const { sweeps, burnIn, seed, temperature, ...rest } = checkOptions<MeasureOptions>(o, `${where}: options`, ['sweeps', 'burnIn', 'seed', 'temperature', ...runnerOptionNames])
  const n = integer(sweeps, `${where}: sweeps`, { min: 4 })
  const skip = integer(burnIn ?? 0, `${where}: burnIn`, { min: 0 })
  const T = positive(temperature, `${where}: temperature`)
  const r = startRunner(checkRunner(where, e, kernel, rest))
  const chains = r.setup.chains
  const N = s.rows * s.columns
  const magnetisation = Array.from({ length: chains }, () => new Float64Array(n))
  const energy = Array.from({ length: chains }, () => new Float64Array(n))
  if (skip > 0) await r.run({ seed: seed ?? 0, from: 0, to: skip })
  const x = r.state.position
  const before = Float64Array.from(x)
  const at = new Float64Array(2)
  let flips = 0
  for (let t = 0; t < n; t++) {
    await r.run({ seed: seed ?? 0, from: skip + t, to: skip + t + 1 })
    for (let c = 0; c < chains; c++) {
      observe(s, x, c * N, at)
      magnetisation[c][t] = at[0]
      energy[c][t] = at[1]
    }
    for (let j = 0; j < x.length; j++) if (x[j] !== before[j]) flips++
    before.set(x)
  }
  return { magnetisation, energy, flipsPerStep: flips / (chains * n), size: N, temperature: T, final: Float64Array.from(x) }
}

/** An estimate and its Monte Carlo standard error. */
export interface Estimate {
  readonly value: number
  readonly mcse: number
}

/** What {@link summarize} gives. */
export interface IsingSummary {
  readonly absMagnetisation: Estimate
  readonly energy: Estimate
  readonly magnetisation2: number
  readonly magnetisation4: number
  readonly susceptibility: number
  readonly specificHeat: number
  /** Binder's cumulant U₄ = 1 − ⟨m⁴⟩/(3⟨m²⟩²). */
  readonly binder: number
  /** Integrated autocorrelation times in steps (draws / ESS of the mean) of |m| and e. */
  readonly tauAbsMagnetisation: number
  readonly tauEnergy: number
}

const mean = (draws: Draws, f: (v: number) => number): number => {
  let sum = 0
  for (const chain of draws) for (const v of chain) sum += f(v)
  return sum / (draws.length * draws[0].length)
}

// A series that never moves (a frozen lattice) has no autocorrelation to estimate: its error is 0.
const constant = (draws: Draws): boolean => draws.every((c) => c.every((v) => v === draws[0][0]))

const estimate = (draws: Draws): Estimate => ({ value: mean(draws, (v) => v), mcse: constant(draws) ? 0 : mcseMean(draws) })

const tau = (draws: Draws): number => (constant(draws) ? NaN : (draws.length * draws[0].length) / essMean(draws))

/**
 * The moments and derived observables of measured series, with MCSEs from their effective sample sizes.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { summarize } from './ising.js'
 * const s = summarize({ magnetisation: [new Float64Array([1, -1, 1, -1, 1, 1, -1, 1])], energy: [new Float64Array(8).fill(-2)], flipsPerStep: 16, size: 16, temperature: 2 })
 * assert.equal(s.absMagnetisation.value, 1)
 * assert.equal(s.binder, 1 - 1 / 3) // |m| = 1 always
 * assert.equal(s.specificHeat, 0)
 */
export const summarize = (series: IsingSeries): IsingSummary => {
  const abs = series.magnetisation.map((c) => c.map(Math.abs))
  const m2 = mean(series.magnetisation, (v) => v * v)
  const m4 = mean(series.magnetisation, (v) => v ** 4)
  const absMagnetisation = estimate(abs)
  const energy = estimate(series.energy)
  const e2 = mean(series.energy, (v) => v * v)
  const { size: N, temperature: T } = series
  return {
    absMagnetisation,
    energy,
    magnetisation2: m2,
    magnetisation4: m4,
    susceptibility: (N * (m2 - absMagnetisation.value ** 2)) / T,
    specificHeat: Math.max(0, (N * (e2 - energy.value ** 2)) / (T * T)),
    binder: 1 - m4 / (3 * m2 * m2),
    tauAbsMagnetisation: tau(abs),
    tauEnergy: tau(series.energy),
  }
}

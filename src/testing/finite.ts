/**
 * `checkInvariance` and `checkDetailedBalance` on finite state spaces (discrete energies of at most 10
 * units): the kernel as implemented is run one step from every state, `replicas` chains each, and its
 * empirical transition matrix P̂ is held to the exact matrix of its definition by a χ² test (the
 * definition itself checked to keep π, or to satisfy detailed balance, to 1e-12), or, when no definition
 * is known (a user's own block), tested directly: πP̂ = π state by state, or πᵢP̂ᵢⱼ = πⱼP̂ⱼᵢ pair by pair,
 * by z-tests at the stated false-alarm rate (Bonferroni).
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Energy } from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, runFrom, seedOf, type RunAt } from './chains.js'
import { chiSquare, chiSquareTail } from './chi-square.js'
import { exactTransitions, hasExactTransitions, temperaturesOf } from './exact-transitions.js'
import { boltzmann, detailedBalanceError, finiteSpace, stationarityError, type FiniteSpace, type Matrix } from './finite-space.js'
import { twoSided } from './normal.js'
import { boundReport, combined, testReport, type Report } from './report.js'

/** Options of {@link checkInvariance} and {@link checkDetailedBalance}. */
export interface FiniteOptions extends RunAt {
  /** The temperature of π ∝ exp(−E/T) (default: the one temperature the kernel's blocks name). */
  readonly temperature?: number
  /**
   * The package kernel this kernel implements, whose exact matrix P̂ is held to (default: the kernel itself
   * when all its blocks are the package's discrete blocks; none for a user's block).
   */
  readonly definition?: Kernel
  /** Chains run one step from each state (default 1000). */
  readonly replicas?: number
  /** The seed of the chains (default 0). */
  readonly seed?: number
  /** The probability that a correct kernel fails the check (default 0.01). */
  readonly falseAlarm?: number
}

const optionNames = ['temperature', 'definition', 'replicas', 'seed', 'falseAlarm', ...runAtNames] as const

/**
 * The kernel as implemented, one step from every state of the space, `replicas` chains each: counts
 * [from × to], row-major.
 */
export const transitionCounts = async (e: Energy, k: Kernel, space: FiniteSpace, o: RunAt & { readonly replicas: number; readonly seed: number }): Promise<Float64Array> => {
  const { size: n, units: D, states } = space
  const chains = n * o.replicas
  const init = new Float64Array(chains * D)
  for (let c = 0; c < chains; c++) init.set(states.subarray(Math.floor(c / o.replicas) * D, (Math.floor(c / o.replicas) + 1) * D), c * D)
  const { positions } = await runFrom(e, k, runAtOf(o), { positions: init, seed: o.seed, steps: 1 })
  const counts = new Float64Array(n * n)
  for (let c = 0; c < chains; c++) {
    let to = 0
    for (let i = 0; i < D; i++) if (positions[c * D + i] === states[(n - 1) * D + i]) to |= 1 << i // state n − 1 has every unit high
    counts[Math.floor(c / o.replicas) * n + to]++
  }
  return counts
}

interface Setup {
  readonly space: FiniteSpace
  readonly pi: Float64Array
  readonly counts: Float64Array
  readonly definition?: Kernel
  readonly replicas: number
  readonly falseAlarm: number
  readonly sizes: Readonly<Record<string, number | string>>
}

// The one temperature a kernel names, or an error asking for the option.
const temperatureFor = (k: Kernel, given: unknown, name: string): number => {
  if (given !== undefined) return check.positive(given, `${name}: temperature`)
  const named = [...new Set(temperaturesOf(k))]
  if (named.length !== 1 || !(named[0] > 0)) {
    throw check.rangeError(`${name}: temperature`, `a positive temperature of π ∝ exp(−E/T) (the kernel '${kernelName(k)}' names ${named.length === 0 ? 'none' : named.join(', ')})`, given)
  }
  return named[0]
}

const setUp = async (name: string, e: Energy, kernel: unknown, options: unknown): Promise<Setup> => {
  const o = check.options<FiniteOptions>(options ?? {}, `${name}: options`, optionNames)
  const k = checkedKernel(kernel, `${name}: kernel`)
  const definition = o.definition === undefined ? (hasExactTransitions(k) ? k : undefined) : checkedKernel(o.definition, `${name}: definition`)
  if (definition !== undefined && !hasExactTransitions(definition)) throw check.rangeError(`${name}: definition`, 'a kernel of the package\'s discrete blocks (heatBath, metropolisFlips, gibbs, wolff, descent, in sequences and repeats)', definition.type)
  const temperature = temperatureFor(definition ?? k, o.temperature, name)
  const replicas = check.integer(o.replicas ?? 1000, `${name}: replicas`, { min: 10 })
  const falseAlarm = check.probability(o.falseAlarm ?? 0.01, `${name}: falseAlarm`)
  if (falseAlarm === 0) throw check.rangeError(`${name}: falseAlarm`, 'a probability above 0 (a test that never fails)', falseAlarm)
  const seed = seedOf(o.seed, `${name}: seed`)
  const space = finiteSpace(e, o.params ?? {}, `${name}: energy`)
  const counts = await transitionCounts(e, k, space, { ...runAtOf(o), replicas, seed })
  const sizes = { seed, replicas, temperature, falseAlarm, ...(o.backend === undefined ? {} : { backend: o.backend }) }
  return { space, pi: boltzmann(space, temperature), counts, replicas, falseAlarm, sizes, ...(definition === undefined ? {} : { definition }) }
}

// The definition's own law, and the implementation held to it: χ² over the cells, no forbidden move.
const againstDefinition = (name: string, s: Setup, definition: Kernel, law: { readonly what: string; readonly error: (P: Matrix, pi: Float64Array) => number }): Report[] => {
  const P = exactTransitions(s.space, definition)
  const { statistic, df, impossible } = chiSquare(s.counts, P, s.space.size, s.replicas)
  return [
    boundReport(`${name}: ${law.what} of the exact matrix of '${kernelName(definition)}'`, { statistic: law.error(P, s.pi), bound: 1e-12, what: 'largest deviation' }, s.sizes),
    testReport(`${name}: one-step transitions against '${kernelName(definition)}' (χ² on ${df} degrees of freedom)`, { statistic, pValue: chiSquareTail(statistic, df), level: s.falseAlarm }, s.sizes),
    boundReport(`${name}: moves the definition forbids`, { statistic: impossible, bound: 0, what: 'moves seen' }, s.sizes),
  ]
}

// A transition probability's binomial variance, floored at one count's worth so that an unseen cell still has some.
const cellVariance = (p: number, replicas: number): number => Math.max(p * (1 - p), 1 / replicas) / replicas

// The largest of z-scores, as a Bonferroni p-value over all of them.
const bonferroni = (name: string, s: Setup, zs: readonly number[]): Report => {
  const worst = zs.reduce((a, z) => Math.max(a, Math.abs(z)), 0)
  return testReport(name, { statistic: worst, pValue: Math.min(1, zs.length * twoSided(worst)), level: s.falseAlarm }, s.sizes)
}

// (πP̂)ⱼ − πⱼ over its standard error, for each state j.
const invarianceScores = (s: Setup): number[] => {
  const { size: n } = s.space
  return Array.from({ length: n }, (_v, j) => {
    let flow = 0
    let variance = 0
    for (let i = 0; i < n; i++) {
      const p = s.counts[i * n + j] / s.replicas
      flow += s.pi[i] * p
      variance += s.pi[i] ** 2 * cellVariance(p, s.replicas)
    }
    return (flow - s.pi[j]) / Math.sqrt(variance)
  })
}

// πᵢP̂ᵢⱼ − πⱼP̂ⱼᵢ over its standard error, for each pair of states with a move seen between them.
const balanceScores = (s: Setup): number[] => {
  const { size: n } = s.space
  const zs: number[] = []
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (s.counts[i * n + j] + s.counts[j * n + i] === 0) continue
      const pij = s.counts[i * n + j] / s.replicas
      const pji = s.counts[j * n + i] / s.replicas
      zs.push((s.pi[i] * pij - s.pi[j] * pji) / Math.sqrt(s.pi[i] ** 2 * cellVariance(pij, s.replicas) + s.pi[j] ** 2 * cellVariance(pji, s.replicas)))
    }
  }
  return zs
}

/**
 * Checks that `kernel` leaves π ∝ exp(−E/T) invariant on the finite space of a discrete energy of at most
 * 10 units: by its definition's exact matrix (πP = π to 1e-12) and the implementation's one-step
 * transitions against it (χ²), or, for a kernel without a known definition, by z-tests of πP̂ = π.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * import { checkInvariance } from './finite.js'
 * const e = energy.boltzmann({ weights: [[0, 0.8], [0.8, 0]], bias: [0.3, -0.2] })
 * const r = await checkInvariance(e, sampler.heatBath({ temperature: 1.5 }), { seed: 1, replicas: 400, backend: 'reference' })
 * assert.equal(r.passed, true)
 */
export const checkInvariance = async (energy: Energy, kernel: Kernel, options: FiniteOptions = {}): Promise<Report> => {
  const name = 'checkInvariance'
  const s = await setUp(name, energy, kernel, options)
  const parts = s.definition === undefined ? [bonferroni(`${name}: πP̂ = π, largest |z| over ${s.space.size} states`, s, invarianceScores(s))] : againstDefinition(name, s, s.definition, { what: 'πP = π', error: stationarityError })
  return combined(name, parts, s.sizes)
}

/**
 * Checks that `kernel` satisfies detailed balance πᵢPᵢⱼ = πⱼPⱼᵢ for π ∝ exp(−E/T) on the finite space of
 * a discrete energy of at most 10 units: by its definition's exact matrix (to 1e-12) and the
 * implementation's one-step transitions against it (χ²), or, without a known definition, by z-tests over
 * the pairs of states between which a move was seen. (A sequential sweep keeps π but is not reversible:
 * it fails this check and passes {@link checkInvariance}.)
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as energy from '../energy/index.js'
 * import * as sampler from '../sampler/index.js'
 * import { checkDetailedBalance } from './finite.js'
 * const e = energy.boltzmann({ weights: [[0, 0.8], [0.8, 0]], bias: [0.3, -0.2] })
 * assert.equal((await checkDetailedBalance(e, sampler.metropolisFlips({ temperature: 1.5 }), { seed: 1, replicas: 400, backend: 'reference' })).passed, true)
 * assert.equal((await checkDetailedBalance(e, sampler.heatBath({ temperature: 1.5, order: 'sequential' }), { seed: 1, replicas: 400, backend: 'reference' })).passed, false)
 */
export const checkDetailedBalance = async (energy: Energy, kernel: Kernel, options: FiniteOptions = {}): Promise<Report> => {
  const name = 'checkDetailedBalance'
  const s = await setUp(name, energy, kernel, options)
  const parts = s.definition === undefined ? [bonferroni(`${name}: πᵢP̂ᵢⱼ = πⱼP̂ⱼᵢ, largest |z| over the pairs seen`, s, balanceScores(s))] : againstDefinition(name, s, s.definition, { what: 'detailed balance', error: detailedBalanceError })
  return combined(name, parts, s.sizes)
}

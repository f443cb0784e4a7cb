/**
 * `checkInvariance` and `checkDetailedBalance` on finite state spaces (discrete energies of at most 10
 * units): the kernel as implemented is run one step from every state, `replicas` chains each, and its
 * empirical transition matrix P̂ is held to the exact matrix of its definition (the definition itself
 * checked to keep π, or to satisfy detailed balance, to 1e-12), or, when no definition is known (a user's
 * own block), tested directly from chains started at exact draws of π: their end states are draws of π
 * (invariance), and the moves between two states go either way alike (detailed balance). Every test is
 * exact at the stated false-alarm rate: a χ² statistic with a Monte Carlo p-value from draws of its null
 * law (multinomial rows of P, multinomial draws of π, fair coins), valid at any size.
 *
 * @module
 */
import * as check from '../check/index.js'
import * as rng from '../rng/index.js'
import type { Energy } from '../energy/index.js'
import type { Kernel } from '../sampler/index.js'
import { checkedKernel, kernelName, runAtNames, runAtOf, runFrom, seedOf, streams, type RunAt } from './chains.js'
import { forbiddenMoves, pearsonTerm, pooledCount, pools, type Pool } from './chi-square.js'
import { exactTransitions, hasExactTransitions, temperaturesOf } from './exact-transitions.js'
import { boltzmann, detailedBalanceError, finiteSpace, stateName, stationarityError, type FiniteSpace, type Matrix } from './finite-space.js'
import { fairCoins, monteCarloPValue, multinomialSampler, simulationWords, uniformsOfWords, wordsForCoins } from './binomial.js'
import { boundReport, combined, fmt, testReport, type Report } from './report.js'

/** Options of {@link checkInvariance} and {@link checkDetailedBalance}. */
export interface FiniteOptions extends RunAt {
  /** The temperature of π ∝ exp(−E/T) (default: the one temperature the kernel's blocks name). */
  readonly temperature?: number
  /**
   * The package kernel this kernel implements, whose exact matrix P̂ is held to (default: the kernel itself
   * when all its blocks are the package's discrete blocks; none for a user's block).
   */
  readonly definition?: Kernel
  /**
   * Chains run one step from each state (default 1000); without a definition, n·replicas chains run one
   * step from exact draws of π.
   */
  readonly replicas?: number
  /** The seed of the chains (default 0). */
  readonly seed?: number
  /** The probability that a correct kernel fails the check (default 0.01). */
  readonly falseAlarm?: number
  /**
   * Draws of the null law behind the Monte Carlo p-value (default
   * max(999, ⌈10/falseAlarm⌉ − 1); at least ⌈1/falseAlarm⌉, below which no kernel could fail).
   */
  readonly simulations?: number
}

const optionNames = ['temperature', 'definition', 'replicas', 'seed', 'falseAlarm', 'simulations', ...runAtNames] as const

// The state a chain is in: bit i set when unit i is high (state n − 1 has every unit high).
const stateOf = (positions: Float64Array, c: number, space: FiniteSpace): number => {
  const { size: n, units: D, states } = space
  let k = 0
  for (let i = 0; i < D; i++) if (positions[c * D + i] === states[(n - 1) * D + i]) k |= 1 << i
  return k
}

/** The kernel as implemented, one step from each of the given states: the states the chains end in. */
export const stepFrom = async (e: Energy, k: Kernel, space: FiniteSpace, starts: Uint32Array, o: RunAt & { readonly seed: number }): Promise<Uint32Array> => {
  const D = space.units
  const init = new Float64Array(starts.length * D)
  starts.forEach((s, c) => init.set(space.states.subarray(s * D, (s + 1) * D), c * D))
  const { positions } = await runFrom(e, k, runAtOf(o), { positions: init, seed: o.seed, steps: 1 })
  return starts.map((_s, c) => stateOf(positions, c, space))
}

/**
 * The kernel as implemented, one step from every state of the space, `replicas` chains each: counts
 * [from × to], row-major.
 */
export const transitionCounts = async (e: Energy, k: Kernel, space: FiniteSpace, o: RunAt & { readonly replicas: number; readonly seed: number }): Promise<Float64Array> => {
  const n = space.size
  const starts = Uint32Array.from({ length: n * o.replicas }, (_v, c) => Math.floor(c / o.replicas))
  const ends = await stepFrom(e, k, space, starts, o)
  const counts = new Float64Array(n * n)
  starts.forEach((s, c) => counts[s * n + ends[c]]++)
  return counts
}

/**
 * `count` exact draws of a distribution over states 0 … n − 1 by inversion of its distribution function,
 * from the kit's start stream under `seed`.
 */
export const drawStates = (pi: Float64Array, count: number, seed: number): Uint32Array => {
  const cumulative = new Float64Array(pi.length)
  pi.reduce((a, p, i) => (cumulative[i] = a + p), 0)
  const u = rng.uniforms(seed, streams.start, 0, count)
  return Uint32Array.from(u, (v) => {
    const x = v * cumulative[pi.length - 1]
    let lo = 0
    let hi = pi.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cumulative[mid] > x) hi = mid
      else lo = mid + 1
    }
    return lo
  })
}

interface Setup {
  readonly energy: Energy
  readonly kernel: Kernel
  readonly at: RunAt
  readonly space: FiniteSpace
  readonly pi: Float64Array
  readonly definition?: Kernel
  readonly replicas: number
  readonly seed: number
  readonly falseAlarm: number
  readonly simulations: number
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

const setUp = (name: string, e: Energy, kernel: unknown, options: unknown): Setup => {
  const o = check.options<FiniteOptions>(options ?? {}, `${name}: options`, optionNames)
  const k = checkedKernel(kernel, `${name}: kernel`)
  const definition = o.definition === undefined ? (hasExactTransitions(k) ? k : undefined) : checkedKernel(o.definition, `${name}: definition`)
  if (definition !== undefined && !hasExactTransitions(definition)) throw check.rangeError(`${name}: definition`, 'a kernel of the package\'s discrete blocks (heatBath, metropolisFlips, gibbs, wolff, descent, in sequences and repeats)', definition.type)
  const temperature = temperatureFor(definition ?? k, o.temperature, name)
  const replicas = check.integer(o.replicas ?? 1000, `${name}: replicas`, { min: 10 })
  const falseAlarm = check.probability(o.falseAlarm ?? 0.01, `${name}: falseAlarm`)
  if (falseAlarm === 0) throw check.rangeError(`${name}: falseAlarm`, 'a probability above 0 (a test that never fails)', falseAlarm)
  const simulations = check.integer(o.simulations ?? Math.max(999, Math.ceil(10 / falseAlarm) - 1), `${name}: simulations`, { min: Math.ceil(1 / falseAlarm) })
  const seed = seedOf(o.seed, `${name}: seed`)
  const space = finiteSpace(e, o.params ?? {}, `${name}: energy`)
  const sizes = { seed, replicas, temperature, falseAlarm, simulations, ...(o.backend === undefined ? {} : { backend: o.backend }) }
  return { energy: e, kernel: k, at: runAtOf(o), space, pi: boltzmann(space, temperature), replicas, seed, falseAlarm, simulations, sizes, ...(definition === undefined ? {} : { definition }) }
}

/**
 * A user's kernel has no exact matrix to hold its counts to. Its n·replicas chains start instead at exact
 * draws of π, so that under the null every count has a known binomial law: an end state is a draw of π
 * (invariance), and a move between two states goes either way with probability ½ (detailed balance: the
 * pair (x₀, x₁) is exchangeable).
 */
const movesFromBoltzmann = async (s: Setup): Promise<{ readonly starts: Uint32Array; readonly ends: Uint32Array }> => {
  const starts = drawStates(s.pi, s.space.size * s.replicas, s.seed)
  return { starts, ends: await stepFrom(s.energy, s.kernel, s.space, starts, { ...s.at, seed: s.seed }) }
}

/**
 * Counts with a known null law: the observed ones, a sampler of the null's from uniforms, and a
 * statistic (Pearson's or Bowker's χ²) whose terms say which cell is worst.
 */
interface Counted {
  readonly what: string
  readonly observed: Float64Array
  /** Random words a draw of the null takes. */
  readonly words: number
  /** A draw of the null's counts from random words. */
  readonly simulate: (words: Uint32Array, out: Float64Array) => Float64Array
  /** Term c of the statistic (its sum is the statistic) and what cell c is. */
  readonly term: (counts: Float64Array, c: number) => number
  readonly cell: (counts: Float64Array, c: number) => string
}

const statisticOf = (t: Counted, counts: Float64Array): number => {
  let v = 0
  for (let c = 0; c < counts.length; c++) v += t.term(counts, c)
  return v
}

// The statistic's Monte Carlo p-value from `simulations` draws of the null (each its own range of the kit's permutation stream).
const monteCarloTest = (name: string, s: Setup, t: Counted): Report => {
  const statistic = statisticOf(t, t.observed)
  const scratch = new Float64Array(t.observed.length)
  const words = new Uint32Array(4 * Math.ceil(t.words / 4))
  const pValue = monteCarloPValue(statistic, s.simulations, (b) => statisticOf(t, t.simulate(simulationWords(s.seed, streams.permutations, b, t.words, words), scratch)))
  let worst = 0
  for (let c = 1; c < t.observed.length; c++) if (t.term(t.observed, c) > t.term(t.observed, worst)) worst = c
  const detail = t.observed.length === 0 ? '' : `; worst ${t.cell(t.observed, worst)}`
  return testReport(`${name} (${t.what}, Monte Carlo p-value of ${s.simulations} draws of the null)${detail}`, { statistic, pValue, level: s.falseAlarm }, s.sizes)
}

// How often each state was the end state, against Multinomial(N, π): Pearson's χ².
const endStates = (s: Setup, ends: Uint32Array): Counted => {
  const N = ends.length
  const observed = new Float64Array(s.space.size)
  for (const j of ends) observed[j]++
  const draw = multinomialSampler(N, s.pi)
  const u = new Float64Array(s.space.size - 1)
  return {
    what: `Pearson's χ² over ${s.space.size} states`,
    observed,
    words: u.length,
    simulate: (words, out) => draw(uniformsOfWords(words, u), out),
    term: (m, j) => (m[j] - N * s.pi[j]) ** 2 / (N * s.pi[j]),
    cell: (m, j) => `state ${stateName(s.space, j)}: ${m[j]} of ${N}, expected ${fmt(N * s.pi[j])}`,
  }
}

// For each pair of states i < j with moves seen between them, the moves i → j against Binomial(moves either way, ½): Bowker's χ².
const pairMoves = (s: Setup, starts: Uint32Array, ends: Uint32Array): Counted => {
  const n = s.space.size
  const moves = new Map<number, [number, number]>() // i·n + j → [i → j, j → i]
  starts.forEach((i, c) => {
    const j = ends[c]
    if (i === j) return
    const key = Math.min(i, j) * n + Math.max(i, j)
    const m = moves.get(key) ?? [0, 0]
    m[i < j ? 0 : 1]++
    moves.set(key, m)
  })
  const pairs = [...moves].sort((x, y) => x[0] - y[0])
  const both = pairs.map(([, [a, b]]) => a + b)
  return {
    what: `Bowker's χ² over ${pairs.length} pairs of states`,
    observed: Float64Array.from(pairs, ([, [a]]) => a),
    words: wordsForCoins(both),
    simulate: (words, out) => fairCoins(both, words, out),
    term: (k, c) => (2 * k[c] - both[c]) ** 2 / both[c],
    cell: (k, c) => `moves ${stateName(s.space, Math.floor(pairs[c][0] / n))} → ${stateName(s.space, pairs[c][0] % n)}: ${k[c]} of ${both[c]} either way, expected ${both[c] / 2}`,
  }
}

/**
 * Counts [from × to] of `replicas` one-step chains from each state, against the rows of the exact matrix
 * P: under the null each row's counts are Multinomial(replicas, Pᵢ). Pearson's χ² over the cells of
 * {@link pools} (rare moves of a row pooled, so that one unlikely move does not swamp the statistic, but
 * kept apart from a row's only other cell, so that few replicas still test something).
 */
const transitions = (s: Setup, counts: Float64Array, P: Matrix): Counted => {
  const n = s.space.size
  const cells = pools(P, n, s.replicas, true)
  // each row's cells: where they start, how many, and a sampler of their multinomial counts
  const rows: { from: number; size: number }[] = []
  cells.forEach((pool, c) => (c > 0 && cells[c - 1].row === pool.row ? rows[rows.length - 1].size++ : rows.push({ from: c, size: 1 })))
  const draws = rows.map(({ from, size }) => multinomialSampler(s.replicas, cells.slice(from, from + size).map((pool) => pool.probability)))
  const u = new Float64Array(cells.length - rows.length) // a row of k cells takes k − 1 uniforms
  const to = (pool: Pool): string => (pool.columns.length === 1 ? stateName(s.space, pool.columns[0]) : `${pool.columns.length} pooled states`)
  return {
    what: `Pearson's χ² over ${cells.length} cells of ${n} rows`,
    observed: Float64Array.from(cells, (pool) => pooledCount(counts, pool, n)),
    words: u.length,
    simulate: (words, out) => {
      uniformsOfWords(words, u)
      let at = 0
      rows.forEach(({ from, size }, r) => {
        draws[r](u.subarray(at, (at += size - 1)), out.subarray(from, from + size))
      })
      return out
    },
    term: (m, c) => pearsonTerm(m[c], cells[c], s.replicas),
    cell: (m, c) => `${stateName(s.space, cells[c].row)} → ${to(cells[c])}: ${m[c]} of ${s.replicas}, expected ${fmt(s.replicas * cells[c].probability)}`,
  }
}

// The definition's own law, and the implementation held to it: an exact test over the cells, no forbidden move.
const againstDefinition = async (name: string, s: Setup, definition: Kernel, law: { readonly what: string; readonly error: (P: Matrix, pi: Float64Array) => number }): Promise<Report[]> => {
  const counts = await transitionCounts(s.energy, s.kernel, s.space, { ...s.at, replicas: s.replicas, seed: s.seed })
  const P = exactTransitions(s.space, definition)
  return [
    boundReport(`${name}: ${law.what} of the exact matrix of '${kernelName(definition)}'`, { statistic: law.error(P, s.pi), bound: 1e-12, what: 'largest deviation' }, s.sizes),
    monteCarloTest(`${name}: one-step transitions against '${kernelName(definition)}'`, s, transitions(s, counts, P)),
    boundReport(`${name}: moves the definition forbids`, { statistic: forbiddenMoves(counts, P), bound: 0, what: 'moves seen' }, s.sizes),
  ]
}

/**
 * Checks that `kernel` leaves π ∝ exp(−E/T) invariant on the finite space of a discrete energy of at most
 * 10 units: by its definition's exact matrix (πP = π to 1e-12) and the implementation's one-step
 * transitions against it (Pearson's χ², each row's counts simulated as Multinomial(replicas, Pᵢ)), or,
 * for a kernel without a known definition, from n·replicas chains started at exact draws of π: how often
 * each state is an end state, against Multinomial(n·replicas, π) (Pearson's χ²). Both p-values are Monte
 * Carlo ones from `simulations` draws of the null, exact at any size.
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
  const s = setUp(name, energy, kernel, options)
  if (s.definition !== undefined) return combined(name, await againstDefinition(name, s, s.definition, { what: 'πP = π', error: stationarityError }), s.sizes)
  const { ends } = await movesFromBoltzmann(s)
  return combined(name, [monteCarloTest(`${name}: end states of chains started at draws of π, against π`, s, endStates(s, ends))], s.sizes)
}

/**
 * Checks that `kernel` satisfies detailed balance πᵢPᵢⱼ = πⱼPⱼᵢ for π ∝ exp(−E/T) on the finite space of
 * a discrete energy of at most 10 units: by its definition's exact matrix (to 1e-12) and the
 * implementation's one-step transitions against it (as in {@link checkInvariance}), or, without a known
 * definition, from n·replicas chains started at exact draws of π: for each pair of states between which
 * m moves were seen, the moves one way against Binomial(m, ½) (Bowker's χ² of symmetry, its Monte Carlo
 * p-value from fair coins). (A sequential sweep keeps π but is not reversible:
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
  const s = setUp(name, energy, kernel, options)
  if (s.definition !== undefined) return combined(name, await againstDefinition(name, s, s.definition, { what: 'detailed balance', error: detailedBalanceError }), s.sizes)
  const { starts, ends } = await movesFromBoltzmann(s)
  return combined(name, [monteCarloTest(`${name}: moves between states from draws of π, either way alike`, s, pairMoves(s, starts, ends))], s.sizes)
}

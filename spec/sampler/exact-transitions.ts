/**
 * Exact transition matrices of the discrete kernels on small state spaces (≤ 10 units: 2^D states),
 * computed from each block's definition rather than by running it, so that stationarity (πP = π) and
 * detailed balance (πᵢPᵢⱼ = πⱼPⱼᵢ) can be checked to rounding; and the one-step transition counts of the
 * kernel as implemented (every start state, many chains, one step on a runner), to check the
 * implementation against the definition by a χ² test. Written to be lifted into heatbath/testing.
 *
 * States are numbered by their bits: bit i of k set means unit i is high (1 or +1).
 */
import { type Energy, energyAt } from '../../src/energy/index.js'
import { classUnits, colourClasses, forEachBond, unitBias, unitValues, type DiscreteDomain, type ParamValues, type Structure } from '../../src/energy/structure.js'
import * as sampler from '../../src/sampler/index.js'
import { paramValues } from '../../src/sampler/runner.js'
import type { Schedule } from '../../src/sampler/schedule.js'

/** A finite state space: every configuration of an energy's units and its energy. */
export interface FiniteSpace {
  readonly units: number
  readonly domain: DiscreteDomain
  readonly size: number
  /** Row-major [size × units]: configuration k's values. */
  readonly states: Float64Array
  readonly energies: Float64Array
  readonly params: ParamValues
  readonly structure?: Structure
}

/** Every configuration of a discrete energy of at most 12 units, with its energy (the reference executor's). */
export const finiteSpace = (e: Energy, params: ParamValues = {}): FiniteSpace => {
  if (e.domain === 'real') throw new RangeError(`finiteSpace: expected a discrete energy, got '${e.name}' of domain 'real'`)
  const D = e.shape.reduce((a, b) => a * b, 1)
  if (D > 12) throw new RangeError(`finiteSpace: expected at most 12 units, got ${D}`)
  const [low, high] = unitValues(e.domain)
  const size = 2 ** D
  const states = new Float64Array(size * D)
  for (let k = 0; k < size; k++) for (let i = 0; i < D; i++) states[k * D + i] = (k >> i) & 1 ? high : low
  const full = paramValues(e, params, 'finiteSpace: params')
  const energies = energyAt(e, states, full)
  return { units: D, domain: e.domain, size, states, energies, params: full, ...(e.structure === undefined ? {} : { structure: e.structure }) }
}

/** The Boltzmann distribution π ∝ exp(−E/T) over a finite space. */
export const boltzmann = (space: FiniteSpace, T: number): Float64Array => {
  const lowest = space.energies.reduce((a, b) => Math.min(a, b), Infinity)
  const p = space.energies.map((E) => Math.exp(-(E - lowest) / T))
  const Z = p.reduce((a, b) => a + b, 0)
  return p.map((v) => v / Z)
}

/** A dense n × n transition matrix, row-major; rows are start states. */
export type Matrix = Float64Array

const identity = (n: number): Matrix => {
  const m = new Float64Array(n * n)
  for (let i = 0; i < n; i++) m[i * n + i] = 1
  return m
}

type Rule = 'heatBath' | 'metropolis' | 'descent'

// Where one update of unit i from state k goes: [(target, probability)] (a sparse row of Pᵢ).
const unitUpdate = (space: FiniteSpace, i: number, rule: Rule, T: number, k: number): [number, number][] => {
  const bit = 1 << i
  const hi = k | bit
  const lo = k & ~bit
  const g = space.energies[lo] - space.energies[hi] // the gain of setting unit i high
  if (rule === 'heatBath') {
    const p = 1 / (1 + Math.exp(-g / T))
    return [
      [hi, p],
      [lo, 1 - p],
    ]
  }
  if (rule === 'metropolis') {
    const other = k ^ bit
    const a = Math.min(1, Math.exp(-(space.energies[other] - space.energies[k]) / T))
    return [
      [other, a],
      [k, 1 - a],
    ]
  }
  return [[g > 0 ? hi : g < 0 ? lo : k, 1]]
}

// M · A for a sparse A given by its rows.
const timesSparse = (m: Matrix, n: number, row: (k: number) => [number, number][]): Matrix => {
  const out = new Float64Array(n * n)
  const rows = Array.from({ length: n }, (_v, k) => row(k))
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < n; c++) {
      const v = m[a * n + c]
      if (v === 0) continue
      for (const [b, p] of rows[c]) out[a * n + b] += v * p
    }
  }
  return out
}

const times = (m: Matrix, a: Matrix, n: number): Matrix =>
  timesSparse(m, n, (k) => {
    const r: [number, number][] = []
    for (let b = 0; b < n; b++) if (a[k * n + b] !== 0) r.push([b, a[k * n + b]])
    return r
  })

const constantOf = (s: Schedule, block: string): number => {
  if (s.kind !== 'constant') throw new RangeError(`exactTransitions: ${block}: expected a constant temperature, got a '${s.kind}' schedule`)
  return s.value
}

// Updates of `sites` one after the other.
const sweep = (space: FiniteSpace, m: Matrix, sites: readonly number[], rule: Rule, T: number): Matrix =>
  sites.reduce((acc, i) => timesSparse(acc, space.size, (k) => unitUpdate(space, i, rule, T, k)), m)

// D updates of uniformly drawn units.
const randomSweep = (space: FiniteSpace, m: Matrix, rule: Rule, T: number): Matrix => {
  const D = space.units
  const one = (k: number): [number, number][] => Array.from({ length: D }, (_v, i) => unitUpdate(space, i, rule, T, k).map(([b, p]): [number, number] => [b, p / D])).flat()
  let out = m
  for (let s = 0; s < D; s++) out = timesSparse(out, space.size, one)
  return out
}

// Every unit at once from the same state (zero-temperature synchronous descent).
const synchronous = (space: FiniteSpace, m: Matrix): Matrix =>
  timesSparse(m, space.size, (k) => {
    let to = k
    for (let i = 0; i < space.units; i++) to = (to & ~(1 << i)) | (unitUpdate(space, i, 'descent', 0, k)[0][0] & (1 << i))
    return [[to, 1]]
  })

const structureOf = (space: FiniteSpace, block: string): Structure => {
  if (space.structure === undefined) throw new RangeError(`exactTransitions: ${block}: expected an energy with a structure`)
  return space.structure
}

/**
 * One Wolff step from state k: a seed unit drawn uniformly, its cluster distributed as the
 * Fortuin–Kasteleyn cluster of the seed (each satisfied bond open with probability 1 − exp(−2|J|/T)),
 * the cluster flipped with probability min(1, exp(−ΔE_field/T)).
 */
const wolffRow = (space: FiniteSpace, T: number, k: number): [number, number][] => {
  const s = structureOf(space, 'wolff')
  const D = space.units
  const x = space.states.subarray(k * D, (k + 1) * D)
  // q[i][j]: the probability that no bond between i and j opens.
  const q = Array.from({ length: D }, () => new Float64Array(D).fill(1))
  for (let i = 0; i < D; i++) {
    forEachBond(s, space.params, i, (j, J) => {
      if (J * x[i] * x[j] > 0) q[i][j] *= Math.exp(-(2 * Math.abs(J)) / T)
    })
  }
  const cut = (a: number, b: number): number => {
    let p = 1
    for (let i = 0; i < D; i++) if ((a >> i) & 1) for (let j = 0; j < D; j++) if ((b >> j) & 1) p *= q[i][j]
    return p
  }
  // connected[S]: the probability that the open bonds within S connect it.
  const connected = new Float64Array(1 << D)
  for (let S = 1; S < 1 << D; S++) {
    const v = S & -S
    let rest = 0
    for (let T2 = (S - 1) & S; T2 > 0; T2 = (T2 - 1) & S) if (T2 & v) rest += connected[T2] * cut(T2, S & ~T2)
    connected[S] = 1 - rest
  }
  const all = (1 << D) - 1
  const row = new Map<number, number>()
  const add = (to: number, p: number) => row.set(to, (row.get(to) ?? 0) + p)
  for (let C = 1; C <= all; C++) {
    const size = popcount(C)
    const weight = connected[C] * cut(C, all & ~C) * (size / D) // any of its units may be the seed
    if (weight === 0) continue
    let dE = 0
    for (let i = 0; i < D; i++) if ((C >> i) & 1) dE += 2 * unitBias(s, space.params, i) * x[i]
    const a = Math.min(1, Math.exp(-dE / T))
    add(k ^ C, weight * a)
    add(k, weight * (1 - a))
  }
  return [...row]
}

const popcount = (v: number): number => {
  let n = 0
  for (let w = v; w > 0; w &= w - 1) n++
  return n
}

/** Whether a kernel's exact matrix is reversible (detailed balance holds) by its definition. */
export const reversible = (k: sampler.Kernel): boolean => {
  if (k.type === 'wolff') return true
  if (k.type === 'heatBath' || k.type === 'metropolisFlips') return k.order === 'random'
  if (k.type === 'repeat') return reversible(k.block)
  return false
}

/** The exact one-step transition matrix of a discrete kernel on a finite space. */
export const exactTransitions = (space: FiniteSpace, k: sampler.Kernel, m: Matrix = identity(space.size)): Matrix => {
  switch (k.type) {
    case 'sequence':
      return k.blocks.reduce((acc, b) => exactTransitions(space, b, acc), m)
    case 'repeat': {
      let out = m
      for (let i = 0; i < k.times; i++) out = exactTransitions(space, k.block, out)
      return out
    }
    case 'heatBath':
    case 'metropolisFlips': {
      const rule: Rule = k.type === 'heatBath' ? 'heatBath' : 'metropolis'
      const T = constantOf(k.temperature, k.type)
      if (k.order === 'random') return randomSweep(space, m, rule, T)
      if (k.order === 'sequential') return sweep(space, m, Array.from({ length: space.units }, (_v, i) => i), rule, T)
      const s = structureOf(space, k.type)
      return sweep(space, m, [...classUnits(s, space.units, 0), ...classUnits(s, space.units, 1)], rule, T)
    }
    case 'gibbs': {
      const s = structureOf(space, 'gibbs')
      const own = colourClasses(s)
      const order = k.classes ?? (own[0] === 'visible' ? ['hidden', 'visible'] : own)
      return sweep(space, m, order.flatMap((c) => classUnits(s, space.units, own.indexOf(c))), 'heatBath', constantOf(k.temperature, 'gibbs'))
    }
    case 'descent':
      if (k.order === 'synchronous') return synchronous(space, m)
      if (k.order === 'sequential') return sweep(space, m, Array.from({ length: space.units }, (_v, i) => i), 'descent', 0)
      return randomSweep(space, m, 'descent', 0)
    case 'wolff': {
      const T = constantOf(k.temperature, 'wolff')
      return timesSparse(m, space.size, (s) => wolffRow(space, T, s))
    }
    default:
      throw new RangeError(`exactTransitions: no exact matrix for block '${k.type}'`)
  }
}

/** The largest |(πP)ⱼ − πⱼ|. */
export const stationarityError = (P: Matrix, pi: Float64Array): number => {
  const n = pi.length
  let worst = 0
  for (let j = 0; j < n; j++) {
    let v = 0
    for (let i = 0; i < n; i++) v += pi[i] * P[i * n + j]
    worst = Math.max(worst, Math.abs(v - pi[j]))
  }
  return worst
}

/** The largest |πᵢPᵢⱼ − πⱼPⱼᵢ|. */
export const detailedBalanceError = (P: Matrix, pi: Float64Array): number => {
  const n = pi.length
  let worst = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) worst = Math.max(worst, Math.abs(pi[i] * P[i * n + j] - pi[j] * P[j * n + i]))
  return worst
}

/** The largest |Σⱼ Pᵢⱼ − 1|. */
export const rowSumError = (P: Matrix, n: number): number => {
  let worst = 0
  for (let i = 0; i < n; i++) {
    let v = 0
    for (let j = 0; j < n; j++) v += P[i * n + j]
    worst = Math.max(worst, Math.abs(v - 1))
  }
  return worst
}

/**
 * The kernel as implemented, one step from every state of the space, `replicas` chains each: counts
 * [from × to], row-major.
 */
export const transitionCounts = async (e: Energy, k: sampler.Kernel, space: FiniteSpace, o: { readonly replicas: number; readonly seed: number; readonly backend: 'reference' | 'native' }): Promise<Float64Array> => {
  const n = space.size
  const D = space.units
  const init = new Float64Array(n * o.replicas * D)
  for (let c = 0; c < n * o.replicas; c++) init.set(space.states.subarray(Math.floor(c / o.replicas) * D, (Math.floor(c / o.replicas) + 1) * D), c * D)
  const r = await sampler.sample(e, k, { chains: n * o.replicas, steps: 1, seed: o.seed, init, backend: o.backend, params: space.params })
  const counts = new Float64Array(n * n)
  for (let c = 0; c < n * o.replicas; c++) {
    let to = 0
    for (let i = 0; i < D; i++) if (r.positions[c * D + i] === space.states[(n - 1) * D + i]) to |= 1 << i
    counts[Math.floor(c / o.replicas) * n + to]++
  }
  return counts
}

/**
 * Pearson's χ² of counts against an exact matrix, rows of `replicas` draws each, over the cells the
 * matrix allows, with its degrees of freedom; and how many draws fell where the matrix says none can.
 */
export const chiSquare = (counts: Float64Array, P: Matrix, n: number, replicas: number): { readonly statistic: number; readonly df: number; readonly impossible: number } => {
  let statistic = 0
  let df = 0
  let impossible = 0
  for (let i = 0; i < n; i++) {
    let cells = 0
    for (let j = 0; j < n; j++) {
      const expected = replicas * P[i * n + j]
      const seen = counts[i * n + j]
      if (P[i * n + j] <= 1e-14) {
        impossible += seen
        continue
      }
      cells++
      statistic += (seen - expected) ** 2 / expected
    }
    df += Math.max(0, cells - 1)
  }
  return { statistic, df, impossible }
}

/**
 * Exact transition matrices of the package's discrete kernels on small state spaces, computed from each
 * block's definition rather than by running it, so that stationarity (πP = π) and detailed balance
 * (πᵢPᵢⱼ = πⱼPⱼᵢ) hold to rounding and an implementation can be held to its definition by a χ² test.
 * States are numbered by their bits: bit i of k set means unit i is high (1 or +1).
 *
 * @module
 */
import { classUnits, colourClasses, forEachBond, unitBias, type Structure } from '../energy/structure.js'
import * as sampler from '../sampler/index.js'
import type { Schedule } from '../sampler/schedule.js'
import type { FiniteSpace, Matrix } from './finite-space.js'

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

const known = new Set(['sequence', 'repeat', 'heatBath', 'metropolisFlips', 'gibbs', 'descent', 'wolff'])

/** Whether {@link exactTransitions} knows the kernel's definition: every block of it is one of the package's discrete blocks. */
export const hasExactTransitions = (k: sampler.Kernel): boolean => {
  if (!known.has(k.type)) return false
  if (k.type === 'sequence') return k.blocks.every(hasExactTransitions)
  if (k.type === 'repeat') return hasExactTransitions(k.block)
  return true
}

/** The temperatures a kernel's blocks name (numbers and constant schedules; descent's 0 included). */
export const temperaturesOf = (k: sampler.Kernel): number[] => {
  if (k.type === 'sequence') return k.blocks.flatMap(temperaturesOf)
  if (k.type === 'repeat') return temperaturesOf(k.block)
  if (k.type === 'descent') return [0]
  const s = (k as { readonly temperature?: Schedule | number }).temperature
  return typeof s === 'number' ? [s] : s?.kind === 'constant' ? [s.value] : []
}

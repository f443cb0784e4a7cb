/**
 * Finite state spaces: every configuration of a discrete energy of at most 10 units (2^D states, bit i of
 * state k set when unit i is high), its Boltzmann distribution, and how far a transition matrix is from
 * keeping it.
 *
 * @module
 */
import * as check from '../check/index.js'
import { type Energy, energyAt } from '../energy/index.js'
import { unitValues, type DiscreteDomain, type ParamValues, type Structure } from '../energy/structure.js'
import { paramValues } from '../energy/params.js'

/** The most units a finite space enumerates (2^10 = 1024 states; matrices of a million entries). */
export const maxUnits = 10

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

/** Every configuration of a discrete energy of at most 10 units, with its energy (the reference executor's). */
export const finiteSpace = (e: Energy, params: ParamValues = {}, where = 'finiteSpace: energy'): FiniteSpace => {
  if (e.domain === 'real' || e.domain === 'mixed') throw check.rangeError(`${where}: domain`, "'binary' or 'spins' (a finite state space)", e.domain)
  const D = e.shape.reduce((a, b) => a * b, 1)
  if (D > maxUnits) throw check.rangeError(`${where}: units`, `at most ${maxUnits} (2^${maxUnits} states to enumerate)`, D)
  const [low, high] = unitValues(e.domain)
  const size = 2 ** D
  const states = new Float64Array(size * D)
  for (let k = 0; k < size; k++) for (let i = 0; i < D; i++) states[k * D + i] = (k >> i) & 1 ? high : low
  const full = paramValues(e, params, `${where.replace(/: energy$/, '')}: params`)
  const energies = energyAt(e, states, full)
  return { units: D, domain: e.domain, size, states, energies, params: full, ...(e.structure === undefined ? {} : { structure: e.structure }) }
}

/**
 * State k as its configuration, for messages: '[1, 0, 1]'.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as energy from '../energy/index.js'
 * import { finiteSpace, stateName } from './finite-space.js'
 * const space = finiteSpace(energy.boltzmann({ weights: [[0, 1], [1, 0]] }))
 * assert.equal(stateName(space, 1), '[1, -1]') // bit 0 set: unit 0 high
 */
export const stateName = (space: FiniteSpace, k: number): string => `[${Array.from(space.states.subarray(k * space.units, (k + 1) * space.units)).join(', ')}]`

/** The Boltzmann distribution π ∝ exp(−E/T) over a finite space. */
export const boltzmann = (space: FiniteSpace, T: number): Float64Array => {
  check.object(space, 'boltzmann: space')
  check.positive(T, 'boltzmann: T') // T = 0 made every weight exp(−0/0)
  const lowest = space.energies.reduce((a, b) => Math.min(a, b), Infinity)
  const p = space.energies.map((E) => Math.exp(-(E - lowest) / T))
  const Z = p.reduce((a, b) => a + b, 0)
  return p.map((v) => v / Z)
}

/** A dense n × n transition matrix, row-major; rows are start states. */
export type Matrix = Float64Array

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

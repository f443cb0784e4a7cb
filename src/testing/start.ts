/**
 * Where the deterministic checkers start their chains: exact draws of a target, or for a bare energy
 * standard normal positions (any finite points do for determinism, parity and the proposal checks).
 *
 * @module
 */
import * as check from '../check/index.js'
import * as energy from '../energy/index.js'
import { unitValues, type DiscreteDomain } from '../energy/structure.js'
import * as rng from '../rng/index.js'
import { momentaAt, streams } from './chains.js'
import { isTarget, type Target } from './target.js'

// Units high or low with probability ½ each.
const randomUnits = (domain: DiscreteDomain, count: number, seed: number): Float64Array => {
  const [low, high] = unitValues(domain)
  return rng.uniforms(seed, streams.start, 0, count).map((u) => (u < 0.5 ? low : high))
}

// A mixed energy's visible units are real (normals), its hidden units binary.
const mixedUnits = (e: energy.Energy, count: number, seed: number): Float64Array => {
  const s = e.structure
  const dimension = e.shape.reduce((a, b) => a * b, 1)
  const visible = s?.kind === 'bipartite' ? s.visible : 0
  const normals = rng.normals(seed, streams.start, 0, count * dimension)
  const units = randomUnits('binary', count * dimension, seed)
  return normals.map((z, i) => (i % dimension < visible ? z : units[i]))
}

/** An energy and the positions and N(0, T·I) momenta to start `count` chains from. */
export interface Start {
  readonly energy: energy.Energy
  readonly dimension: number
  readonly temperature: number
  readonly positions: Float64Array
  readonly momenta: Float64Array
}

/**
 * Starts for `count` chains: a target's exact draws, or for an energy N(0, I) positions (real) or units
 * high or low with probability ½ each (binary, spins); the error names what was given instead of either.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { startOf } from './start.js'
 * import * as energy from '../energy/index.js'
import { unitValues, type DiscreteDomain } from '../energy/structure.js'
 * assert.equal(startOf(energy.doubleWell({ dim: 2 }), 3, 1, 'checkDeterminism').positions.length, 6)
 * assert.throws(() => startOf(42, 3, 1, 'checkDeterminism'), { name: 'TypeError', message: /^checkDeterminism: target: expected a target or an energy/ })
 * const spins = startOf(energy.boltzmann({ weights: [[0, 1], [1, 0]] }), 3, 1, 'checkDeterminism').positions
 * assert.ok(spins.every((v) => v === -1 || v === 1))
 */
export const startOf = (v: unknown, count: number, seed: number, where: string): Start => {
  if (!isTarget(v) && !energy.isEnergy(v)) throw check.typeError(`${where}: target`, 'a target or an energy', v)
  const e = isTarget(v) ? v.energy : v
  const dimension = e.shape.reduce((a, b) => a * b, 1)
  const temperature = isTarget(v) ? v.temperature : 1
  const positions = isTarget(v) ? (v as Target).draw(count, seed, streams.start) : e.domain === 'real' ? rng.normals(seed, streams.start, 0, count * dimension) : e.domain === 'mixed' ? mixedUnits(e, count, seed) : randomUnits(e.domain, count * dimension, seed)
  return { energy: e, dimension, temperature, positions, momenta: momentaAt(temperature, count * dimension, seed) }
}

/**
 * The modern (dense) Hopfield network of Ramsauer et al. (2020), "Hopfield Networks is All You Need": N
 * stored patterns xᵢ ∈ ℝᵈ, the rows of X, and the energy of a continuous state ξ
 *
 *     E(ξ) = −β⁻¹ log Σᵢ exp(β xᵢᵀξ) + ½ ξᵀξ + β⁻¹ log N + ½ M²,   M = maxᵢ ‖xᵢ‖,
 *
 * whose concave–convex update ξ ← Xᵀ softmax(β X ξ) (attention, with the patterns as keys and values)
 * decreases E and retrieves a well-separated pattern in one step. The number of patterns it can hold
 * grows exponentially with d.
 *
 * @module
 */
import { numbers, object, oneOf, options as checkOptions, positive, rangeError } from '../check/index.js'
import { runTape } from '../backend/index.js'
import { type Energy } from '../energy/index.js'
import { scores } from '../energy/hopfield.js'
import { paramValues } from '../energy/params.js'
import * as ir from '../ir/index.js'

export { modern, type ModernOptions } from '../energy/hopfield.js'

const descriptionOf = (e: Energy, where: string): { beta: number; count: number; dimension: number } => {
  const d = e.description as { name?: string; beta?: number; count?: number; dimension?: number }
  if (d?.name !== 'hopfield.modern') throw rangeError(where, 'a modern Hopfield network (hopfield.modern)', `energy '${e.name}'`)
  return { beta: d.beta as number, count: d.count as number, dimension: d.dimension as number }
}

// The update's tape per energy and batch size.
const tapes = new WeakMap<Energy, Map<number, ir.Tape>>()

const updateTape = (e: Energy, batch: number, beta: number, count: number, dimension: number): ir.Tape => {
  const byBatch = tapes.get(e) ?? new Map<number, ir.Tape>()
  tapes.set(e, byBatch)
  const cached = byBatch.get(batch)
  if (cached !== undefined) return cached
  const xi = ir.input('x', [batch, dimension])
  const X = ir.param('X', [count, dimension])
  const s = scores(xi, X, beta)
  const attention = ir.exp(ir.sub(s, ir.logsumexp(s, 1, { keepDims: true })))
  const tape = ir.compile([ir.matmul(attention, X)], [xi, X])
  byBatch.set(batch, tape)
  return tape
}

/**
 * One update ξ ← Xᵀ softmax(β X ξ) of every state (rows of d numbers, row-major), on the reference
 * executor or the native one; the patterns are the energy's parameter X (its stored patterns unless
 * `params` gives others).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { modern, update } from './modern.js'
 * const e = modern([[1, 1, -1, -1], [1, -1, 1, -1]], { beta: 8 })
 * // A cue near the first pattern lands on it: its softmax weight is 1 − O(e^(−8·4)).
 * const [a, b, c, d] = update(e, [1, 1, -1, 0.5])
 * assert.ok(Math.abs(a - 1) < 1e-6 && Math.abs(b - 1) < 1e-6 && Math.abs(c + 1) < 1e-6 && Math.abs(d + 1) < 1e-6)
 */
export const update = (e: Energy, states: ArrayLike<number>, options: { readonly backend?: 'reference' | 'native' | 'auto'; readonly params?: { readonly X: Float64Array } } = {}): Float64Array => {
  const where = 'hopfield.update'
  const { beta, count, dimension } = descriptionOf(e, `${where}: energy`)
  const o = checkOptions<{ backend: 'reference' | 'native' | 'auto'; params: { X: Float64Array } }>(object(options, `${where}: options`), `${where}: options`, ['backend', 'params'])
  const backend = oneOf(o.backend ?? 'reference', `${where}: options.backend`, ['reference', 'native', 'auto'] as const)
  const x = numbers(states, `${where}: states`)
  if (x.length === 0 || x.length % dimension !== 0) throw rangeError(`${where}: states`, `a multiple of ${dimension} values (rows of ${dimension} numbers)`, x.length)
  // The stored patterns, or zeros for a network rebuilt from its description (its X comes with io.load).
  const X = paramValues(e, o.params, `${where}: params`).X
  const tape = updateTape(e, x.length / dimension, beta, count, dimension)
  const feeds = { x, X }
  return backend === 'reference' ? ir.runReference(tape, feeds)[0] : runTape(tape, feeds, { backend })[0]
}

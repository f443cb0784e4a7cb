/**
 * Evaluating an energy and its input gradient at given points, with the reference executor (float64).
 * Samplers and training run compiled tapes on a backend; these are for small jobs: tests, the grid,
 * documentation.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { numbers, rangeError } from '../check/index.js'
import { checkEnergy, type Energy, type Params, program } from './energy.js'
import { init } from './init.js'

/** Points as rows (`[[x0, y0], [x1, y1]]`) or one flat row-major array of batch × size(shape) numbers. */
export type Points = ArrayLike<number> | readonly (readonly number[])[]

// Compiled tapes per energy and (batch, outputs), so repeated calls do not recompile.
const tapes = new WeakMap<Energy, Map<string, ir.Tape>>()

const tapeOf = (e: Energy, batch: number, outputs: 'energy' | 'both' | 'gradient'): ir.Tape => {
  let byKey = tapes.get(e)
  if (byKey === undefined) {
    byKey = new Map()
    tapes.set(e, byKey)
  }
  const key = `${batch}:${outputs}`
  const cached = byKey.get(key)
  if (cached !== undefined) return cached
  const p = program(e, batch)
  const values = outputs === 'energy' ? [p.energy] : outputs === 'both' ? [p.energy, ...ir.grad(ir.sum(p.energy), [p.x])] : ir.grad(ir.sum(p.energy), [p.x])
  const tape = ir.compile(values, [p.x, ...p.paramList])
  byKey.set(key, tape)
  return tape
}

/**
 * The compiled tape of an energy and its input gradient for `batch` configurations: outputs [E (shape
 * [batch]), ∇ₓE (shape of x)], feeds x then the parameters in sorted order. Cached per energy and batch, so
 * the grid, the samplers and the native loader share one compilation.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradientTape } from './index.js'
 * assert.equal(gradientTape(doubleWell(), 4).outputs.length, 2)
 */
export const gradientTape = (e: Energy, batch: number): ir.Tape => tapeOf(checkEnergy(e, 'energy.gradientTape: energy'), batch, 'both')

/**
 * The compiled tape of the input gradient alone, ∇ₓ(ΣE) (shape of x), with the feeds of
 * {@link gradientTape}. What a sampler without a Metropolis test needs between snapshots: the parts of
 * the energy's forward pass that only the energy's value uses are not computed.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradientOnlyTape } from './index.js'
 * assert.deepEqual(gradientOnlyTape(doubleWell(), 4).outputs.map((o) => o.shape), [[4, 1]])
 */
export const gradientOnlyTape = (e: Energy, batch: number): ir.Tape => tapeOf(checkEnergy(e, 'energy.gradientOnlyTape: energy'), batch, 'gradient')

/** Flattens points (rows, or one flat array) and checks that they fill whole configurations. */
const flattenPoints = (e: Energy, points: Points, where: string): Float64Array => {
  const d = ir.size(e.shape)
  const configurations = `configurations of shape ${ir.showShape(e.shape)}`
  const rows = Array.isArray(points) && points.length > 0 && Array.isArray(points[0])
  const flat = rows
    ? Float64Array.from((points as readonly unknown[]).flatMap((row, i) => Array.from(numbers(row, `${where}[${i}]`, { length: d, lengthReason: configurations, finite: false }))))
    : numbers(points, where, { finite: false })
  if (flat.length === 0 || flat.length % d !== 0) throw rangeError(where, `whole ${configurations} (${d} values each)`, points)
  return flat
}

const run = (e: Energy, points: Points, params: Params | undefined, outputs: 'energy' | 'both', where: string): Float64Array[] => {
  checkEnergy(e, `${where}: energy`)
  const x = flattenPoints(e, points, `${where}: points`)
  const batch = x.length / ir.size(e.shape)
  return ir.evaluate(tapeOf(e, batch, outputs), { x, ...(params ?? init(e)) })
}

/**
 * The energy of each point. `params` defaults to `init(e)` (deterministic initialisers, or the energy's
 * own seed).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, evaluate } from './index.js'
 * assert.deepEqual(evaluate(doubleWell(), [[-1], [0], [1]]), new Float64Array([-1, 0, -1]))
 */
export const evaluate = (e: Energy, points: Points, params?: Params): Float64Array => run(e, points, params, 'energy', 'energy.evaluate')[0]

/**
 * ∇ₓE at each point, row-major like the points.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { doubleWell, gradient } from './index.js'
 * assert.deepEqual(gradient(doubleWell(), [[2]]), new Float64Array([24])) // d/dx (x⁴ − 2x²) = 4x³ − 4x
 */
export const gradient = (e: Energy, points: Points, params?: Params): Float64Array => run(e, points, params, 'both', 'energy.gradient')[1]

/**
 * Evaluating an energy and its input gradient at given points, with the reference executor (float64).
 * Samplers and training run compiled tapes on a backend; these are for small jobs: tests, the grid,
 * documentation.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { type Energy, isEnergy, type Params, program } from './energy.js'
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
 * import { doubleWell, gradientTape } from './index.js'
 * gradientTape(doubleWell(), 4).outputs.length // 2
 */
export const gradientTape = (e: Energy, batch: number): ir.Tape => tapeOf(e, batch, 'both')

/**
 * The compiled tape of the input gradient alone, ∇ₓ(ΣE) (shape of x), with the feeds of
 * {@link gradientTape}. What a sampler without a Metropolis test needs between snapshots: the parts of
 * the energy's forward pass that only the energy's value uses are not computed.
 *
 * @example
 * import { doubleWell, gradientOnlyTape } from './index.js'
 * gradientOnlyTape(doubleWell(), 4).outputs.map((o) => o.shape) // [[4, 1]]
 */
export const gradientOnlyTape = (e: Energy, batch: number): ir.Tape => tapeOf(e, batch, 'gradient')

/** Flattens points and checks that they fill whole configurations. */
const flattenPoints = (e: Energy, points: Points, what: string): Float64Array => {
  const d = ir.size(e.shape)
  let flat: Float64Array
  if (Array.isArray(points) && points.length > 0 && Array.isArray(points[0])) {
    flat = new Float64Array(points.length * d)
    ;(points as readonly (readonly number[])[]).forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== d) throw new RangeError(`${what}: point ${i} has ${Array.isArray(row) ? row.length : 'no'} coordinates; the energy takes ${d}`)
      flat.set(row, i * d)
    })
  } else if (Array.isArray(points) || ArrayBuffer.isView(points)) {
    flat = Float64Array.from(points as ArrayLike<number>)
  } else throw new TypeError(`${what}: points must be an array of rows or a flat array of numbers`)
  if (flat.length === 0 || flat.length % d !== 0) throw new RangeError(`${what}: ${flat.length} numbers do not make whole configurations of ${d} (shape ${ir.showShape(e.shape)})`)
  return flat
}

const run = (e: Energy, points: Points, params: Params | undefined, withGradient: boolean, what: string): Float64Array[] => {
  if (!isEnergy(e)) throw new TypeError(`${what}: expected an Energy value`)
  const x = flattenPoints(e, points, what)
  const batch = x.length / ir.size(e.shape)
  return ir.evaluate(tapeOf(e, batch, withGradient ? 'both' : 'energy'), { x, ...(params ?? init(e)) })
}

/**
 * The energy of each point. `params` defaults to `init(e)` (deterministic initialisers, or the energy's
 * own seed).
 *
 * @example
 * import { doubleWell, evaluate } from './index.js'
 * evaluate(doubleWell(), [[-1], [0], [1]]) // Float64Array [-1, 0, -1]
 */
export const evaluate = (e: Energy, points: Points, params?: Params): Float64Array => run(e, points, params, false, 'energy.evaluate')[0]

/**
 * ∇ₓE at each point, row-major like the points.
 *
 * @example
 * import { doubleWell, gradient } from './index.js'
 * gradient(doubleWell(), [[2]]) // Float64Array [24]: d/dx (x⁴ − 2x²) = 4x³ − 4x
 */
export const gradient = (e: Energy, points: Points, params?: Params): Float64Array => run(e, points, params, true, 'energy.gradient')[1]

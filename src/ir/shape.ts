/**
 * Static shapes: a shape is a readonly array of non-negative integer extents; `[]` is a scalar.
 *
 * @module
 */
import { integer, rangeError, typeError } from '../check/index.js'

/** The extents of a tensor, outermost first. `[]` is a scalar. */
export type Shape = readonly number[]

/**
 * The number of elements of a shape (1 for a scalar).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { size } from './shape.js'
 * assert.equal(size([2, 3]), 6)
 */
export const size = (shape: Shape): number => shape.reduce((n, d) => n * d, 1)

/** Writes a shape the way errors show it: `[2,3]`. */
export const showShape = (shape: Shape): string => `[${shape.join(',')}]`

/** True when two shapes are equal extent by extent. */
export const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i])

/**
 * Row-major strides of a shape, in elements.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { strides } from './shape.js'
 * assert.deepEqual(strides([2, 3, 4]), [12, 4, 1])
 */
export const strides = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length)
  let acc = 1
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc
    acc *= shape[i]
  }
  return s
}

/**
 * Checks a shape: a list of non-negative safe integers of at most 2^31 elements in all; `where` names the
 * shape in the message (`ir.input('x'): shape`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkShape } from './shape.js'
 * assert.deepEqual(checkShape([2, 3], "ir.input('x'): shape"), [2, 3])
 * assert.throws(() => checkShape([2, -1], "ir.input('x'): shape"), { name: 'RangeError', message: "ir.input('x'): shape[1]: expected an integer ≥ 0, got -1" })
 */
export const checkShape = (shape: unknown, where: string): Shape => {
  if (!Array.isArray(shape)) throw typeError(where, 'an array of integers', shape)
  shape.forEach((d, i) => integer(d, `${where}[${i}]`))
  if (size(shape) > 2 ** 31) throw new RangeError(`${where}: expected at most 2^31 elements, got ${showShape(shape)} (${size(shape)} elements)`)
  return Object.freeze([...shape])
}

/**
 * The shape two operands broadcast to, NumPy style (axes aligned from the right; an extent of 1 stretches).
 * Returns undefined when they do not broadcast.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { broadcastShapes } from './shape.js'
 * assert.deepEqual(broadcastShapes([4, 1], [3]), [4, 3])
 */
export const broadcastShapes = (a: Shape, b: Shape): Shape | undefined => {
  const n = Math.max(a.length, b.length)
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1
    const db = b[b.length - n + i] ?? 1
    if (da === db || db === 1) out[i] = da
    else if (da === 1) out[i] = db
    else return undefined
  }
  return out
}

/** True when `from` broadcasts to exactly `to`. */
export const broadcastsTo = (from: Shape, to: Shape): boolean => {
  if (from.length > to.length) return false
  const off = to.length - from.length
  return from.every((d, i) => d === 1 || d === to[off + i])
}

/**
 * Normalises an axis (negative counts from the end) against a rank; `where` names the axis argument.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { normaliseAxis } from './shape.js'
 * assert.equal(normaliseAxis(-1, 3, 'ir.sum: axis'), 2)
 * assert.throws(() => normaliseAxis(3, 3, 'ir.sum: axis'), { name: 'RangeError', message: 'ir.sum: axis: expected an integer in [-3, 2] (an axis of rank 3), got 3' })
 */
export const normaliseAxis = (axis: number, rank: number, where: string): number => {
  if (!(Number.isInteger(axis) && axis >= -rank && axis < rank)) {
    throw (typeof axis === 'number' ? rangeError : typeError)(where, `an integer in [${-rank}, ${rank - 1}] (an axis of rank ${rank})`, axis)
  }
  return axis < 0 ? axis + rank : axis
}

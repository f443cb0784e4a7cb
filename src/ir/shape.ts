/**
 * Static shapes: a shape is a readonly array of non-negative integer extents; `[]` is a scalar.
 *
 * @module
 */

/** The extents of a tensor, outermost first. `[]` is a scalar. */
export type Shape = readonly number[]

/**
 * The number of elements of a shape (1 for a scalar).
 *
 * @example
 * import { size } from './shape.js'
 * size([2, 3]) // 6
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
 * import { strides } from './shape.js'
 * strides([2, 3, 4]) // [12, 4, 1]
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

/** Throws unless `shape` is a list of non-negative safe integers; `what` names the caller in the message. */
export const checkShape = (shape: unknown, what: string): Shape => {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of integers, got ${describe(shape)}`)
  shape.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new TypeError(`${what}: shape[${i}] must be a non-negative integer, got ${describe(d)}`)
    }
  })
  if (size(shape) > 2 ** 31) throw new RangeError(`${what}: shape ${showShape(shape)} has more than 2^31 elements`)
  return Object.freeze([...shape])
}

/**
 * The shape two operands broadcast to, NumPy style (axes aligned from the right; an extent of 1 stretches).
 * Returns undefined when they do not broadcast.
 *
 * @example
 * import { broadcastShapes } from './shape.js'
 * broadcastShapes([4, 1], [3]) // [4, 3]
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
 * Normalises an axis (negative counts from the end) against a rank; throws naming the op when out of range.
 */
export const normaliseAxis = (axis: number, rank: number, what: string): number => {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new RangeError(`${what}: axis ${axis} is out of range for rank ${rank}`)
  }
  return axis < 0 ? axis + rank : axis
}

/** A short description of any value, for error messages. */
export const describe = (v: unknown): string => {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v)
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)
  if (Array.isArray(v)) return `an array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${(v as unknown as { length: number }).length}`
  if (typeof v === 'function') return 'a function'
  return `an object with keys ${Object.keys(v as object).slice(0, 5).join(', ') || '(none)'}`
}

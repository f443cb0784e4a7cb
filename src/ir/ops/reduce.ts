/**
 * Reductions along axes: sum and logsumexp. Both take `axes` (sorted, distinct) and `keepDims`.
 *
 * @module
 */
import { boolean, options as checkOptions } from '../../check/index.js'
import { apply, defineOp, type Expr, shapeError } from '../expr.js'
import { walk } from '../indexing.js'
import { normaliseAxis, type Shape, size, strides } from '../shape.js'
import { broadcast, reshape, zeros } from './layout.js'
import { isZero, lift, type Operand } from './leaf.js'
import { exp, mul, sub, div } from './arithmetic.js'

interface ReduceAttrs {
  readonly axes: readonly number[]
  readonly keepDims: boolean
}

const reducedShape = (x: Shape, { axes, keepDims }: ReduceAttrs): Shape =>
  keepDims ? x.map((d, i) => (axes.includes(i) ? 1 : d)) : x.filter((_d, i) => !axes.includes(i))

const keptShape = (x: Shape, axes: readonly number[]): Shape => x.map((d, i) => (axes.includes(i) ? 1 : d))

// Strides that map an input index to its output element: the output's own strides, 0 along reduced axes.
const outputStrides = (x: Shape, axes: readonly number[]): number[] => {
  const s = strides(keptShape(x, axes))
  return s.map((v, i) => (axes.includes(i) ? 0 : v))
}

const reduceShapeRule = (op: string) => ([x]: readonly Shape[], attrs: Record<string, unknown>): Shape => {
  const a = attrs as unknown as ReduceAttrs
  for (const ax of a.axes) if (ax >= x.length) shapeError(op, `axes below the rank ${x.length}`, [x], `axis ${ax}`)
  return reducedShape(x, a)
}

defineOp({
  name: 'sum',
  kind: 'reduction',
  arity: 1,
  shape: reduceShapeRule('sum'),
  reference: ({ inputs: [x], inputShapes: [xs], output, attrs }) => {
    output.fill(0)
    walk(xs, [outputStrides(xs, (attrs as unknown as ReduceAttrs).axes)], (k, [o]) => {
      output[o] += x[k]
    })
  },
  vjp: ([x], y, dy) => [broadcast(reshape(dy, keptShape(x.shape, y.attrs.axes as number[])), x.shape)],
  simplify: ([x], attrs, shape) => {
    if ((attrs.axes as number[]).length === 0) return x
    if (isZero(x)) return zeros(shape)
    return undefined
  },
})

defineOp({
  name: 'logsumexp',
  kind: 'reduction',
  arity: 1,
  shape: reduceShapeRule('logsumexp'),
  // Stable: log Σ e^x = m + log Σ e^(x − m) with m the maximum; all −∞ gives −∞, any +∞ gives +∞, any NaN NaN.
  reference: ({ inputs: [x], inputShapes: [xs], output, attrs }) => {
    const os = outputStrides(xs, (attrs as unknown as ReduceAttrs).axes)
    const m = new Float64Array(output.length).fill(-Infinity)
    const nan = new Uint8Array(output.length)
    walk(xs, [os], (k, [o]) => {
      const v = x[k]
      if (v !== v) nan[o] = 1
      else if (v > m[o]) m[o] = v
    })
    output.fill(0)
    walk(xs, [os], (k, [o]) => {
      if (Number.isFinite(m[o])) output[o] += Math.exp(x[k] - m[o])
    })
    for (let o = 0; o < output.length; o++) {
      output[o] = nan[o] ? NaN : Number.isFinite(m[o]) ? m[o] + Math.log(output[o]) : m[o]
    }
  },
  vjp: ([x], y, dy) => {
    const ks = keptShape(x.shape, y.attrs.axes as number[])
    return [mul(broadcast(reshape(dy, ks), x.shape), exp(sub(x, reshape(y, ks))))]
  },
  simplify: ([x], attrs) => ((attrs.axes as number[]).length === 0 ? x : undefined),
})

const axesOf = (x: Expr, axis: number | readonly number[] | undefined, what: string): number[] => {
  const list = axis === undefined ? x.shape.map((_d, i) => i) : Array.isArray(axis) ? [...axis] : [axis as number]
  const norm = list.map((a, i) => normaliseAxis(a, x.shape.length, Array.isArray(axis) ? `${what}: axis[${i}]` : `${what}: axis`))
  if (new Set(norm).size !== norm.length) throw new RangeError(`${what}: axis: expected distinct axes, got [${list.join(',')}]`)
  return norm.sort((a, b) => a - b)
}

/** Options of the reductions. */
export interface ReduceOptions {
  /** Keep each reduced axis with extent 1 (default false), so that the result broadcasts against x. */
  readonly keepDims?: boolean
}

const keepDimsOf = (o: ReduceOptions | undefined, what: string): boolean => {
  const keepDims = checkOptions<ReduceOptions>(o, `${what}: options`, ['keepDims']).keepDims
  return keepDims === undefined ? false : boolean(keepDims, `${what}: options.keepDims`)
}

/**
 * The sum along `axis` (a number or a list; negative counts from the end); all axes when omitted, giving
 * a scalar. `{ keepDims: true }` keeps reduced axes with extent 1.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * const x = ir.input('x', [8, 2])
 * assert.deepEqual(ir.sum(x).shape, [])
 * assert.deepEqual(ir.sum(x, 1).shape, [8])
 * assert.deepEqual(ir.sum(x, 1, { keepDims: true }).shape, [8, 1])
 */
export const sum = (x: Operand, axis?: number | readonly number[], options?: ReduceOptions): Expr => {
  const e = lift(x, 'ir.sum')
  return apply('sum', [e], { axes: axesOf(e, axis, 'ir.sum'), keepDims: keepDimsOf(options, 'ir.sum') })
}

/**
 * log Σ exp(x) along `axis` (all axes when omitted), computed stably for large |x|.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * // a mixture energy: −log Σ_k exp(−E_k)
 * const negE = ir.input('negE', [8, 3])
 * assert.deepEqual(ir.neg(ir.logsumexp(negE, 1)).shape, [8])
 */
export const logsumexp = (x: Operand, axis?: number | readonly number[], options?: ReduceOptions): Expr => {
  const e = lift(x, 'ir.logsumexp')
  return apply('logsumexp', [e], { axes: axesOf(e, axis, 'ir.logsumexp'), keepDims: keepDimsOf(options, 'ir.logsumexp') })
}

/**
 * The mean along `axis` (all axes when omitted): the sum divided by the number of reduced entries.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.mean(ir.input('E', [32])).shape, [])
 */
export const mean = (x: Operand, axis?: number | readonly number[], options?: ReduceOptions): Expr => {
  const e = lift(x, 'ir.mean')
  const axes = axesOf(e, axis, 'ir.mean')
  const count = size(axes.map((a) => e.shape[a]))
  return div(sum(e, axes, { keepDims: keepDimsOf(options, 'ir.mean') }), count)
}

/**
 * Reductions along axes: sum and logsumexp. Both take `axes` (sorted, distinct) and `keepDims`.
 *
 * @module
 */
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
  for (const ax of a.axes) if (ax >= x.length) shapeError(op, `axis ${ax} is out of range`, [x])
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
  const list = axis === undefined ? x.shape.map((_d, i) => i) : typeof axis === 'number' ? [axis] : [...axis]
  const norm = list.map((a) => normaliseAxis(a, x.shape.length, what))
  if (new Set(norm).size !== norm.length) throw new RangeError(`${what}: repeated axis in [${list.join(',')}]`)
  return norm.sort((a, b) => a - b)
}

/**
 * The sum along `axis` (a number or a list; negative counts from the end); all axes when omitted, giving
 * a scalar. `keepDims` keeps reduced axes with extent 1.
 *
 * @example
 * import * as ir from '../index.js'
 * const x = ir.input('x', [8, 2])
 * ir.sum(x).shape        // []
 * ir.sum(x, 1).shape     // [8]
 * ir.sum(x, 1, true).shape // [8, 1]
 */
export const sum = (x: Operand, axis?: number | readonly number[], keepDims = false): Expr => {
  const e = lift(x, 'ir.sum')
  return apply('sum', [e], { axes: axesOf(e, axis, 'ir.sum'), keepDims })
}

/**
 * log Σ exp(x) along `axis` (all axes when omitted), computed stably for large |x|.
 *
 * @example
 * import * as ir from '../index.js'
 * // a mixture energy: −log Σ_k exp(−E_k)
 * const negE = ir.input('negE', [8, 3])
 * ir.neg(ir.logsumexp(negE, 1)).shape // [8]
 */
export const logsumexp = (x: Operand, axis?: number | readonly number[], keepDims = false): Expr => {
  const e = lift(x, 'ir.logsumexp')
  return apply('logsumexp', [e], { axes: axesOf(e, axis, 'ir.logsumexp'), keepDims })
}

/**
 * The mean along `axis` (all axes when omitted): the sum divided by the number of reduced entries.
 *
 * @example
 * import * as ir from '../index.js'
 * ir.mean(ir.input('E', [32])).shape // []
 */
export const mean = (x: Operand, axis?: number | readonly number[], keepDims = false): Expr => {
  const e = lift(x, 'ir.mean')
  const axes = axesOf(e, axis, 'ir.mean')
  const count = size(axes.map((a) => e.shape[a]))
  return div(sum(e, axes, keepDims), count)
}

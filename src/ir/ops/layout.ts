/**
 * Shape ops: reshape, broadcast, transpose, slice and concat. They move values without arithmetic; their
 * derivative rules are shape ops (and sums) again.
 *
 * @module
 */
import { typeError } from '../../check/index.js'
import { apply, defineOp, type Expr, shapeError } from '../expr.js'
import { broadcastStrides, walk } from '../indexing.js'
import { broadcastsTo, checkShape, normaliseAxis, sameShape, type Shape, showShape, size, strides } from '../shape.js'
import { constant, isZero, lift, type Operand } from './leaf.js'
import { sum } from './reduce.js'

defineOp({
  name: 'reshape',
  kind: 'layout',
  arity: 1,
  shape: ([x], attrs) => {
    const to = attrs.shape as Shape
    if (size(to) !== size(x)) shapeError('reshape', `a shape of ${size(x)} elements`, [x], showShape(to))
    return to
  },
  reference: ({ inputs: [x], output }) => output.set(x),
  vjp: ([x], _y, dy) => [reshape(dy, x.shape)],
  simplify: ([x], _attrs, shape) => {
    if (sameShape(x.shape, shape)) return x
    if (x.op === 'reshape') return reshape(x.inputs[0], shape)
    if (x.op === 'broadcast' && size(x.inputs[0].shape) === 1) return broadcast(reshape(x.inputs[0], shape.map(() => 1)), shape)
    return undefined
  },
})

/**
 * Gives the values a new shape with the same number of elements (row-major order is kept).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.reshape(ir.input('x', [2, 3]), [3, 2]).shape, [3, 2])
 */
export const reshape = (x: Operand, shape: Shape): Expr => apply('reshape', [lift(x, 'ir.reshape')], { shape: checkShape(shape, 'ir.reshape: shape') })

defineOp({
  name: 'broadcast',
  kind: 'layout',
  arity: 1,
  fold: false, // keeps zeros(shape) as a broadcast scalar instead of a large constant
  shape: ([x], attrs) => {
    const to = attrs.shape as Shape
    if (!broadcastsTo(x, to)) shapeError('broadcast', 'a shape the operand broadcasts to', [x], showShape(to))
    return to
  },
  reference: ({ inputs: [x], inputShapes: [xs], output, shape }) => {
    walk(shape, [broadcastStrides(xs, shape)], (k, [o]) => {
      output[k] = x[o]
    })
  },
  vjp: ([x], _y, dy) => [unbroadcast(dy, x.shape)],
  simplify: ([x], _attrs, shape) => {
    if (sameShape(x.shape, shape)) return x
    if (x.op === 'broadcast') return broadcast(x.inputs[0], shape)
    return undefined
  },
})

/**
 * Stretches axes of extent 1 (and prepends axes) to reach `shape`, NumPy's broadcast_to.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.broadcast(ir.constant([1, 2, 3]), [4, 3]).shape, [4, 3])
 */
export const broadcast = (x: Operand, shape: Shape): Expr => apply('broadcast', [lift(x, 'ir.broadcast')], { shape: checkShape(shape, 'ir.broadcast: shape') })

/**
 * Sums `dy` down to `shape`, undoing a broadcast: the cotangent of a broadcast operand.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.unbroadcast(ir.input('g', [4, 3]), [3]).shape, [3])
 */
export const unbroadcast = (dy: Expr, shape: Shape): Expr => {
  if (sameShape(dy.shape, shape)) return dy
  const off = dy.shape.length - shape.length
  const axes: number[] = []
  dy.shape.forEach((d, i) => {
    if (i < off || (shape[i - off] === 1 && d !== 1)) axes.push(i)
  })
  return reshape(sum(dy, axes, { keepDims: true }), shape)
}

/**
 * A tensor of zeros, stored as a broadcast scalar.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.equal(ir.zeros([1000, 2]).op, 'broadcast')
 */
export const zeros = (shape: Shape): Expr => broadcast(constant(0), shape)

/**
 * A tensor filled with `value`, stored as a broadcast scalar.
 */
export const full = (value: number, shape: Shape): Expr => broadcast(constant(value), shape)

/** Broadcasts `x` to `shape` unless it already has it. */
export const broadcastTo = (x: Expr, shape: Shape): Expr => (sameShape(x.shape, shape) ? x : broadcast(x, shape))

const checkPerm = (perm: readonly number[], rank: number): readonly number[] => {
  const ok = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i)
  if (!ok) throw new RangeError(`ir.transpose: perm: expected a permutation of 0..${rank - 1}, got [${perm.join(',')}]`)
  return perm
}

defineOp({
  name: 'transpose',
  kind: 'layout',
  arity: 1,
  shape: ([x], attrs) => {
    const perm = checkPerm(attrs.perm as number[], x.length)
    return perm.map((p) => x[p])
  },
  reference: ({ inputs: [x], inputShapes: [xs], output, shape, attrs }) => {
    const s = strides(xs)
    const perm = attrs.perm as number[]
    walk(shape, [perm.map((p) => s[p])], (k, [o]) => {
      output[k] = x[o]
    })
  },
  vjp: (_inputs, y, dy) => {
    const perm = y.attrs.perm as number[]
    const inverse = new Array<number>(perm.length)
    perm.forEach((p, i) => (inverse[p] = i))
    return [transpose(dy, inverse)]
  },
  simplify: ([x], attrs) => {
    const perm = attrs.perm as number[]
    if (perm.every((p, i) => p === i)) return x
    if (x.op === 'transpose') {
      const inner = x.attrs.perm as number[]
      return transpose(x.inputs[0], perm.map((p) => inner[p]))
    }
    return undefined
  },
})

/**
 * Permutes axes: output axis i is input axis perm[i]. Without perm, reverses the axes (a matrix
 * transpose for rank 2).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.transpose(ir.input('A', [2, 3])).shape, [3, 2])
 */
export const transpose = (x: Operand, perm?: readonly number[]): Expr => {
  const e = lift(x, 'ir.transpose')
  const p = perm ?? e.shape.map((_d, i) => e.shape.length - 1 - i)
  return apply('transpose', [e], { perm: [...p] })
}

defineOp({
  name: 'slice',
  kind: 'layout',
  arity: 1,
  shape: ([x], attrs) => {
    const { axis, start, end } = attrs as { axis: number; start: number; end: number }
    if (axis >= x.length) shapeError('slice', `an axis below the rank ${x.length}`, [x], `axis ${axis}`)
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= x[axis])) {
      shapeError('slice', `a range within axis ${axis} of extent ${x[axis]}`, [x], `${start}:${end}`)
    }
    return x.map((d, i) => (i === axis ? end - start : d))
  },
  reference: ({ inputs: [x], inputShapes: [xs], output, attrs }) => {
    const { axis, start, end } = attrs as { axis: number; start: number; end: number }
    const inner = size(xs.slice(axis + 1))
    const outer = size(xs.slice(0, axis))
    const len = (end - start) * inner
    for (let o = 0; o < outer; o++) {
      const from = o * xs[axis] * inner + start * inner
      output.set(x.subarray(from, from + len), o * len)
    }
  },
  vjp: ([x], y, dy) => {
    const { axis, start, end } = y.attrs as { axis: number; start: number; end: number }
    const parts: Expr[] = []
    const extent = (n: number) => x.shape.map((d, i) => (i === axis ? n : d))
    if (start > 0) parts.push(zeros(extent(start)))
    parts.push(dy)
    if (end < x.shape[axis]) parts.push(zeros(extent(x.shape[axis] - end)))
    return [concat(parts, axis)]
  },
  simplify: ([x], attrs) => {
    const { axis, start, end } = attrs as { axis: number; start: number; end: number }
    if (start === 0 && end === x.shape[axis]) return x
    if (isZero(x)) return zeros(x.shape.map((d, i) => (i === axis ? end - start : d)))
    return undefined
  },
})

/**
 * The entries start..end−1 along one axis.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.slice(ir.input('x', [8, 3]), 1, 0, 2).shape, [8, 2])
 */
export const slice = (x: Operand, axis: number, start: number, end: number): Expr => {
  const e = lift(x, 'ir.slice')
  const a = normaliseAxis(axis, e.shape.length, 'ir.slice: axis')
  return apply('slice', [e], { axis: a, start, end })
}

defineOp({
  name: 'concat',
  kind: 'layout',
  arity: 'variadic',
  shape: (xs, attrs) => {
    const axis = attrs.axis as number
    if (xs.length === 0) throw new RangeError('ir.concat: expected at least one operand, got none')
    const first = xs[0]
    if (axis >= first.length) shapeError('concat', `an axis below the rank ${first.length}`, xs, `axis ${axis}`)
    let total = 0
    for (const s of xs) {
      if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
        shapeError('concat', `operands that agree on every axis but ${axis}`, xs)
      }
      total += s[axis]
    }
    return first.map((d, i) => (i === axis ? total : d))
  },
  reference: ({ inputs, inputShapes, output, shape, attrs }) => {
    const axis = attrs.axis as number
    const inner = size(shape.slice(axis + 1))
    const outer = size(shape.slice(0, axis))
    const row = shape[axis] * inner
    let at = 0
    inputs.forEach((x, j) => {
      const len = inputShapes[j][axis] * inner
      for (let o = 0; o < outer; o++) output.set(x.subarray(o * len, (o + 1) * len), o * row + at)
      at += len
    })
  },
  vjp: (xs, y, dy) => {
    const axis = y.attrs.axis as number
    let at = 0
    return xs.map((x) => {
      const part = slice(dy, axis, at, at + x.shape[axis])
      at += x.shape[axis]
      return part
    })
  },
  simplify: (xs) => (xs.length === 1 ? xs[0] : undefined),
})

/**
 * Joins tensors along an axis; they must agree on every other axis.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.concat([ir.input('a', [4, 1]), ir.input('b', [4, 2])], 1).shape, [4, 3])
 */
export const concat = (xs: readonly Operand[], axis: number): Expr => {
  if (!Array.isArray(xs)) throw typeError('ir.concat: xs', 'an array of operands', xs)
  if (xs.length === 0) throw new RangeError('ir.concat: xs: expected at least one operand, got none')
  const es = xs.map((x) => lift(x, 'ir.concat'))
  const a = normaliseAxis(axis, es[0].shape.length, 'ir.concat: axis')
  return apply('concat', es, { axis: a })
}

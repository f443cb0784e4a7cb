/**
 * Elementwise ops: the unary functions of the op set and the broadcasting binary ops add, sub, mul, div,
 * and pow by a constant exponent. Each entry holds its reference implementation and its derivative rule, the
 * latter written with IR ops so that it can be differentiated again.
 *
 * @module
 */
import { finite } from '../../check/index.js'
import { apply, defineOp, type Expr, shapeError } from '../expr.js'
import { broadcastStrides, walk } from '../indexing.js'
import { broadcastShapes, sameShape, type Shape, size } from '../shape.js'
import { broadcastTo, unbroadcast, zeros } from './layout.js'
import { isConstantValue, isOne, isZero, lift, type Operand } from './leaf.js'

type Vjp1 = (x: Expr, y: Expr, dy: Expr) => Expr | undefined

const unary = (name: string, reference: (x: number) => number, vjp: Vjp1, simplify?: (x: Expr) => Expr | undefined) => {
  defineOp({
    name,
    kind: 'unary',
    arity: 1,
    shape: ([x]) => x,
    reference: ({ inputs: [x], output }) => {
      for (let i = 0; i < output.length; i++) output[i] = reference(x[i])
    },
    vjp: ([x], y, dy) => [vjp(x, y, dy)],
    simplify: simplify && (([x]) => simplify(x)),
  })
  return (x: Operand): Expr => apply(name, [lift(x, `ir.${name}`)])
}

// Stable logistic: never evaluates e^x for large positive x.
const sigmoidOf = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/**
 * −x.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.neg(x)], { x: [1, -2] })[0], new Float64Array([-1, 2]))
 */
export const neg = unary('neg', (x) => -x, (_x, _y, dy) => neg(dy), (x) => (x.op === 'neg' ? x.inputs[0] : undefined))
/**
 * e^x.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.exp(x)], { x: [0, 1] })[0], new Float64Array([1, Math.E]))
 */
export const exp = unary('exp', Math.exp, (_x, y, dy) => mul(dy, y))
/**
 * Natural logarithm (−∞ at 0, NaN below).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [3])
 * assert.deepEqual([...ir.interpret([ir.log(x)], { x: [1, 0, -1] })[0]], [0, -Infinity, NaN])
 */
export const log = unary('log', Math.log, (x, _y, dy) => div(dy, x))
/**
 * Square root.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.sqrt(x)], { x: [4, 9] })[0], new Float64Array([2, 3]))
 */
export const sqrt = unary('sqrt', Math.sqrt, (_x, y, dy) => div(mul(dy, 0.5), y))
/**
 * x².
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.square(x)], { x: [3, -2] })[0], new Float64Array([9, 4]))
 */
export const square = unary('square', (x) => x * x, (x, _y, dy) => mul(dy, mul(x, 2)))
/**
 * sin x.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.sin(x)], { x: [0, Math.PI / 2] })[0], new Float64Array([0, 1]))
 */
export const sin = unary('sin', Math.sin, (x, _y, dy) => mul(dy, cos(x)))
/**
 * cos x.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.cos(x)], { x: [0, Math.PI] })[0], new Float64Array([1, -1]))
 */
export const cos = unary('cos', Math.cos, (x, _y, dy) => neg(mul(dy, sin(x))))
/**
 * tanh x.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const [y] = ir.interpret([ir.tanh(ir.input('x', [1]))], { x: [Math.log(2)] })[0]
 * assert.ok(Math.abs(y - 0.6) < 1e-15) // tanh(ln 2) = (2 − ½)/(2 + ½) = 3/5, to rounding
 */
export const tanh = unary('tanh', Math.tanh, (_x, y, dy) => mul(dy, sub(1, square(y))))
/**
 * The logistic 1/(1 + e^−x), stable for large |x|.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [3])
 * assert.deepEqual(ir.interpret([ir.sigmoid(x)], { x: [0, -800, 800] })[0], new Float64Array([0.5, 0, 1])) // no NaN from e^800
 */
export const sigmoid = unary('sigmoid', sigmoidOf, (_x, y, dy) => mul(dy, mul(y, sub(1, y))))
/**
 * softplus(x) = log(1 + e^x), without overflow for large |x|; its derivative is the sigmoid.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.softplus(x)], { x: [0, 1000] })[0], new Float64Array([Math.LN2, 1000])) // no overflow from e^1000
 */
export const softplus = unary(
  'softplus',
  (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  (x, _y, dy) => mul(dy, sigmoid(x)),
)
/**
 * SiLU (swish): x·sigmoid(x).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.silu(x)], { x: [0, 800] })[0], new Float64Array([0, 800]))
 */
export const silu = unary(
  'silu',
  (x) => x * sigmoidOf(x),
  // d/dx x·s(x) = s(x)·(1 + x·(1 − s(x)))
  (x, _y, dy) => {
    const s = sigmoid(x)
    return mul(dy, mul(s, add(1, mul(x, sub(1, s)))))
  },
)
/**
 * max(x, 0); its derivative is taken as 0 at 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.relu(x)], { x: [-1, 2] })[0], new Float64Array([0, 2]))
 */
export const relu = unary('relu', (x) => (x > 0 ? x : x === x ? 0 : x), (x, _y, dy) => mul(dy, relu(sign(x))))
/**
 * |x|; its derivative is sign(x) (0 at 0).
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.abs(x)], { x: [-1, 2] })[0], new Float64Array([1, 2]))
 */
export const abs = unary('abs', Math.abs, (x, _y, dy) => mul(dy, sign(x)))
/**
 * sign(x) in {−1, 0, 1}; piecewise constant, so its derivative is zero. It carries the derivatives of relu and abs.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [3])
 * assert.deepEqual(ir.interpret([ir.sign(x)], { x: [-3, 0, 2] })[0], new Float64Array([-1, 0, 1]))
 */
export const sign = unary('sign', Math.sign, () => undefined)

/** The value of an expression that is one number everywhere (a scalar constant, or a broadcast of one). */
const scalarValue = (e: Expr): number | undefined => {
  if (e.op === 'broadcast' || e.op === 'reshape') return scalarValue(e.inputs[0])
  return e.op === 'constant' && size(e.shape) === 1 ? (e.attrs.value as number[])[0] : undefined
}

// Where the other operand already has the result's shape, a broadcast scalar operand is replaced by the
// plain scalar (the binary op broadcasts it anyway): this exposes scalar constants to the rules below.
const unwrapScalar = (name: string, a: Expr, b: Expr, shape: Shape): Expr | undefined => {
  const sa = a.op === 'constant' ? undefined : scalarValue(a)
  const sb = b.op === 'constant' ? undefined : scalarValue(b)
  if (sb !== undefined && sameShape(a.shape, shape)) return apply(name, [a, lift(sb, name)])
  if (sa !== undefined && sameShape(b.shape, shape)) return apply(name, [lift(sa, name), b])
  return undefined
}

type Vjp2 = (a: Expr, b: Expr, y: Expr, dy: Expr) => readonly [Expr | undefined, Expr | undefined]

const binary = (
  name: string,
  reference: (a: number, b: number) => number,
  vjp: Vjp2,
  simplify: (a: Expr, b: Expr, shape: Shape) => Expr | undefined,
) => {
  defineOp({
    name,
    kind: 'binary',
    arity: 2,
    shape: ([a, b]) => broadcastShapes(a, b) ?? shapeError(name, 'operands that broadcast', [a, b]),
    reference: ({ inputs: [a, b], inputShapes: [as, bs], output, shape }) => {
      const n = output.length
      if (sameShape(as, bs)) for (let i = 0; i < n; i++) output[i] = reference(a[i], b[i])
      else if (size(bs) === 1 && sameShape(as, shape)) for (let i = 0; i < n; i++) output[i] = reference(a[i], b[0])
      else if (size(as) === 1 && sameShape(bs, shape)) for (let i = 0; i < n; i++) output[i] = reference(a[0], b[i])
      else {
        walk(shape, [broadcastStrides(as, shape), broadcastStrides(bs, shape)], (k, [i, j]) => {
          output[k] = reference(a[i], b[j])
        })
      }
    },
    // The rule gives cotangents at the broadcast shape; each is summed back to its operand's shape.
    vjp: ([a, b], y, dy) => {
      const [da, db] = vjp(a, b, y, dy)
      return [da && unbroadcast(da, a.shape), db && unbroadcast(db, b.shape)]
    },
    simplify: ([a, b], _attrs, shape) => unwrapScalar(name, a, b, shape) ?? simplify(a, b, shape),
  })
  return (a: Operand, b: Operand): Expr => apply(name, [lift(a, `ir.${name}`), lift(b, `ir.${name}`)])
}

/**
 * a + b with broadcasting.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const [x, b] = [ir.input('x', [2, 2]), ir.param('b', [2])]
 * assert.deepEqual(ir.interpret([ir.add(x, b)], { x: [1, 2, 3, 4], b: [10, 20] })[0], new Float64Array([11, 22, 13, 24])) // b added to each row
 */
export const add = binary(
  'add',
  (a, b) => a + b,
  (_a, _b, _y, dy) => [dy, dy],
  (a, b, shape) => (isZero(b) ? broadcastTo(a, shape) : isZero(a) ? broadcastTo(b, shape) : undefined),
)
/**
 * a − b with broadcasting.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const [x, mu] = [ir.input('x', [2, 2]), ir.param('mu', [2])]
 * assert.deepEqual(ir.interpret([ir.sub(x, mu)], { x: [1, 2, 3, 4], mu: [1, 1] })[0], new Float64Array([0, 1, 2, 3])) // μ taken from each row
 */
export const sub = binary(
  'sub',
  (a, b) => a - b,
  (_a, _b, _y, dy) => [dy, neg(dy)],
  (a, b, shape) => (isZero(b) ? broadcastTo(a, shape) : isZero(a) ? broadcastTo(neg(b), shape) : a === b ? zeros(shape) : undefined),
)
/**
 * a · b elementwise, with broadcasting.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2, 2])
 * assert.deepEqual(ir.interpret([ir.mul(x, 0.5)], { x: [1, 2, 3, 4] })[0], new Float64Array([0.5, 1, 1.5, 2]))
 */
export const mul = binary(
  'mul',
  (a, b) => a * b,
  (a, b, _y, dy) => [mul(dy, b), mul(dy, a)],
  (a, b, shape) => {
    // x·0 is taken as 0 (as in every autodiff system's symbolic zeros), even where x may be infinite.
    if (isZero(a) || isZero(b)) return zeros(shape)
    if (isOne(b)) return broadcastTo(a, shape)
    if (isOne(a)) return broadcastTo(b, shape)
    if (isConstantValue(b, -1)) return broadcastTo(neg(a), shape)
    if (isConstantValue(a, -1)) return broadcastTo(neg(b), shape)
    if (a === b) return square(a)
    // (x·c₁)·c₂ = x·(c₁c₂) for scalar constants, so chains of constant factors in derivatives collapse
    const ca = scalarValue(a)
    const cb = scalarValue(b)
    const inner = (e: Expr) => (e.op === 'mul' ? scalarValue(e.inputs[1]) ?? scalarValue(e.inputs[0]) : undefined)
    if (ca !== undefined && b.op === 'mul' && inner(b) !== undefined) {
      const c = inner(b) as number
      const rest = scalarValue(b.inputs[1]) !== undefined ? b.inputs[0] : b.inputs[1]
      return broadcastTo(mul(rest, ca * c), shape)
    }
    if (cb !== undefined && a.op === 'mul' && inner(a) !== undefined) {
      const c = inner(a) as number
      const rest = scalarValue(a.inputs[1]) !== undefined ? a.inputs[0] : a.inputs[1]
      return broadcastTo(mul(rest, cb * c), shape)
    }
    return undefined
  },
)
/**
 * a / b elementwise, with broadcasting.
 *
 * @example
 * import assert from 'node:assert/strict'
 * const x = ir.input('x', [2, 2])
 * assert.deepEqual(ir.interpret([ir.div(x, 2)], { x: [1, 2, 3, 4] })[0], new Float64Array([0.5, 1, 1.5, 2]))
 */
export const div = binary(
  'div',
  (a, b) => a / b,
  // y = a/b: ∂y/∂a = 1/b, ∂y/∂b = −y/b
  (_a, b, y, dy) => [div(dy, b), neg(mul(dy, div(y, b)))],
  (a, b, shape) => (isOne(b) ? broadcastTo(a, shape) : isZero(a) && !isZero(b) ? zeros(shape) : undefined),
)

defineOp({
  name: 'pow',
  kind: 'unary',
  arity: 1,
  attrs: (attrs) => {
    return { exponent: finite(attrs.exponent, 'ir.pow: exponent') }
  },
  shape: ([x]) => x,
  reference: ({ inputs: [x], output, attrs }) => {
    const p = attrs.exponent as number
    for (let i = 0; i < output.length; i++) output[i] = Math.pow(x[i], p)
  },
  vjp: ([x], y, dy) => {
    const p = y.attrs.exponent as number
    return [mul(dy, mul(p, pow(x, p - 1)))]
  },
  simplify: ([x], attrs, shape) => {
    const p = attrs.exponent as number
    if (p === 1) return x
    if (p === 0) return broadcastTo(lift(1, 'ir.pow'), shape)
    if (p === 2) return square(x)
    return undefined
  },
})

/**
 * x^p for a constant exponent p (NaN for negative x and non-integer p, as Math.pow).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * const quartic = ir.pow(ir.input('x', [3]), 4) // the θ⁴ of a double well
 * assert.deepEqual(ir.interpret([quartic], { x: [1, 2, -3] })[0], new Float64Array([1, 16, 81]))
 * assert.throws(() => ir.pow(ir.input('x', [3]), NaN), { name: 'RangeError', message: 'ir.pow: exponent: expected a finite number, got NaN' })
 */
export const pow = (x: Operand, p: number): Expr => apply('pow', [lift(x, 'ir.pow')], { exponent: p })

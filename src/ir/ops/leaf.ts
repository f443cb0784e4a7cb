/**
 * Leaves of the IR: inputs (data fed per call, such as chain positions), params (trainable tensors) and
 * constants.
 *
 * @module
 */
import { array, rangeError, string, typeError } from '../../check/index.js'
import { apply, defineOp, type Expr, isExpr } from '../expr.js'
import { checkShape, type Shape, showShape, size } from '../shape.js'

const leafName = (op: string) => (attrs: Record<string, unknown>) => {
  const name = string(attrs.name, `ir.${op}: name`)
  if (name.length === 0) throw rangeError(`ir.${op}: name`, 'a non-empty string', name)
  return { name, shape: attrs.shape }
}

const noKernel = (op: string) => () => {
  throw new Error(`ir.${op}: a leaf has no reference implementation; executors feed it`)
}

for (const op of ['input', 'param'] as const) {
  defineOp({
    name: op,
    kind: 'leaf',
    arity: 0,
    attrs: leafName(op),
    shape: (_inputs, attrs) => attrs.shape as Shape,
    reference: noKernel(op),
    vjp: () => [],
  })
}

defineOp({
  name: 'constant',
  kind: 'leaf',
  arity: 0,
  shape: (_inputs, attrs) => attrs.shape as Shape,
  reference: noKernel('constant'),
  vjp: () => [],
})

/**
 * A named input of the given shape: data fed at evaluation time (chain positions, a data batch).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * const x = ir.input('x', [8, 2]) // 8 chains in two dimensions
 * assert.deepEqual(x.shape, [8, 2])
 */
export const input = (name: string, shape: Shape): Expr => {
  const s = checkShape(shape, `ir.input('${name}'): shape`)
  return leaf('input', name, s)
}

/**
 * A named trainable parameter of the given shape; `grad` differentiates with respect to it like an input.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * const W = ir.param('W', [2, 16])
 * assert.deepEqual([W.op, W.shape], ['param', [2, 16]])
 * assert.equal(ir.param('W', [2, 16]), W) // the same name and shape: one node
 */
export const param = (name: string, shape: Shape): Expr => {
  const s = checkShape(shape, `ir.param('${name}'): shape`)
  return leaf('param', name, s)
}

// Leaves carry their shape as an attribute so that equal name and shape intern to one node.
const leaf = (op: 'input' | 'param', name: string, shape: Shape): Expr => {
  const e = apply(op, [], { name, shape })
  return e
}

type Nested = number | readonly Nested[]

const inferShape = (v: Nested, what: string): number[] => {
  if (typeof v === 'number') return []
  if (v.length === 0) return [0]
  const inner = inferShape(v[0], what)
  for (let i = 1; i < v.length; i++) {
    const s = inferShape(v[i], what)
    if (s.length !== inner.length || s.some((d, j) => d !== inner[j])) {
      throw new RangeError(`${what}[${i}]: expected shape ${showShape(inner)}, as element 0 has (nested arrays must be rectangular), got ${showShape(s)}`)
    }
  }
  return [v.length, ...inner]
}

const flatten = (v: Nested, out: number[]): void => {
  if (typeof v === 'number') out.push(v)
  else for (const x of v) flatten(x, out)
}

/**
 * A constant tensor. A number gives a scalar (or, with a shape, a tensor filled with it); a flat array
 * takes a shape (default: one axis of its length); nested arrays give their own shape.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.constant(2).shape, [])
 * assert.deepEqual(ir.constant([1, 2, 3, 4], [2, 2]).shape, [2, 2])
 * assert.deepEqual(ir.constant([[1, 2], [3, 4]]).shape, [2, 2])
 */
export const constant = (value: number | ArrayLike<number> | readonly Nested[], shape?: Shape): Expr => {
  const what = 'ir.constant: value'
  let values: number[]
  let s: Shape
  if (typeof value === 'number') {
    s = shape === undefined ? [] : checkShape(shape, 'ir.constant: shape')
    values = new Array<number>(size(s)).fill(value)
  } else if (Array.isArray(value) && value.some((v) => Array.isArray(v))) {
    const inferred = inferShape(value as readonly Nested[], what)
    values = []
    flatten(value as readonly Nested[], values)
    s = shape === undefined ? inferred : checkShape(shape, 'ir.constant: shape')
  } else if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    values = Array.from(value as ArrayLike<number>)
    s = shape === undefined ? [values.length] : checkShape(shape, 'ir.constant: shape')
  } else {
    throw typeError(what, 'a number or a (nested) array of numbers', value)
  }
  values.forEach((v, i) => {
    if (typeof v !== 'number') throw typeError(`${what} (flattened)[${i}]`, 'a number', v)
  })
  array(values, what, { length: size(s), lengthReason: `tensors of shape ${showShape(s)}` })
  return apply('constant', [], { shape: s, value: values })
}

/** An operand: an expression, or a number taken as a scalar constant. */
export type Operand = Expr | number

/** Lifts a number to a scalar constant; passes expressions through. */
export const lift = (v: Operand, what: string): Expr => {
  if (typeof v === 'number') return constant(v)
  if (!isExpr(v)) throw typeError(`${what}: operand`, 'an expression or a number', v)
  return v
}

/** True when every value of the expression is known to be `c` (a constant, or a broadcast of one). */
export const isConstantValue = (e: Expr, c: number): boolean => {
  if (e.op === 'broadcast' || e.op === 'reshape') return isConstantValue(e.inputs[0], c)
  return e.op === 'constant' && (e.attrs.value as number[]).every((v) => v === c)
}

/** True when every value of the expression is known to be zero. */
export const isZero = (e: Expr): boolean => isConstantValue(e, 0)

/** True when every value of the expression is known to be one. */
export const isOne = (e: Expr): boolean => isConstantValue(e, 1)

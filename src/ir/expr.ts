/**
 * Expression nodes and the op registry.
 *
 * An `Expr` is an immutable node: op, inputs, static shape and attributes. Nodes are hash-consed (built
 * through one function, {@link apply}, that returns the existing node for an equal op, attributes and
 * inputs), so equal subexpressions are one node and common subexpressions are shared for free.
 *
 * Every op is described once by an {@link OpDef}: its shape rule, its reference kernel, its
 * vector-Jacobian rule written with IR ops (so derivatives can be differentiated again) and the algebraic
 * identities that shrink graphs. The op files in ./ops register their definitions here.
 *
 * @module
 */
import { rangeError, typeError } from '../check/index.js'
import { type Shape, showShape, size } from './shape.js'

/** JSON-like attribute values of a node. */
export type Attrs = Readonly<Record<string, unknown>>

/** An immutable node of the IR. */
export interface Expr {
  /** Unique per distinct node; equal expressions built twice are the same node with the same id. */
  readonly id: number
  /** The op's name, a key of the op table. */
  readonly op: string
  /** The operands, in the op's order. */
  readonly inputs: readonly Expr[]
  /** The static shape of the value this node computes. */
  readonly shape: Shape
  /** Op-specific attributes (axis, exponent, name of a leaf, value of a constant, ...). */
  readonly attrs: Attrs
}

/** Arguments of a reference kernel: operand buffers and shapes, the output buffer and shape, attributes. */
export interface KernelArgs {
  readonly inputs: readonly Float64Array[]
  readonly inputShapes: readonly Shape[]
  readonly output: Float64Array
  readonly shape: Shape
  readonly attrs: Attrs
}

/**
 * What an op is: a leaf (input, param, constant: fed, no kernel), elementwise unary or binary (binary ops
 * broadcast), a matrix product, a reduction along axes, or a layout op that moves elements. The native
 * addon reports the kinds of its ops too, and a spec holds the two tables equal (spec/backend/ops.spec.ts).
 */
export type OpKind = 'leaf' | 'unary' | 'binary' | 'matmul' | 'reduction' | 'layout'

/** Everything the system knows about one op. */
export interface OpDef {
  readonly name: string
  readonly kind: OpKind
  /** Number of operands, or 'variadic' (concat). */
  readonly arity: number | 'variadic'
  /** The output shape; throws an error naming the op and the shapes when the operands do not fit. */
  readonly shape: (inputs: readonly Shape[], attrs: Attrs) => Shape
  /** Computes the output in float64 into `output` (which never aliases an input). */
  readonly reference: (args: KernelArgs) => void
  /**
   * Cotangents of the operands given the cotangent `dy` of the output, written with IR ops. An undefined
   * entry means zero (the operand does not influence the output differentiably).
   */
  readonly vjp: (inputs: readonly Expr[], y: Expr, dy: Expr) => readonly (Expr | undefined)[]
  /** Algebraic identities: return a smaller equivalent expression, or undefined to build the node. */
  readonly simplify?: (inputs: readonly Expr[], attrs: Attrs, shape: Shape) => Expr | undefined
  /** Checks and normalises attributes (called once per construction); throws naming the op. */
  readonly attrs?: (attrs: Attrs) => Attrs
  /** Whether constant operands may be folded into a constant at build time (default true). */
  readonly fold?: boolean
}

const table = new Map<string, OpDef>()

/** Registers an op; each op file calls this once. */
export const defineOp = (def: OpDef): OpDef => {
  // Two definitions of one name are a bug in heatbath's op files, not a user's mistake.
  if (table.has(def.name)) throw new Error(`ir: op '${def.name}' is defined twice`)
  table.set(def.name, def)
  return def
}

/** The definition of an op, or an error naming the unknown op. */
export const opDef = (name: string): OpDef => {
  const def = table.get(name)
  if (def === undefined) throw rangeError('ir: op', `one of ${[...table.keys()].join(', ')}`, name)
  return def
}

/** The names of all registered ops. */
export const opNames = (): readonly string[] => [...table.keys()]

// Hash-consing: a node is found by a key built from op, attributes and input ids. Entries are weak, so
// nodes nobody holds are collected and their keys dropped.
const interned = new Map<string, WeakRef<Expr>>()
const registry = new FinalizationRegistry<string>((key) => {
  const ref = interned.get(key)
  if (ref !== undefined && ref.deref() === undefined) interned.delete(key)
})
let nextId = 1

const numberKey = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))
const attrsKey = (attrs: Attrs): string =>
  JSON.stringify(attrs, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? numberKey(v) : v))
const constantKey = (values: readonly number[]): string => values.map(numberKey).join(',')

const intern = (op: string, inputs: readonly Expr[], shape: Shape, attrs: Attrs): Expr => {
  const a = op === 'constant' ? constantKey(attrs.value as number[]) : attrsKey(attrs)
  const key = `${op}|${shape.join(',')}|${a}|${inputs.map((e) => e.id).join(',')}`
  const found = interned.get(key)?.deref()
  if (found !== undefined) return found
  const node: Expr = Object.freeze({ id: nextId++, op, inputs: Object.freeze([...inputs]), shape, attrs: Object.freeze(attrs) })
  interned.set(key, new WeakRef(node))
  registry.register(node, key)
  return node
}

/** Size up to which an op over constants is folded into a constant when it is built. */
const FOLD_LIMIT = 1024

/**
 * Builds (or finds) the node `op(inputs)` with `attrs`: checks shapes with the op's rule, applies its
 * identities, folds small constant subexpressions, and hash-conses the result.
 */
export const apply = (op: string, inputs: readonly Expr[], attrs: Attrs = {}): Expr => {
  const def = opDef(op)
  if (def.arity !== 'variadic' && inputs.length !== def.arity) {
    throw new RangeError(`ir.${op}: expected ${def.arity} operand(s), got ${inputs.length}`)
  }
  inputs.forEach((e, i) => {
    if (!isExpr(e)) throw typeError(`ir.${op}: operands[${i}]`, 'an expression', e)
  })
  const a = def.attrs ? def.attrs(attrs) : attrs
  const shape = Object.freeze([...def.shape(inputs.map((e) => e.shape), a)])
  if (def.kind !== 'leaf') {
    const s = def.simplify?.(inputs, a, shape)
    if (s !== undefined) return s
    if (def.fold !== false && inputs.every((e) => e.op === 'constant') && size(shape) <= FOLD_LIMIT) {
      const output = new Float64Array(size(shape))
      def.reference({ inputs: inputs.map((e) => constantValues(e)), inputShapes: inputs.map((e) => e.shape), output, shape, attrs: a })
      return intern('constant', [], shape, { value: Array.from(output) })
    }
  }
  return intern(op, inputs, shape, a)
}

/** The values of a constant node as a Float64Array. */
export const constantValues = (e: Expr): Float64Array => Float64Array.from(e.attrs.value as number[])

/** True for a value built by this IR. */
export const isExpr = (v: unknown): v is Expr =>
  typeof v === 'object' && v !== null && typeof (v as Expr).id === 'number' && typeof (v as Expr).op === 'string' && Array.isArray((v as Expr).shape)

/**
 * Throws the RangeError of a shape rule, naming the op and the operand shapes: `ir.op: expected …, got
 * [what was given, for ]operand shapes …`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { shapeError } from './expr.js'
 * assert.throws(() => shapeError('add', 'operands that broadcast', [[2, 3], [4]]), { name: 'RangeError', message: 'ir.add: expected operands that broadcast, got operand shapes [2,3] and [4]' })
 * assert.throws(() => shapeError('sum', 'axes below the rank 2', [[2, 3]], 'axis 3'), { message: 'ir.sum: expected axes below the rank 2, got axis 3 for operand shape [2,3]' })
 */
export const shapeError = (op: string, expected: string, shapes: readonly Shape[], got?: string): never => {
  const operands = `operand shape${shapes.length === 1 ? '' : 's'} ${shapes.map(showShape).join(' and ')}`
  throw new RangeError(`ir.${op}: expected ${expected}, got ${got === undefined ? '' : `${got} for `}${operands}`)
}

/**
 * Checks a list of expressions (a program's outputs); `where` names the list.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkExprs } from './expr.js'
 * assert.throws(() => checkExprs([42 as never], 'ir.compile: outputs'), { name: 'TypeError', message: 'ir.compile: outputs[0]: expected an expression, got 42' })
 */
export const checkExprs = (es: readonly Expr[], where: string): readonly Expr[] => {
  if (!Array.isArray(es)) throw typeError(where, 'an array of expressions', es)
  es.forEach((e, i) => {
    if (!isExpr(e)) throw typeError(`${where}[${i}]`, 'an expression', e)
  })
  return es
}

/**
 * Checks a list of leaves that a program is fed or differentiated by: inputs and params.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * import { checkLeaves } from './expr.js'
 * const x = ir.input('x', [3])
 * assert.throws(() => checkLeaves([ir.exp(x)], 'ir.grad: wrt'), { name: 'TypeError', message: "ir.grad: wrt[0]: expected an input or param leaf, got an 'exp' node" })
 */
export const checkLeaves = (es: readonly Expr[], where: string): readonly Expr[] => {
  if (!Array.isArray(es)) throw typeError(where, 'an array of input or param leaves', es)
  es.forEach((e, i) => {
    if (!isExpr(e)) throw typeError(`${where}[${i}]`, 'an input or param leaf', e)
    if (e.op !== 'input' && e.op !== 'param') throw new TypeError(`${where}[${i}]: expected an input or param leaf, got an '${e.op}' node`)
  })
  return es
}

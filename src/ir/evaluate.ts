/**
 * The reference executor: runs a tape over Float64Arrays with each op's reference kernel. It is simple on
 * purpose; the native executor is tested against it.
 *
 * @module
 */
import { constantValues, type Expr, isExpr, opDef } from './expr.js'
import { topologicalOrder } from './graph.js'
import { describe, type Shape, showShape, size } from './shape.js'
import type { Tape } from './tape.js'

/** Values fed by name: typed arrays or plain arrays in row-major order, or a number for a one-element feed. */
export type Feeds = Readonly<Record<string, ArrayLike<number> | number>>

/** Checks one feed and returns it as a Float64Array of the expected length. */
export const feedValues = (feeds: Feeds, name: string, shape: Shape, what: string): Float64Array => {
  const v = feeds[name]
  if (v === undefined) throw new RangeError(`${what}: no feed named '${name}' (${showShape(shape)})`)
  const n = size(shape)
  if (typeof v === 'number') {
    if (n !== 1) throw new RangeError(`${what}: feed '${name}' is a number; shape ${showShape(shape)} needs ${n} values`)
    return Float64Array.of(v)
  }
  if (!(ArrayBuffer.isView(v) || Array.isArray(v))) throw new TypeError(`${what}: feed '${name}' must be an array of numbers, got ${describe(v)}`)
  if (v.length !== n) throw new RangeError(`${what}: feed '${name}' has ${v.length} values; shape ${showShape(shape)} needs ${n}`)
  return v instanceof Float64Array ? v : Float64Array.from(v)
}

const checkNoExtraFeeds = (feeds: Feeds, known: ReadonlySet<string>, what: string): void => {
  if (typeof feeds !== 'object' || feeds === null) throw new TypeError(`${what}: feeds must be an object keyed by input name, got ${describe(feeds)}`)
  for (const k of Object.keys(feeds)) {
    if (!known.has(k)) throw new RangeError(`${what}: feed '${k}' is not an input of this program (inputs: ${[...known].join(', ') || 'none'})`)
  }
}

/**
 * Runs a tape on the reference executor (float64) and returns one new Float64Array per output.
 * Feeds are keyed by input/param name; a missing, extra or wrongly sized feed is an error naming it.
 *
 * @example
 * import * as ir from './index.js'
 * const x = ir.input('x', [3])
 * const tape = ir.compile([ir.sum(ir.square(x))], [x])
 * ir.evaluate(tape, { x: [1, 2, 3] }) // [Float64Array [14]]
 */
export const evaluateReference = (tape: Tape, feeds: Feeds): Float64Array[] => {
  const what = 'ir.evaluate'
  checkNoExtraFeeds(feeds, new Set(tape.feeds.map((f) => f.name)), what)
  const buffers = tape.slots.map((n) => new Float64Array(n))
  for (const f of tape.feeds) buffers[f.slot].set(feedValues(feeds, f.name, f.shape, what))
  for (const c of tape.constants) buffers[c.slot].set(c.value)
  for (const ins of tape.instructions) {
    opDef(ins.op).reference({
      inputs: ins.args.map((a, j) => buffers[a].subarray(0, size(ins.argShapes[j]))),
      inputShapes: ins.argShapes,
      output: buffers[ins.out].subarray(0, size(ins.shape)),
      shape: ins.shape,
      attrs: ins.attrs,
    })
  }
  return tape.outputs.map((o) => buffers[o.slot].slice(0, size(o.shape)))
}

/**
 * Evaluates expressions directly, node by node, without compiling: the simplest possible semantics of the
 * IR, used to check the compiler. Feeds are keyed by leaf name; feeds the expressions do not use are
 * ignored (simplification may remove a dependence, as in the constant Hessian of a quadratic).
 *
 * @example
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * ir.interpret([ir.exp(x)], { x: [0, 1] }) // [Float64Array [1, e]]
 */
export const interpret = (outputs: readonly Expr[], feeds: Feeds): Float64Array[] => {
  const what = 'ir.interpret'
  outputs.forEach((o, i) => {
    if (!isExpr(o)) throw new TypeError(`${what}: outputs[${i}] is not an expression`)
  })
  const order = topologicalOrder(outputs)
  if (typeof feeds !== 'object' || feeds === null) throw new TypeError(`${what}: feeds must be an object keyed by input name, got ${describe(feeds)}`)
  const values = new Map<number, Float64Array>()
  for (const e of order) {
    if (e.op === 'input' || e.op === 'param') values.set(e.id, feedValues(feeds, e.attrs.name as string, e.shape, what))
    else if (e.op === 'constant') values.set(e.id, constantValues(e))
    else {
      const output = new Float64Array(size(e.shape))
      opDef(e.op).reference({ inputs: e.inputs.map((i) => values.get(i.id) as Float64Array), inputShapes: e.inputs.map((i) => i.shape), output, shape: e.shape, attrs: e.attrs })
      values.set(e.id, output)
    }
  }
  return outputs.map((o) => (values.get(o.id) as Float64Array).slice())
}

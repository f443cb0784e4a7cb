/**
 * The reference executor: runs a tape over Float64Arrays with each op's reference kernel. It is simple on
 * purpose; the native executor is tested against it.
 *
 * @module
 */
import { array, numbers, rangeError, typeError } from '../check/index.js'
import { checkExprs, constantValues, type Expr, opDef } from './expr.js'
import { topologicalOrder } from './graph.js'
import { type Shape, showShape, size } from './shape.js'
import { checkTape, type Tape } from './tape.js'

/** Values fed by name: typed arrays or plain arrays in row-major order, or a number for a one-element feed. */
export type Feeds = Readonly<Record<string, ArrayLike<number> | number>>

/**
 * Checks one feed and returns it as a Float64Array of the expected length; `what` names the caller.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { feedValues } from './run-reference.js'
 * assert.deepEqual(feedValues({ x: [1, 2] }, 'x', [2], 'ir.runReference'), new Float64Array([1, 2]))
 * assert.throws(() => feedValues({ x: [1, 2, 3] }, 'x', [2], 'ir.runReference'), { name: 'RangeError', message: 'ir.runReference: feeds.x: has 3 values; inputs of shape [2] need 2' })
 */
export const feedValues = (feeds: Feeds, name: string, shape: Shape, what: string): Float64Array => {
  const where = `${what}: feeds.${name}`
  const v = feeds[name]
  const n = size(shape)
  if (v === undefined) throw typeError(where, `${n === 1 ? 'a number or ' : ''}an array of ${n} numbers (an input of shape ${showShape(shape)})`, v)
  if (typeof v === 'number') {
    if (n !== 1) throw rangeError(where, `an array of ${n} numbers (an input of shape ${showShape(shape)})`, v)
    return Float64Array.of(v)
  }
  const length = { length: n, lengthReason: `inputs of shape ${showShape(shape)}` }
  // A Float64Array is read in place; anything else is copied element by element, each checked to be a
  // number (Float64Array.from would turn "1" into 1 and null into 0). Non-finite values are the IEEE
  // inputs of the program, not argument errors.
  if (v instanceof Float64Array) return array<Float64Array>(v, where, length)
  return numbers(v, where, { ...length, finite: false })
}

const feedsObject = (feeds: Feeds, what: string): void => {
  if (typeof feeds !== 'object' || feeds === null || Array.isArray(feeds)) throw typeError(`${what}: feeds`, 'an object keyed by input name', feeds)
}

/**
 * Checks that feeds are an object and name only inputs of the program (a misspelt name is an error, not
 * an unused feed); `what` names the caller.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkFeedNames } from './run-reference.js'
 * assert.throws(() => checkFeedNames({ y: [1] }, new Set(['x']), 'ir.runReference'), { name: 'RangeError', message: 'ir.runReference: feeds: expected only inputs of the program (x), got "y"' })
 */
export const checkFeedNames = (feeds: Feeds, known: ReadonlySet<string>, what: string): void => {
  feedsObject(feeds, what)
  for (const k of Object.keys(feeds)) {
    if (!known.has(k)) throw rangeError(`${what}: feeds`, `only inputs of the program (${[...known].join(', ') || 'none'})`, k)
  }
}

/**
 * Runs a tape on the reference executor (float64) and returns one new Float64Array per output.
 * Feeds are keyed by input/param name; a missing, extra or wrongly sized feed is an error naming it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [3])
 * const tape = ir.compile([ir.sum(ir.square(x))], [x])
 * assert.deepEqual(ir.runReference(tape, { x: [1, 2, 3] }), [new Float64Array([14])])
 */
export const runReference = (given: Tape, feeds: Feeds, what = 'ir.runReference'): Float64Array[] => {
  const tape = checkTape(given, what)
  checkFeedNames(feeds, new Set(tape.feeds.map((f) => f.name)), what)
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
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.interpret([ir.exp(x)], { x: [0, 1] }), [new Float64Array([1, Math.E])])
 */
export const interpret = (outputs: readonly Expr[], feeds: Feeds): Float64Array[] => {
  const what = 'ir.interpret'
  checkExprs(outputs, `${what}: outputs`)
  const order = topologicalOrder(outputs)
  feedsObject(feeds, what)
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

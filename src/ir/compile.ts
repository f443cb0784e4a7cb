/**
 * Compiling expressions to tapes: topological order, leaves bound to named feeds, and buffer slots
 * reused by liveness.
 *
 * @module
 */
import { checkExprs, checkLeaves, type Expr } from './expr.js'
import { topologicalOrder } from './graph.js'
import { sealTape, type Tape, type TapeConstant, type TapeFeed, type TapeInstruction } from './tape.js'
import { showShape, size } from './shape.js'

/**
 * Compiles `outputs` into a {@link Tape} whose feeds are `inputs` (the input and param leaves the caller
 * will supply, in this order). Every leaf the outputs depend on must be listed.
 *
 * Slots: each feed and constant has its own slot; an instruction's result takes a free slot (the smallest
 * that fits, else the largest free one grown to fit, else a new one), and a slot is freed after the last
 * instruction that reads it. Outputs are never freed, and no instruction writes a slot it reads.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [4, 2])
 * const E = ir.mul(ir.sum(ir.square(x), 1), 0.5)
 * const [dx] = ir.grad(ir.sum(E), [x])
 * const tape = ir.compile([E, dx], [x])
 * assert.ok(tape.instructions.length <= 4) // a handful: E and dx = x share the squared input
 */
export const compile = (outputs: readonly Expr[], inputs: readonly Expr[]): Tape => {
  checkExprs(outputs, 'ir.compile: outputs')
  checkLeaves(inputs, 'ir.compile: inputs')
  const names = inputNames(inputs)
  const order = topologicalOrder(outputs)
  const slots: Slots = { sizes: [], free: [], owned: new Set(), of: new Map() }
  const feeds: TapeFeed[] = inputs.map((x) => ({ name: x.attrs.name as string, kind: x.op as 'input' | 'param', shape: x.shape, slot: leafSlot(slots, x) }))
  const constants = constantsOf(order, names, slots)
  const instructions = scheduled(order.filter((e) => !isLeaf(e)), new Set(outputs.map((o) => o.id)), slots)
  const tapeOutputs = outputs.map((o) => ({ slot: slots.of.get(o.id) as number, shape: o.shape }))
  return sealTape({ format: 'heatbath-tape', version: 1, slots: slots.sizes, feeds, constants, instructions, outputs: tapeOutputs })
}

// The inputs by name; two inputs of one name are refused.
const inputNames = (inputs: readonly Expr[]): Map<string, Expr> => {
  const names = new Map<string, Expr>()
  inputs.forEach((x, i) => {
    const name = x.attrs.name as string
    const seen = names.get(name)
    if (seen !== undefined) {
      throw new RangeError(`ir.compile: inputs[${i}]: expected a name not taken by an earlier input, got '${name}' (${seen.op} ${showShape(seen.shape)} and ${x.op} ${showShape(x.shape)})`)
    }
    names.set(name, x)
  })
  return names
}

// The tape's buffers as compile allocates them: their sizes, the free ones, those holding instruction
// results (the only ones ever freed), and the slot of every expression placed so far (by id).
interface Slots {
  readonly sizes: number[]
  readonly free: number[]
  readonly owned: Set<number>
  readonly of: Map<number, number>
}

const isLeaf = (e: Expr): boolean => e.op === 'input' || e.op === 'param' || e.op === 'constant'

// A slot of its own for a feed or a constant.
const leafSlot = (slots: Slots, e: Expr): number => {
  const slot = slots.sizes.push(size(e.shape)) - 1
  slots.of.set(e.id, slot)
  return slot
}

// The constants in order, each in a slot of its own; a leaf the outputs need that no input lists is refused.
const constantsOf = (order: readonly Expr[], names: Map<string, Expr>, slots: Slots): TapeConstant[] => {
  const constants: TapeConstant[] = []
  for (const e of order) {
    if (e.op === 'constant') constants.push({ slot: leafSlot(slots, e), shape: e.shape, value: e.attrs.value as number[] })
    else if (isLeaf(e) && !slots.of.has(e.id)) {
      const name = e.attrs.name as string
      const other = names.get(name)
      const hint = other === undefined ? '' : ` (an input of that name is listed with shape ${showShape(other.shape)})`
      throw new RangeError(`ir.compile: inputs: expected every leaf the outputs depend on, got no ${e.op} '${name}' ${showShape(e.shape)}${hint}`)
    }
  }
  return constants
}

// A slot for a result of n elements: the smallest free one that holds it, else the largest free one grown
// to fit, else a new one.
const take = (slots: Slots, n: number): number => {
  const { sizes, free } = slots
  let best = -1
  for (let j = 0; j < free.length; j++) {
    const s = sizes[free[j]]
    if (s >= n && (best < 0 || s < sizes[free[best]])) best = j
  }
  if (best < 0 && free.length > 0) {
    best = 0
    for (let j = 1; j < free.length; j++) if (sizes[free[j]] > sizes[free[best]]) best = j
    sizes[free[best]] = n
  }
  return best < 0 ? sizes.push(n) - 1 : free.splice(best, 1)[0]
}

// The steps as instructions, each result in a slot taken when it is computed; a result's slot is freed
// after the last step that reads it (never an output's, never a feed's or a constant's).
const scheduled = (steps: readonly Expr[], pinned: Set<number>, slots: Slots): TapeInstruction[] => {
  const lastUse = new Map<number, number>()
  steps.forEach((e, k) => e.inputs.forEach((i) => lastUse.set(i.id, k)))
  return steps.map((e, k) => {
    const args = e.inputs.map((i) => slots.of.get(i.id) as number)
    const out = take(slots, size(e.shape))
    slots.owned.add(out)
    slots.of.set(e.id, out)
    for (const i of new Set(e.inputs)) {
      if (lastUse.get(i.id) !== k || pinned.has(i.id)) continue
      const s = slots.of.get(i.id) as number
      if (slots.owned.has(s)) slots.free.push(s)
    }
    return { op: e.op, attrs: e.attrs, args, argShapes: e.inputs.map((i) => i.shape), out, shape: e.shape }
  })
}

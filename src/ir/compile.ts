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
  const names = new Map<string, Expr>()
  inputs.forEach((x, i) => {
    const name = x.attrs.name as string
    const seen = names.get(name)
    if (seen !== undefined) {
      throw new RangeError(`ir.compile: inputs[${i}]: expected a name not taken by an earlier input, got '${name}' (${seen.op} ${showShape(seen.shape)} and ${x.op} ${showShape(x.shape)})`)
    }
    names.set(name, x)
  })
  const order = topologicalOrder(outputs)
  const slotOf = new Map<number, number>()
  const slots: number[] = []
  const newSlot = (n: number): number => slots.push(n) - 1
  const feeds: TapeFeed[] = inputs.map((x) => {
    const slot = newSlot(size(x.shape))
    slotOf.set(x.id, slot)
    return { name: x.attrs.name as string, kind: x.op as 'input' | 'param', shape: x.shape, slot }
  })
  const constants: TapeConstant[] = []
  for (const e of order) {
    if (e.op === 'input' || e.op === 'param') {
      if (!slotOf.has(e.id)) {
        const name = e.attrs.name as string
        const other = names.get(name)
        const hint = other === undefined ? '' : ` (an input of that name is listed with shape ${showShape(other.shape)})`
        throw new RangeError(`ir.compile: inputs: expected every leaf the outputs depend on, got no ${e.op} '${name}' ${showShape(e.shape)}${hint}`)
      }
    } else if (e.op === 'constant') {
      const slot = newSlot(size(e.shape))
      slotOf.set(e.id, slot)
      constants.push({ slot, shape: e.shape, value: e.attrs.value as number[] })
    }
  }
  const steps = order.filter((e) => e.op !== 'input' && e.op !== 'param' && e.op !== 'constant')
  const lastUse = new Map<number, number>()
  steps.forEach((e, k) => e.inputs.forEach((i) => lastUse.set(i.id, k)))
  const pinned = new Set<number>(outputs.map((o) => o.id))
  const free: number[] = []
  const take = (n: number): number => {
    let best = -1
    for (let j = 0; j < free.length; j++) {
      const s = slots[free[j]]
      if (s >= n && (best < 0 || s < slots[free[best]])) best = j
    }
    if (best < 0 && free.length > 0) {
      best = 0
      for (let j = 1; j < free.length; j++) if (slots[free[j]] > slots[free[best]]) best = j
      slots[free[best]] = n
    }
    return best < 0 ? newSlot(n) : free.splice(best, 1)[0]
  }
  const owned = new Set<number>() // slots holding instruction results (the only ones ever freed)
  const instructions: TapeInstruction[] = steps.map((e, k) => {
    const args = e.inputs.map((i) => slotOf.get(i.id) as number)
    const out = take(size(e.shape))
    owned.add(out)
    slotOf.set(e.id, out)
    for (const i of new Set(e.inputs)) {
      if (lastUse.get(i.id) === k && !pinned.has(i.id)) {
        const s = slotOf.get(i.id) as number
        if (owned.has(s)) free.push(s)
      }
    }
    return { op: e.op, attrs: e.attrs, args, argShapes: e.inputs.map((i) => i.shape), out, shape: e.shape }
  })
  const tapeOutputs = outputs.map((o) => ({ slot: slotOf.get(o.id) as number, shape: o.shape }))
  return sealTape({ format: 'heatbath-tape', version: 1, slots, feeds, constants, instructions, outputs: tapeOutputs })
}

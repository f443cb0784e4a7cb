/**
 * The flat numeric encoding in which a tape crosses into the native addon: one Float64Array, read and
 * validated again by native/program.cc (the addon trusts nothing it is given).
 *
 * Layout (every entry a double):
 *
 *     magic 1213486160, version 1,
 *     slot count, slot sizes…,
 *     feed count, per feed: slot, kind (0 input, 1 param), rank, extents…,
 *     constant count, per constant: slot, rank, extents…, values…,
 *     instruction count, per instruction: op code, arg count, args…, per arg: rank, extents…,
 *       out, rank, extents…, attribute count, attributes…,
 *     output count, per output: slot, rank, extents…
 *
 * Attributes by op: pow [exponent]; sum and logsumexp [keepDims (0|1), axes…]; transpose [perm…];
 * slice [axis, start, end]; concat [axis]; reshape and broadcast none (the target is the result's shape).
 *
 * @module
 */
import type { Shape, Tape } from '../ir/index.js'

/**
 * Op codes: the position in this list (native/program.h has the same order).
 *
 * @example
 * import { opCodes } from './encode.js'
 * opCodes.indexOf('matmul') // 19
 */
export const opCodes: readonly string[] = [
  'neg', 'exp', 'log', 'sqrt', 'square', 'sin', 'cos', 'tanh', 'sigmoid', 'softplus', 'silu', 'relu', 'abs', 'sign', 'pow',
  'add', 'sub', 'mul', 'div', 'matmul', 'sum', 'logsumexp', 'reshape', 'broadcast', 'transpose', 'slice', 'concat',
]

const attributes = (op: string, attrs: Readonly<Record<string, unknown>>): number[] => {
  switch (op) {
    case 'pow':
      return [attrs.exponent as number]
    case 'sum':
    case 'logsumexp':
      return [attrs.keepDims ? 1 : 0, ...(attrs.axes as number[])]
    case 'transpose':
      return [...(attrs.perm as number[])]
    case 'slice':
      return [attrs.axis as number, attrs.start as number, attrs.end as number]
    case 'concat':
      return [attrs.axis as number]
    default:
      return []
  }
}

/**
 * Encodes a (validated) tape for the addon.
 *
 * @example
 * import * as ir from '../ir/index.js'
 * import { encodeTape } from './encode.js'
 * const x = ir.input('x', [2])
 * encodeTape(ir.compile([ir.exp(x)], [x]))[0] // 1213486160
 */
export const encodeTape = (tape: Tape): Float64Array => {
  const out: number[] = [1213486160, 1, tape.slots.length, ...tape.slots]
  const shape = (s: Shape) => out.push(s.length, ...s)
  out.push(tape.feeds.length)
  for (const f of tape.feeds) {
    out.push(f.slot, f.kind === 'input' ? 0 : 1)
    shape(f.shape)
  }
  out.push(tape.constants.length)
  for (const c of tape.constants) {
    out.push(c.slot)
    shape(c.shape)
    for (const v of c.value) out.push(v)
  }
  out.push(tape.instructions.length)
  for (const ins of tape.instructions) {
    const code = opCodes.indexOf(ins.op)
    if (code < 0) throw new RangeError(`encodeTape: op: expected an op with a native kernel, got '${ins.op}'`)
    out.push(code, ins.args.length, ...ins.args)
    ins.argShapes.forEach(shape)
    out.push(ins.out)
    shape(ins.shape)
    const a = attributes(ins.op, ins.attrs)
    out.push(a.length, ...a)
  }
  out.push(tape.outputs.length)
  for (const o of tape.outputs) {
    out.push(o.slot)
    shape(o.shape)
  }
  return Float64Array.from(out)
}

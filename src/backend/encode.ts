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
 * Ops and their attributes are encoded as the addon's op table says (`ops()`, native/ops.h): an op's
 * code is the position of its name in the table, and its attributes are the ones the table lists for
 * it, in that order, each by its form (a number, a flag as 0 or 1, an index, or a list of indices). No
 * list of ops is kept here, so the order of the ops in any file never matters.
 *
 * @module
 */
import type { Shape, Tape } from '../ir/index.js'
import { rangeError, typeError } from '../check/index.js'
import { type AttributeForm, nativeAddon, type NativeAddon, type NativeOp } from './addon.js'

/** The addon's ops by name, each with its code. */
export type OpTable = ReadonlyMap<string, NativeOp & { readonly code: number }>

/**
 * The op table of a list as `ops()` reports it: codes are positions.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { opTableFrom } from './encode.js'
 * const table = opTableFrom([{ name: 'exp', kind: 'unary', arity: 1, attributes: [] }])
 * assert.equal(table.get('exp')?.code, 0)
 */
export const opTableFrom = (ops: readonly NativeOp[]): OpTable => new Map(ops.map((op, code) => [op.name, { ...op, code }]))

const tables = new WeakMap<NativeAddon, OpTable>()

/**
 * The op table of a loaded addon, asked for once.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nativeAddon } from './addon.js'
 * import { opTableOf } from './encode.js'
 * const { addon } = nativeAddon()
 * if (addon !== undefined) assert.equal(opTableOf(addon).get('matmul')?.kind, 'matmul')
 */
export const opTableOf = (addon: NativeAddon): OpTable => {
  let table = tables.get(addon)
  if (table === undefined) {
    if (typeof addon.ops !== 'function') throw new Error('encodeTape: the native addon reports no op table (it was built from older sources); rebuild it with `npm run install`')
    table = opTableFrom(addon.ops())
    tables.set(addon, table)
  }
  return table
}

const loadedTable = (): OpTable => {
  const status = nativeAddon()
  if (status.addon === undefined) throw new Error(`encodeTape: the native addon is not available: ${status.reason}`)
  return opTableOf(status.addon)
}

// The numbers of one attribute, written as they are: the addon checks their values (the fuzz spec hands
// it corrupted ones); here only a value the table's form cannot be read from is an error.
const attributeNumbers = (value: unknown, form: AttributeForm, where: string): number[] => {
  if (form === 'indices') {
    if (!Array.isArray(value)) throw typeError(where, 'an array of indices', value)
    return value.map(Number)
  }
  if (typeof value !== 'number' && typeof value !== 'boolean') throw typeError(where, form === 'flag' ? 'true or false' : 'a number', value)
  return [Number(value)]
}

/**
 * Encodes a (validated) tape for the addon whose op table is `ops` (by default the loaded addon's).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { nativeAddon } from './addon.js'
 * import { encodeTape } from './encode.js'
 * const x = ir.input('x', [2])
 * if (nativeAddon().addon !== undefined) assert.equal(encodeTape(ir.compile([ir.exp(x)], [x]))[0], 1213486160)
 */
export const encodeTape = (tape: Tape, ops: OpTable = loadedTable()): Float64Array => {
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
  tape.instructions.forEach((ins, i) => {
    const op = ops.get(ins.op)
    if (op === undefined) throw rangeError(`encodeTape: instructions[${i}].op`, `an op with a native kernel (the addon's ops: ${[...ops.keys()].join(', ')})`, ins.op)
    out.push(op.code, ins.args.length, ...ins.args)
    ins.argShapes.forEach(shape)
    out.push(ins.out)
    shape(ins.shape)
    const attrs = op.attributes.flatMap((a) => attributeNumbers(ins.attrs[a.name], a.form, `encodeTape: tape.instructions[${i}].attrs.${a.name} ('${ins.op}')`))
    out.push(attrs.length, ...attrs)
  })
  out.push(tape.outputs.length)
  for (const o of tape.outputs) {
    out.push(o.slot)
    shape(o.shape)
  }
  return Float64Array.from(out)
}

import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { encodeTape, evaluate, nativeAddon, type NativeAddon, type NativeOp, opTableFrom, opTableOf } from '../../src/backend/index.js'
import { arbitraryCase } from '../ir/arbitrary.js'
import { randomCase } from './programs.js'

const addon = nativeAddon().addon as NativeAddon
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

// The op codes and attribute numbers of an encoded tape's instructions, read back by the layout of
// src/backend/encode.ts.
const instructionsOf = (e: Float64Array): { code: number; attrs: number[] }[] => {
  let at = 2
  const take = () => e[at++]
  const shape = () => {
    const rank = take()
    let n = 1
    for (let i = 0; i < rank; i++) n *= take()
    return n
  }
  const slots = take()
  at += slots
  for (let f = take(); f > 0; f--) {
    at += 2 // slot, kind
    shape()
  }
  for (let c = take(); c > 0; c--) {
    take()
    const values = shape()
    at += values
  }
  const out: { code: number; attrs: number[] }[] = []
  for (let i = take(); i > 0; i--) {
    const code = take()
    const args = take()
    at += args
    for (let j = 0; j < args; j++) shape()
    take()
    shape()
    const n = take()
    out.push({ code, attrs: Array.from(e.subarray(at, at + n)) })
    at += n
  }
  return out
}

t.test('the addon runs exactly the IR\'s ops (all but the leaves), with the same kinds and arities', async (t) => {
  const native = addon.ops().map(({ name, kind, arity }) => ({ name, kind, arity })).sort(byName)
  const registry = ir.opNames().map(ir.opDef).filter((d) => d.kind !== 'leaf').map(({ name, kind, arity }) => ({ name, kind, arity })).sort(byName)
  t.same(native, registry, 'the two op tables')
  t.equal(new Set(native.map((o) => o.name)).size, native.length, 'each name once in the addon\'s table')
})

t.test('every attribute the addon reads is on the IR\'s instructions of its op, in the form it reads', async (t) => {
  const table = opTableOf(addon)
  const forms: Record<string, (v: unknown) => boolean> = {
    number: (v) => typeof v === 'number' && Number.isFinite(v),
    flag: (v) => typeof v === 'boolean',
    index: (v) => Number.isInteger(v) && (v as number) >= 0,
    indices: (v) => Array.isArray(v) && v.every((u) => Number.isInteger(u) && u >= 0),
  }
  const read = new Set<string>()
  const wrong: string[] = []
  for (const c of fc.sample(arbitraryCase(3), { numRuns: 200, seed: 5 })) {
    for (const ins of randomCase(c).tape.instructions) {
      for (const a of table.get(ins.op)?.attributes ?? []) {
        read.add(`${ins.op}.${a.name}`)
        if (!(forms[a.form]?.(ins.attrs[a.name]) ?? false)) wrong.push(`${ins.op}.${a.name} (${a.form}): ${JSON.stringify(ins.attrs[a.name])}`)
      }
    }
  }
  t.same([...new Set(wrong)], [], 'attributes missing or of another form')
  const listed = [...table.values()].flatMap((op) => op.attributes.map((a) => `${op.name}.${a.name}`))
  t.same(listed.filter((a) => !read.has(a)), [], 'every attribute of the table seen on some instruction')
})

t.test('encodeTape writes each op as the addon\'s table numbers it, in whatever order the table lists them', async (t) => {
  const x = ir.input('x', [4, 3])
  const tape = ir.compile([ir.pow(x, 3), ir.sum(ir.exp(x), 1, { keepDims: true }), ir.slice(x, 1, 1, 3), ir.concat([x, ir.neg(x)], 1), ir.transpose(x), ir.matmul(x, ir.transpose(x))], [x])
  const listed = addon.ops()
  for (const [order, ops] of [['as the addon lists them', listed], ['reversed', [...listed].reverse()]] as const) {
    const got = instructionsOf(encodeTape(tape, opTableFrom(ops)))
    t.same(got.map((i) => ops[i.code].name), tape.instructions.map((i) => i.op), `ops ${order}: the codes name the tape's ops`)
  }
  const attrs = Object.fromEntries(instructionsOf(encodeTape(tape)).map((i, k) => [tape.instructions[k].op, i.attrs]))
  t.same(attrs, { pow: [3], exp: [], sum: [1, 1], slice: [1, 1, 3], neg: [], concat: [1], transpose: [1, 0], matmul: [] }, 'attributes in the order the table lists them')
  // the addon runs what was encoded by its own table
  const [y] = evaluate(tape, { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] }, { backend: 'native' })
  t.same(Array.from(y), [1, 8, 27, 64, 125, 216, 343, 512, 729, 1000, 1331, 1728])
})

t.test('encodeTape names an op the addon has no kernel for, and an addon without an op table is refused', async (t) => {
  const x = ir.input('x', [2])
  const tape = ir.compile([ir.exp(x)], [x])
  const withoutExp = opTableFrom(addon.ops().filter((o: NativeOp) => o.name !== 'exp'))
  t.throws(() => encodeTape(tape, withoutExp), { name: 'RangeError', message: /encodeTape: instructions\[0\]\.op: expected an op with a native kernel \(the addon's ops: .*\), got "exp"/ })
  t.throws(() => opTableOf({} as NativeAddon), /reports no op table .*rebuild it/)
  const pow = ir.compile([ir.pow(x, 2.5)], [x])
  const renamed = opTableFrom(addon.ops().map((o) => (o.name === 'pow' ? { ...o, attributes: [{ name: 'power', form: 'number' as const }] } : o)))
  t.throws(() => encodeTape(pow, renamed), { name: 'TypeError', message: /tape\.instructions\[0\]\.attrs\.power \('pow'\): expected a number, got undefined/ })
})

import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { sealTape } from '../../src/ir/tape.js'

const x = ir.input('x', [2, 3])
const W = ir.param('W', [3, 2])
const c = ir.constant([[0.5, -1.25], [2, 0.75]])
const y = ir.sum(ir.mul(ir.softplus(ir.matmul(x, W)), c))
const tape = ir.compile([y, ...ir.grad(y, [x, W])], [x, W])
const text = ir.serializeTape(tape)
const raw = () => JSON.parse(text) as Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const reseal = (body: Record<string, unknown>) => JSON.stringify({ ...body, hash: ir.parseTape(text).hash })

t.test('parseTape refuses malformed tapes with the path of the problem', async (t) => {
  const cases: [string, (r: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['format', (r) => (r.format = 'onnx'), /tape\.format: expected "heatbath-tape", got "onnx"/],
    ['version', (r) => (r.version = 2), /tape\.version: expected 1, got 2/],
    ['op', (r) => (r.instructions[0].op = 'conv2d'), /tape\.instructions\[0\]\.op: expected the op of an instruction \(one of sum, .*\), got "conv2d"/],
    ['leaf op', (r) => (r.instructions[0].op = 'input'), /tape\.instructions\[0\]\.op: expected the op of an instruction \(one of .*\), got "input"/],
    ['slot range', (r) => (r.instructions[0].args[0] = 999), /tape\.instructions\[0\]\.args\[0\]: expected an integer in \[0, \d+\), got 999/],
    ['shape rule', (r) => (r.instructions[0].shape = [9, 9]), /tape\.instructions\[0\]\.shape: expected \[2,2\] \('matmul' of \[2,3\], \[3,2\]\), got \[9,9\]/],
    ['arg shape', (r) => (r.instructions[0].argShapes[0] = [3, 2]), /tape\.instructions\[0\]\.argShapes\[0\]: expected \[2,3\], the shape slot 0 holds, got \[3,2\]/],
    ['small slot', (r) => (r.slots[0] = 1), /tape\.feeds\[0\]: expected a slot of at least 6 elements \(shape \[2,3\]\), got slot 0 of 1/],
    ['overwrite feed', (r) => (r.instructions[0].out = 0), /tape\.instructions\[0\]\.out: expected a slot that holds no feed or constant, got slot 0/],
    ['feeds share a slot', (r) => (r.feeds[1].slot = 0), /tape\.feeds\[1\]\.slot: expected a slot not already taken, got slot 0/],
    ['constant on a feed', (r) => (r.constants[0].slot = 1), /tape\.constants\[0\]\.slot: expected a slot not already taken, got slot 1/],
    ['negative size', (r) => (r.slots[1] = -4), /tape\.slots\[1\]: expected an integer/],
    ['feed kind', (r) => (r.feeds[0].kind = 'weight'), /tape\.feeds\[0\]\.kind: expected "input" or "param", got "weight"/],
    ['duplicate feed', (r) => (r.feeds[1].name = 'x'), /tape\.feeds\[1\]\.name: expected a name no earlier feed has, got "x"/],
    ['arity', (r) => r.instructions[0].args.push(0), /tape\.instructions\[0\]\.args: expected 2 operand\(s\) of 'matmul', got 3/],
    ['outputs', (r) => (r.outputs = 'all'), /tape\.outputs: expected an array, got "all"/],
    ['attrs', (r) => (r.instructions[0].attrs = null), /tape\.instructions\[0\]\.attrs: expected an object, got null/],
  ]
  for (const [what, corrupt, message] of cases) {
    const r = raw()
    corrupt(r)
    t.throws(() => ir.parseTape(reseal(r)), message, what)
  }
  t.throws(() => ir.parseTape('{"format":'), { name: 'RangeError', message: /^parseTape: text: expected the JSON text of a tape, got text that does not parse/ })
  const early = {
    format: 'heatbath-tape',
    version: 1,
    slots: [2, 2, 2],
    feeds: [{ name: 'x', kind: 'input', shape: [2], slot: 0 }],
    constants: [],
    instructions: [{ op: 'exp', attrs: {}, args: [1], argShapes: [[2]], out: 2, shape: [2] }],
    outputs: [{ slot: 2, shape: [2] }],
  }
  t.throws(() => ir.validateTape(early), { name: 'RangeError', message: 'tape.instructions[0].args[0]: expected a slot written before it is read, got slot 1' })
  t.throws(() => ir.validateTape({ ...early, instructions: [{ ...early.instructions[0], args: [0], out: 1 }] }), { name: 'RangeError', message: 'tape.outputs[0].slot: expected a slot the tape writes, got slot 2' })
  const h = raw()
  h.hash = '0'.repeat(64)
  t.throws(() => ir.parseTape(JSON.stringify(h)), { name: 'RangeError', message: /^parseTape: hash: expected [0-9a-f]{64} \(the hash of the content\), got "0000/ })
})

// A corruption: one to three fields of the tape, at any depth, each replaced by junk or by another value
// found in the tape (a slot index, a shape, an op's name, a whole instruction): the plausible mistakes are
// the dangerous ones, and some harm takes more than one change (a slot renamed where it is written and
// where it is read).
type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any
const fieldsOf = (v: Json, path: string[] = []): { path: string[]; value: Json }[] => [
  { path, value: v },
  ...(typeof v === 'object' && v !== null ? Object.keys(v).flatMap((k) => fieldsOf(v[k], [...path, k])) : []),
]
const fields = fieldsOf(raw()).filter((f) => f.path.length > 0 && f.path[0] !== 'hash')
const change = fc.record({
  path: fc.constantFrom(...fields.map((f) => f.path)),
  value: fc.oneof(
    fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double(), fc.string(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant([2 ** 40])),
    fc.constantFrom(...fields.map((f) => f.value), ...ir.opNames()),
    fc.integer({ min: 0, max: tape.slots.length - 1 }),
  ),
})
const corruption = fc.array(change, { minLength: 1, maxLength: 3 })
const corrupt = (changes: readonly { path: string[]; value: unknown }[]): Json => {
  const r = raw()
  for (const { path, value } of changes) {
    let o = r
    for (const k of path.slice(0, -1)) o = typeof o[k] === 'object' && o[k] !== null ? o[k] : (o[k] = {})
    o[path[path.length - 1]] = structuredClone(value)
  }
  return r
}
const tapeError = (e: unknown) => /^(tape[.[:]|parseTape: )/.test((e as Error).message)

t.test('a corrupted tape under its old hash is refused, or parses as the very tape that was sealed', async (t) => {
  fc.assert(
    fc.property(corruption, (c) => {
      try {
        // A change may only survive if reading undoes it: the content that parsed is the content hashed.
        return ir.parseTape(JSON.stringify(corrupt(c))).hash === tape.hash
      } catch (e) {
        return tapeError(e)
      }
    }),
    { numRuns: 3000, seed: 9 },
  )
  t.pass()
})

// What a tape computes, built again from its instructions with the IR's constructors, which check each op's
// operands: every slot read must hold a value (a feed, a constant, an earlier result) and every op must
// accept the shapes of what it reads. Undefined when the instructions do not make a program.
const program = (tp: ir.Tape): ir.Expr[] | undefined => {
  const held = new Map<number, ir.Expr>()
  try {
    for (const f of tp.feeds) held.set(f.slot, (f.kind === 'input' ? ir.input : ir.param)(f.name, f.shape))
    for (const k of tp.constants) held.set(k.slot, ir.constant(k.value, k.shape))
    for (const ins of tp.instructions) {
      const args = ins.args.map((a) => held.get(a) as ir.Expr)
      const node = ir.apply(ins.op, args, ins.attrs)
      if (!ir.sameShape(node.shape, ins.shape) || !args.every((a, j) => ir.sameShape(a.shape, ins.argShapes[j]))) return undefined
      held.set(ins.out, node)
    }
    return tp.outputs.map((o) => held.get(o.slot) as ir.Expr)
  } catch {
    return undefined
  }
}

/**
 * Whether a tape can do no harm: it says it is a tape of the format and version read here; its instructions
 * make a program (above) whose outputs have the shapes the tape declares; no instruction overwrites a feed
 * or a constant, nor writes a slot it reads (the native executor reads feeds from the caller's arrays
 * without copying them, and its kernels assume that no output aliases an operand); and the reference
 * executor, running the tape's slots, computes exactly what the program computes by direct interpretation
 * (so no buffer is too small and no value is read from the wrong slot).
 */
const harmless = (tp: ir.Tape): boolean => {
  try {
    if (tp.format !== 'heatbath-tape' || tp.version !== 1) return false
    const outputs = program(tp)
    if (outputs === undefined || !outputs.every((o, i) => ir.sameShape(o.shape, tp.outputs[i].shape))) return false
    const pinned = new Set([...tp.feeds, ...tp.constants].map((f) => f.slot))
    if (tp.instructions.some((ins) => pinned.has(ins.out) || ins.args.includes(ins.out))) return false
    const feeds = Object.fromEntries(tp.feeds.map((f, i) => [f.name, Array.from({ length: ir.size(f.shape) }, (_, j) => Math.sin(7 * i + j + 1))]))
    const want = ir.interpret(outputs, feeds)
    const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b))
    return ir.evaluate(tp, feeds).every((g, i) => g.length === want[i].length && g.every((v, j) => same(v, want[i][j])))
  } catch {
    return false
  }
}

t.test('validateTape refuses a corrupted tape with a tape error unless it can do no harm', async (t) => {
  // The hash only says that the text did not change in transit: a tape written wrong and then sealed (by a
  // buggy writer, or on purpose) is stopped by validation or not at all, so here validation stands alone.
  // (The converse is not asked: validation may refuse a tape that would run, such as attrs that are not an
  // object on an op that has none.)
  let accepted = 0
  fc.assert(
    fc.property(corruption, (c) => {
      const { hash: _, ...body } = JSON.parse(JSON.stringify(corrupt(c)))
      let checked: ReturnType<typeof ir.validateTape>
      try {
        checked = ir.validateTape(body)
      } catch (e) {
        return tapeError(e)
      }
      accepted++
      // Sealed as compile would: what runs is the validated body itself.
      return harmless(sealTape(checked))
    }),
    { numRuns: 10_000, seed: 9 },
  )
  t.ok(accepted > 100, `harmless corruptions are accepted (${accepted} of 10000)`)
})

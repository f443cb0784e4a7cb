import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'

const x = ir.input('x', [2, 3])
const W = ir.param('W', [3, 2])
const y = ir.sum(ir.softplus(ir.matmul(x, W)))
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

t.test('random corruptions of a tape are refused with a tape error, never a crash', async (t) => {
  const paths: string[][] = []
  const walkPaths = (v: unknown, p: string[]) => {
    paths.push(p)
    if (typeof v === 'object' && v !== null) for (const k of Object.keys(v)) walkPaths((v as Record<string, unknown>)[k], [...p, k])
  }
  walkPaths(raw(), [])
  const junk = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.double(), fc.string(), fc.constant(null), fc.constant([]), fc.constant({}), fc.constant([2 ** 40]))
  fc.assert(
    fc.property(fc.constantFrom(...paths.filter((p) => p.length > 0 && p[0] !== 'hash')), junk, (path, value) => {
      const r = raw()
      let o = r
      for (const k of path.slice(0, -1)) o = o[k]
      o[path[path.length - 1]] = value
      try {
        ir.parseTape(JSON.stringify(r))
        return true // the corruption happened to be harmless and the hash was recomputed? No: it must mismatch.
      } catch (e) {
        return /^(tape|parseTape)/.test((e as Error).message)
      }
    }),
    { numRuns: 500, seed: 9 },
  )
  t.pass()
})

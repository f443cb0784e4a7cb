import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { arbitraryCase, arbitraryFeeds, arbitraryTree, build, leaves, weights } from './arbitrary.js'

const bitwiseEqual = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]))

t.test('compile then evaluate agrees bitwise with direct interpretation, gradients included', async (t) => {
  fc.assert(
    fc.property(arbitraryTree(), arbitraryFeeds(), (tree, feeds) => {
      const L = leaves()
      const body = build(tree, L)
      const y = ir.sum(ir.mul(body, weights()))
      const outs = [body, y, ...ir.grad(y, [L.x, L.W])]
      const wrt = [L.x, L.w, L.c, L.W]
      const compiled = ir.evaluate(ir.compile(outs, wrt), feeds)
      const direct = ir.interpret(outs, feeds)
      return compiled.every((v, i) => bitwiseEqual(v, direct[i]))
    }),
    { numRuns: 200, seed: 3 },
  )
  t.pass()
})

t.test('compile then evaluate agrees bitwise with direct interpretation on ranks 1–3 and batches of up to 1100 rows', async (t) => {
  fc.assert(
    fc.property(arbitraryCase(4), (c) => {
      const L = leaves(c.dims)
      const body = build(c.tree, L)
      const y = ir.sum(ir.mul(body, weights(c.dims)))
      const outs = [body, y, ...ir.grad(y, [L.x, L.W])]
      const compiled = ir.evaluate(ir.compile(outs, [L.x, L.w, L.c, L.W]), c.feeds)
      const direct = ir.interpret(outs, c.feeds)
      return compiled.every((v, i) => bitwiseEqual(v, direct[i]))
    }),
    { numRuns: 60, seed: 4 },
  )
  t.pass()
})

t.test('a tape serialised, parsed and run gives identical results', async (t) => {
  fc.assert(
    fc.property(arbitraryTree(), arbitraryFeeds(), (tree, feeds) => {
      const L = leaves()
      const y = ir.sum(ir.mul(build(tree, L), weights()))
      const wrt = [L.x, L.w, L.c, L.W]
      const tape = ir.compile([y, ...ir.grad(y, wrt)], wrt)
      const text = ir.serializeTape(tape)
      const parsed = ir.parseTape(text)
      const a = ir.evaluate(tape, feeds)
      const b = ir.evaluate(parsed, feeds)
      return parsed.hash === tape.hash && ir.serializeTape(parsed) === text && a.every((v, i) => bitwiseEqual(v, b[i]))
    }),
    { numRuns: 100, seed: 5 },
  )
  t.pass()
})

t.test('compile reuses buffer slots once values are dead', async (t) => {
  const x = ir.input('x', [100])
  let e = x
  for (let i = 0; i < 50; i++) e = ir.tanh(ir.add(ir.mul(e, 1.1), 0.1))
  const tape = ir.compile([e], [x])
  t.ok(tape.instructions.length >= 150)
  t.ok(tape.slots.length <= 8, `${tape.slots.length} slots for ${tape.instructions.length} instructions`)
  const [v] = ir.evaluate(tape, { x: new Float64Array(100).fill(0.5) })
  t.equal(v[0], ir.interpret([e], { x: new Float64Array(100).fill(0.5) })[0][0])
})

t.test('an instruction never writes a slot it reads, and outputs survive to the end', async (t) => {
  const x = ir.input('x', [3])
  const a = ir.exp(x)
  const b = ir.sin(a)
  const tape = ir.compile([a, ir.cos(b), b], [x])
  for (const ins of tape.instructions) t.notOk(ins.args.includes(ins.out), `${ins.op} writes ${ins.out}, reads ${ins.args}`)
  const [va, vc, vb] = ir.evaluate(tape, { x: [0, 1, 2] })
  t.same(Array.from(va), [1, Math.E, Math.exp(2)])
  t.same(Array.from(vb), Array.from(va).map(Math.sin))
  t.same(Array.from(vc), Array.from(vb).map(Math.cos))
})

t.test('compile and evaluate name what is wrong with their arguments', async (t) => {
  const x = ir.input('x', [2])
  const W = ir.param('W', [2, 2])
  const e = ir.sum(ir.matmul(ir.reshape(x, [1, 2]), W))
  t.throws(() => ir.compile([e], [x]), { name: 'RangeError', message: 'ir.compile: inputs: expected every leaf the outputs depend on, got no param \'W\' [2,2]' })
  t.throws(() => ir.compile([e], [x, W, ir.input('W', [3])]), { name: 'RangeError', message: 'ir.compile: inputs[2]: expected a name not taken by an earlier input, got \'W\' (param [2,2] and input [3])' })
  t.throws(() => ir.compile([e], [x, ir.exp(x)]), { name: 'TypeError', message: 'ir.compile: inputs[1]: expected an input or param leaf, got an \'exp\' node' })
  t.throws(() => ir.compile([42 as unknown as ir.Expr], [x]), { name: 'TypeError', message: 'ir.compile: outputs[0]: expected an expression, got 42' })
  const tape = ir.compile([e], [x, W])
  t.throws(() => ir.evaluate(tape, { x: [1, 2] }), { name: 'TypeError', message: 'ir.evaluate: feeds.W: expected an array of 4 numbers (an input of shape [2,2]), got undefined' })
  t.throws(() => ir.evaluate(tape, { x: [1, 2, 3], W: [1, 0, 0, 1] }), { name: 'RangeError', message: 'ir.evaluate: feeds.x: has 3 values; inputs of shape [2] need 2' })
  t.throws(() => ir.evaluate(tape, { x: [1, 2], W: [1, 0, 0, 1], Q: [1] }), { name: 'RangeError', message: 'ir.evaluate: feeds: expected only inputs of the program (x, W), got "Q"' })
  t.throws(() => ir.evaluate(tape, { x: 'ab' as unknown as number[], W: [1, 0, 0, 1] }), { name: 'TypeError', message: 'ir.evaluate: feeds.x: expected an array or typed array of numbers, got "ab"' })
  t.throws(() => ir.evaluate(tape, { x: 1, W: [1, 0, 0, 1] }), { name: 'RangeError', message: 'ir.evaluate: feeds.x: expected an array of 2 numbers (an input of shape [2]), got 1' })
  t.same(Array.from(ir.evaluate(tape, { x: Float32Array.of(1, 2), W: [1, 0, 0, 1] })[0]), [3], 'any array of numbers is accepted')
  const s = ir.input('s', [])
  t.same(Array.from(ir.evaluate(ir.compile([ir.exp(s)], [s]), { s: 0 })[0]), [1], 'a number feeds a scalar')
})

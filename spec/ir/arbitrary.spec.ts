import fc from 'fast-check'
import t from 'tap'
import * as ir from '../../src/ir/index.js'
import { arbitraryCase, arbitraryDims, arbitraryTree, build, leaves, shapeOf, weights } from './arbitrary.js'

// What the generators promise the specs that use them (spec/ir, spec/backend): a new op of the registry
// shows up in random programs (or this spec names it), and the large shapes reach the native executor's
// vector remainders, several blocks and every rank.

t.test('random programs and their derivatives reach every op of the registry', async (t) => {
  const seen = new Set<string>()
  for (const c of fc.sample(arbitraryCase(4), { numRuns: 400, seed: 1 })) {
    const L = leaves(c.dims)
    const value = build(c.tree, L)
    const [dx] = ir.grad(ir.sum(ir.mul(weights(c.dims), value)), [L.x])
    for (const e of ir.topologicalOrder([value, dx])) seen.add(e.op)
  }
  const ops = ir.opNames().filter((n) => ir.opDef(n).kind !== 'leaf')
  t.same(ops.filter((op) => !seen.has(op)), [], 'ops never generated')
})

t.test('the large shapes have ranks 1–3, widths off the vector widths and batches past the largest block', async (t) => {
  const dims = fc.sample(arbitraryDims(), { numRuns: 400, seed: 2 })
  t.same([...new Set(dims.map((d) => d.inner.length + 1))].sort(), [1, 2, 3], 'ranks')
  const last = new Set(dims.map((d) => d.inner[d.inner.length - 1] ?? 1))
  // remainders after 16 float32 lanes, after 8 and 4 float64 lanes, and after the chain kernel's 64
  t.ok([...last].some((w) => w > 16 && w % 16 !== 0 && w % 8 !== 0), `a width past 16 lanes with a remainder: ${[...last]}`)
  t.ok([...last].some((w) => w < 8 && w % 4 !== 0), 'a width narrower than one vector')
  // the executor's blocks hold at most 1032 rows
  t.ok(dims.some((d) => d.batch > 1032), 'a batch of more than one block of the largest size')
  t.ok(dims.every((d) => shapeOf(d).reduce((a, b) => a * b, 1) <= 4400), 'every value small enough for the reference executor')
})

t.test('the small trees build on the IR specs\' [3, 4] leaves', async (t) => {
  fc.assert(fc.property(arbitraryTree(4), (tree) => ir.sameShape(build(tree).shape, [3, 4])), { numRuns: 200, seed: 3 })
  t.pass()
})

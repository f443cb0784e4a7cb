import t from 'tap'
import * as ir from '../../src/ir/index.js'

t.test('equal expressions built twice are one node (hash-consing)', async (t) => {
  const x = ir.input('x', [3])
  t.equal(ir.exp(ir.mul(x, 2)), ir.exp(ir.mul(x, 2)))
  t.not(ir.exp(ir.mul(x, 2)), ir.exp(ir.mul(x, 3)))
  t.not(ir.constant(0), ir.constant(-0), '0 and −0 are different constants')
})

t.test('identities shrink graphs as they are built', async (t) => {
  const x = ir.input('x', [2, 3])
  t.equal(ir.add(x, 0), x, 'x + 0 = x')
  t.equal(ir.add(0, x), x, '0 + x = x')
  t.equal(ir.sub(x, 0), x, 'x − 0 = x')
  t.equal(ir.sub(0, x), ir.neg(x), '0 − x = −x')
  t.equal(ir.sub(x, x).op, 'broadcast', 'x − x = 0')
  t.equal(ir.mul(x, 1), x, 'x · 1 = x')
  t.equal(ir.mul(x, -1), ir.neg(x), 'x · −1 = −x')
  t.ok(ir.isZero(ir.mul(x, 0)), 'x · 0 = 0')
  t.same(ir.mul(x, 0).shape, [2, 3], 'and keeps the broadcast shape')
  t.equal(ir.mul(x, x), ir.square(x), 'x · x = x²')
  t.equal(ir.div(x, 1), x, 'x / 1 = x')
  t.ok(ir.isZero(ir.div(0, x)), '0 / x = 0')
  t.equal(ir.neg(ir.neg(x)), x, '−(−x) = x')
  t.equal(ir.pow(x, 1), x)
  t.equal(ir.pow(x, 2), ir.square(x))
  t.ok(ir.isOne(ir.pow(x, 0)))
  t.equal(ir.transpose(ir.transpose(x)), x, 'transposes cancel')
  t.equal(ir.reshape(ir.reshape(x, [6]), [2, 3]), x, 'reshapes cancel')
  t.equal(ir.slice(x, 1, 0, 3), x, 'a full slice is the operand')
  t.equal(ir.concat([x], 0), x)
  t.equal(ir.sum(x, []), x, 'a sum over no axes is the operand')
  t.ok(ir.isZero(ir.sum(ir.zeros([4, 2]), 0)), 'sums of zeros are zeros')
  t.ok(ir.isZero(ir.matmul(ir.zeros([2, 2]), ir.input('m', [2, 5]))))
})

t.test('small constant subexpressions are folded', async (t) => {
  const c = ir.add(ir.constant([1, 2]), ir.constant(3))
  t.equal(c.op, 'constant')
  t.same(c.attrs.value, [4, 5])
  t.equal(ir.zeros([1000, 1000]).op, 'broadcast', 'zeros stay a broadcast scalar, never a large constant')
})

t.test('gradients come out simplified: d/dx Σ ½x² is x itself', async (t) => {
  const x = ir.input('x', [4])
  const [g] = ir.grad(ir.sum(ir.mul(ir.square(x), 0.5)), [x])
  t.ok(ir.topologicalOrder([g]).length <= 4, `${ir.topologicalOrder([g]).map((e) => e.op).join(' ')}`)
})

t.test('simplify rebuilds a graph with substitutions', async (t) => {
  const x = ir.input('x', [2])
  const a = ir.param('a', [])
  const e = ir.mul(ir.add(x, a), 1)
  t.equal(ir.simplify(e, new Map([[a.id, ir.constant(0)]])), x)
  t.equal(ir.simplify(e), e, 'an already simplified graph is unchanged')
  t.throws(() => ir.simplify(e, new Map([[a.id, ir.constant([1, 2])]])), { name: 'RangeError', message: /^ir\.simplify: substitute for node \d+ \('param'\): expected shape \[\], got \[2\]$/ })
})

import t from 'tap'
import * as ir from '../../src/ir/index.js'

const run = (e: ir.Expr, feeds: Record<string, number[]> = {}) => Array.from(ir.interpret([e], feeds)[0])

t.test('unary ops compute their functions elementwise', async (t) => {
  const x = ir.input('x', [4])
  const xs = [-2, -0.5, 0.5, 2]
  const cases: [string, (v: number) => number][] = [
    ['neg', (v) => -v],
    ['exp', Math.exp],
    ['square', (v) => v * v],
    ['sin', Math.sin],
    ['cos', Math.cos],
    ['tanh', Math.tanh],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ['softplus', (v) => Math.log1p(Math.exp(v))],
    ['silu', (v) => v / (1 + Math.exp(-v))],
    ['relu', (v) => Math.max(v, 0)],
    ['abs', Math.abs],
    ['sign', Math.sign],
  ]
  for (const [op, f] of cases) {
    const got = run((ir as unknown as Record<string, (e: ir.Expr) => ir.Expr>)[op](x), { x: xs })
    got.forEach((g, i) => t.ok(Math.abs(g - f(xs[i])) <= 1e-15 * (1 + Math.abs(f(xs[i]))), `${op}(${xs[i]}) = ${g}`))
  }
  t.same(run(ir.log(x), { x: [1, Math.E, 0, -1] }).slice(0, 3), [0, 1, -Infinity])
  t.ok(Number.isNaN(run(ir.log(x), { x: [1, 1, 1, -1] })[3]), 'log of a negative is NaN')
  t.same(run(ir.sqrt(x), { x: [0, 1, 4, 9] }), [0, 1, 2, 3])
})

t.test('sigmoid, softplus and silu are stable at large |x|', async (t) => {
  const x = ir.input('x', [2])
  t.same(run(ir.sigmoid(x), { x: [-1000, 1000] }), [0, 1])
  t.same(run(ir.softplus(x), { x: [-1000, 1000] }), [0, 1000])
  t.same(run(ir.silu(x), { x: [-1000, 1000] }), [-0, 1000])
})

t.test('binary ops broadcast NumPy style', async (t) => {
  const a = ir.input('a', [2, 3])
  const row = ir.input('row', [3])
  const col = ir.input('col', [2, 1])
  const A = [1, 2, 3, 4, 5, 6]
  t.same(run(ir.add(a, row), { a: A, row: [10, 20, 30] }), [11, 22, 33, 14, 25, 36])
  t.same(run(ir.sub(a, col), { a: A, col: [1, 2] }), [0, 1, 2, 2, 3, 4])
  t.same(run(ir.mul(col, row), { col: [1, 2], row: [1, 2, 3] }), [1, 2, 3, 2, 4, 6])
  t.same(run(ir.div(a, 2), { a: A }), [0.5, 1, 1.5, 2, 2.5, 3])
  t.same(run(ir.div(2, row), { row: [1, 2, 4] }), [2, 1, 0.5])
  t.same(run(ir.pow(row, 3), { row: [1, 2, -3] }), [1, 8, -27])
  t.same(run(ir.pow(row, -0.5), { row: [1, 4, 16] }), [1, 0.5, 0.25])
})

t.test('matmul multiplies [m,k] by [k,n]', async (t) => {
  const a = ir.input('a', [2, 3])
  const b = ir.input('b', [3, 2])
  t.same(run(ir.matmul(a, b), { a: [1, 2, 3, 4, 5, 6], b: [7, 8, 9, 10, 11, 12] }), [58, 64, 139, 154])
})

t.test('sum, mean and logsumexp reduce along axes', async (t) => {
  const a = ir.input('a', [2, 3])
  const A = [1, 2, 3, 4, 5, 6]
  t.same(run(ir.sum(a), { a: A }), [21])
  t.same(run(ir.sum(a, 0), { a: A }), [5, 7, 9])
  t.same(run(ir.sum(a, -1), { a: A }), [6, 15])
  t.same(ir.sum(a, 1, true).shape, [2, 1])
  t.same(run(ir.mean(a, 1), { a: A }), [2, 5])
  const l = run(ir.logsumexp(a, 1), { a: A })
  t.ok(Math.abs(l[0] - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))) < 1e-15 * 4)
  t.same(run(ir.logsumexp(a, 1), { a: [1000, 1000, 1000, -Infinity, -Infinity, -Infinity] }), [1000 + Math.log(3), -Infinity])
  t.same(run(ir.logsumexp(a, 1), { a: [Infinity, 0, 0, 0, 0, 0] }), [Infinity, Math.log(3)])
  t.ok(Number.isNaN(run(ir.logsumexp(a, 1), { a: [NaN, 0, 0, 0, 0, 0] })[0]), 'NaN propagates')
})

t.test('shape ops move values: reshape, transpose, broadcast, slice, concat', async (t) => {
  const a = ir.input('a', [2, 3])
  const A = [1, 2, 3, 4, 5, 6]
  t.same(run(ir.reshape(a, [3, 2]), { a: A }), A)
  t.same(run(ir.transpose(a), { a: A }), [1, 4, 2, 5, 3, 6])
  const c = ir.input('c', [2, 3, 4])
  const C = Array.from({ length: 24 }, (_v, i) => i)
  const ct = run(ir.transpose(c, [2, 0, 1]), { c: C })
  t.equal(ct[1 * 6 + 1 * 3 + 2], C[1 * 12 + 2 * 4 + 1], 'out[k,i,j] = in[i,j,k]')
  t.same(run(ir.broadcast(ir.input('r', [3]), [2, 3]), { r: [1, 2, 3] }), [1, 2, 3, 1, 2, 3])
  t.same(run(ir.slice(a, 1, 1, 3), { a: A }), [2, 3, 5, 6])
  t.same(run(ir.slice(a, 0, 1, 2), { a: A }), [4, 5, 6])
  t.same(run(ir.concat([a, ir.input('b', [2, 1])], 1), { a: A, b: [7, 8] }), [1, 2, 3, 7, 4, 5, 6, 8])
  t.same(run(ir.concat([a, a], 0), { a: A }), [...A, ...A])
})

t.test('shape errors name the op and both shapes', async (t) => {
  const a = ir.input('a', [2, 3])
  t.throws(() => ir.add(a, ir.input('b', [4])), /ir\.add: operands do not broadcast \(operand shapes \[2,3\] and \[4\]\)/)
  t.throws(() => ir.matmul(a, ir.input('m', [2, 2])), /ir\.matmul: inner extents differ \(3 vs 2\) \(operand shapes \[2,3\] and \[2,2\]\)/)
  t.throws(() => ir.matmul(ir.input('v', [3]), a), /ir\.matmul: operands must both be rank 2/)
  t.throws(() => ir.reshape(a, [4, 2]), /ir\.reshape: cannot reshape 6 elements to \[4,2\]/)
  t.throws(() => ir.broadcast(a, [3, 3]), /ir\.broadcast: cannot broadcast to \[3,3\] \(operand shapes \[2,3\]\)/)
  t.throws(() => ir.slice(a, 1, 2, 5), /ir\.slice: range 2:5 does not fit axis 1 of extent 3/)
  t.throws(() => ir.slice(a, 2, 0, 1), /ir\.slice: axis 2 is out of range for rank 2/)
  t.throws(() => ir.concat([a, ir.input('q', [3, 3])], 1), /ir\.concat: operands must agree on every axis but 1 \(operand shapes \[2,3\] and \[3,3\]\)/)
  t.throws(() => ir.concat([], 0), /ir\.concat: needs at least one operand/)
  t.throws(() => ir.transpose(a, [0, 0]), /ir\.transpose: perm \[0,0\] is not a permutation of 0\.\.1/)
  t.throws(() => ir.sum(a, 2), /ir\.sum: axis 2 is out of range for rank 2/)
  t.throws(() => ir.sum(a, [1, -1]), /ir\.sum: repeated axis/)
  t.throws(() => ir.pow(a, NaN), /ir\.pow: exponent must be a finite number, got NaN/)
})

t.test('leaves check their names, shapes and values', async (t) => {
  t.throws(() => ir.input('', [2]), /ir\.input: name must be a non-empty string/)
  t.throws(() => ir.input('x', [2, -1]), /ir\.input\('x'\): shape\[1\] must be a non-negative integer, got -1/)
  t.throws(() => ir.param('W', [1.5]), /shape\[0\] must be a non-negative integer, got 1\.5/)
  t.throws(() => ir.input('x', 'big' as unknown as number[]), /shape must be an array of integers/)
  t.throws(() => ir.input('x', [2 ** 20, 2 ** 20]), /more than 2\^31 elements/)
  t.throws(() => ir.constant([1, 2, 3], [2, 2]), /ir\.constant: 3 values do not fill shape \[2,2\] \(4 elements\)/)
  t.throws(() => ir.constant([[1, 2], [3]]), /ragged nested array/)
  t.throws(() => ir.constant('a' as unknown as number), /value must be a number or an array of numbers/)
  t.throws(() => ir.constant(['a'] as unknown as number[]), /element 0 is "a", not a number/)
  t.throws(() => ir.add(ir.input('x', [2]), 'y' as unknown as number), /ir\.add: operand must be an expression or a number, got "y"/)
  t.same(ir.constant(2, [2, 2]).shape, [2, 2])
  t.same(ir.constant(Float64Array.of(1, 2)).shape, [2])
  t.same(ir.constant([[1, 2], [3, 4]]).shape, [2, 2])
  t.equal(ir.input('x', [2]), ir.input('x', [2]), 'equal leaves are one node')
  t.not(ir.input('x', [2]), ir.param('x', [2]), 'an input and a param of one name are different nodes')
})

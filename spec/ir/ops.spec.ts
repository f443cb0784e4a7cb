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
  t.same(ir.sum(a, 1, { keepDims: true }).shape, [2, 1])
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
  t.throws(() => ir.add(a, ir.input('b', [4])), { name: 'RangeError', message: 'ir.add: expected operands that broadcast, got operand shapes [2,3] and [4]' })
  t.throws(() => ir.matmul(a, ir.input('m', [2, 2])), { name: 'RangeError', message: 'ir.matmul: expected inner extents that agree ([m,k] × [k,n]), got operand shapes [2,3] and [2,2]' })
  t.throws(() => ir.matmul(ir.input('v', [3]), a), { name: 'RangeError', message: 'ir.matmul: expected two operands of rank 2, got operand shapes [3] and [2,3]' })
  t.throws(() => ir.reshape(a, [4, 2]), { name: 'RangeError', message: 'ir.reshape: expected a shape of 6 elements, got [4,2] for operand shape [2,3]' })
  t.throws(() => ir.broadcast(a, [3, 3]), { name: 'RangeError', message: 'ir.broadcast: expected a shape the operand broadcasts to, got [3,3] for operand shape [2,3]' })
  t.throws(() => ir.slice(a, 1, 2, 5), { name: 'RangeError', message: 'ir.slice: expected a range within axis 1 of extent 3, got 2:5 for operand shape [2,3]' })
  t.throws(() => ir.slice(a, 2, 0, 1), { name: 'RangeError', message: 'ir.slice: axis: expected an integer in [-2, 1] (an axis of rank 2), got 2' })
  t.throws(() => ir.concat([a, ir.input('q', [3, 3])], 1), { name: 'RangeError', message: 'ir.concat: expected operands that agree on every axis but 1, got operand shapes [2,3] and [3,3]' })
  t.throws(() => ir.concat([], 0), { name: 'RangeError', message: 'ir.concat: xs: expected at least one operand, got none' })
  t.throws(() => ir.transpose(a, [0, 0]), { name: 'RangeError', message: 'ir.transpose: perm: expected a permutation of 0..1, got [0,0]' })
  t.throws(() => ir.sum(a, 2), { name: 'RangeError', message: 'ir.sum: axis: expected an integer in [-2, 1] (an axis of rank 2), got 2' })
  t.throws(() => ir.sum(a, [1, -1]), { name: 'RangeError', message: 'ir.sum: axis: expected distinct axes, got [1,-1]' })
  t.throws(() => ir.pow(a, NaN), { name: 'RangeError', message: 'ir.pow: exponent: expected a finite number, got NaN' })
})

t.test('leaves check their names, shapes and values', async (t) => {
  t.throws(() => ir.input('', [2]), { name: 'RangeError', message: 'ir.input: name: expected a non-empty string, got ""' })
  t.throws(() => ir.input('x', [2, -1]), { name: 'RangeError', message: 'ir.input(\'x\'): shape[1]: expected an integer ≥ 0, got -1' })
  t.throws(() => ir.param('W', [1.5]), { name: 'RangeError', message: 'ir.param(\'W\'): shape[0]: expected an integer ≥ 0, got 1.5' })
  t.throws(() => ir.input('x', 'big' as unknown as number[]), { name: 'TypeError', message: 'ir.input(\'x\'): shape: expected an array of integers, got "big"' })
  t.throws(() => ir.input('x', [2 ** 20, 2 ** 20]), { name: 'RangeError', message: 'ir.input(\'x\'): shape: expected at most 2^31 elements, got [1048576,1048576] (1099511627776 elements)' })
  t.throws(() => ir.constant([1, 2, 3], [2, 2]), { name: 'RangeError', message: 'ir.constant: value: has 3 values; tensors of shape [2,2] need 4' })
  t.throws(() => ir.constant([[1, 2], [3]]), { name: 'RangeError', message: 'ir.constant: value[1]: expected shape [2], as element 0 has (nested arrays must be rectangular), got [1]' })
  t.throws(() => ir.constant('a' as unknown as number), { name: 'TypeError', message: 'ir.constant: value: expected a number or a (nested) array of numbers, got "a"' })
  t.throws(() => ir.constant(['a'] as unknown as number[]), { name: 'TypeError', message: 'ir.constant: value (flattened)[0]: expected a number, got "a"' })
  t.throws(() => ir.add(ir.input('x', [2]), 'y' as unknown as number), { name: 'TypeError', message: 'ir.add: operand: expected an expression or a number, got "y"' })
  t.same(ir.constant(2, [2, 2]).shape, [2, 2])
  t.same(ir.constant(Float64Array.of(1, 2)).shape, [2])
  t.same(ir.constant([[1, 2], [3, 4]]).shape, [2, 2])
  t.equal(ir.input('x', [2]), ir.input('x', [2]), 'equal leaves are one node')
  t.not(ir.input('x', [2]), ir.param('x', [2]), 'an input and a param of one name are different nodes')
})

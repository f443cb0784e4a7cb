import t from 'tap'
import { checkDraws, median, quantile, sorted, splitChains } from '../../src/diagnostics/draws.js'
import type { Draws } from '../../src/diagnostics/draws.js'

t.test('checkDraws names ragged chains, short chains, non-finite draws and non-arrays', async (t) => {
  t.throws(() => checkDraws('rhat', [[1, 2, 3, 4], [1, 2, 3]]), { name: 'RangeError', message: 'rhat: draws[1]: expected 4 draws (chains of equal length, as draws[0]), got an array of length 3' })
  t.throws(() => checkDraws('essBulk', [[1, 2, 3]]), { name: 'RangeError', message: 'essBulk: draws[0]: expected at least 4 draws (two in each half of a split chain), got an array of length 3' })
  t.throws(() => checkDraws('essMean', [[1, 2, NaN, 4]]), { name: 'RangeError', message: 'essMean: draws[0][2]: expected a finite number, got NaN' })
  t.throws(() => checkDraws('essMean', [[1, 2, 3, 4], new Float64Array([1, Infinity, 3, 4])]), { name: 'RangeError', message: 'essMean: draws[1][1]: expected a finite number, got Infinity' })
  t.throws(() => checkDraws('rhat', []), { name: 'RangeError', message: 'rhat: draws: expected a non-empty array of chains, got an array of length 0' })
  t.throws(() => checkDraws('rhat', 3 as unknown as Draws), { name: 'TypeError', message: 'rhat: draws: expected a non-empty array of chains, got 3' })
  t.throws(() => checkDraws('rhat', [null] as unknown as Draws), { name: 'TypeError', message: 'rhat: draws[0]: expected an array or typed array of numbers, got null' })
})

t.test('checkDraws accepts arrays and Float64Arrays and copies them', async (t) => {
  const input = new Float64Array([1, 2, 3, 4])
  const [a, b] = checkDraws('rhat', [[5, 6, 7, 8], input])
  t.same([...a], [5, 6, 7, 8])
  t.not(b, input)
})

t.test('splitChains drops the middle draw of odd chains, as posterior does', async (t) => {
  const halves = splitChains([new Float64Array([1, 2, 3, 4, 5])])
  t.same(halves.map((h) => [...h]), [[1, 2], [4, 5]])
})

t.test('quantile interpolates order statistics as R type 7 and median takes the middle', async (t) => {
  const s = sorted([4, 1, 3, 2])
  t.equal(quantile(s, 0), 1)
  t.equal(quantile(s, 1), 4)
  t.equal(quantile(s, 0.5), 2.5)
  t.equal(quantile(sorted([1, 1, 1, 2]), 0.5), 1)
  t.equal(median([3, 1, 2]), 2)
  t.equal(median([3, 1, 2, 10]), 2.5)
})

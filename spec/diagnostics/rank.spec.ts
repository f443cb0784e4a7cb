import t from 'tap'
import { averageRanks, fold, zScale } from '../../src/diagnostics/rank.js'
import { normalQuantile } from '../../src/diagnostics/normal.js'

t.test('averageRanks gives ties their average rank, as R rank(ties = "average")', async (t) => {
  t.same([...averageRanks(Float64Array.from([10, 30, 20, 20, 5, 20]))], [2, 6, 4, 4, 1, 4])
})

t.test('zScale maps pooled ranks to Blom normal scores and keeps the chains', async (t) => {
  const z = zScale([Float64Array.from([3, 1]), Float64Array.from([4, 2])])
  const S = 4
  const score = (r: number) => normalQuantile((r - 3 / 8) / (S + 1 / 4))
  t.same(z.map((c) => [...c]), [[score(3), score(1)], [score(4), score(2)]])
})

t.test('fold takes distances from the pooled median', async (t) => {
  t.same(fold([Float64Array.from([1, 5]), Float64Array.from([2, 4])]).map((c) => [...c]), [[2, 2], [1, 1]])
})

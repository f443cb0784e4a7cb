import t from 'tap'
import { rhat, rhatBasic } from '../../src/diagnostics/rhat.js'
import { normals } from './seeded.js'

t.test('rhat of chains with shifted means exceeds 1.1', async (t) => {
  // one of four chains is off by 2 sd: B/W ≈ 1 + 1000·var(means), far above 1.1 whatever the seed
  const chains = [0, 0, 0, 2].map((shift, i) => normals(20 + i, 1000).map((x) => x + shift))
  t.ok(rhat(chains) > 1.1, `rhat ${rhat(chains)}`)
  t.ok(rhatBasic(chains) > 1.1, `rhatBasic ${rhatBasic(chains)}`)
})

t.test('rhat of well-mixed chains is below 1.01', async (t) => {
  // iid chains of 1000 draws: R-hat − 1 is of order 1/n = 0.001, ten times below the threshold
  const chains = [1, 2, 3, 4].map((seed) => normals(seed, 1000))
  t.ok(rhat(chains) < 1.01, `rhat ${rhat(chains)}`)
  t.ok(rhatBasic(chains, { split: false }) < 1.01)
})

t.test('rhat of a chain whose halves differ catches the drift with one chain', async (t) => {
  const drifting = normals(5, 1000).map((x, i) => x + (i < 500 ? 0 : 3))
  t.ok(rhat([drifting]) > 1.1)
})

t.test('rhat returns NaN for constant draws and Infinity for chains stuck at different values', async (t) => {
  t.ok(Number.isNaN(rhat([[3, 3, 3, 3], [3, 3, 3, 3]])))
  t.ok(Number.isNaN(rhatBasic([[3, 3, 3, 3], [3, 3, 3, 3]], { split: false })))
  t.equal(rhat([[1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2]]), Infinity)
  t.equal(rhat([[1, 1, 1, 1], [2, 2, 2, 2], [4, 4, 4, 4]]), Infinity)
  t.equal(rhatBasic([[1, 1, 1, 1], [2, 2, 2, 2]], { split: false }), Infinity)
})

t.test('rhatBasic without splitting needs two chains', async (t) => {
  t.throws(() => rhatBasic([[1, 2, 3, 4]], { split: false }), { name: 'RangeError', message: 'rhatBasic: draws: expected at least 2 chains when split is false, got an array of length 1' })
  t.ok(Number.isFinite(rhatBasic([[1, 2, 3, 4]])))
})

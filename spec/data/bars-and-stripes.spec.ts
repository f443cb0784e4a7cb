import t from 'tap'
import { barsAndStripes } from '../../src/data/bars-and-stripes.js'

const isBars = (x: Float64Array, n: number) => Array.from({ length: n * n }, (_, k) => k).every((k) => x[k] === x[k % n])
const isStripes = (x: Float64Array, n: number) => Array.from({ length: n * n }, (_, k) => k).every((k) => x[k] === x[k - (k % n)])

t.test('the whole set: 2^(n+1) − 2 distinct images, each all bars or all stripes', async (t) => {
  for (const n of [2, 3, 4]) {
    const all = barsAndStripes({ size: n })
    const images = Array.from({ length: all.length / (n * n) }, (_, r) => all.subarray(r * n * n, (r + 1) * n * n))
    t.equal(images.length, 2 ** (n + 1) - 2, `n = ${n}`)
    t.equal(new Set(images.map((x) => x.join(''))).size, images.length, 'distinct')
    t.ok(images.every((x) => isBars(x, n) || isStripes(x, n)), 'bars or stripes')
  }
})

t.test('draws: the blank image is twice as likely as another, 2/2^(n+1), within 4 standard errors', async (t) => {
  const n = 3
  const count = 20_000
  const x = barsAndStripes({ size: n, count, seed: 5 })
  let blank = 0
  for (let r = 0; r < count; r++) if (x.subarray(r * 9, (r + 1) * 9).every((v) => v === 0)) blank++
  const p = 2 / 2 ** (n + 1)
  t.ok(Math.abs(blank / count - p) < 4 * Math.sqrt((p * (1 - p)) / count), `${blank / count} vs ${p}`)
  t.same([...barsAndStripes({ size: n, count: 10, seed: 5 })], [...x.subarray(0, 90)], 'the first draws do not depend on the count')
})

t.test('bad sizes and seeds are refused', async (t) => {
  t.throws(() => barsAndStripes({ size: 13 }), { message: 'data.barsAndStripes: size: expected an integer in [2, 12], got 13' })
  t.throws(() => barsAndStripes({ size: 3, count: 5 }), { message: 'data.barsAndStripes: seed: expected an integer in [0, 2^53), got undefined' })
})

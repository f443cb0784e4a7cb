import t from 'tap'
import { accumulate, regularised, welford } from '../../../src/sampler/adapt/covariance.js'

// Two chains' draws of D = 2 over three steps, fed a step (two rows) at a time as warmup does.
const steps = [
  [1, 2, 3, -1],
  [0, 0, 2, 5],
  [4, 1, -2, 3],
]

t.test('pooled over chains and steps, Welford gives the two-pass mean and covariance', async (t) => {
  const w = steps.reduce((w, rows) => accumulate(w, rows), welford(2, true))
  const all = steps.flat()
  const n = all.length / 2
  const mean = [0, 1].map((j) => all.filter((_v, i) => i % 2 === j).reduce((a, b) => a + b) / n)
  t.equal(w.count, 6)
  t.ok(Math.abs(w.mean[0] - mean[0]) < 1e-14 && Math.abs(w.mean[1] - mean[1]) < 1e-14)
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      let s = 0
      for (let r = 0; r < n; r++) s += (all[2 * r + i] - mean[i]) * (all[2 * r + j] - mean[j])
      t.ok(Math.abs(w.squares[2 * i + j] - s) < 1e-12, `squares[${i}][${j}] = ${w.squares[2 * i + j]} vs ${s}`)
    }
  }
  const diagonal = steps.reduce((w, rows) => accumulate(w, rows), welford(2, false))
  t.same(Array.from(diagonal.squares), [w.squares[0], w.squares[3]])
})

t.test("Stan's regularisation: n/(n + 5)·S + 10⁻³·5/(n + 5) on the diagonal only", async (t) => {
  const w = steps.reduce((w, rows) => accumulate(w, rows), welford(2, true))
  const s = regularised(w)!
  const n = 6
  t.ok(Math.abs(s[1] - (n / (n + 5)) * (w.squares[1] / (n - 1))) < 1e-15, 'off the diagonal: shrunk, no ridge')
  t.ok(Math.abs(s[0] - ((n / (n + 5)) * (w.squares[0] / (n - 1)) + 1e-3 * (5 / (n + 5)))) < 1e-15, 'on it: shrunk plus the ridge')
  t.equal(regularised(accumulate(welford(2, true), [1, 2])), undefined, 'one draw estimates nothing')
})

t.test('rows of chains that are no longer alive are left out', async (t) => {
  const w = accumulate(welford(1, false), [1, 100, 3], [1, 0, 1])
  t.same([w.count, w.mean[0], w.squares[0]], [2, 2, 2])
})

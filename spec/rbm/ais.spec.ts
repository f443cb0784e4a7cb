import t from 'tap'
import { init } from '../../src/energy/index.js'
import { binarizedDigits } from './digits.js'
import { bernoulli, gaussianBernoulli } from '../../src/rbm/model.js'
import { logZ } from '../../src/rbm/log-z.js'
import { ais, aisSchedule } from '../../src/rbm/ais.js'

const rbm = (V: number, H: number, seed: number, std: number) => {
  const e = bernoulli({ visible: V, hidden: H, seed, std })
  const p = init(e)
  return { e, p: { ...p, a: p.a.map((_, i) => 0.5 * Math.sin(3 * i + seed) - 0.5), b: p.b.map((_, j) => 0.4 * Math.cos(j)) } }
}

t.test('AIS from the uniform base model estimates log Z within 4 of its standard errors', async (t) => {
  const { e, p } = rbm(12, 8, 4, 1)
  const exact = logZ(e, p)
  const r = ais(e, p, { steps: 1000, runs: 200, seed: 11 })
  t.ok(Math.abs(r.logZ - exact) < 4 * r.standardError, `${r.logZ} vs ${exact} (standard error ${r.standardError})`)
  t.ok(r.standardError < 0.05, 'and the error is small enough to mean something')
  t.equal(r.logZBase, 20 * Math.LN2, 'the uniform base: Z_A = 2^(visible + hidden)')
})

t.test('AIS from the base-rate model of skewed data (the top two rows of the binarized digits), at 4 standard errors', async (t) => {
  const { e, p } = rbm(16, 10, 7, 0.8)
  // Mostly blank pixels: base-rate log-odds far from 0 (bars and stripes would give 0: every pixel is on half the time).
  const data = binarizedDigits().filter((_, k) => k % 64 < 16)
  const exact = logZ(e, p)
  const r = ais(e, p, { data, steps: 800, runs: 200, seed: 3 })
  t.ok(Math.abs(r.logZ - exact) < 4 * r.standardError, `${r.logZ} vs ${exact} (standard error ${r.standardError})`)
  t.equal(r.logWeights.length, 200)
  t.equal(r.steps, 800)
})

t.test('the schedule is increasing from 0 to 1 and finest near 1', async (t) => {
  const b = aisSchedule(290)
  t.equal(b[0], 0)
  t.equal(b[290], 1)
  t.ok(b.every((x, i) => i === 0 || x > b[i - 1]), 'strictly increasing')
  t.ok(b[290] - b[289] < b[1] - b[0], 'finer at the end')
})

t.test('bad input is refused by name', async (t) => {
  const { e, p } = rbm(4, 2, 1, 1)
  t.throws(() => ais(e, p, { seed: -1 }), { message: 'rbm.ais: seed: expected an integer in [0, 2^53), got -1' })
  t.throws(() => ais(e, p, { seed: 1, data: [1, 0, 1] }), { message: 'rbm.ais: data: expected a multiple of 4 values (rows of 4 visible units), got 3' })
  t.throws(() => ais(e, p, { seed: 1, runs: 0 }), { message: 'rbm.ais: runs: expected an integer ≥ 1, got 0' })
  const g = gaussianBernoulli({ visible: 2, hidden: 2 })
  t.throws(() => ais(g, init(g), { seed: 1 }), { message: 'rbm.ais: energy: expected a Bernoulli RBM (rbm.bernoulli), got "rbm.gaussianBernoulli"' })
})

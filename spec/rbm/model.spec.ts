import t from 'tap'
import { energyAt, gradientAt, init } from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import { program } from '../../src/energy/energy.js'
import { bernoulli, gaussianBernoulli, hiddenProbabilities, visibleMeans } from '../../src/rbm/model.js'

// −log Σ_h exp(−E(v, h)) by summing over every hidden configuration, E as written in the module's doc.
const bruteFreeEnergy = (v: number[], p: Record<string, Float64Array>, H: number, sigma: number | null): number => {
  const V = v.length
  let z = 0
  for (let h = 0; h < 2 ** H; h++) {
    let minusE = 0
    for (let j = 0; j < H; j++) {
      if (!((h >> j) & 1)) continue
      minusE += p.b[j]
      for (let i = 0; i < V; i++) minusE += ((sigma === null ? v[i] : v[i] / sigma) * p.W[i * H + j])
    }
    for (let i = 0; i < V; i++) minusE += sigma === null ? p.a[i] * v[i] : -((v[i] - p.a[i]) ** 2) / (2 * sigma * sigma)
    z += Math.exp(minusE)
  }
  return -Math.log(z)
}

const withBiases = (p: Record<string, Float64Array>): Record<string, Float64Array> => ({ ...p, a: p.a.map((_, i) => 0.3 * (i - 1)), b: p.b.map((_, j) => 0.2 - 0.15 * j) })

t.test('the free energy of a Bernoulli RBM is −log Σ_h exp(−E(v, h))', async (t) => {
  const e = bernoulli({ visible: 4, hidden: 3, seed: 5, std: 0.8 })
  const p = withBiases(init(e))
  const rows = [[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 1], [0.25, 0.5, 0, 1]]
  const F = energyAt(e, rows, p)
  rows.forEach((v, r) => t.ok(Math.abs(F[r] - bruteFreeEnergy(v, p, 3, null)) < 1e-12, `row ${r}: ${F[r]}`))
})

t.test('the free energy of a Gaussian–Bernoulli RBM at σ = 1.5 is −log Σ_h exp(−E(v, h))', async (t) => {
  const e = gaussianBernoulli({ visible: 3, hidden: 2, seed: 2, std: 0.7, sigma: 1.5 })
  const p = withBiases(init(e))
  const rows = [[0.3, -1.2, 2], [1, 1, 1]]
  const F = energyAt(e, rows, p)
  rows.forEach((v, r) => t.ok(Math.abs(F[r] - bruteFreeEnergy(v, p, 2, 1.5)) < 1e-12, `row ${r}`))
})

t.test('∂F/∂W is symbolic: it matches central finite differences', async (t) => {
  const e = bernoulli({ visible: 3, hidden: 2, seed: 1, std: 1 })
  const p = withBiases(init(e))
  const v = new Float64Array([1, 0, 1, 0, 1, 1])
  const prog = program(e, 2)
  const [gW] = ir.grad(ir.sum(prog.energy), [prog.params.W])
  const analytic = ir.runReference(ir.compile([gW], [prog.x, ...prog.paramList]), { x: v, ...p })[0]
  const h = 1e-6
  for (let k = 0; k < p.W.length; k++) {
    const plus = { ...p, W: p.W.slice() }
    const minus = { ...p, W: p.W.slice() }
    plus.W[k] += h
    minus.W[k] -= h
    const fd = (energyAt(e, v, plus).reduce((s, x) => s + x) - energyAt(e, v, minus).reduce((s, x) => s + x)) / (2 * h)
    t.ok(Math.abs(fd - analytic[k]) < 1e-7, `W[${k}]: ${analytic[k]} vs ${fd}`)
  }
  t.ok(gradientAt(e, v, p).every(Number.isFinite))
})

t.test('the native executor gives the reference free energies to 1e-9', async (t) => {
  const e = bernoulli({ visible: 64, hidden: 32, seed: 3, std: 0.5 })
  const p = withBiases(init(e))
  const v = Float64Array.from({ length: 64 * 50 }, (_, i) => ((i * 7919) % 13) / 12)
  const a = energyAt(e, v, p)
  const b = energyAt(e, v, p, { backend: 'native' })
  t.ok(a.every((x, i) => Math.abs(x - b[i]) <= 1e-9 * Math.max(1, Math.abs(x))))
})

t.test('the conditionals: p(h | v) = σ(b + Wᵀv/σ) and E[v | h] = a + σWh for Gaussian units', async (t) => {
  const l = { units: 'gaussianBernoulli', visible: 2, hidden: 2, sigma: 2 } as const
  const p = { W: new Float64Array([1, -1, 0.5, 2]), a: new Float64Array([0.1, -0.2]), b: new Float64Array([0.3, 0]) }
  const ph = hiddenProbabilities(l, p, new Float64Array([2, -4]))
  const sig = (x: number) => 1 / (1 + Math.exp(-x))
  t.ok(Math.abs(ph[0] - sig(0.3 + (2 * 1 + -4 * 0.5) / 2)) < 1e-15)
  t.ok(Math.abs(ph[1] - sig(0 + (2 * -1 + -4 * 2) / 2)) < 1e-15)
  t.same([...visibleMeans(l, p, new Float64Array([1, 1]))], [0.1 + 2 * 0, -0.2 + 2 * 2.5])
})

t.test('bad options and non-RBM energies are refused by name', async (t) => {
  t.throws(() => bernoulli({ visible: 3, hidden: 1.5 }), { message: 'rbm.bernoulli: hidden: expected an integer ≥ 1, got 1.5' })
  t.throws(() => gaussianBernoulli({ visible: 3, hidden: 2, sigma: 0 }), { message: 'rbm.gaussianBernoulli: sigma: expected a positive number, got 0' })
  t.throws(() => bernoulli({ visible: 3, hidden: 2, layers: 2 } as never), { name: 'RangeError' })
})

import t from 'tap'
import { init } from '../../src/energy/index.js'
import { bernoulli, gaussianBernoulli } from '../../src/rbm/model.js'
import { logZ } from '../../src/rbm/log-z.js'

// log Σ_{v,h} exp(−E(v, h)) over both layers, E = −vᵀWh − aᵀv − bᵀh.
const bruteLogZ = (p: Record<string, Float64Array>, V: number, H: number): number => {
  let z = 0
  for (let v = 0; v < 2 ** V; v++) {
    for (let h = 0; h < 2 ** H; h++) {
      let minusE = 0
      for (let i = 0; i < V; i++) if ((v >> i) & 1) minusE += p.a[i]
      for (let j = 0; j < H; j++) if ((h >> j) & 1) minusE += p.b[j]
      for (let i = 0; i < V; i++) for (let j = 0; j < H; j++) if ((v >> i) & 1 && (h >> j) & 1) minusE += p.W[i * H + j]
      z += Math.exp(minusE)
    }
  }
  return Math.log(z)
}

const random = (V: number, H: number, seed: number) => {
  const p = init(bernoulli({ visible: V, hidden: H, seed, std: 1.2 }))
  return { ...p, a: p.a.map((_, i) => Math.sin(i + seed)), b: p.b.map((_, j) => Math.cos(2 * j + seed)) }
}

t.test('log Z by enumerating the hidden layer (hidden ≤ visible) and the visible one (visible < hidden) is the full sum', async (t) => {
  for (const [V, H] of [[6, 3], [3, 6], [4, 4]]) {
    for (const seed of [1, 2]) {
      const p = random(V, H, seed)
      const got = logZ(bernoulli({ visible: V, hidden: H }), p)
      const want = bruteLogZ(p, V, H)
      t.ok(Math.abs(got - want) < 1e-12, `${V} × ${H}, seed ${seed}: ${got} vs ${want}`)
    }
  }
})

t.test('log Z of a Gaussian–Bernoulli RBM at σ = 0.8 matches quadrature over v', async (t) => {
  const sigma = 0.8
  const p = { W: new Float64Array([0.9, -0.4]), a: new Float64Array([0.3]), b: new Float64Array([0.2, -0.5]) }
  // Σ_h ∫ exp(−(v − a)²/(2σ²) + (v/σ)·(Wh) + bᵀh) dv by the trapezoid rule over [−15, 15]
  let z = 0
  const dv = 1e-3
  for (let v = -15; v <= 15; v += dv) {
    for (let h = 0; h < 4; h++) {
      const [h0, h1] = [h & 1, (h >> 1) & 1]
      z += Math.exp(-((v - 0.3) ** 2) / (2 * sigma * sigma) + (v / sigma) * (0.9 * h0 - 0.4 * h1) + 0.2 * h0 - 0.5 * h1) * dv
    }
  }
  const got = logZ(gaussianBernoulli({ visible: 1, hidden: 2, sigma }), p)
  t.ok(Math.abs(got - Math.log(z)) < 1e-8, `${got} vs ${Math.log(z)}`)
})

t.test('an RBM too large to enumerate, and parameters of the wrong size, are refused', async (t) => {
  const big = bernoulli({ visible: 25, hidden: 25 })
  t.throws(() => logZ(big, init(big, 1)), { name: 'RangeError', message: 'rbm.logZ: energy: expected an RBM with at most 24 units in its smaller layer (2^24 terms), got 25 visible and 25 hidden units' })
  const e = bernoulli({ visible: 3, hidden: 2 })
  t.throws(() => logZ(e, { W: new Float64Array(5), a: new Float64Array(3), b: new Float64Array(2) }), { message: 'rbm.logZ: params.W: expected a Float64Array of 6 values, got a Float64Array of length 5' })
  t.throws(() => logZ(e, { W: new Float64Array([0, 0, NaN, 0, 0, 0]), a: new Float64Array(3), b: new Float64Array(2) }), { message: 'rbm.logZ: params.W[2]: expected a finite number, got NaN' })
  t.throws(() => logZ({ kind: 'nope' } as never, {}), { name: 'TypeError' })
})

import t from 'tap'
import { init } from '../../src/energy/index.js'
import { uniforms } from '../../src/rng/index.js'
import { bernoulli } from '../../src/rbm/model.js'
import { pseudoLikelihood, reconstructionError } from '../../src/rbm/scores.js'

const V = 5
const H = 3
const e = bernoulli({ visible: V, hidden: H, seed: 2, std: 1 })
const p: Record<string, Float64Array> = (() => {
  const q = init(e)
  return { ...q, a: q.a.map((_, i) => 0.3 * i - 0.6), b: q.b.map((_, j) => 0.5 - 0.4 * j) }
})()

// The unnormalised p*(v) = Σ_h exp(−E(v, h)), summed over every hidden configuration.
const unnormalised = (v: ArrayLike<number>): number => {
  let z = 0
  for (let h = 0; h < 2 ** H; h++) {
    let minusE = 0
    for (let i = 0; i < V; i++) minusE += p.a[i] * v[i]
    for (let j = 0; j < H; j++) if ((h >> j) & 1) {
      minusE += p.b[j]
      for (let i = 0; i < V; i++) minusE += v[i] * p.W[i * H + j]
    }
    z += Math.exp(minusE)
  }
  return z
}

t.test('the pseudo-likelihood is visible · log p(vᵢ | v₋ᵢ) at the unit scikit-learn would flip, from the same seed', async (t) => {
  const rows = [1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0.25, 0.5, 1, 0, 0.75]
  const n = rows.length / V
  const seed = 17
  const pll = pseudoLikelihood(e, p, rows, { seed })
  // The flipped unit of row r is ⌊u_r · visible⌋, u_r the r-th uniform of stream 0 under the seed.
  const u = uniforms(seed, 0, 0, n)
  for (let r = 0; r < n; r++) {
    const v = rows.slice(r * V, (r + 1) * V)
    const flipped = v.slice()
    const i = Math.floor(u[r] * V)
    flipped[i] = 1 - flipped[i]
    const want = V * Math.log(unnormalised(v) / (unnormalised(v) + unnormalised(flipped)))
    t.ok(Math.abs(pll[r] - want) < 1e-12, `row ${r} (unit ${i} flipped): ${pll[r]} vs ${want}`)
  }
  t.same([...pseudoLikelihood(e, p, rows, { seed })], [...pll], 'the same seed, the same scores')
  t.notSame([...pseudoLikelihood(e, p, rows, { seed: seed + 1 })], [...pll], 'another seed flips other units')
})

t.test('the reconstruction error is ‖v − σ(a + W·σ(b + Wᵀv))‖²', async (t) => {
  const v = [1, 0, 1, 1, 0]
  const sig = (x: number) => 1 / (1 + Math.exp(-x))
  const ph = Array.from({ length: H }, (_, j) => sig(p.b[j] + v.reduce((s, x, i) => s + x * p.W[i * H + j], 0)))
  let want = 0
  for (let i = 0; i < V; i++) want += (v[i] - sig(p.a[i] + ph.reduce((s, h, j) => s + h * p.W[i * H + j], 0))) ** 2
  t.ok(Math.abs(reconstructionError(e, p, v)[0] - want) < 1e-14)
})

t.test('bad input is refused by name', async (t) => {
  t.throws(() => pseudoLikelihood(e, p, [1, 0, 1], { seed: 1 }), { message: 'rbm.pseudoLikelihood: data: expected a multiple of 5 values (rows of 5 visible units), got 3' })
  t.throws(() => pseudoLikelihood(e, p, [1, 0, 1, 0, NaN], { seed: 1 }), { message: 'rbm.pseudoLikelihood: data[4]: expected a finite number, got NaN' })
  t.throws(() => pseudoLikelihood(e, p, [1, 0, 1, 0, 1], { seed: 1, backend: 'gpu' as never }), { name: 'RangeError' })
  t.throws(() => reconstructionError(e, { W: p.W }, [1, 0, 1, 0, 1]), { message: 'rbm.reconstructionError: params.a: expected a Float64Array of 5 values, got undefined' })
})

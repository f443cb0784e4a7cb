import t from 'tap'
import fc from 'fast-check'
import { energyAt } from '../../src/energy/index.js'
import { modern, update } from '../../src/hopfield/modern.js'
import { uniforms } from '../../src/rng/index.js'

t.test('the update is ξ ← Xᵀ softmax(β X ξ), at β = 0.7', async (t) => {
  const X = [[1, 2, 0], [-1, 0.5, 2], [0, -1, 1]]
  const xi = [0.3, -0.2, 1.1]
  const s = X.map((x) => 0.7 * x.reduce((a, v, i) => a + v * xi[i], 0))
  const z = s.reduce((a, v) => a + Math.exp(v), 0)
  const want = [0, 1, 2].map((i) => X.reduce((a, x, mu) => a + (Math.exp(s[mu]) / z) * x[i], 0))
  const got = update(modern(X, { beta: 0.7 }), xi)
  want.forEach((w, i) => t.ok(Math.abs(got[i] - w) < 1e-14, `ξ'[${i}] = ${got[i]} vs ${w}`))
})

t.test('an update never raises the energy (concave–convex procedure), for any patterns, state and β', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.double({ min: 0.1, max: 8, noNaN: true }),
      (X, xi, beta) => {
        const e = modern(X, { beta })
        const [before, after] = energyAt(e, [xi, Array.from(update(e, xi))])
        return after <= before + 1e-12 * Math.max(1, Math.abs(before))
      },
    ),
    { seed: 3, numRuns: 200 },
  )
})

t.test('exponential capacity: 10,000 random patterns in d = 64 at β = 1, cues with 20% of their entries flipped, retrieved in one step', async (t) => {
  const d = 64
  const N = 10_000
  const u = uniforms(1, 0, 0, N * d)
  const X = Array.from({ length: N }, (_, mu) => Array.from({ length: d }, (_, i) => (u[mu * d + i] < 0.5 ? -1 : 1)))
  const e = modern(X, { beta: 1 })
  // 100 of the patterns as targets (examples/hopfield-capacity.ts cues all 10,000); 13 of 64 entries flipped.
  const Q = 100
  const cues = new Float64Array(Q * d)
  for (let q = 0; q < Q; q++) {
    const target = X[q * 97]
    const order = Array.from(uniforms(2, q, 0, d)).map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i)
    cues.set(target, q * d)
    for (const i of order.slice(0, 13)) cues[q * d + i] *= -1
  }
  const out = update(e, cues, { backend: 'native' })
  // Flipping 13 of 64 signs can bring a cue nearer another of 10,000 random patterns than its own (a pair of
  // random patterns 13 flips apart is not rare among 5·10⁷ pairs): no memory can retrieve the target then,
  // and the update lands on the nearest pattern instead.
  const nearest = (q: number): number => {
    let best = -1
    let most = -Infinity
    for (let mu = 0; mu < N; mu++) {
      const o = X[mu].reduce((s, x, i) => s + x * cues[q * d + i], 0)
      if (o > most) [most, best] = [o, mu]
    }
    return best
  }
  let retrieved = 0
  let ambiguous = 0
  for (let q = 0; q < Q; q++) {
    const mu = nearest(q)
    if (mu !== q * 97) ambiguous++
    if (X[mu].every((x, i) => Math.sign(out[q * d + i]) === x)) retrieved++
  }
  t.equal(retrieved, Q, 'every cue lands on its nearest pattern (the signs of ξ′ are that pattern)')
  t.equal(ambiguous, 1, 'which is its own pattern for all cues but one')
})

t.test('bad patterns and options are refused', async (t) => {
  t.throws(() => modern([[1, 2], [3]]), { message: 'hopfield.modern: patterns[1]: expected a pattern of 2 values (the length of the first), got 1' })
  t.throws(() => modern([[1, NaN]]), { message: 'hopfield.modern: patterns[0][1]: expected a finite number, got NaN' })
  t.throws(() => modern([[1, 2]], { beta: -1 }), { message: 'hopfield.modern: beta: expected a positive number, got -1' })
  t.throws(() => update(modern([[1, 2]]), [1, 2, 3]), { message: 'hopfield.update: states: expected a multiple of 2 values (rows of 2 numbers), got 3' })
})

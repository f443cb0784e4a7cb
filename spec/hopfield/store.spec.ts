import t from 'tap'
import fc from 'fast-check'
import { energyAt, init } from '../../src/energy/index.js'
import { couplings, store } from '../../src/hopfield/store.js'

const spins = (P: number, N: number) => fc.array(fc.array(fc.constantFrom(-1, 1), { minLength: N, maxLength: N }), { minLength: P, maxLength: P })

// Storkey's rule as Storkey (1997) writes it, with h_ij = Σ_{k≠i,j} W_ik ξ_k summed afresh for every pair.
const storkeyByDefinition = (patterns: number[][]): number[][] => {
  const N = patterns[0].length
  let W = Array.from({ length: N }, () => new Array<number>(N).fill(0))
  for (const x of patterns) {
    const h = (i: number, j: number) => W[i].reduce((s, w, k) => (k === i || k === j ? s : s + w * x[k]), 0)
    W = W.map((row, i) => row.map((w, j) => (i === j ? 0 : w + (x[i] * x[j] - x[i] * h(j, i) - h(i, j) * x[j]) / N)))
  }
  return W
}

t.test("Storkey's couplings are the rule's definition, Hebb's are (1/N) Σ ξξᵀ; both symmetric with a zero diagonal", async (t) => {
  fc.assert(
    fc.property(spins(4, 7), (patterns) => {
      const p = { values: Float64Array.from(patterns.flat()), count: 4, dimension: 7 }
      const storkey = couplings(p, 'storkey')
      const want = storkeyByDefinition(patterns).flat()
      const hebb = couplings(p, 'hebb')
      for (let i = 0; i < 7; i++) {
        for (let j = 0; j < 7; j++) {
          const h = i === j ? 0 : patterns.reduce((s, x) => s + x[i] * x[j], 0) / 7
          if (Math.abs(hebb[i * 7 + j] - h) > 1e-15 || Math.abs(storkey[i * 7 + j] - want[i * 7 + j]) > 1e-12) return false
          if (storkey[i * 7 + j] !== storkey[j * 7 + i]) return false
        }
      }
      return true
    }),
    { seed: 7, numRuns: 50 },
  )
})

t.test('the energy is −½ sᵀWs over spins, with its couplings as the parameter W', async (t) => {
  const patterns = [[1, -1, 1, -1, 1, 1], [1, 1, 1, -1, -1, -1]]
  const e = store(patterns, { rule: 'storkey' })
  const W = init(e).W
  const s = [1, 1, -1, -1, 1, -1]
  let want = 0
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) want -= 0.5 * s[i] * W[i * 6 + j] * s[j]
  t.ok(Math.abs(energyAt(e, [s])[0] - want) < 1e-14)
  t.equal(e.domain, 'spins')
  t.equal(e.structure?.kind, 'dense')
  t.same(e.description, { name: 'hopfield', rule: 'storkey', patterns })
})

t.test('patterns of mixed lengths, values other than ±1, no patterns and unknown rules are refused', async (t) => {
  t.throws(() => store([[1, -1, 1], [1, -1]]), { name: 'RangeError', message: 'hopfield.store: patterns[1]: expected a pattern of 3 values (the length of the first), got 2' })
  t.throws(() => store([[1, -1, 0]]), { name: 'RangeError', message: 'hopfield.store: patterns[0][2]: expected a spin (−1 or +1), got 0' })
  t.throws(() => store([]), { name: 'RangeError', message: /^hopfield.store: patterns: expected at least one pattern, got / })
  t.throws(() => store([[1, 1]], { rule: 'oja' as never }), { message: 'hopfield.store: rule: expected one of "hebb", "storkey", got "oja"' })
  t.throws(() => store([1, 1] as never), { name: 'TypeError', message: 'hopfield.store: patterns[0]: expected a pattern (an array of numbers), got 1' })
})

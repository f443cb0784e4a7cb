import t from 'tap'
import fc from 'fast-check'
import { boltzmann, energyAt, init } from '../../src/energy/index.js'
import { descent, sample } from '../../src/sampler/index.js'
import { store } from '../../src/hopfield/store.js'
import { retrieve } from '../../src/hopfield/retrieve.js'
import { retrievalRate } from '../../src/hopfield/capacity.js'

const spins = (n: number) => fc.array(fc.constantFrom(-1, 1), { minLength: n, maxLength: n })

t.test('every zero-temperature asynchronous flip leaves E unchanged or lower (fast-check, Hebbian and random couplings)', async (t) => {
  const D = 7
  await fc.assert(
    fc.asyncProperty(fc.array(spins(D), { minLength: 1, maxLength: 4 }), spins(D), fc.boolean(), fc.integer({ min: 0, max: 1000 }), async (patterns, s0, hebb, seed) => {
      // Hebbian W, or one whose off-diagonal entries are taken from the patterns (any symmetric W will do)
      const e = hebb ? store(patterns) : boltzmann({ weights: Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j ? 0 : patterns[0][Math.min(i, j)] * patterns[0][Math.max(i, j)] * ((i + j) % 3) * 0.3))), domain: 'spins' })
      // In sequential order a sweep updates units 0, 1, …, D − 1 in turn, so the states between its flips are
      // the start with its first k units replaced by their final values.
      const r = await sample(e, descent({ order: 'sequential' }), { chains: 1, init: s0, steps: 1, seed, backend: 'reference' })
      const s1 = [...r.positions]
      const between = Array.from({ length: D + 1 }, (_, k) => [...s1.slice(0, k), ...s0.slice(k)])
      const E = energyAt(e, between, init(e))
      return E.every((x, k) => k === 0 || x <= E[k - 1] + 1e-12)
    }),
    { seed: 11, numRuns: 100 },
  )
})

t.test('a cue with a unit flipped falls back into its memory: a fixed point, overlap 1', async (t) => {
  const memories = [[1, -1, 1, -1, 1, 1, -1, -1, 1, 1], [1, 1, 1, 1, -1, -1, -1, -1, 1, -1]]
  const e = store(memories, { rule: 'storkey' })
  const cue = memories[1].map((s, i) => (i === 4 ? -s : s))
  for (const backend of ['reference', 'native'] as const) {
    const r = await retrieve(e, cue, { seed: 3, backend })
    t.same([...r.states], memories[1], backend)
    t.equal(r.overlaps[1], 1)
    t.equal(r.endings[0], 'fixed point')
    t.ok(r.sweeps[0] >= 1 && r.sweeps[0] <= 3, `${r.sweeps[0]} sweeps`)
  }
})

t.test('synchronous updates can end in a 2-cycle where asynchronous ones reach a fixed point', async (t) => {
  // One pattern (1, −1): W₁₂ = −½. From (1, 1) both units flip at once, forever: (1, 1) ↔ (−1, −1).
  const e = store([[1, -1]])
  const sync = await retrieve(e, [1, 1], { mode: 'sync', seed: 1 })
  t.equal(sync.endings[0], '2-cycle')
  t.equal(sync.sweeps[0], 2, 'closed after the second sweep')
  const async = await retrieve(e, [1, 1], { seed: 1 })
  t.equal(async.endings[0], 'fixed point')
  t.equal(Math.abs(async.overlaps[0]), 1, 'a stored pattern or its mirror image')
})

t.test('at temperature T the chains run maxSweeps heat-bath sweeps', async (t) => {
  const e = store([[1, -1, 1, -1, 1, -1]])
  const r = await retrieve(e, [1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, 1], { temperature: 0.3, maxSweeps: 7, seed: 2 })
  t.same([...r.sweeps], [7, 7])
  t.same(r.endings, ['max sweeps', 'max sweeps'])
})

t.test('the capacity at N = 1,000: Hebb collapses between α = 0.12 and 0.16, Storkey still retrieves at 0.16', async (t) => {
  // 40 cues a point, 20% of their spins flipped, retrieved when the final overlap exceeds 0.9.
  const at = (alpha: number, rule: 'hebb' | 'storkey') => retrievalRate({ units: 1000, patterns: Math.round(alpha * 1000), rule, cues: 40, seed: 1 })
  const [low, high, storkey] = [await at(0.12, 'hebb'), await at(0.16, 'hebb'), await at(0.16, 'storkey')]
  t.ok(low.fraction > 0.75, `Hebb at 0.12: ${low.fraction}`)
  t.ok(high.fraction < 0.25, `Hebb at 0.16: ${high.fraction}`)
  t.equal(storkey.fraction, 1, 'Storkey at 0.16')
})

t.test('bad input is refused by name', async (t) => {
  const e = store([[1, -1, 1]])
  await t.rejects(retrieve(e, [1, -1], { seed: 1 }), { message: 'hopfield.retrieve: cues: expected a multiple of 3 values (rows of 3 spins), got 2' })
  await t.rejects(retrieve(e, [1, 0, 1], { seed: 1 }), { message: /hopfield.retrieve|init/ })
  await t.rejects(retrieve(e, [1, -1, 1], { seed: 1, mode: 'sync', temperature: 1 }), { message: "hopfield.retrieve: temperature: expected none with mode 'sync' (heat bath updates one unit at a time), got 1" })
  await t.rejects(retrieve(boltzmann({ weights: [[0, 1], [1, 0]] }), [1, 1], { seed: 1 }), { message: "hopfield.retrieve: energy: expected a Hopfield network (hopfield.store), got \"energy 'boltzmann'\"" })
  await t.rejects(retrievalRate({ units: 1, patterns: 1, seed: 1 }), { message: 'hopfield.retrievalRate: units: expected an integer ≥ 2, got 1' })
})

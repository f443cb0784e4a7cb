import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as rng from '../../src/rng/index.js'
import { quadratic } from './fixtures.js'

const e = quadratic(2, 3) // D = 3, a ≠ 1
const mala = sampler.mala({ stepSize: 0.3 })
const init = rng.normals(11, 0, 0, 5 * 3)

t.test("keep: 'draws' keeps the positions of every thin-th step after warmup, laid out [chains × draws × D]", async (t) => {
  for (const backend of ['reference', 'native'] as const) {
    const options = { chains: 5, steps: 12, seed: 3, init, backend, thin: 4 }
    // The same chains run without warmup for warmup + steps steps: their snapshots are the draws.
    const whole = await sampler.execute(sampler.checkRun(e, mala, { ...options, steps: 7 + 12 }), { onSnapshot: () => undefined })
    const snapshots: Float64Array[] = []
    await sampler.execute(sampler.checkRun(e, mala, { ...options, steps: 7 + 12, thin: 1 }), { onSnapshot: (s) => snapshots.push(s.positions) })
    const r = await sampler.sample(e, mala, { ...options, warmup: 7, keep: 'draws' })
    t.same(r.drawShape, [5, 3, 3], `${backend}: 12 steps thinned by 4: 3 draws a chain`)
    t.equal(r.draws?.length, 5 * 3 * 3)
    for (let c = 0; c < 5; c++) {
      for (let k = 0; k < 3; k++) {
        const want = snapshots[7 + 4 * (k + 1) - 1].subarray(c * 3, c * 3 + 3)
        t.strictSame(r.draws?.subarray((c * 3 + k) * 3, (c * 3 + k + 1) * 3), want, `${backend}: chain ${c}, draw ${k}`)
      }
    }
    t.strictSame(r.positions, whole.positions, `${backend}: warmup steps are steps of the same chains, only discarded`)
    t.same(r.trace.map((s) => s.step), [11, 15, 19], 'snapshots after warmup, counted from the start')
  }
})

t.test("keep: 'draws' thins every step by default, and the result's statistics cover the steps after warmup only", async (t) => {
  const r = await sampler.sample(e, mala, { chains: 4, steps: 6, seed: 1, init: init.subarray(0, 12), warmup: 50, keep: 'draws', backend: 'reference' })
  t.same(r.drawShape, [4, 6, 3])
  t.equal(r.warmup, 50)
  t.equal(r.steps, 6)
  const perSnapshot = r.trace.reduce((s, x) => s + (x.acceptanceRate ?? 0), 0) / r.trace.length
  // 4 chains × 1 proposal per snapshot step: the run's rate is the mean of the snapshots' rates.
  t.ok(Math.abs((r.statistics.acceptanceRate ?? NaN) - perSnapshot) < 1e-12, 'acceptance over the 6 steps after warmup')
})

t.test('the warmup hook runs between warmup windows and may change the chains before sampling', async (t) => {
  const ends: number[] = []
  const run = sampler.checkRun(e, mala, { chains: 2, steps: 3, seed: 1, warmup: 10, backend: 'reference' })
  const r = await sampler.execute(run, {
    warmup: {
      windows: () => [3, 6, 10],
      after: (runner, statistics, end) => {
        ends.push(end)
        t.equal(statistics.step, end)
        if (end === 10) runner.state.position.fill(0) // what an adaptation might do to the state (or the step size)
      },
    },
  })
  t.same(ends, [3, 6, 10])
  const fromZero = await sampler.sample(e, mala, { chains: 2, steps: 13, seed: 1, backend: 'reference' })
  t.notSame(r.positions, fromZero.positions, 'the change was seen')
  await t.rejects(sampler.execute(run, { warmup: { windows: () => [6, 3] } }), { name: 'RangeError', message: 'sample: warmup windows: expected ends at increasing steps, the last at 10, got "6, 3"' })
})

t.test('a run too large is refused before anything is allocated, in the terms of chains, dimensions and bytes', async (t) => {
  const ula = sampler.ula({ stepSize: 0.1 })
  await t.rejects(sampler.sample(quadratic(1, 2), ula, { chains: 1e8, steps: 10, seed: 1 }), { name: 'RangeError', message: 'sample: 10⁸ chains × 2 dimensions need 9.70 GB; the limit is 4.29 GB (options.memoryLimit)' })
  await t.rejects(sampler.sample(quadratic(1, 2), ula, { chains: 1000, steps: 1000, seed: 1, keep: 'draws', memoryLimit: 1e6 }), {
    message: 'sample: 1000 chains × 2 dimensions with 1000 draws each need 16.1 MB; the limit is 1.00 MB (options.memoryLimit)',
  })
  t.equal(sampler.bytesPerChain(2, 'float64', 1000), 97 + 16000, '8·D bytes a kept draw')
  await t.rejects(sampler.sample(quadratic(1, 2), ula, { chains: 4, steps: 10, seed: 1, keep: 'all' as never }), { message: 'sample: keep: expected one of "final", "draws", got "all"' })
  await t.rejects(sampler.sample(quadratic(1, 2), ula, { chains: 4, steps: 10, seed: 1, warmup: -1 }), { message: 'sample: warmup: expected an integer ≥ 0, got -1' })
})

/**
 * The watcher behind `heatbath watch` scores the records waiting behind the one in hand in one batch, up
 * to the learner's next update point (after which the model may differ), with the bits of scoring them one
 * at a time.
 */
import t from 'tap'
import { diagnostics, energy, rng, train } from '../../src/index.js'
import { watcher, type Watched } from '../../src/cli/watcher.js'

const D = 2
const z = rng.normals(4, 0, 0, 2 * 40)
const xs = Array.from({ length: 40 }, (_v, i) => z.subarray(2 * i, 2 * i + 2).map((v) => 0.5 * v + (i < 25 ? 0 : 2)))
const learnerOf = (calls: number[]) => {
  const learner = train.online(energy.mlp({ widths: [D, 8, 1], activation: 'silu', seed: 1 }), { objective: train.scoreMatching({ kind: 'exact' }), optimizer: train.adam({ lr: 0.05 }), batchSize: 6, updateEvery: 6, seed: 2, backend: 'reference' })
  return { ...learner, scoreMany: (s: train.OnlineState, x: Float64Array) => (calls.push(x.length / D), learner.scoreMany(s, x)) } as train.OnlineLearner
}
const run = async (limit: number, waiting: boolean) => {
  const calls: number[] = []
  const w = watcher(learnerOf(calls), { window: 5, quantile: 0.8 }, diagnostics.pageHinkley({ threshold: 3, minInstances: 5 }), undefined, limit)
  const out: Watched[] = []
  for (const [i, x] of xs.entries()) out.push(await w.step(x, waiting ? (n) => xs.slice(i + 1, i + 1 + n) : undefined))
  return { out, calls }
}

t.test('waiting records are scored together up to the next update, with the bits of one at a time', async (t) => {
  const alone = await run(256, false)
  t.same(alone.calls, xs.map(() => 1))
  t.ok(alone.out.some((r) => r.drift !== null) && alone.out.some((r) => r.updated), 'updates and a drift happen among the records')
  const batched = await run(256, true)
  t.same(batched.calls, [6, 6, 6, 6, 6, 6, 4], 'one batch from each update point to the next')
  t.strictSame(batched.out, alone.out, 'the same scores, thresholds, flags, drifts and updates, to the bit')
  const small = await run(4, true)
  t.same(small.calls, [4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4], 'never more than the limit')
  t.strictSame(small.out, alone.out)
})

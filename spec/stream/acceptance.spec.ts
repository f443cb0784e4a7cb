import t from 'tap'
import { rollingAcceptance } from '../../src/stream/acceptance.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingAcceptance reports per-chain and overall acceptance over the window', async (t) => {
  const decisions = [[1, 0], [1, 1], [0, 1]]
  const snapshots = decisions.map((a, i) => snapshot(i, [0, 0], { accepted: Float64Array.from(a) }))
  const reports = await run(snapshots, rollingAcceptance(2))
  t.same(reports.map((r) => [r.step, [...r.rates], r.rate]), [[1, [1, 0.5], 0.75], [2, [0.5, 1], 0.75]])
  await t.rejects(run([snapshot(0, [0])], rollingAcceptance(1)), { name: 'TypeError', message: 'rollingAcceptance: snapshot at step 0: accepted: expected per-chain values (this operator needs them), got undefined' })
})

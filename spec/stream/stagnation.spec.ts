import t from 'tap'
import { rollingStagnation } from '../../src/stream/stagnation.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingStagnation reports the chains that did not move over the window', async (t) => {
  const snapshots = [snapshot(0, [1, 2, 3]), snapshot(1, [1, 2.5, 3]), snapshot(2, [1, 2.5, 3.05]), snapshot(3, [1, 2.5, 3.05])]
  const reports = await run(snapshots, rollingStagnation(2))
  t.same(reports.map((r) => r.stagnant), [[0, 2], [0, 1], [0, 1, 2]])
  t.same((await run(snapshots, rollingStagnation(3, 0.1))).map((r) => r.stagnant), [[0, 2], [0, 1, 2]])
  t.throws(() => rollingStagnation(1), { name: 'RangeError', message: 'rollingStagnation: size: expected an integer ≥ 2, got 1' })
})

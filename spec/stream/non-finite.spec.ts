import t from 'tap'
import { rollingNonFinite } from '../../src/stream/non-finite.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingNonFinite reports chains that were not finite anywhere in the window', async (t) => {
  const snapshots = [snapshot(0, [0, NaN, 1]), snapshot(1, [Infinity, 0, 1]), snapshot(2, [0, 0, 1])]
  t.same((await run(snapshots, rollingNonFinite(2))).map((r) => r.nonFinite), [[0, 1], [0]])
  t.same((await run(snapshots, rollingNonFinite(1))).map((r) => r.nonFinite), [[1], [0], []])
})

import t from 'tap'
import { from, lastValueFrom, toArray } from 'rxjs'
import { rollingReport, rollingWindow } from '../../src/stream/rolling-window.js'
import { run, snapshot } from './snapshots.js'

t.test('rollingWindow emits the last size values for every value from the size-th on', async (t) => {
  const windows = await lastValueFrom(from([1, 2, 3, 4, 5]).pipe(rollingWindow(3), toArray()))
  t.same(windows, [[1, 2, 3], [2, 3, 4], [3, 4, 5]])
  t.same(await lastValueFrom(from([1, 2]).pipe(rollingWindow(1), toArray())), [[1], [2]])
  t.throws(() => rollingWindow(0), { name: 'RangeError', message: 'rollingWindow: size: expected an integer ≥ 1, got 0' })
})

t.test('rollingReport errors the stream on an inconsistent snapshot and checks its size', async (t) => {
  const bad = { ...snapshot(7, [1, 2]), energies: new Float64Array(3) }
  await t.rejects(run([snapshot(6, [1, 2]), bad], rollingReport('probe', 1, (w) => ({ size: w.length }))), {
    name: 'RangeError',
    message: 'probe: snapshot at step 7: energies: has 3 values; 2 chains need 2',
  })
  t.throws(() => rollingReport('probe', 1, () => ({}), 2), { name: 'RangeError', message: 'probe: size: expected an integer ≥ 2, got 1' })
})

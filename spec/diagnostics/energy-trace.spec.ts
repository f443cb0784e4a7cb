import t from 'tap'
import { energyTraces } from '../../src/diagnostics/energy-trace.js'

t.test('energyTraces turns energies per step into one trace per chain', async (t) => {
  t.same(energyTraces([[1, 5], [2, 6], [3, 7]]).map((x) => [...x]), [[1, 2, 3], [5, 6, 7]])
  t.throws(() => energyTraces([]), { name: 'RangeError', message: 'energyTraces: energiesOverTime: expected at least one step, got an array of length 0' })
  t.throws(() => energyTraces([[1, 2], [3]]), { name: 'RangeError', message: 'energyTraces: energiesOverTime[1]: has 1 value; the 2 chains of step 0 need 2' })
})

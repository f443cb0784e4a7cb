import t from 'tap'
import { energyTraces } from '../../src/diagnostics/energy-trace.js'

t.test('energyTraces turns energies per step into one trace per chain', async (t) => {
  t.same(energyTraces([[1, 5], [2, 6], [3, 7]]).map((x) => [...x]), [[1, 2, 3], [5, 6, 7]])
  t.throws(() => energyTraces([]), { message: /no steps given/ })
  t.throws(() => energyTraces([[1, 2], [3]]), { message: 'energyTraces: step 1 has 1 energies; step 0 has 2 (one per chain)' })
})

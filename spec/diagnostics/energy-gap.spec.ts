import t from 'tap'
import { energyGap } from '../../src/diagnostics/energy-gap.js'

t.test('energyGap is the mean data energy minus the mean sample energy', async (t) => {
  t.equal(energyGap([1, 2, 3], [0.5, 0.5]), 1.5)
  t.equal(energyGap(new Float64Array([-1]), new Float64Array([1, 3])), -3)
  t.throws(() => energyGap([], [1]), { message: 'energyGap: dataEnergies is empty; expected at least one energy' })
  t.throws(() => energyGap([1], []), { message: 'energyGap: sampleEnergies is empty; expected at least one energy' })
})

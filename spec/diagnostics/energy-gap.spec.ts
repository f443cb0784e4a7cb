import t from 'tap'
import { energyGap } from '../../src/diagnostics/energy-gap.js'

t.test('energyGap is the mean data energy minus the mean sample energy', async (t) => {
  t.equal(energyGap([1, 2, 3], [0.5, 0.5]), 1.5)
  t.equal(energyGap(new Float64Array([-1]), new Float64Array([1, 3])), -3)
  t.throws(() => energyGap([], [1]), { name: 'RangeError', message: 'energyGap: dataEnergies: expected at least one energy, got an array of length 0' })
  t.throws(() => energyGap([1], []), { name: 'RangeError', message: 'energyGap: sampleEnergies: expected at least one energy, got an array of length 0' })
})

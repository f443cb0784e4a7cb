import t from 'tap'
import { stagnantChains } from '../../src/diagnostics/stagnation.js'

t.test('stagnantChains finds the chains that did not move beyond the tolerance', async (t) => {
  const steps = [new Float64Array([0, 0, 1, 1, 5, 5]), new Float64Array([0, 0, 1.5, 1, 5, 5.01]), new Float64Array([0, 0, 1, 1, 5, 5])]
  t.same(stagnantChains(steps, 2), [0])
  t.same(stagnantChains(steps, 2, 0.1), [0, 2])
  t.same(stagnantChains([new Float64Array([NaN]), new Float64Array([NaN])], 1), [])
})

t.test('stagnantChains names what is wrong with its input', async (t) => {
  t.throws(() => stagnantChains([new Float64Array(2)], 1), { name: 'RangeError', message: 'stagnantChains: positionsOverTime: expected at least 2 steps (to see movement), got an array of length 1' })
  t.throws(() => stagnantChains([new Float64Array(3), new Float64Array(3)], 2), { name: 'RangeError', message: 'stagnantChains: positionsOverTime[0]: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 3' })
  t.throws(() => stagnantChains([new Float64Array(2), new Float64Array(4)], 2), { name: 'RangeError', message: 'stagnantChains: positionsOverTime[1]: has 4 values; the 1 chains × 2 dimensions of step 0 need 2' })
})

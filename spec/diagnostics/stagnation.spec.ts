import t from 'tap'
import { stagnantChains } from '../../src/diagnostics/stagnation.js'

t.test('stagnantChains finds the chains that did not move beyond the tolerance', async (t) => {
  const steps = [new Float64Array([0, 0, 1, 1, 5, 5]), new Float64Array([0, 0, 1.5, 1, 5, 5.01]), new Float64Array([0, 0, 1, 1, 5, 5])]
  t.same(stagnantChains(steps, 2), [0])
  t.same(stagnantChains(steps, 2, 0.1), [0, 2])
  t.same(stagnantChains([new Float64Array([NaN]), new Float64Array([NaN])], 1), [])
})

t.test('stagnantChains names what is wrong with its input', async (t) => {
  t.throws(() => stagnantChains([new Float64Array(2)], 1), { message: 'stagnantChains: 1 steps given; at least 2 are needed to see movement' })
  t.throws(() => stagnantChains([new Float64Array(3), new Float64Array(3)], 2), { message: /3 position values do not split into chains of dimension 2/ })
  t.throws(() => stagnantChains([new Float64Array(2), new Float64Array(4)], 2), { message: 'stagnantChains: step 1 has 4 position values; step 0 has 2' })
})

import t from 'tap'
import { acceptanceRates } from '../../src/diagnostics/acceptance.js'

t.test('acceptanceRates averages each chain over steps', async (t) => {
  t.same([...acceptanceRates([[1, 0], [1, 1], [0, 1], [1, 0]])], [0.75, 0.5])
  t.same([...acceptanceRates([new Float64Array([0.5])])], [0.5])
  t.throws(() => acceptanceRates([]), { name: 'RangeError', message: 'acceptanceRates: acceptedOverTime: expected at least one step, got an array of length 0' })
  t.throws(() => acceptanceRates([[1, 0], [1]]), { name: 'RangeError', message: 'acceptanceRates: acceptedOverTime[1]: has 1 value; the 2 chains of step 0 need 2' })
  t.throws(() => acceptanceRates([[1, 2]]), { name: 'RangeError', message: 'acceptanceRates: acceptedOverTime[0][1]: expected a probability in [0, 1], got 2' })
})

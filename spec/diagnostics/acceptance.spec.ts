import t from 'tap'
import { acceptanceRates } from '../../src/diagnostics/acceptance.js'

t.test('acceptanceRates averages each chain over steps', async (t) => {
  t.same([...acceptanceRates([[1, 0], [1, 1], [0, 1], [1, 0]])], [0.75, 0.5])
  t.same([...acceptanceRates([new Float64Array([0.5])])], [0.5])
  t.throws(() => acceptanceRates([]), { message: 'acceptanceRates: no steps given' })
  t.throws(() => acceptanceRates([[1, 0], [1]]), { message: 'acceptanceRates: step 1 has 1 values; step 0 has 2 (one per chain)' })
  t.throws(() => acceptanceRates([[1, 2]]), { message: 'acceptanceRates: step 0, chain 1 is 2; expected a value in [0, 1]' })
})

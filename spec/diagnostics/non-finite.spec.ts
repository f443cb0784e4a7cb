import t from 'tap'
import { nonFiniteChains } from '../../src/diagnostics/non-finite.js'

t.test('nonFiniteChains finds chains with a NaN or infinite coordinate or energy', async (t) => {
  t.same(nonFiniteChains(new Float64Array([0, 1, NaN, 2, 3, Infinity, 4, 5]), 2), [1, 2])
  t.same(nonFiniteChains(new Float64Array([0, 1, 2, 3]), 2, [Infinity, 0]), [0])
  t.throws(() => nonFiniteChains(new Float64Array(3), 2), { name: 'RangeError', message: 'nonFiniteChains: positions: expected a multiple of 2 values (chains of dimension 2), got a Float64Array of length 3' })
  t.throws(() => nonFiniteChains(new Float64Array(4), 2, [1]), { name: 'RangeError', message: 'nonFiniteChains: energies: has 1 value; 2 chains need 2' })
})

import t from 'tap'
import { checkSnapshot } from '../../src/diagnostics/snapshot.js'

const good = { step: 3, chains: 2, dimension: 2, positions: new Float64Array(4), energies: new Float64Array(2) }

t.test('checkSnapshot returns a consistent snapshot and names inconsistent arrays', async (t) => {
  t.equal(checkSnapshot('x', good), good)
  t.throws(() => checkSnapshot('stagnation', { ...good, positions: new Float64Array(3) }), { name: 'RangeError', message: 'stagnation: snapshot at step 3: positions: has 3 values; 2 chains × 2 dimensions need 4' })
  t.throws(() => checkSnapshot('x', { ...good, accepted: new Float64Array(1) }), { name: 'RangeError', message: 'x: snapshot at step 3: accepted: has 1 value; 2 chains need 2' })
  t.throws(() => checkSnapshot('x', { ...good, chains: 0 }), { name: 'RangeError', message: 'x: snapshot at step 3: chains: expected an integer ≥ 1, got 0' })
})

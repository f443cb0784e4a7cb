import t from 'tap'
import * as data from '../../src/data/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

t.test('every data set function names its bad argument with the right class and the message shape', async (t) => {
  const names = data.toyNames.map((n) => `"${n}"`).join(', ')
  await errorTable(t, data, {
    sensors: [
      rangeError(() => data.sensors({ n: 10, dimension: 11, seed: 0 }), 'data.sensors: dimension: expected an integer in [2, 10], got 11'),
      typeError(() => data.sensors({ n: 10, seed: 0, abrupt: 3 } as never), 'data.sensors: abrupt: expected an object, got 3'),
      rangeError(() => data.sensors({ n: 10, seed: 0, gradual: { start: 5, end: 5, shift: 1 } }), 'data.sensors: gradual.end: expected a record after start = 5, got 5'),
    ],
    toy: [
      rangeError(() => data.toy('circles' as never, 10, 0), `toy: name: expected one of ${names}, got "circles"`),
      typeError(() => data.toy('moons', '10' as never, 0), 'toy: n: expected an integer ≥ 1, got "10"'),
      rangeError(() => data.toy('moons', 10, 2 ** 53), 'toy: seed: expected an integer in [0, 2^53), got 9007199254740992'),
    ],
    toyDensity: [rangeError(() => data.toyDensity('moons' as never), 'data.toyDensity: name: expected one of "8gaussians", got "moons"')],
    barsAndStripes: [
      rangeError(() => data.barsAndStripes({ size: 1 }), 'data.barsAndStripes: size: expected an integer in [2, 12], got 1'),
      rangeError(() => data.barsAndStripes({ size: 3, count: 0, seed: 1 }), 'data.barsAndStripes: count: expected an integer ≥ 1, got 0'),
      typeError(() => data.barsAndStripes({ size: 3, count: 4 }), 'data.barsAndStripes: seed: expected an integer in [0, 2^53), got undefined'),
    ],
    textImages: [
      rangeError(() => data.textImages([1, 0, 1], { width: 2, height: 1 }), 'data.textImages: values: expected a multiple of 2 values (images of 2 × 1), got 3'),
      rangeError(() => data.textImages([1, 0], { width: 2, height: 1, low: 1, high: 1 }), 'data.textImages: high: expected a number above low = 1, got 1'),
      rangeError(() => data.textImages([1, 0], { width: 0, height: 1 }), 'data.textImages: width: expected an integer ≥ 1, got 0'),
    ],
  })
})

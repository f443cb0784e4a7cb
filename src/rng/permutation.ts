/**
 * Random orders: the Fisher–Yates shuffle driven by uniforms the caller draws (from src/rng, or the addon's
 * generator through src/backend), so that every shuffle in the library is one algorithm on one stream.
 *
 * @module
 */
import { array, integer, rangeError, typeError } from '../check/index.js'

// Entry i of the uniforms, checked: a value outside [0, 1) would swap with a position past the end and
// leave a repeated index, not a permutation.
const uniform = (uniforms: ArrayLike<number>, i: number): number => {
  const u = uniforms[i]
  if (typeof u !== 'number') throw typeError(`rng.permutation: uniforms[${i}]`, 'a number in [0, 1)', u)
  if (!(u >= 0 && u < 1)) throw rangeError(`rng.permutation: uniforms[${i}]`, 'a number in [0, 1)', u)
  return u
}

/**
 * A uniformly random order of 0, …, n − 1 from n uniforms in (0, 1) (entry i decides where position i goes,
 * from the last position down; entry 0 is not used).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { permutation, uniforms } from './index.js'
 * const order = permutation(5, uniforms(1, 0, 0, 5))
 * assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4])
 * assert.deepEqual(permutation(3, [0.5, 0.1, 0.9]), Uint32Array.of(1, 0, 2)) // 2 stays (0.9·3 → 2), then 1 ↔ 0 (0.1·2 → 0)
 */
export const permutation = (n: number, uniforms: ArrayLike<number>): Uint32Array => {
  integer(n, 'rng.permutation: n')
  if (!(array(uniforms, 'rng.permutation: uniforms').length >= n)) throw rangeError('rng.permutation: uniforms', `at least ${n} uniforms`, uniforms)
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform(uniforms, i) * (i + 1))
    const kept = order[i]
    order[i] = order[j]
    order[j] = kept
  }
  return order
}

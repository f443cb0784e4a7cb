/**
 * Gradient norms along the chains.
 *
 * @module
 */
import { array, rangeError, typeError } from '../check/index.js'
import { chainCount } from './snapshot.js'

/**
 * The Euclidean norm ‖∇E(x_c)‖ of each chain's gradient, from row-major gradients [chains × dimension].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.deepEqual(diagnostics.gradientNorms(new Float64Array([3, 4, 0, 1]), 2), new Float64Array([5, 1]))
 */
export const gradientNorms = (gradients: Float64Array, dimension: number): Float64Array => {
  return Float64Array.from({ length: chainCount('gradientNorms', 'gradients', gradients, dimension) }, (_, c) => {
    let s = 0
    for (let i = c * dimension; i < (c + 1) * dimension; i++) s += gradients[i] * gradients[i]
    return Math.sqrt(s)
  })
}

/**
 * The mean gradient norm over chains and steps. Langevin chains at equilibrium have E‖∇E‖² = T·tr(∇²E)
 * (the Stein identity), so a mean norm that keeps growing says the chains are leaving the region the
 * step size suits, and one near 0 says they sit in a minimum as an optimiser would, not a sampler.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.meanGradientNorm([[1, 3], [2, 2]]), 2)
 */
export const meanGradientNorm = (normsOverTime: ReadonlyArray<ArrayLike<number>>): number => {
  const where = 'meanGradientNorm: normsOverTime'
  if (!Array.isArray(normsOverTime)) throw typeError(where, 'an array of steps', normsOverTime)
  let s = 0
  let n = 0
  for (const [t, step] of normsOverTime.entries()) {
    const norms = array(step, `${where}[${t}]`)
    for (let i = 0; i < norms.length; i++) s += norms[i]
    n += norms.length
  }
  if (n === 0) throw rangeError(where, 'at least one gradient norm', normsOverTime)
  return s / n
}

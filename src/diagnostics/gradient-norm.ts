/**
 * Gradient norms along the chains.
 *
 * @module
 */

/**
 * The Euclidean norm ‖∇E(x_c)‖ of each chain's gradient, from row-major gradients [chains × dimension].
 *
 * @example
 * diagnostics.gradientNorms(new Float64Array([3, 4, 0, 1]), 2) // Float64Array [5, 1]
 */
export const gradientNorms = (gradients: Float64Array, dimension: number): Float64Array => {
  if (!(Number.isInteger(dimension) && dimension > 0) || gradients.length % dimension !== 0) {
    throw new Error(`gradientNorms: ${gradients.length} gradient values do not split into chains of dimension ${dimension}`)
  }
  return Float64Array.from({ length: gradients.length / dimension }, (_, c) => {
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
 * diagnostics.meanGradientNorm([[1, 3], [2, 2]]) // 2
 */
export const meanGradientNorm = (normsOverTime: ReadonlyArray<ArrayLike<number>>): number => {
  let s = 0
  let n = 0
  for (const norms of normsOverTime) {
    for (let i = 0; i < norms.length; i++) s += norms[i]
    n += norms.length
  }
  if (n === 0) throw new Error('meanGradientNorm: no gradient norms given')
  return s / n
}

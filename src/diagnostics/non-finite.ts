/**
 * Non-finite chains.
 *
 * @module
 */

/**
 * The indices of chains with a NaN or infinite coordinate (positions row-major [chains × dimension]) or,
 * when given, energy. Such a chain has diverged, usually because the step size exceeds 2/λ_max (see
 * `langevinStability`), and it poisons every average it enters.
 *
 * @example
 * diagnostics.nonFiniteChains(new Float64Array([0, 1, NaN, 2]), 2) // [1]
 */
export const nonFiniteChains = (positions: Float64Array, dimension: number, energies?: ArrayLike<number>): number[] => {
  if (!(Number.isInteger(dimension) && dimension > 0) || positions.length % dimension !== 0) {
    throw new Error(`nonFiniteChains: ${positions.length} position values do not split into chains of dimension ${dimension}`)
  }
  const chains = positions.length / dimension
  if (energies !== undefined && energies.length !== chains) {
    throw new Error(`nonFiniteChains: ${energies.length} energies given; ${chains} chains need ${chains}`)
  }
  return Array.from({ length: chains }, (_, c) => c).filter(
    (c) =>
      (energies !== undefined && !Number.isFinite(energies[c])) ||
      !positions.subarray(c * dimension, (c + 1) * dimension).every(Number.isFinite),
  )
}

/**
 * The laws of the toy distributions that have a closed form, as energies: exp(−E) is the law's density, so
 * `grid.tabulate` gives the exact target of a grid KL and samplers can draw from it.
 *
 * @module
 */
import { oneOf } from '../check/index.js'
import { gmm } from '../energy/analytic.js'
import type { Energy } from '../energy/energy.js'
import { eightGaussiansCentres, eightGaussiansLaw } from './toy.js'

/** The toys whose law has a closed form. */
export const toyDensityNames = ['8gaussians'] as const

/**
 * The energy whose Boltzmann density is the law of a toy data set: for 8gaussians, the mixture of eight
 * equal Gaussians its generator draws from.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tabulate, mass } from '../energy/grid.js'
 * import { toyDensity } from './density.js'
 * const p = tabulate(toyDensity('8gaussians'), { bounds: [[-4.5, 4.5], [-4.5, 4.5]], n: 200 })
 * // one mode of eight: ⅛ but the tails the box cuts off (beyond 2.3σ in x and 2.8σ in y: about 1% of ⅛)
 * assert.ok(Math.abs(mass(p, ([x, y]) => x > 2 && Math.abs(y) < 1) - 0.125 * 0.99) < 5e-4)
 */
export const toyDensity = (name: (typeof toyDensityNames)[number]): Energy => {
  oneOf(name, 'data.toyDensity: name', toyDensityNames)
  const { radius, sigma } = eightGaussiansLaw
  return gmm({ means: eightGaussiansCentres.map(([x, y]) => [radius * x, radius * y]), sigma })
}

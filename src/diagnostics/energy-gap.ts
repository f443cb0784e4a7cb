/**
 * The energy difference between data and samples (Nijkamp et al. 2020).
 *
 * @module
 */
import { numbers, rangeError } from '../check/index.js'

// Each energy checked to be a number: a string was concatenated into the sum. A non-finite energy stays
// allowed and makes the gap non-finite: a diverged chain's snapshot still has a gap, which
// rollingNonFinite, beside it in a health check, explains.
const average = (name: string, label: string, energies: ArrayLike<number>): number => {
  const x = numbers(energies, `${name}: ${label}`, { finite: false })
  if (x.length === 0) throw rangeError(`${name}: ${label}`, 'at least one energy', energies)
  let s = 0
  for (let i = 0; i < x.length; i++) s += x[i]
  return s / x.length
}

/**
 * The energy difference d_t = mean E(data) − mean E(samples) of Nijkamp, Hill, Han, Zhu and Wu (2020),
 * "On the Anatomy of MCMC-based Maximum Likelihood Learning of Energy-Based Models". It is the
 * contrastive objective's value; its sign says which way learning pushes: d_t > 0 (data above samples)
 * makes the next update lower the data's energy relative to the samples', contracting the samples'
 * region, d_t < 0 expands it. Stable learning keeps d_t oscillating around 0; a drift away from 0 means
 * the short-run chains no longer reach where the model puts mass. Near 0 it says nothing about whether
 * the chains converged.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.energyGap([1.0, 1.2, 0.8], [0.5, 0.7]), 0.4)
 */
export const energyGap = (dataEnergies: ArrayLike<number>, sampleEnergies: ArrayLike<number>): number =>
  average('energyGap', 'dataEnergies', dataEnergies) - average('energyGap', 'sampleEnergies', sampleEnergies)

/**
 * MALA and HMC on a non-Gaussian target, the double well E = x₀⁴ − 2x₀² + ½x₁² at T = 0.5 and T = 2.5:
 * the total variation between the histogram of the final positions on a 16 × 16 grid and the exact cell
 * probabilities from grid.tabulate stays under the bound that exact i.i.d. draws keep with probability
 * 1 − 1e-4 (stationary.ts derives it: ½Σₖ√(pₖ(1 − pₖ)/n) for its mean, McDiarmid for its spread).
 *
 * Every chain starts from its own exact draw (rejection sampling), so a correct sampler leaves the final
 * positions exact and independent; a wrong one moves them away within the run.
 */
import type { Test } from 'tap'
import * as sampler from '../../src/sampler/index.js'
import { binProbabilities, doubleWell, doubleWellBins, doubleWellDraws, temperatures, testEachRun, totalVariation, totalVariationBound, type Run } from './stationary.js'

// The curvature in x₀ is 8 at the minima and 44 at |x₀| = 2. HMC's step is large enough that a fifth or more
// of its proposals are rejected: with nearly all accepted, an accept test at the wrong temperature would
// change too little to see (at h = 0.25 and 3 leapfrog steps, acceptance 0.97, it did not show).
const kernels = (T: number): Record<string, sampler.Kernel> => ({
  mala: sampler.mala({ stepSize: 0.08, temperature: T }),
  hmc: sampler.hmc({ stepSize: 0.45, leapfrogSteps: 2, temperature: T }),
})

const checkHistogram = async (t: Test, run: Run): Promise<void> => {
  for (const [i, T] of temperatures.entries()) {
    const bins = doubleWellBins(T)
    // 10 × 10 fine cells per histogram cell: the midpoint rule's error is far below the sampling error.
    const p = binProbabilities(doubleWell, T, bins, 10)
    const bound = totalVariationBound(p, run.chains, 1e-4)
    for (const [j, [name, kernel]] of Object.entries(kernels(T)).entries()) {
      const seed = run.seed + 10 * i + j
      const r = await sampler.sample(doubleWell, kernel, { ...run, seed, init: doubleWellDraws(T, run.chains, 8_000_000 + seed) })
      const tv = totalVariation(r.positions, bins, p)
      t.ok(tv < bound, `${name} at T = ${T} (acceptance ${r.statistics.acceptanceRate?.toFixed(2)}): total variation ${tv.toFixed(4)} < ${bound.toFixed(4)}`)
    }
  }
}

await testEachRun('MALA and HMC sample the double well at T ≠ 1 within the histogram error of exact draws', [
  { backend: 'native', dtype: 'float64', chains: 40_000, steps: 200, seed: 100 },
  { backend: 'reference', dtype: 'float64', chains: 4_000, steps: 100, seed: 200 },
], checkHistogram)

/**
 * The power study of checkStationarity: planted bugs (spec/testing/planted.ts) caught with probability
 * ≥ 0.99, correct kernels failing at most at the stated false-alarm rate of 1%, each measured over 200
 * seeds at the sizes below.
 *
 * Target: the correlated Gaussian E = ½(x − μ)ᵀP(x − μ), P = [[2, 0.8], [0.8, 1.5]], μ = (1, −0.5), at
 * T = 0.5 (away from 1, where σ and σ² agree). Sizes: 500 chains started at exact draws, 10 steps,
 * 199 permutations of the energy distance on the first 150 chains, false-alarm rate 0.01.
 *
 * A bug is caught by the check as a whole (a KS test of a coordinate or of E(x), or the energy distance);
 * the step sizes are where each bug's bias is large (measured: the variance of x falls to about 0.55 of
 * T·P⁻¹ for MALA without the reverse density at h = 0.3, to 0.5 with the momentum variance T², and grows
 * several-fold with the wrong half-step at h = 0.9); a smaller bias needs more chains.
 */
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import * as planted from './planted.js'

const T = 0.5
const target = testing.gaussianTarget({ mean: [1, -0.5], precision: [[2, 0.8], [0.8, 1.5]], temperature: T })
const seeds = 200
const sizes = { chains: 500, steps: 10, permutations: 199, jointSize: 150, falseAlarm: 0.01 } as const

/** How many of the seeds 0 … 199 fail the check. */
const failures = async (kernel: sampler.Kernel, law?: testing.Target): Promise<number> => {
  let failed = 0
  for (let seed = 0; seed < seeds; seed++) {
    const r = await testing.checkStationarity(target, kernel, { ...sizes, seed, ...(law === undefined ? {} : { law }) })
    if (!r.passed) failed++
  }
  return failed
}

const ulaLaw = testing.ulaLaw(target, 0.3)

t.test('planted bugs are caught in at least 99% of 200 seeds', async (t) => {
  const bugs: [string, sampler.Kernel, testing.Target | undefined][] = [
    ['MALA without the reverse proposal density (h = 0.3)', planted.malaWithoutReverse({ stepSize: 0.3, temperature: T }), undefined],
    ['HMC with a full last kick instead of a half one (h = 0.9, 3 steps)', planted.hmcWrongHalfStep({ stepSize: 0.9, leapfrogSteps: 3, temperature: T }), undefined],
    ['HMC whose momentum refresh has variance T² (h = 0.3, 3 steps)', planted.hmcWrongMomentumVariance({ stepSize: 0.3, leapfrogSteps: 3, temperature: T }), undefined],
    ['ULA with noise √2 too large, against ULA’s own law (h = 0.3)', planted.ulaNoiseTooLarge({ stepSize: 0.3, temperature: T }), ulaLaw],
  ]
  for (const [name, kernel, law] of bugs) {
    const caught = await failures(kernel, law)
    t.ok(caught >= 0.99 * seeds, `${name}: caught in ${caught} of ${seeds}`)
  }
})

t.test('correct kernels fail in at most 1% of 200 seeds each', async (t) => {
  const correct: [string, sampler.Kernel, testing.Target | undefined][] = [
    ['MALA (h = 0.3)', sampler.mala({ stepSize: 0.3, temperature: T }), undefined],
    ['HMC (h = 0.9, 3 steps)', sampler.hmc({ stepSize: 0.9, leapfrogSteps: 3, temperature: T }), undefined],
    ['ULA against its own law (h = 0.3)', sampler.ula({ stepSize: 0.3, temperature: T }), ulaLaw],
  ]
  for (const [name, kernel, law] of correct) {
    const failed = await failures(kernel, law)
    t.ok(failed <= 0.01 * seeds, `${name}: ${failed} false alarms in ${seeds}`)
  }
})

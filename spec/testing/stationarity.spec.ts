/**
 * checkStationarity on kernels whose verdict is known: exact kernels on every catalogue target pass,
 * unadjusted Langevin with a large step fails against exp(−E/T) and passes against its own law, and bad
 * input (not a kernel, an energy without exact draws, sizes that cannot reach the level) is refused.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import * as planted from './planted.js'

const T = 0.5
const gaussian = testing.gaussianTarget({ mean: [1, -0.5], precision: [[2, 0.8], [0.8, 1.5]], temperature: T })

t.test('exact kernels keep every kind of catalogue target at T ≠ 1', async (t) => {
  const targets = [
    gaussian,
    testing.mixtureTarget({ means: [[-1.5, 0], [1.5, 0.5]], sigma: 0.7, weights: [1, 2], temperature: 1.7 }),
    testing.doubleWellTarget({ dim: 2, temperature: 0.8 }),
    testing.tiltedGaussianTarget({ mean: [0, 0.5], seed: 4, height: 0.8, temperature: 0.6 }),
  ]
  for (const [i, target] of targets.entries()) {
    const Tt = target.temperature
    const r = await testing.checkStationarity(target, sampler.hmc({ stepSize: 0.3, leapfrogSteps: 3, temperature: Tt }), { seed: 10 + i })
    t.ok(r.passed, r.message)
    t.same(r.parts?.map((p) => p.name).sort(), ['E(x) (KS)', 'joint (energy distance)', 'x[0] (KS)', 'x[1] (KS)'])
  }
})

t.test("ULA at a large step fails against exp(−E/T) and passes against its effective-temperature law", async (t) => {
  const ula = sampler.ula({ stepSize: 0.5, temperature: T })
  const biased = await testing.checkStationarity(gaussian, ula, { seed: 3 })
  t.equal(biased.passed, false, biased.message)
  t.equal(biased.parts?.find((p) => p.name === 'joint (energy distance)')?.skipped, 'not computed: a KS test has failed already')
  t.match(biased.message, /reproduce with the options \{ seed: 3, chains: 500, steps: 10/)
  const own = await testing.checkStationarity(gaussian, ula, { seed: 3, law: testing.ulaLaw(gaussian, 0.5) })
  t.ok(own.passed, own.message)
  // and its implementation with noise √2 too large fails against the same law
  t.equal((await testing.checkStationarity(gaussian, planted.ulaNoiseTooLarge({ stepSize: 0.5, temperature: T }), { seed: 3, law: testing.ulaLaw(gaussian, 0.5) })).passed, false)
})

t.test('a kernel at the wrong temperature fails: the check reads T from the target', async (t) => {
  const r = await testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.3 }), { seed: 4 })
  t.equal(r.passed, false, r.message)
})

t.test('chains that become non-finite fail before any statistic', async (t) => {
  const r = await testing.checkStationarity(gaussian, sampler.ula({ stepSize: 2, temperature: T }), { seed: 1, steps: 1000 })
  t.equal(r.passed, false)
  t.match(r.message, /chains that became non-finite \d+ > 0/)
})

t.test('bad input is refused with an error that says what is wrong', async (t) => {
  await t.rejects(testing.checkStationarity(gaussian, { type: 'teleport' } as never), { name: 'TypeError', message: /^checkStationarity: kernel: expected a sampler kernel \(a block of type drift, / })
  await t.rejects(testing.checkStationarity(energy.doubleWell() as never, sampler.mala({ stepSize: 0.1 })), { name: 'TypeError', message: /^checkStationarity: target: expected a target with exact draws .*, got an energy without exact draws$/ })
  await t.rejects(testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.1 }), { chains: 5 }), { name: 'RangeError', message: 'checkStationarity: chains: expected at least 7 (with fewer, no KS p-value reaches the level falseAlarm/(2(D + 1)) = 0.00167), got 5' })
  await t.rejects(testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.1 }), { permutations: 99 }), { name: 'RangeError', message: /^checkStationarity: permutations: expected at least 199 / })
  await t.rejects(testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.1 }), { falseAlarm: 0 }), { name: 'RangeError' })
  await t.rejects(testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.1 }), { chians: 100 } as never), { message: /unknown option 'chians'/ })
  await t.rejects(testing.checkStationarity(gaussian, sampler.mala({ stepSize: 0.1 }), { law: testing.doubleWellTarget({ dim: 3 }) }), { message: 'checkStationarity: law: expected a law of dimension 2 (the target\'s), got 3' })
})

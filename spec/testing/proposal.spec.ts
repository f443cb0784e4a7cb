/**
 * checkReversibility and checkVolumePreservation: leapfrog compositions pass; the wrong half-step, a
 * kick then a move, and a damping friction fail the property each breaks; a stochastic kernel is refused.
 */
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import * as testing from '../../src/testing/index.js'
import { determinant } from '../../src/testing/proposal.js'
import { wrongHalfStepLeapfrog } from './planted.js'

const tilted = testing.tiltedGaussianTarget({ mean: [0.5, -1, 0], seed: 2, temperature: 1.5 })
const well = energy.doubleWell({ dim: 2, a: 1.5 })

t.test('leapfrog steps, alone or repeated, are reversible and preserve volume', async (t) => {
  for (const proposal of [sampler.leapfrog({ stepSize: 0.3 }), pipe(sampler.leapfrog({ stepSize: 0.1 }), sampler.repeat(8))]) {
    for (const target of [tilted, well]) {
      const r = await testing.checkReversibility(target, proposal, { seed: 1 })
      t.ok(r.passed, r.message)
      const v = await testing.checkVolumePreservation(target, proposal, { seed: 1 })
      t.ok(v.passed, v.message)
    }
  }
  // the symmetric split kick(h/2), move(h), kick(h/2) of registered blocks is leapfrog too
  const split = sampler.sequence(sampler.kick({ stepSize: 0.1 }), sampler.move({ stepSize: 0.2 }), sampler.kick({ stepSize: 0.1 }))
  t.ok((await testing.checkReversibility(tilted, split)).passed)
})

t.test('the wrong half-step and a kick then a move are not reversible, yet preserve volume', async (t) => {
  for (const proposal of [wrongHalfStepLeapfrog(0.3), sampler.sequence(sampler.kick({ stepSize: 0.2 }), sampler.move({ stepSize: 0.2 }))]) {
    const r = await testing.checkReversibility(tilted, proposal, { seed: 1 })
    t.equal(r.passed, false, r.message)
    t.ok(r.statistic > 1e-4, `returns ${r.statistic} away`)
    t.ok((await testing.checkVolumePreservation(tilted, proposal)).passed, 'shears preserve volume')
  }
})

t.test('a friction without noise shrinks volume by exp(−γhD) and is caught', async (t) => {
  const damped = sampler.sequence(sampler.momentum({ friction: 0.5, stepSize: 0.2, temperature: 0 }), sampler.leapfrog({ stepSize: 0.2 }))
  const v = await testing.checkVolumePreservation(well, damped, { seed: 3 })
  t.equal(v.passed, false)
  // every Jacobian has det exp(−0.5·0.2·2): the statistic is that exactly, to the differences' error
  t.ok(Math.abs(v.statistic - (1 - Math.exp(-0.2))) < 1e-6, `|det − 1| = ${v.statistic}`)
})

t.test('the determinant by LU with pivoting', async (t) => {
  t.equal(determinant(Float64Array.of(0, 1, 1, 0), 2), -1)
  t.equal(determinant(Float64Array.of(2, 1, 4, 2), 2), 0)
  t.ok(Math.abs(determinant(Float64Array.of(2, 0, 1, 1, 3, 0, 0, 1, 4), 3) - 25) < 1e-12)
})

t.test('a stochastic kernel, a bad bound and a value that is not a kernel are refused', async (t) => {
  await t.rejects(testing.checkReversibility(well, sampler.mala({ stepSize: 0.1 })), { name: 'RangeError', message: 'checkReversibility: proposal: expected a deterministic map of (x, p) (leapfrog, kick, move and their compositions), got a kernel whose result depends on the seed (mala)' })
  await t.rejects(testing.checkVolumePreservation(well, sampler.leapfrog({ stepSize: 0.1 }), { bound: -1 }), { name: 'RangeError', message: 'checkVolumePreservation: bound: expected a positive number, got -1' })
  await t.rejects(testing.checkVolumePreservation(well, 'leapfrog' as never), { name: 'TypeError', message: /^checkVolumePreservation: proposal: expected a sampler kernel/ })
  await t.rejects(testing.checkReversibility({ shape: [2] } as never, sampler.leapfrog({ stepSize: 0.1 })), { name: 'TypeError', message: 'checkReversibility: target: expected a target or an energy, got an object with keys shape' })
})

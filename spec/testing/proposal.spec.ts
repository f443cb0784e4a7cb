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
import { forwardJacobians } from '../../src/testing/jacobian.js'
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
      t.equal(v.sizes.jacobian, 'forward', v.name)
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
  // every Jacobian has det exp(−0.5·0.2·2): by forward mode the statistic is that to rounding
  t.ok(Math.abs(v.statistic - (1 - Math.exp(-0.2))) < 1e-14, `|det − 1| = ${v.statistic}`)
})

t.test('forward mode gives the Jacobian of leapfrog on a Gaussian in closed form, to rounding', async (t) => {
  // E = ½xᵀPx: a leapfrog step is linear, J = K·M·K with K = [[I, 0], [−(h/2)P, I]] and M = [[I, hI], [0, I]]
  const P = [[2, 0.8], [0.8, 1.5]]
  const h = 0.4
  const e = testing.gaussianTarget({ mean: [0, 0], precision: P, temperature: 0.7 }).energy
  const r = forwardJacobians(e, sampler.leapfrog({ stepSize: h }), {}, Float64Array.of(0.3, -1.2), Float64Array.of(0.7, 0.1))
  if (typeof r === 'string') throw new Error(r)
  const matmul = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_v, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)))
  const K = [[1, 0, 0, 0], [0, 1, 0, 0], [(-h / 2) * P[0][0], (-h / 2) * P[0][1], 1, 0], [(-h / 2) * P[1][0], (-h / 2) * P[1][1], 0, 1]]
  const M = [[1, 0, h, 0], [0, 1, 0, h], [0, 0, 1, 0], [0, 0, 0, 1]]
  const want = matmul(matmul(K, M), K).flat()
  t.ok(want.every((v, i) => Math.abs(r.jacobians[0][i] - v) < 1e-15), `${Array.from(r.jacobians[0])} vs ${want}`)
})

t.test('a kernel forward mode cannot walk falls back to central differences, and says so', async (t) => {
  const reflected = sampler.sequence(sampler.leapfrog({ stepSize: 0.2 }), sampler.reflect({ low: -10, high: 10 }))
  const v = await testing.checkVolumePreservation(well, reflected, { seed: 2 })
  t.ok(v.passed, v.message)
  t.equal(v.sizes.jacobian, 'differences')
  t.match(v.name, /J by central differences: the kernel holds the instruction 'reflect'/)
  t.equal(v.bound, 1e-6)
  const asked = await testing.checkVolumePreservation(well, sampler.leapfrog({ stepSize: 0.2 }), { seed: 2, jacobian: 'differences' })
  t.ok(asked.passed && asked.statistic > 1e-14, `by differences: ${asked.statistic}`)
  await t.rejects(testing.checkVolumePreservation(well, reflected, { jacobian: 'forward' }), { name: 'RangeError', message: `checkVolumePreservation: jacobian: expected 'differences' for this proposal (forward mode walks kick, move, leapfrog, drift, momentum (without noise), and the kernel holds the instruction 'reflect'), got "forward"` })
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

t.test('a gradient drift x ← x − h∇E changes volume by det(I − hP) on a Gaussian; clipped coordinates are constant', async (t) => {
  const P = [[2, 0.8], [0.8, 1.5]]
  const h = 0.1
  const gaussian = testing.gaussianTarget({ mean: [0.5, -1], precision: P, temperature: 0.7 })
  const v = await testing.checkVolumePreservation(gaussian, sampler.drift({ stepSize: h }), { seed: 4 })
  const want = (1 - h * P[0][0]) * (1 - h * P[1][1]) - h * h * P[0][1] * P[1][0]
  t.equal(v.sizes.jacobian, 'forward')
  t.ok(Math.abs(v.statistic - Math.abs(want - 1)) < 1e-14, `|det − 1| = ${v.statistic}, want ${Math.abs(want - 1)}`)
  // a clip below every gradient coordinate makes the drift a translation of each chain: det 1
  const far = Float64Array.of(40, -40)
  const clipped = forwardJacobians(gaussian.energy, sampler.drift({ stepSize: h, clip: 0.5 }), {}, far, Float64Array.of(0, 0))
  if (typeof clipped === 'string') throw new Error(clipped)
  t.same(Array.from(clipped.jacobians[0]), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
  t.equal(forwardJacobians(gaussian.energy, sampler.momentum({ temperature: 1 }), {}, far, far), 'a momentum refresh with noise')
})

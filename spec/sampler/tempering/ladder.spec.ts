/**
 * The ladder: geometric spacing, its checks, and equalisation on the communication barrier. On a target
 * whose local barrier is λ(β) = c/β (a Gaussian: its energy at β is Gamma(D/2, 1/β), whose spread scales
 * with 1/β), Λ(β) = c·log(1/β) and equal steps of Λ are equal ratios of T: the geometric ladder is the
 * fixed point, and equalising again and again from a linear ladder reaches it. Run on a Gaussian in 4-D,
 * the warmup moves a linear ladder toward the geometric one and evens out the swap rates.
 */
import t from 'tap'
import * as energy from '../../../src/energy/index.js'
import * as sampler from '../../../src/sampler/index.js'
import { checkLadder } from '../../../src/sampler/tempering/index.js'

// The rejection rates a target with λ(β) = c/β gives between neighbouring rungs: c·log(T_(i+1)/T_i).
const gaussianRejections = (ladder: readonly number[], c: number) => ladder.slice(1).map((T, i) => c * Math.log(T / ladder[i]))

t.test('the geometric ladder spaces temperatures by equal ratios from 1 to max', async (t) => {
  const ladder = sampler.geometricLadder(5, 16)
  t.same(ladder, [1, 2, 4, 8, 16])
  t.same(checkLadder({ rungs: 5, max: 16 }, 'temper: ladder'), ladder)
  t.same(checkLadder([1, 1.5, 7], 'temper: ladder'), [1, 1.5, 7])
})

t.test('equalising on a Gaussian barrier: the geometric ladder is the fixed point, and iterating reaches it from a linear one', async (t) => {
  const geometric = sampler.geometricLadder(6, 32)
  const again = sampler.equalisedLadder(geometric, gaussianRejections(geometric, 0.3))
  t.ok(again.every((T, i) => Math.abs(T - geometric[i]) < 1e-12 * geometric[i]), `${again}`)
  let ladder = [1, 7.2, 13.4, 19.6, 25.8, 32]
  for (let k = 0; k < 60; k++) ladder = sampler.equalisedLadder(ladder, gaussianRejections(ladder, 0.3))
  const worst = Math.max(...ladder.map((T, i) => Math.abs(Math.log(T / geometric[i]))))
  t.ok(worst < 1e-6, `log-ratio to geometric ${worst}`)
})

t.test('equalising moves rungs toward where swaps are rejected', async (t) => {
  const ladder = sampler.equalisedLadder([1, 2, 4, 8], [0.6, 0.1, 0.1])
  t.ok(ladder[1] < 2 && ladder[2] < 4, `${ladder}`)
  t.equal(ladder[0], 1)
  t.equal(ladder[3], 8)
})

t.test('warmup on a Gaussian in 4-D moves a linear ladder toward the geometric one and evens the swap rates', async (t) => {
  const e = energy.gaussian({ mean: [0, 0, 0, 0], precision: [[2, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0.5]] })
  const linear = [1, 4.5, 8, 11.5, 15]
  const common = { chains: 32, steps: 400, swapEvery: 2, seed: 2, ladder: linear } as const
  const kernelAt = (T: number) => sampler.mala({ stepSize: 0.4, temperature: T })
  const fixed = await sampler.temper(e, kernelAt, { ...common, warmup: 400, adaptLadder: false })
  const adapted = await sampler.temper(e, kernelAt, { ...common, warmup: 400 })
  const geometric = sampler.geometricLadder(5, 15)
  const distance = (l: readonly number[]) => Math.max(...l.map((T, i) => Math.abs(Math.log(T / geometric[i]))))
  t.ok(distance(adapted.temperatures) < distance(linear) / 4, `adapted ${adapted.temperatures.map((T) => T.toFixed(2))} vs geometric ${geometric.map((T) => T.toFixed(2))}`)
  const spread = (s: readonly number[]) => Math.max(...s) - Math.min(...s)
  t.ok(spread(adapted.swapRates) < spread(fixed.swapRates) / 3, `swap rates ${adapted.swapRates.map((s) => s.toFixed(2))} (linear: ${fixed.swapRates.map((s) => s.toFixed(2))})`)
  t.same(fixed.temperatures, linear, 'without adaptation the ladder stays')
})

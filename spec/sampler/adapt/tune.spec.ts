import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../../src/sampler/index.js'
import { integratorOf, tuned } from '../../../src/sampler/adapt/tune.js'

const metric: sampler.Metric = { kind: 'diagonal', inverse: [0.5, 2] }

t.test('hmc: the step size, the metric of momentum and leapfrog, and the leapfrog count are rewritten', async (t) => {
  const k = tuned(sampler.hmc({ stepSize: 0.2, leapfrogSteps: 8, temperature: 2 }), { stepSize: 0.05, metric, leapfrogSteps: 30 })
  t.same(k, sampler.hmc({ stepSize: 0.05, leapfrogSteps: 30, temperature: 2, metric }))
  t.same(tuned(k, { metric: { kind: 'identity' } }), sampler.hmc({ stepSize: 0.05, leapfrogSteps: 30, temperature: 2 }), 'the identity removes the metric')
})

t.test("mala: the drift's and the Langevin noise's step sizes move together; other numbers stay", async (t) => {
  const k = tuned(sampler.mala({ stepSize: 0.1, temperature: 0.5 }), { stepSize: 0.3 })
  t.same(k, sampler.mala({ stepSize: 0.3, temperature: 0.5 }))
  t.same(integratorOf(k), { kind: 'langevin', metropolis: true, stepSize: 0.3, leapfrogSteps: 0 })
})

t.test('sghmc: the friction step follows the step size; a random walk has nothing to tune', async (t) => {
  t.same(tuned(sampler.sghmc({ stepSize: 0.1, friction: 1 }), { stepSize: 0.2 }), sampler.sghmc({ stepSize: 0.2, friction: 1 }))
  const walk = pipe(sampler.noise({ scale: 1 }), sampler.metropolis({ temperature: 1 }))
  t.same(integratorOf(walk), { kind: 'other', metropolis: true, stepSize: undefined, leapfrogSteps: 0 })
  t.throws(() => tuned(sampler.mala({ stepSize: 0.1 }), { leapfrogSteps: 3 }), { message: 'warmup: kernel: expected leapfrog steps under a repeat (hmc) to tune the trajectory length, got "none"' })
})

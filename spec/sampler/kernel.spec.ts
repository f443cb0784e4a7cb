import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'

t.test('the built-ins are compositions of blocks', async (t) => {
  const ula = sampler.ula({ stepSize: 0.1 })
  t.match(ula, { type: 'sequence', name: 'ula', blocks: [{ type: 'drift' }, { type: 'noise', scale: { kind: 'langevin' } }] })
  const jem = sampler.ula({ stepSize: 1, noiseScale: 0.01, clip: 0.03, clamp: { low: -1, high: 1 } })
  t.match(jem, { blocks: [{ type: 'drift', clip: 0.03 }, { type: 'noise', scale: { kind: 'scale' } }, { type: 'clamp', low: -1, high: 1 }] })
  t.match(sampler.mala({ stepSize: 0.1 }), { blocks: [{ type: 'metropolis', correction: 'langevin' }] })
  t.match(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3 }), { blocks: [{ type: 'momentum', friction: null }, { type: 'metropolis', correction: 'hamiltonian', proposal: { type: 'repeat', times: 3 } }] })
  t.match(sampler.sghmc({ stepSize: 0.1, friction: 2 }), { blocks: [{ type: 'momentum', friction: 2 }, { type: 'kick' }, { type: 'move' }] })
})

t.test('kernels are plain data: a JSON round trip gives an equal, valid kernel', async (t) => {
  for (const k of [sampler.ula({ stepSize: sampler.geometric(0.1, 0.01, 100) }), sampler.mala({ stepSize: 0.1 }), sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3 }), pipe(sampler.drift({ stepSize: 0.1 }), sampler.every(5))]) {
    const copy = JSON.parse(JSON.stringify(k)) as unknown
    t.same(copy, k)
    t.equal(sampler.checkKernel(copy, 'kernel'), copy)
  }
})

t.test('metropolis refuses a proposal whose density it does not know', async (t) => {
  t.equal(sampler.correctionOf(sampler.noise({ scale: 0.5 })), 'symmetric')
  t.throws(() => pipe(sampler.sequence(sampler.drift({ stepSize: 0.1 }), sampler.noise({ stepSize: 0.1 }), sampler.clamp({ low: 0, high: 1 })), sampler.metropolis()), {
    message: /the proposal is \[drift, noise, clamp\]/,
  })
  const nested = { type: 'metropolis', temperature: { kind: 'constant', value: 1 }, correction: 'symmetric', proposal: sampler.mala({ stepSize: 0.1 }) }
  t.throws(() => sampler.checkKernel(nested, 'kernel'), { message: /proposal/ })
})

t.test('block constructors name the bad argument', async (t) => {
  t.throws(() => sampler.ula({ stepSize: NaN }), { message: 'ula: stepSize: expected a positive number, got NaN' })
  t.throws(() => sampler.ula({ stepSize: -0.1 }), { message: 'ula: stepSize: expected a positive number, got -0.1' })
  t.throws(() => sampler.mala({ stepSize: 0.1, temperature: -1 }), { message: 'mala: temperature: expected a positive number, got -1' })
  t.throws(() => sampler.hmc({ stepSize: 0.1, leapfrogSteps: 2.5 }), { message: 'hmc: leapfrogSteps: expected a positive integer, got 2.5' })
  t.throws(() => sampler.sghmc({ stepSize: 0.1, friction: -1 }), { message: 'sghmc: friction: expected a positive number, got -1' })
  t.throws(() => sampler.clamp({ low: 1, high: 0 }), { message: 'clamp: expected low < high, got low 1 and high 0' })
  t.throws(() => sampler.repeat(0)(sampler.leapfrog({ stepSize: 0.1 })), { message: 'repeat: times: expected a positive integer, got 0' })
  t.throws(() => sampler.every(1.5)(sampler.leapfrog({ stepSize: 0.1 })), { message: 'every: period: expected a positive integer, got 1.5' })
  t.throws(() => sampler.ula({ stepSize: sampler.linear(0.1, 0.01, 0) }), { message: 'ula: stepSize.steps: expected a positive integer, got 0' })
  t.throws(() => sampler.checkKernel({ type: 'drift', stepSize: 'big', clip: null }, 'kernel'), { message: /kernel \(drift\)\.stepSize: expected a number or a schedule/ })
  t.throws(() => sampler.checkKernel(42, 'kernel'), { message: /expected a sampler kernel/ })
})

t.test('scheduleAt follows constant, linear, geometric and cosine schedules and holds their end', async (t) => {
  t.equal(sampler.scheduleAt(sampler.constant(2), 7), 2)
  t.equal(sampler.scheduleAt(sampler.linear(1, 3, 5), 2), 2)
  t.equal(sampler.scheduleAt(sampler.linear(1, 3, 5), 99), 3)
  t.ok(Math.abs(sampler.scheduleAt(sampler.geometric(1, 0.01, 5), 2) - 0.1) < 1e-15)
  t.ok(Math.abs(sampler.scheduleAt(sampler.cosine(2, 0, 3), 1) - 1) < 1e-15)
  t.equal(sampler.scheduleAt(sampler.cosine(2, 0, 3), 0), 2)
  t.equal(sampler.scheduleAt(sampler.linear(1, 3, 1), 0), 3)
})

import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'

t.test('flatten gives every drawing instruction an even offset and an even range', async (t) => {
  const k = sampler.sequence(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 2 }), pipe(sampler.mala({ stepSize: 0.1 }), sampler.every(3)))
  const p = sampler.flatten(k, 3)
  const draws = p.instructions.flatMap((i) => ('draw' in i ? [[i.op, i.draw] as const] : []))
  // momentum: 4 (3 rounded up), HMC accept: 2, MALA noise: 4, MALA accept: 2
  t.same(draws, [['momentum', 0], ['accept', 4], ['noise', 6], ['accept', 10]])
  t.equal(p.drawsPerStep, 12)
  t.equal(p.metropolis, true)
  t.same(p.instructions.map((i) => i.op), ['momentum', 'propose', 'leapfrog', 'leapfrog', 'accept', 'skip', 'propose', 'drift', 'noise', 'accept'])
  t.match(p.instructions[5], { op: 'skip', period: 3, length: 4 })
})

t.test('flatten unrolls repeat with a range of draws per repetition', async (t) => {
  const p = sampler.flatten(pipe(sampler.ula({ stepSize: 0.1 }), sampler.repeat(3)), 2)
  t.same(p.instructions.flatMap((i) => (i.op === 'noise' ? [i.draw] : [])), [0, 2, 4])
  t.equal(p.drawsPerStep, 6)
  t.equal(p.metropolis, false)
})

t.test('flatten refuses kernels that unroll past the instruction limit', async (t) => {
  t.throws(() => sampler.flatten(pipe(sampler.leapfrog({ stepSize: 0.1 }), sampler.repeat(1000), sampler.repeat(1000)), 1), { name: 'RangeError', message: 'flatten: expected a kernel of at most 100000 instructions (repeat unrolls), got more' })
})

import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'
import { constant } from '../../src/sampler/schedule.js'

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

// A user's block that pushes `accept` around a plainly pushed move (not through f.proposal): the program
// still evaluates E at every step and counts acceptances, so its test never reads a stale E.
sampler.defineBlock<{ readonly type: 'spec: walk without f.proposal'; readonly scale: number }>({
  type: 'spec: walk without f.proposal',
  check: (k) => Object.freeze({ type: 'spec: walk without f.proposal' as const, scale: Number(k.scale) }),
  flatten: (k, f) => {
    f.push({ op: 'propose' })
    f.walk(sampler.noise({ scale: k.scale }))
    f.push({ op: 'accept', correction: 'symmetric', temperature: constant(0.7), draw: f.draws(1), drift: null, noise: null })
  },
})

t.test('a program holding propose and accept needs E and counts acceptance, however its block flattened', async (t) => {
  const p = sampler.flatten(sampler.checkKernel({ type: 'spec: walk without f.proposal', scale: 0.5 }, 'k'), 2)
  t.equal(p.metropolis, true)
  t.equal(p.needsEnergy, true)
  const plain = sampler.flatten(sampler.ula({ stepSize: 0.1 }), 2)
  t.same([plain.metropolis, plain.needsEnergy], [false, false])
})

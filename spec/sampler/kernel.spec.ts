import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as sampler from '../../src/sampler/index.js'

const constant = (value: number) => ({ kind: 'constant', value })
const geometric = { kind: 'geometric', from: 0.1, to: 0.01, steps: 100 }

t.test('every block builds its whole description', async (t) => {
  t.strictSame(sampler.drift({ stepSize: 0.1 }), { type: 'drift', stepSize: constant(0.1), clip: null })
  t.strictSame(sampler.drift({ stepSize: sampler.geometric(0.1, 0.01, 100), clip: 0.03 }), { type: 'drift', stepSize: geometric, clip: 0.03 })
  t.strictSame(sampler.noise({ scale: 0.005 }), { type: 'noise', scale: { kind: 'scale', scale: constant(0.005) } })
  t.strictSame(sampler.noise({ stepSize: 0.1 }), { type: 'noise', scale: { kind: 'langevin', stepSize: constant(0.1), temperature: constant(1) } })
  t.strictSame(sampler.noise({ stepSize: 0.1, temperature: sampler.linear(3, 1, 20) }), {
    type: 'noise',
    scale: { kind: 'langevin', stepSize: constant(0.1), temperature: { kind: 'linear', from: 3, to: 1, steps: 20 } },
  })
  t.strictSame(sampler.clamp({ low: -1, high: 1 }), { type: 'clamp', low: -1, high: 1 })
  t.strictSame(sampler.reflect({ low: 0, high: 2 }), { type: 'reflect', low: 0, high: 2 })
  t.strictSame(sampler.momentum(), { type: 'momentum', friction: null, stepSize: constant(1), temperature: constant(1) })
  t.strictSame(sampler.momentum({ friction: 0.5, stepSize: 0.1, temperature: 2 }), { type: 'momentum', friction: 0.5, stepSize: constant(0.1), temperature: constant(2) })
  t.strictSame(sampler.kick({ stepSize: 0.2 }), { type: 'kick', stepSize: constant(0.2) })
  t.strictSame(sampler.move({ stepSize: 0.3 }), { type: 'move', stepSize: constant(0.3) })
  t.strictSame(sampler.leapfrog({ stepSize: sampler.cosine(0.3, 0.1, 20) }), { type: 'leapfrog', stepSize: { kind: 'cosine', from: 0.3, to: 0.1, steps: 20 } })
  const d = { type: 'drift', stepSize: constant(0.1), clip: null }
  t.strictSame(sampler.sequence(sampler.drift({ stepSize: 0.1 })), { type: 'sequence', name: null, blocks: [d] })
  t.strictSame(sampler.named('one', [sampler.drift({ stepSize: 0.1 })]), { type: 'sequence', name: 'one', blocks: [d] })
  t.strictSame(pipe(sampler.drift({ stepSize: 0.1 }), sampler.repeat(3)), { type: 'repeat', times: 3, block: d })
  t.strictSame(pipe(sampler.drift({ stepSize: 0.1 }), sampler.every(5)), { type: 'every', period: 5, block: d })
  const walk = sampler.sequence(sampler.noise({ scale: 0.5 }), sampler.reflect({ low: 0, high: 1 }))
  t.strictSame(pipe(walk, sampler.metropolis({ temperature: 2 })), { type: 'metropolis', temperature: constant(2), correction: 'symmetric', proposal: walk })
})

t.test('the built-ins are compositions of blocks, field for field', async (t) => {
  const langevin = (h: unknown, T: unknown) => ({ type: 'noise', scale: { kind: 'langevin', stepSize: h, temperature: T } })
  t.strictSame(sampler.ula({ stepSize: 0.1, temperature: 0.5 }), {
    type: 'sequence',
    name: 'ula',
    blocks: [{ type: 'drift', stepSize: constant(0.1), clip: null }, langevin(constant(0.1), constant(0.5))],
  })
  t.strictSame(sampler.ula({ stepSize: 1, noiseScale: 0.01, clip: 0.03, clamp: { low: -1, high: 1 } }), {
    type: 'sequence',
    name: 'ula',
    blocks: [{ type: 'drift', stepSize: constant(1), clip: 0.03 }, { type: 'noise', scale: { kind: 'scale', scale: constant(0.01) } }, { type: 'clamp', low: -1, high: 1 }],
  })
  t.strictSame(sampler.mala({ stepSize: 0.2, temperature: 3 }), {
    type: 'sequence',
    name: 'mala',
    blocks: [
      {
        type: 'metropolis',
        temperature: constant(3),
        correction: 'langevin',
        proposal: { type: 'sequence', name: null, blocks: [{ type: 'drift', stepSize: constant(0.2), clip: null }, langevin(constant(0.2), constant(3))] },
      },
    ],
  })
  t.strictSame(sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3, temperature: 2 }), {
    type: 'sequence',
    name: 'hmc',
    blocks: [
      { type: 'momentum', friction: null, stepSize: constant(1), temperature: constant(2) },
      { type: 'metropolis', temperature: constant(2), correction: 'hamiltonian', proposal: { type: 'repeat', times: 3, block: { type: 'leapfrog', stepSize: constant(0.1) } } },
    ],
  })
  t.strictSame(sampler.sghmc({ stepSize: 0.1, friction: 2, temperature: 0.5 }), {
    type: 'sequence',
    name: 'sghmc',
    blocks: [
      { type: 'momentum', friction: 2, stepSize: constant(0.1), temperature: constant(0.5) },
      { type: 'kick', stepSize: constant(0.1) },
      { type: 'move', stepSize: constant(0.1) },
    ],
  })
})

t.test('kernels are plain data: a JSON round trip gives an equal, valid kernel', async (t) => {
  const kernels = [
    sampler.ula({ stepSize: sampler.geometric(0.1, 0.01, 100) }),
    sampler.mala({ stepSize: 0.1 }),
    sampler.hmc({ stepSize: 0.1, leapfrogSteps: 3 }),
    pipe(sampler.drift({ stepSize: 0.1 }), sampler.every(5)),
    pipe(sampler.sequence(sampler.noise({ scale: 0.3 }), sampler.reflect({ low: -1, high: 1 })), sampler.metropolis({ temperature: 0.5 })),
  ]
  for (const k of kernels) {
    const copy = JSON.parse(JSON.stringify(k)) as unknown
    t.strictSame(copy, k)
    t.strictSame(sampler.checkKernel(copy, 'kernel'), k)
  }
  // A description from outside may give a number where a schedule goes: it comes back as a constant.
  t.strictSame(sampler.checkKernel({ type: 'drift', stepSize: 0.1, clip: null }, 'kernel'), sampler.drift({ stepSize: 0.1 }))
})

t.test('metropolis refuses a proposal whose density it does not know', async (t) => {
  t.equal(sampler.correctionOf(sampler.noise({ scale: 0.5 })), 'symmetric')
  t.equal(sampler.correctionOf(sampler.sequence(sampler.noise({ scale: 0.5 }), sampler.reflect({ low: 0, high: 1 }))), 'symmetric')
  t.equal(sampler.correctionOf(pipe(sampler.leapfrog({ stepSize: 0.1 }), sampler.repeat(4))), 'hamiltonian')
  t.throws(() => pipe(sampler.sequence(sampler.drift({ stepSize: 0.1 }), sampler.noise({ stepSize: 0.1 }), sampler.clamp({ low: 0, high: 1 })), sampler.metropolis()), {
    name: 'RangeError',
    message: /^metropolis: proposal: expected a proposal whose density is exact: .*, got \[drift, noise, clamp\]$/,
  })
  // A reflection keeps a random walk symmetric, not a Langevin move nor a leapfrog trajectory; clamping keeps nothing.
  for (const proposal of [
    sampler.sequence(sampler.drift({ stepSize: 0.1 }), sampler.noise({ stepSize: 0.1 }), sampler.reflect({ low: 0, high: 1 })),
    sampler.sequence(sampler.leapfrog({ stepSize: 0.1 }), sampler.reflect({ low: 0, high: 1 })),
    sampler.sequence(sampler.reflect({ low: 0, high: 1 }), sampler.noise({ scale: 0.5 })),
    sampler.sequence(sampler.noise({ scale: 0.5 }), sampler.clamp({ low: 0, high: 1 })),
  ]) {
    t.throws(() => sampler.correctionOf(proposal), RangeError, JSON.stringify(proposal.blocks.map((b) => b.type)))
  }
  const nested = { type: 'metropolis', temperature: constant(1), correction: 'symmetric', proposal: sampler.mala({ stepSize: 0.1 }) }
  t.throws(() => sampler.checkKernel(nested, 'kernel'), { message: "kernel (metropolis).proposal (sequence).blocks[0] (metropolis): expected no Metropolis block inside another one's proposal, got one" })
  const wrong = { type: 'metropolis', temperature: constant(1), correction: 'symmetric', proposal: sampler.sequence(sampler.drift({ stepSize: 0.1 }), sampler.noise({ stepSize: 0.1 })) }
  t.throws(() => sampler.checkKernel(wrong, 'kernel'), { message: `kernel (metropolis).correction: expected 'langevin' (what the proposal needs), got "symmetric"` })
  t.throws(() => pipe(sampler.noise({ scale: 1 }), sampler.every(2), sampler.metropolis()), { message: "metropolis: proposal (every): expected no 'every' inside a Metropolis proposal, got one" })
})

t.test('block constructors name the bad argument', async (t) => {
  const refuses = (f: () => unknown, name: 'RangeError' | 'TypeError', message: string) => t.throws(f, { name, message }, message)
  refuses(() => sampler.ula({ stepSize: NaN }), 'RangeError', 'ula: stepSize: expected a positive number, got NaN')
  refuses(() => sampler.ula({ stepSize: -0.1 }), 'RangeError', 'ula: stepSize: expected a positive number, got -0.1')
  refuses(() => sampler.ula({ stepSize: 0.1, clip: 0 }), 'RangeError', 'ula: clip: expected a positive number, got 0')
  refuses(() => sampler.ula(null as never), 'TypeError', 'ula: options: expected an object, got null')
  refuses(() => sampler.mala({ stepSize: 0.1, temperature: -1 }), 'RangeError', 'mala: temperature: expected a positive number, got -1')
  refuses(() => sampler.hmc({ stepSize: 0.1, leapfrogSteps: 2.5 }), 'RangeError', 'hmc: leapfrogSteps: expected an integer ≥ 1, got 2.5')
  refuses(() => sampler.sghmc({ stepSize: 0.1, friction: -1 }), 'RangeError', 'sghmc: friction: expected a positive number, got -1')
  refuses(() => sampler.clamp({ low: 1, high: 0 }), 'RangeError', 'clamp: high: expected a number above low (1), got 0')
  refuses(() => sampler.reflect({ low: 0, high: NaN }), 'RangeError', 'reflect: high: expected a finite number, got NaN')
  refuses(() => sampler.reflect({ low: '0' as never, high: 1 }), 'TypeError', 'reflect: low: expected a finite number, got "0"')
  refuses(() => sampler.noise({ scale: 1, stepSize: 1 } as never), 'RangeError', 'noise: options: expected either { scale } or { stepSize, temperature? }, got an object with keys scale, stepSize')
  refuses(() => sampler.noise({ scale: -1 }), 'RangeError', 'noise: scale: expected a number ≥ 0, got -1')
  refuses(() => sampler.momentum({ friction: 0.5 }), 'RangeError', 'momentum: stepSize: expected a step size with a friction (a = exp(−friction·stepSize)), got undefined')
  refuses(() => sampler.kick({ stepSize: 0 }), 'RangeError', 'kick: stepSize: expected a positive number, got 0')
  refuses(() => sampler.repeat(0)(sampler.leapfrog({ stepSize: 0.1 })), 'RangeError', 'repeat: times: expected an integer ≥ 1, got 0')
  refuses(() => sampler.every(1.5)(sampler.leapfrog({ stepSize: 0.1 })), 'RangeError', 'every: period: expected an integer ≥ 1, got 1.5')
  refuses(() => sampler.sequence(sampler.drift({ stepSize: 0.1 }), 3 as never), 'TypeError', `sequence: blocks[1]: expected a sampler kernel (a block of type ${sampler.blockTypes().join(', ')}), got 3`)
  refuses(() => sampler.ula({ stepSize: sampler.linear(0.1, 0.01, 0) }), 'RangeError', 'ula: stepSize.steps: expected an integer ≥ 1, got 0')
  refuses(() => sampler.ula({ stepSize: sampler.geometric(0.1, -1, 5) }), 'RangeError', 'ula: stepSize.to: expected a positive number, got -1')
  refuses(() => sampler.checkKernel({ type: 'drift', stepSize: 'big', clip: null }, 'kernel'), 'TypeError', 'kernel (drift).stepSize: expected a number or a schedule (constant, linear, geometric, cosine), got "big"')
  refuses(() => sampler.checkKernel({ type: 'noise', scale: { kind: 'loud' } }, 'kernel'), 'RangeError', 'kernel (noise).scale.kind: expected one of "scale", "langevin", got "loud"')
  refuses(() => sampler.checkKernel({ type: 'sequence', name: null, blocks: 3 }, 'kernel'), 'TypeError', 'kernel (sequence).blocks: expected an array of kernels, got 3')
  t.throws(() => sampler.checkKernel(42, 'kernel'), { name: 'TypeError', message: /^kernel: expected a sampler kernel \(a block of type drift, .*\), got 42$/ })
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

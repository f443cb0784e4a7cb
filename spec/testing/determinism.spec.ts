/**
 * checkDeterminism and checkParity: the package's kernels are deterministic and agree between runners; a
 * planted block whose reference step reads a hidden counter (so the same seed gives other bits) fails
 * determinism; parity is skipped, with the reason, for a block the addon lacks, and fails at a tolerance
 * float32 cannot meet.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'
import * as testing from '../../src/testing/index.js'

const target = testing.mixtureTarget({ means: [[-1, 0], [1, 1]], sigma: 0.6, temperature: 0.7 })
const kernels = [sampler.mala({ stepSize: 0.2, temperature: 0.7 }), sampler.hmc({ stepSize: 0.2, leapfrogSteps: 3, temperature: 0.7 }), sampler.sghmc({ stepSize: 0.1, friction: 1, temperature: 0.7 })]

t.test("the package's kernels give the same bits for the same seed, on either backend", async (t) => {
  for (const k of kernels) {
    for (const backend of ['reference', 'auto'] as const) {
      const r = await testing.checkDeterminism(target, k, { seed: 4, backend })
      t.ok(r.passed, r.message)
    }
  }
})

// A block whose step depends on how often it ran before, not on the seed: the bug determinism is about.
let calls = 0
sampler.defineBlock<{ readonly type: 'planted: hidden state' }>({
  type: 'planted: hidden state',
  check: () => Object.freeze({ type: 'planted: hidden state' as const }),
  flatten: (_k, f) => {
    f.push({ op: 'planted: hidden state' })
  },
})
sampler.defineInstruction({
  op: 'planted: hidden state',
  fields: {},
  encode: () => ({}),
  reference: (_ins: { readonly op: 'planted: hidden state' }, r) => {
    calls++
    r.rows((from, to) => {
      for (let j = from; j < to; j++) r.state.position[j] += 1e-3 * Math.sin(calls)
    })
    r.moved()
  },
})
const hidden = sampler.sequence(sampler.mala({ stepSize: 0.2, temperature: 0.7 }), sampler.checkKernel({ type: 'planted: hidden state' }, 'hidden'))

t.test('a block with hidden state fails determinism; parity skips a block the addon lacks', async (t) => {
  const r = await testing.checkDeterminism(target, hidden, { seed: 4 })
  t.equal(r.passed, false)
  t.match(r.message, /the same seed again: failed: numbers with other bits \d+ > 0/)
  const p = await testing.checkParity(target, hidden)
  t.equal(p.passed, true)
  t.match(p.skipped, samplerAddon().addon === undefined ? /the native addon is not available/ : /the native addon has no handler for planted: hidden state/)
})

const addon = samplerAddon().addon
t.test('the native loop agrees with the reference runner', { skip: addon === undefined ? 'the native addon is not built' : false }, async (t) => {
  for (const k of kernels) {
    const r = await testing.checkParity(target, k, { seed: 2, threads: 2 })
    t.ok(r.passed && r.skipped === undefined, r.message)
    t.ok((await testing.checkParity(target, k, { seed: 2, dtype: 'float32' })).passed, 'float32 to 1e-4')
  }
  const strict = await testing.checkParity(target, kernels[0], { seed: 2, dtype: 'float32', tolerance: 1e-12 })
  t.equal(strict.passed, false, 'float32 is not float64')
})

t.test('bad options are refused', async (t) => {
  await t.rejects(testing.checkDeterminism(target, kernels[0], { steps: 1 }), { message: 'checkDeterminism: steps: expected an integer ≥ 2, got 1' })
  await t.rejects(testing.checkParity(target, kernels[0], { tolerance: 0 }), { message: 'checkParity: tolerance: expected a positive number, got 0' })
  await t.rejects(testing.checkParity(target, kernels[0], { backend: 'native' } as never), { message: /unknown option 'backend'/ })
})

t.test('a discrete energy starts its chains at random units (N(0, I) starts are not units): the same bits again', async (t) => {
  const bm = energy.boltzmann({ weights: [[0, 0.6, -0.9], [0.6, 0, 0.5], [-0.9, 0.5, 0]], bias: [0.3, -0.4, 0.1], domain: 'binary' })
  const r = await testing.checkDeterminism(bm, sampler.metropolisFlips({ temperature: 1.3 }), { seed: 2, backend: 'reference' })
  t.ok(r.passed, r.message)
})

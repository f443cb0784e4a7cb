import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { quadratic } from './fixtures.js'

const e = quadratic(1, 2)
const k = sampler.ula({ stepSize: 0.1 })
const ok = { chains: 4, steps: 3, seed: 1 }

t.test('sample refuses bad arguments with an error that names them', async (t) => {
  const refuses = (options: unknown, message: string | RegExp, en: unknown = e, kernel: unknown = k) =>
    t.rejects(sampler.sample(en as energy.Energy, kernel as sampler.Kernel, options as sampler.SampleOptions), { message }, String(message))
  await refuses({ ...ok, chains: -1 }, 'sample: chains must be an integer ≥ 1, got -1')
  await refuses({ ...ok, chains: 2.5 }, 'sample: chains must be an integer ≥ 1, got 2.5')
  await refuses({ ...ok, steps: -3 }, 'sample: steps must be an integer ≥ 0, got -3')
  await refuses({ ...ok, seed: 0.5 }, 'sample: seed must be an integer ≥ 0, got 0.5')
  await refuses({ ...ok, init: [1, 2, 3] }, 'sample: init has 3 values; 4 chains × 2 dimensions need 8')
  await refuses({ ...ok, init: 'zeros' }, 'sample: init must be an array or typed array of numbers, got "zeros"')
  await refuses({ ...ok, init: [0, 0, 0, 0, 0, 0, 0, NaN] }, 'sample: init[7] is NaN; expected a finite number')
  await refuses({ ...ok, dtype: 'float16' }, `sample: dtype must be 'float64' or 'float32', got "float16"`)
  await refuses({ ...ok, threads: 0 }, 'sample: threads must be an integer ≥ 1, got 0')
  await refuses({ ...ok, thin: 0 }, 'sample: thin must be an integer ≥ 1, got 0')
  await refuses({ ...ok, backend: 'gpu' }, `sample: backend must be 'auto', 'reference' or 'native', got "gpu"`)
  await refuses({ ...ok, chainz: 4 }, /unknown option 'chainz'/)
  await refuses(ok, /sample: energy must be an Energy value/, { build: 1 })
  await refuses(ok, /sample: kernel: expected a sampler kernel/, e, { stepSize: 0.1 })
  await refuses(ok, /sample: kernel \(drift\)\.stepSize\.value: expected a positive number, got NaN/, e, { type: 'drift', stepSize: { kind: 'constant', value: NaN }, clip: null })
  await refuses(null, /sample: options must be an object/)
})

t.test('sample checks parameters against the energy', async (t) => {
  const shifted = energy.define({
    name: 'shifted',
    shape: [2],
    params: { mu: { shape: [2], init: { kind: 'normal', std: 1 } }, scale: { shape: [], init: { kind: 'constant', value: 2 } } },
    build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.mu)), 1), p.scale),
  })
  await t.rejects(sampler.sample(shifted, k, ok), { message: "sample: params.mu is missing; its initialiser is random ('normal'), so pass its values" })
  await t.rejects(sampler.sample(shifted, k, { ...ok, params: { mu: [1, 2, 3] } }), { message: 'sample: params.mu has 3 values; shape [2] and its need 2' })
  await t.rejects(sampler.sample(shifted, k, { ...ok, params: { mu: [1, 2], sigma: [1] } }), { message: /params.sigma is not a parameter of energy 'shifted'/ })
  // mu given, scale from its constant initialiser: pure drift contracts towards mu.
  const r = await sampler.sample(shifted, sampler.drift({ stepSize: 0.25 }), { chains: 1, steps: 1, seed: 0, params: { mu: [1, -1] } })
  t.same([...r.positions], [1, -1]) // x − 0.25·2·2·(x − mu) = mu
})

t.test('sample with zero steps returns the initial chains with their energies', async (t) => {
  const r = await sampler.sample(e, k, { chains: 2, steps: 0, seed: 1, init: [1, 2, 3, 4] })
  t.same([...r.positions], [1, 2, 3, 4])
  t.same([...r.energies], [2.5, 12.5])
  t.same(r.trace, [])
})

t.test('sample refuses float32 on the reference backend', async (t) => {
  await t.rejects(sampler.sample(e, k, { ...ok, dtype: 'float32', backend: 'reference' }), { message: /dtype 'float32' needs backend 'native'/ })
})

t.test('sample reports statistics every thin steps and at the last step', async (t) => {
  const r = await sampler.sample(e, sampler.mala({ stepSize: 0.3 }), { chains: 8, steps: 25, seed: 3, thin: 10 })
  t.same(r.trace.map((s) => s.step), [10, 20, 25])
  for (const s of r.trace) {
    t.ok(s.acceptanceRate !== null && s.acceptanceRate >= 0 && s.acceptanceRate <= 1)
    t.ok(Number.isFinite(s.meanEnergy) && Number.isFinite(s.meanGradientNorm))
  }
  t.equal(r.statistics.step, 25)
  const ula = await sampler.sample(e, k, { chains: 8, steps: 5, seed: 3 })
  t.equal(ula.statistics.acceptanceRate, null)
  t.same(ula.trace.map((s) => s.step), [5])
})

t.test('sample is a function of its arguments: same seed, same chains; another seed, other chains', async (t) => {
  const a = await sampler.sample(e, k, ok)
  const b = await sampler.sample(e, k, ok)
  const c = await sampler.sample(e, k, { ...ok, seed: 2 })
  t.same(a.positions, b.positions)
  t.notSame(a.positions, c.positions)
})

t.test('execute stops between steps when its signal is aborted', async (t) => {
  const controller = new AbortController()
  let snapshots = 0
  const run = sampler.checkRun(e, k, { chains: 4, steps: 1_000_000, seed: 1, thin: 1 })
  const done = sampler.execute(run, { signal: controller.signal, onSnapshot: () => { if (++snapshots === 5) controller.abort() } })
  await t.rejects(done, { name: 'AbortError', message: 'sample: cancelled after 5 steps' })
  t.equal(snapshots, 5)
})

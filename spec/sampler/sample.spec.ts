import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { quadratic } from './fixtures.js'
import { samplerAddon } from '../../src/sampler/native.js'

const e = quadratic(1, 2)
const k = sampler.ula({ stepSize: 0.1 })
const ok = { chains: 4, steps: 3, seed: 1 }

t.test('sample refuses bad arguments with an error that names them', async (t) => {
  const refuses = (options: unknown, name: 'RangeError' | 'TypeError', message: string | RegExp, en: unknown = e, kernel: unknown = k) =>
    t.rejects(sampler.sample(en as energy.Energy, kernel as sampler.Kernel, options as sampler.SampleOptions), { name, message }, String(message))
  await refuses({ ...ok, chains: -1 }, 'RangeError', 'sample: chains: expected an integer ≥ 1, got -1')
  await refuses({ ...ok, chains: 2.5 }, 'RangeError', 'sample: chains: expected an integer ≥ 1, got 2.5')
  await refuses({ ...ok, steps: -3 }, 'RangeError', 'sample: steps: expected an integer ≥ 0, got -3')
  await refuses({ ...ok, seed: 0.5 }, 'RangeError', 'sample: seed: expected an integer in [0, 2^53), got 0.5')
  await refuses({ ...ok, seed: '1' }, 'TypeError', 'sample: seed: expected an integer in [0, 2^53), got "1"')
  await refuses({ ...ok, init: [1, 2, 3] }, 'RangeError', 'sample: init: has 3 values; 4 chains × 2 dimensions need 8')
  await refuses({ ...ok, init: 'zeros' }, 'TypeError', 'sample: init: expected an array or typed array of numbers, got "zeros"')
  await refuses({ ...ok, init: [0, 0, 0, 0, 0, 0, 0, NaN] }, 'RangeError', 'sample: init[7]: expected a finite number, got NaN')
  await refuses({ ...ok, dtype: 'float16' }, 'RangeError', 'sample: dtype: expected one of "float64", "float32", got "float16"')
  await refuses({ ...ok, threads: 0 }, 'RangeError', 'sample: threads: expected an integer in [1, 1024], got 0')
  await refuses({ ...ok, thin: 0 }, 'RangeError', 'sample: thin: expected an integer ≥ 1, got 0')
  await refuses({ ...ok, backend: 'gpu' }, 'RangeError', 'sample: backend: expected one of "auto", "reference", "native", got "gpu"')
  await refuses({ ...ok, chainz: 4 }, 'RangeError', /^sample: options: unknown option 'chainz' \(options: chains, /)
  await refuses(ok, 'TypeError', 'sample: energy: expected an Energy value (built by energy.define or the catalogue), got an object with keys build', { build: 1 })
  await refuses(ok, 'TypeError', /^sample: kernel: expected a sampler kernel \(a block of type drift, .*\), got an object with keys stepSize$/, e, { stepSize: 0.1 })
  await refuses(ok, 'RangeError', 'sample: kernel (drift).stepSize.value: expected a positive number, got NaN', e, { type: 'drift', stepSize: { kind: 'constant', value: NaN }, clip: null })
  await refuses(null, 'TypeError', 'sample: options: expected an object, got null')
})

t.test('sample checks parameters against the energy', async (t) => {
  const shifted = energy.define({
    name: 'shifted',
    shape: [2],
    params: { mu: { shape: [2], init: { kind: 'normal', std: 1 } }, scale: { shape: [], init: { kind: 'constant', value: 2 } } },
    build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.mu)), 1), p.scale),
  })
  await t.rejects(sampler.sample(shifted, k, ok), { name: 'RangeError', message: "sample: params.mu: expected its values (its initialiser is random ('normal') and energy 'shifted' has no seed), got undefined" })
  await t.rejects(sampler.sample(shifted, k, { ...ok, params: { mu: [1, 2, 3] } }), { name: 'RangeError', message: 'sample: params.mu: expected 2 values, got 3' })
  await t.rejects(sampler.sample(shifted, k, { ...ok, params: { mu: [1, 2], sigma: [1] } }), { name: 'RangeError', message: `sample: params: expected parameters of energy 'shifted' (mu, scale), got "sigma"` })
  // mu given, scale from its constant initialiser: pure drift contracts towards mu.
  const r = await sampler.sample(shifted, sampler.drift({ stepSize: 0.25 }), { chains: 1, steps: 1, seed: 0, params: { mu: [1, -1] } })
  t.same([...r.positions], [1, -1]) // x − 0.25·2·2·(x − mu) = mu
})

t.test('an energy with a seed samples without params: its random parameters come from its seeded initialisation', async (t) => {
  const seeded = energy.mlp({ widths: [2, 8, 1], activation: 'silu', seed: 3 })
  const options = { chains: 4, steps: 5, seed: 1, backend: 'reference' as const, init: Float64Array.from({ length: 8 }, (_v, i) => Math.sin(i)) }
  const implicit = await sampler.sample(seeded, k, options)
  const explicit = await sampler.sample(seeded, k, { ...options, params: energy.init(seeded) })
  t.strictSame(implicit.positions, explicit.positions, 'the same chains as with energy.init(e) passed in')
  // A given parameter overrides its seeded values, the others keep theirs.
  const W0 = new Float64Array(16).fill(0.1)
  const mixed = await sampler.sample(seeded, k, { ...options, params: { W0 } })
  const all = await sampler.sample(seeded, k, { ...options, params: { ...energy.init(seeded), W0 } })
  t.strictSame(mixed.positions, all.positions, 'W0 given, the rest seeded')
  t.notSame(mixed.positions, implicit.positions)
  // Another seed, other parameters, other chains; without a seed the parameters must be given.
  const other = await sampler.sample(energy.mlp({ widths: [2, 8, 1], activation: 'silu', seed: 4 }), k, options)
  t.notSame(other.positions, implicit.positions)
  await t.rejects(sampler.sample(energy.mlp({ widths: [2, 8, 1], activation: 'silu' }), k, options), { name: 'RangeError', message: /^sample: params\.\w+: expected its values \(its initialiser is random \('uniform'\) and energy 'mlp' has no seed\), got undefined$/ })
})

t.test('sample with zero steps returns the initial chains with their energies', async (t) => {
  const r = await sampler.sample(e, k, { chains: 2, steps: 0, seed: 1, init: [1, 2, 3, 4] })
  t.same([...r.positions], [1, 2, 3, 4])
  t.same([...r.energies], [2.5, 12.5])
  t.same(r.trace, [])
})

t.test('sample refuses float32 on the reference backend', async (t) => {
  await t.rejects(sampler.sample(e, k, { ...ok, dtype: 'float32', backend: 'reference' }), { name: 'RangeError', message: /^sample: dtype: expected 'float64' on the reference backend .*'float32' needs backend 'native'/ })
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

// sample's runner is watched for writes only when a warmup hook is handed it: a write there must make
// the next step evaluate E and ∇E afresh. Drift alone (no noise, no draws) makes the run after the write
// the same as a run started at the written positions.
t.test("a warmup hook's write to the chains is seen by the next step, on either backend", async (t) => {
  const shifted = energy.define({ name: 'shifted', shape: [2], build: (x) => ir.mul(ir.sum(ir.square(ir.sub(x, ir.constant([1, -2], [2]))), 1), 1.5) })
  const drift = sampler.ula({ stepSize: 0.1, noiseScale: 0 })
  const written = [0.5, 0.25, -1, 2]
  for (const backend of samplerAddon().addon === undefined ? (['reference'] as const) : (['reference', 'native'] as const)) {
    for (const steps of [4, 0]) {
      const run = sampler.checkRun(shifted, drift, { chains: 2, steps, seed: 1, warmup: 3, backend })
      const hooked = await sampler.execute(run, { warmup: { after: (r) => r.state.position.set(written) } })
      const fromWritten = await sampler.sample(shifted, drift, { chains: 2, steps, seed: 1, init: written, backend })
      t.strictSame([hooked.positions, hooked.energies], [fromWritten.positions, fromWritten.energies], `${backend}, ${steps} steps after warmup`)
    }
  }
})

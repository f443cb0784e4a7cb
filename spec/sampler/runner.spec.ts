/**
 * The runner keeps chains and tapes across runs: positions and parameters overwritten in place between
 * runs are seen by the next run on both backends (the native executor repacks weights whose bytes
 * changed), the two backends agree over several runs (float64 to 1e-9), and thread count never changes a
 * bit. Its arguments are checked like sample's.
 */
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'
import { quadratic } from './fixtures.js'

// A small MLP (its matmul weights are packed by the native executor) plus a confining quadratic.
const mlp = energy.define({
  name: 'mlp',
  shape: [2],
  params: {
    W1: { shape: [2, 16], init: { kind: 'values', values: Array.from({ length: 32 }, (_v, i) => Math.sin(1.1 * (i + 1))) } },
    b1: { shape: [16], init: { kind: 'values', values: Array.from({ length: 16 }, (_v, i) => Math.cos(0.7 * i) / 2) } },
    w2: { shape: [16, 1], init: { kind: 'values', values: Array.from({ length: 16 }, (_v, i) => Math.sin(2.3 * i) / 2) } },
  },
  build: (x, p) => ir.add(ir.reshape(ir.matmul(ir.silu(ir.add(ir.matmul(x, p.W1), p.b1)), p.w2), [x.shape[0]]), ir.mul(ir.sum(ir.square(x), 1), 0.5)),
})
const chains = 150
const start = (k: number) => Float64Array.from({ length: chains * 2 }, (_v, i) => 1.2 * Math.sin(0.37 * i + k))

const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])))
  return worst
}

// Several runs, the caller writing new positions and new weights between them, as training does.
const session = async (r: sampler.Runner) => {
  const out: { positions: Float64Array; energies: Float64Array; statistics: sampler.RunStatistics }[] = []
  const record = (statistics: sampler.RunStatistics) => out.push({ positions: Float64Array.from(r.state.position), energies: Float64Array.from(r.state.energy), statistics })
  record(await r.run({ seed: 1, from: 0, to: 6 }))
  r.state.position.set(start(1)) // a batch from a replay buffer
  record(await r.run({ seed: 2, from: 0, to: 5 }))
  r.params.W1.forEach((v, i, w) => (w[i] = 0.8 * v + 0.05 * Math.cos(i))) // an optimizer step
  record(await r.run({ seed: 3, from: 0, to: 5 }))
  record(await r.run({ seed: 3, from: 5, to: 5 })) // no steps: E and ∇E as they are
  r.params.b1.fill(-0.25)
  r.state.position.set(start(2))
  record(await r.run({ seed: 4, from: 10, to: 16 }))
  return out
}

t.test('a new parameter value is used by the next run of the reference runner', async (t) => {
  const r = sampler.runner(quadratic(2, 2), sampler.drift({ stepSize: 0.1 }), { chains: 3, backend: 'reference' })
  r.state.position.set([1, 1, 2, 2, 3, 3])
  const s = await r.run({ seed: 0, from: 0, to: 0 })
  t.same(Array.from(r.state.energy), [2, 8, 18])
  t.equal(s.step, 0)
  r.state.position.set([0, 1, 0, 0, 1, 0])
  await r.run({ seed: 0, from: 0, to: 0 })
  t.same(Array.from(r.state.energy), [1, 0, 1], 'E of the positions written in, without a step')
})

t.test('runner refuses bad arguments with an error that names them', async (t) => {
  const e = quadratic(1, 2)
  const k = sampler.ula({ stepSize: 0.1 })
  t.throws(() => sampler.runner(e, k, { chains: 0 }), { name: 'RangeError', message: 'runner: chains: expected an integer ≥ 1, got 0' })
  t.throws(() => sampler.runner(e, k, { chains: 2, steps: 3 } as never), { name: 'RangeError', message: "runner: options: unknown option 'steps' (options: chains, init, params, backend, dtype, threads, chainBlock)" })
  const r = sampler.runner(e, k, { chains: 2, backend: 'reference' })
  await t.rejects(r.run({ seed: -1, from: 0, to: 1 }), { name: 'RangeError', message: 'run: seed: expected an integer in [0, 2^53), got -1' })
  await t.rejects(r.run({ seed: 0, from: 3, to: 1 }), { name: 'RangeError', message: 'run: to: expected an integer ≥ 3, got 1' })
})

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`native runner tests skipped: ${status.reason}`)
} else {
  for (const [name, kernel] of [
    ['ULA', sampler.ula({ stepSize: 0.05, temperature: 0.7 })],
    ['MALA', sampler.mala({ stepSize: 0.2, temperature: 0.7 })],
    ['HMC', sampler.hmc({ stepSize: 0.2, leapfrogSteps: 3 })],
  ] as const) {
    t.test(`${name}: native and reference runners agree over runs with positions and weights overwritten between them`, async (t) => {
      const ref = await session(sampler.runner(mlp, kernel, { chains, init: start(0), backend: 'reference' }))
      const nat = await session(sampler.runner(mlp, kernel, { chains, init: start(0), backend: 'native' }))
      ref.forEach((r, i) => {
        t.ok(maxRelative(r.positions, nat[i].positions) < 1e-9, `run ${i}: positions differ by ${maxRelative(r.positions, nat[i].positions).toExponential(2)}`)
        t.ok(maxRelative(r.energies, nat[i].energies) < 1e-9, `run ${i}: energies differ by ${maxRelative(r.energies, nat[i].energies).toExponential(2)}`)
        t.same(nat[i].statistics.acceptanceRate, r.statistics.acceptanceRate, `run ${i}: acceptance (NaN in a run of no steps)`)
        t.equal(nat[i].statistics.nonFinite, r.statistics.nonFinite, `run ${i}: non-finite chains`)
        t.ok(Math.abs(nat[i].statistics.meanGradientNorm - r.statistics.meanGradientNorm) < 1e-9 * r.statistics.meanGradientNorm, `run ${i}: mean ‖∇E‖`)
      })
    })
  }

  t.test('the native runner sees new weights: the energies after an overwrite are those of the new weights', async (t) => {
    // Run 0 packs W1; the overwrite must make the executor pack it again (it compares bytes once per run).
    const kernel = sampler.ula({ stepSize: 0.05 })
    const r = sampler.runner(mlp, kernel, { chains, init: start(0), backend: 'native' })
    await r.run({ seed: 1, from: 0, to: 3 })
    const W1 = r.params.W1.map((v, i) => 0.5 * v + 0.1 * Math.sin(3 * i))
    r.params.W1.set(W1)
    await r.run({ seed: 1, from: 3, to: 3 })
    const fresh = sampler.runner(mlp, kernel, { chains, init: r.state.position, backend: 'reference', params: { W1 } })
    await fresh.run({ seed: 1, from: 3, to: 3 })
    t.ok(maxRelative(fresh.state.energy, r.state.energy) < 1e-12, `energies differ by ${maxRelative(fresh.state.energy, r.state.energy).toExponential(2)}`)
    t.ok(maxRelative(fresh.state.gradient, r.state.gradient) < 1e-12, `gradients differ by ${maxRelative(fresh.state.gradient, r.state.gradient).toExponential(2)}`)
  })

  t.test('runner results do not depend on threads, in float64 and float32', async (t) => {
    for (const dtype of ['float64', 'float32'] as const) {
      const kernel = sampler.mala({ stepSize: 0.2 })
      const one = await session(sampler.runner(mlp, kernel, { chains, init: start(0), backend: 'native', dtype }))
      const two = await session(sampler.runner(mlp, kernel, { chains, init: start(0), backend: 'native', dtype, threads: 2 }))
      one.forEach((r, i) => {
        t.strictSame(two[i].positions, r.positions, `${dtype}, run ${i}: positions`)
        t.strictSame(two[i].statistics, r.statistics, `${dtype}, run ${i}: statistics`)
      })
    }
  })

  t.test('a float32 runner has float32 state and parameters, and a cancelled run rejects with an AbortError', async (t) => {
    const r = sampler.runner(mlp, sampler.ula({ stepSize: 0.01 }), { chains: 1024, backend: 'native', dtype: 'float32' })
    t.ok(r.state.position instanceof Float32Array)
    t.ok(r.params.W1 instanceof Float32Array)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    await t.rejects(r.run({ seed: 1, from: 0, to: 10_000_000, signal: controller.signal }), { name: 'AbortError' })
  })

  // The abort event has fired before the run begins: only the signal's state says so (the hostile API pass
  // found the native loop running to the end where the reference rejects).
  t.test('a run given an already-aborted signal rejects with an AbortError and moves no chain, on both backends', async (t) => {
    for (const backend of ['native', 'reference'] as const) {
      const r = sampler.runner(mlp, sampler.ula({ stepSize: 0.01 }), { chains: 8, backend, init: start(0).subarray(0, 8 * 2) })
      const before = Float64Array.from(r.state.position)
      await t.rejects(r.run({ seed: 1, from: 0, to: 50, signal: AbortSignal.abort() }), { name: 'AbortError' }, backend)
      t.strictSame(Float64Array.from(r.state.position), before, `${backend}: positions unchanged`)
    }
  })
}

// sample's runner reads the energy's initial parameter values in place (they are checked, or drawn from
// the energy's seed, once per energy value); a runner's own parameters must stay copies of them.
t.test("a runner's parameters are its own: writing them changes no later sample of the same energy", async (t) => {
  const seeded = energy.mlp({ widths: [2, 8, 1], activation: 'silu', seed: 5 })
  type Case = { e: energy.Energy; backend: 'reference' | 'native'; dtype: 'float32' | 'float64'; name: string }
  const native: Case[] = [{ e: mlp, backend: 'native', dtype: 'float32', name: 'W1' }, { e: mlp, backend: 'native', dtype: 'float64', name: 'W1' }]
  const cases: Case[] = [{ e: seeded, backend: 'reference', dtype: 'float64', name: 'W0' }, ...(samplerAddon().addon === undefined ? [] : native)]
  for (const { e, backend, dtype, name } of cases) {
    const options = { chains: 4, steps: 3, seed: 2, init: start(0).subarray(0, 8), backend, dtype }
    const before = await sampler.sample(e, sampler.ula({ stepSize: 0.05 }), options)
    const r = sampler.runner(e, sampler.ula({ stepSize: 0.05 }), { chains: 4, backend, dtype })
    r.params[name].fill(0.3)
    await r.run({ seed: 2, from: 0, to: 1 })
    const after = await sampler.sample(e, sampler.ula({ stepSize: 0.05 }), options)
    t.strictSame(after.positions, before.positions, `${backend} ${dtype}`)
  }
})

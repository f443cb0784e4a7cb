/**
 * The native sampler loop against the reference runner: float64 trajectories agree to 1e-9 after 20
 * steps for every built-in and for composed kernels, results are bitwise identical for any thread count,
 * and cancellation stops the native loop. Skipped when the addon is not built.
 */
import { pipe } from 'fp-ts/lib/function.js'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon, loadEnergy, loadGradient, encodeProgram } from '../../src/sampler/native.js'
import { coupled } from './fixtures.js'
import { sameBits } from '../backend/programs.js'

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`native sampler tests skipped: ${status.reason}`)
} else {
  const addon = status.addon
  // A small smooth MLP energy on the plane plus a confining quadratic: every kind of op the samplers meet.
  const mlp = energy.define({
    name: 'mlp',
    shape: [2],
    params: {
      W1: { shape: [2, 8], init: { kind: 'values', values: Array.from({ length: 16 }, (_v, i) => Math.sin(1.1 * (i + 1))) } },
      b1: { shape: [8], init: { kind: 'values', values: Array.from({ length: 8 }, (_v, i) => Math.cos(0.7 * i) / 2) } },
      w2: { shape: [8, 1], init: { kind: 'values', values: Array.from({ length: 8 }, (_v, i) => Math.sin(2.3 * i) / 2) } },
    },
    build: (x, p) =>
      ir.add(ir.reshape(ir.matmul(ir.silu(ir.add(ir.matmul(x, p.W1), p.b1)), p.w2), [x.shape[0]]), ir.mul(ir.sum(ir.square(x), 1), 0.5)),
  })
  const chains = 300 // more than one block of chains (128), so threads split the work
  const init = Float64Array.from({ length: chains * 2 }, (_v, i) => 1.5 * Math.sin(0.37 * i + 0.1))
  const annealed = sampler.named('annealed-with-correction', [
    sampler.drift({ stepSize: sampler.geometric(0.2, 0.02, 20), clip: 2 }),
    sampler.noise({ stepSize: sampler.geometric(0.2, 0.02, 20), temperature: sampler.linear(3, 1, 20) }),
    sampler.clamp({ low: -3, high: 3 }),
    pipe(sampler.mala({ stepSize: sampler.cosine(0.3, 0.1, 20) }), sampler.every(4)),
    pipe(sampler.sghmc({ stepSize: 0.1, friction: 2 }), sampler.repeat(2)),
  ])
  const kernels: Record<string, sampler.Kernel> = {
    ula: sampler.ula({ stepSize: 0.05 }),
    'ula (decoupled, clipped, clamped)': sampler.ula({ stepSize: 0.5, noiseScale: 0.05, clip: 0.1, clamp: { low: -1, high: 1 } }),
    mala: sampler.mala({ stepSize: 0.3 }),
    hmc: sampler.hmc({ stepSize: 0.25, leapfrogSteps: 5 }),
    sghmc: sampler.sghmc({ stepSize: 0.2, friction: 1 }),
    'random-walk Metropolis': pipe(sampler.noise({ scale: 0.8 }), sampler.metropolis({ temperature: 2 })),
    'composed (annealed Langevin, MALA every 4 steps, SGHMC twice)': annealed,
  }
  const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let worst = 0
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])))
    return worst
  }

  t.test('sample on the native backend follows the reference trajectory to 1e-9 after 20 steps (float64)', async (t) => {
    for (const [name, k] of Object.entries(kernels)) {
      const options = { chains, steps: 20, seed: 42, init, thin: 5 }
      const ref = await sampler.sample(mlp, k, { ...options, backend: 'reference' })
      const nat = await sampler.sample(mlp, k, { ...options, backend: 'native' })
      const d = maxRelative(ref.positions, nat.positions)
      t.ok(d < 1e-9, `${name}: positions differ by ${d.toExponential(2)}`)
      t.ok(maxRelative(ref.momenta, nat.momenta) < 1e-9, `${name}: momenta`)
      t.ok(maxRelative(ref.energies, nat.energies) < 1e-9, `${name}: energies`)
      t.same(nat.trace.map((s) => s.acceptanceRate), ref.trace.map((s) => s.acceptanceRate), `${name}: acceptance`)
      t.same(nat.trace.map((s) => s.nonFinite), ref.trace.map((s) => s.nonFinite), `${name}: non-finite chains`)
    }
  })

  t.test('sample on the native backend follows the reference when a matmul operand changes with x every step', async (t) => {
    // The executor keeps packed weights between steps only where they depend on parameters alone, and the
    // coupled energy's C depends on x.
    const options = { chains, steps: 20, seed: 3, init, thin: 10 }
    const ref = await sampler.sample(coupled, sampler.ula({ stepSize: 0.1 }), { ...options, backend: 'reference' })
    const nat = await sampler.sample(coupled, sampler.ula({ stepSize: 0.1 }), { ...options, backend: 'native' })
    t.ok(maxRelative(ref.positions, nat.positions) < 1e-9, `positions differ by ${maxRelative(ref.positions, nat.positions).toExponential(2)}`)
  })

  t.test('chains that become non-finite are frozen and counted by the native loop as by the reference', async (t) => {
    // E = x⁴/4 with h = 0.1: from |x| = 100 the drift overshoots without bound; from 0.5 it converges.
    const quartic = energy.define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(ir.square(x)), 1), 0.25) })
    for (const kernel of [sampler.drift({ stepSize: 0.1 }), sampler.ula({ stepSize: 0.1 })]) {
      const options = { chains: 4, steps: 30, seed: 0, init: [0.5, 100, -0.5, -100], thin: 10 }
      const ref = await sampler.sample(quartic, kernel, { ...options, backend: 'reference' })
      const nat = await sampler.sample(quartic, kernel, { ...options, backend: 'native', threads: 2 })
      t.same(nat.trace.map((s) => s.nonFinite), ref.trace.map((s) => s.nonFinite), 'non-finite counts per snapshot')
      t.equal(nat.statistics.nonFinite, 2)
      t.ok(maxRelative([nat.positions[0], nat.positions[2]], [ref.positions[0], ref.positions[2]]) < 1e-9, 'finite chains agree')
    }
  })

  t.test('samplers without a Metropolis test judge the energy at snapshots, the gradient at every step, on both backends', async (t) => {
    // E = log x: NaN for x < 0 while ∇E = 1/x stays finite. A drift of h = 0.1 from 0.5 goes to 0.3,
    // then −0.033 (E is NaN there) and back out to 2.97: with E evaluated only at snapshots the chain
    // passes through; a snapshot taken while it is at −0.033 freezes it. MALA evaluates E every step.
    const logEnergy = energy.define({ shape: [1], build: (x) => ir.reshape(ir.log(x), [x.shape[0]]) })
    for (const [thin, frozen] of [[3, 0], [2, 1]] as const) {
      const options = { chains: 2, steps: 4, seed: 0, init: [0.5, 5], thin }
      const ref = await sampler.sample(logEnergy, sampler.drift({ stepSize: 0.1 }), { ...options, backend: 'reference' })
      const nat = await sampler.sample(logEnergy, sampler.drift({ stepSize: 0.1 }), { ...options, backend: 'native' })
      t.equal(ref.statistics.nonFinite, frozen, `thin ${thin}: reference freezes ${frozen}`)
      t.equal(nat.statistics.nonFinite, frozen, `thin ${thin}: native freezes ${frozen}`)
      t.ok(maxRelative(nat.positions, ref.positions) < 1e-12, `thin ${thin}: the same positions (${Array.from(nat.positions).map((v) => v.toFixed(4)).join(', ')})`)
    }
  })

  t.test('sample on the native backend gives the same bits on 1 and 2 threads', async (t) => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [name, k] of Object.entries(kernels)) {
        const options = { chains, steps: 20, seed: 7, init, backend: 'native' as const, dtype }
        const one = await sampler.sample(mlp, k, { ...options, threads: 1 })
        const two = await sampler.sample(mlp, k, { ...options, threads: 2 })
        t.same(two.positions, one.positions, `${dtype} ${name}`)
        t.same(two.statistics, one.statistics, `${dtype} ${name}: statistics`)
      }
    }
  })

  t.test('a chain whose gradient overflows freezes at its last finite position on both backends', async (t) => {
    // E = −eˣ: the drift x ← x + h·eˣ runs away (1 → 2.36 → 7.6 → about 1000), and at x ≈ 1000 eˣ is +∞ in
    // float64, so ∇E is −∞. The chain must stop where it was, as in the reference, and be counted.
    const runaway = energy.define({ name: 'runaway', shape: [1], build: (x) => ir.reshape(ir.neg(ir.exp(x)), [x.shape[0]]) })
    const options = { chains: 3, steps: 6, seed: 0, init: [1, -1, -2] }
    const ref = await sampler.sample(runaway, sampler.drift({ stepSize: 0.5 }), { ...options, backend: 'reference' })
    t.equal(ref.statistics.nonFinite, 1, 'the reference freezes the runaway chain')
    for (const dtype of ['float64', 'float32'] as const) {
      const nat = await sampler.sample(runaway, sampler.drift({ stepSize: 0.5 }), { ...options, backend: 'native', dtype })
      t.equal(nat.statistics.nonFinite, 1, `${dtype}: native freezes it too`)
      t.ok(Number.isFinite(nat.positions[0]) && Math.abs(nat.positions[0] / ref.positions[0] - 1) < 1e-6, `${dtype}: frozen at the reference's position (${nat.positions[0]}, ${ref.positions[0]})`)
      t.ok(maxRelative(nat.positions.slice(1), ref.positions.slice(1)) < 1e-6, `${dtype}: the other chains move on as the reference's`)
    }
  })

  t.test('few wide chains give the same bits on 1, 2 and 3 threads (their passes split into tasks by the thread count)', async (t) => {
    // 600 coordinates: draws for 8 chains at a time; 40 chains make tasks of 16, 8 and 8 chains on 1, 2
    // and 3 threads, so the passes over the chains (normals, uniforms, updates) are cut differently.
    const wide = energy.define({ name: 'wide', shape: [600], build: (x) => ir.sum(ir.mul(ir.square(ir.sin(x)), 0.5), 1) })
    const init = Float64Array.from({ length: 40 * 600 }, (_v, i) => Math.sin(0.37 * i))
    for (const [name, k] of Object.entries({ ula: kernels.ula, mala: kernels.mala, hmc: kernels.hmc })) {
      const options = { chains: 40, steps: 6, seed: 3, init, backend: 'native' as const, dtype: 'float32' as const }
      const one = await sampler.sample(wide, k, { ...options, threads: 1 })
      for (const threads of [2, 3]) {
        const other = await sampler.sample(wide, k, { ...options, threads })
        t.ok(sameBits(other.positions, one.positions), `${name}: ${threads} threads, the positions of one`)
        t.same(other.statistics, one.statistics, `${name}: ${threads} threads, the statistics of one`)
      }
    }
  })

  t.test('sample in float32 stays within 1e-4 of the float64 reference without accept/reject', async (t) => {
    for (const name of ['ula', 'sghmc']) {
      const options = { chains, steps: 20, seed: 5, init }
      const ref = await sampler.sample(mlp, kernels[name], { ...options, backend: 'reference' })
      const f32 = await sampler.sample(mlp, kernels[name], { ...options, backend: 'native', dtype: 'float32' })
      const d = maxRelative(ref.positions, f32.positions)
      t.ok(d < 1e-4, `${name}: ${d.toExponential(2)}`)
    }
  })

  t.test('aborting a native run stops the loop between steps', async (t) => {
    const controller = new AbortController()
    const run = sampler.checkRun(mlp, sampler.ula({ stepSize: 0.01 }), { chains: 1024, steps: 10_000_000, seed: 1, backend: 'native' })
    const started = performance.now()
    setTimeout(() => controller.abort(), 50)
    await t.rejects(sampler.execute(run, { signal: controller.signal }), { name: 'AbortError' })
    // Ten million steps would take hours; stopping takes one step (well under a millisecond here) plus scheduling.
    t.ok(performance.now() - started < 5000, `stopped after ${(performance.now() - started).toFixed(0)} ms`)
  })

  t.test('the addon refuses malformed sampler calls with an error, not a crash', async (t) => {
    const loaded = loadEnergy(addon, mlp, 4)
    const layout = addon.samplerInstructions()
    const f = () => new Float64Array(8)
    const state = (over: Partial<Record<string, unknown>> = {}) => ({
      position: f(), momentum: f(), energy: new Float64Array(4), gradient: f(), alive: new Uint8Array(4).fill(1), proposed: new Float64Array(4), accepted: new Float64Array(4), trees: new Float64Array(20), fresh: new Int32Array(1), ...over,
    })
    const params = loaded.tape.feeds.map((feed, i) => (i === loaded.xFeed ? null : new Float64Array(ir.size(feed.shape))))
    const program = encodeProgram(sampler.flatten(sampler.mala({ stepSize: 0.1 }), 2), layout)
    const call = (over: Partial<{ program: Float64Array; drawsPerStep: number; state: unknown; seed: number; threads: number; from: number; to: number; gradientHandle: number; firstChain: unknown }>) => () =>
      addon.sampleAsync({ handle: loaded.handle, gradientHandle: -1, dtype: 'float64', program, drawsPerStep: 4, feeds: params, xFeed: loaded.xFeed, energyOutput: 0, gradientOutput: 1,
        state: state() as never, seed: 0, from: 0, to: 1, threads: 1, cancel: new Int32Array(1), ...(over as object) })
    t.throws(call({ program: program.subarray(1) }), { message: new RegExp(`not a multiple of ${layout.recordSize}`) })
    t.throws(call({ drawsPerStep: 2 }), { message: /draw offset .* outside the step's 2 draws/ })
    t.throws(call({ program: Float64Array.from(program, (v, i) => (i === 0 ? 99 : v)) }), { message: /unknown op/ })
    t.throws(call({ state: state({ energy: new Float64Array(3) }) }), { message: 'sampleAsync: state.energy: has 3 values; expected 4' })
    t.throws(call({ state: state({ position: new Float32Array(8) }) }), { message: 'sampleAsync: state.position: expected a Float64Array' })
    t.throws(call({ firstChain: -1 }), { message: /^sampleAsync: firstChain: expected an integer in \[0, 9007199254740987\], got -1/ })
    t.throws(call({ firstChain: 2 ** 53 }), { message: /^sampleAsync: firstChain: expected an integer in \[0, 9007199254740987\]/ })
    t.throws(call({ firstChain: '3' }), { message: 'sampleAsync: firstChain: expected a number' })
    t.throws(call({ state: state({ proposed: new Float64Array(0), accepted: new Float64Array(2) }) }), { message: 'sampleAsync: state.accepted: has 2 values; expected 4' })
    await call({ state: state({ proposed: new Float64Array(0), accepted: new Float64Array(0) }), firstChain: 1000 })() // counts not kept: the run counts into scratch
    t.throws(call({ state: [f(), f()] }), { message: /sampleAsync: state: expected \{ position, momentum/ })
    t.throws(call({ seed: -1 }), { message: /seed: expected an integer/ })
    t.throws(call({ threads: 0 }), { message: /threads: expected an integer in \[1, 1024\]/ })
    t.throws(call({ gradientHandle: loaded.handle }), { message: /gradient tape must take the energy tape's feeds and give one output/ })
    t.throws(call({ gradientHandle: 1e6 }), { message: /gradientHandle 1000000 is not a loaded tape/ })
    t.throws(call({ gradientHandle: -2 }), { message: /gradientHandle: expected an integer/ })
    t.throws(() => (addon.sampleAsync as (...a: unknown[]) => unknown)(1, 2, 3), { message: /sampleAsync: expected one argument, an object/ })
    await t.resolves(call({ gradientHandle: loadGradient(mlp, 4) })())
    t.throws(call({ from: 5, to: 2 }), { message: /to: expected an integer/ })
    await t.resolves(call({})())
  })

  t.test("the addon refuses a malformed record with an error naming the field, and records each snapshot's chains where asked", async (t) => {
    const loaded = loadEnergy(addon, mlp, 4)
    const program = encodeProgram(sampler.flatten(sampler.mala({ stepSize: 0.1 }), 2), addon.samplerInstructions())
    const params = loaded.tape.feeds.map((feed, i) => (i === loaded.xFeed ? null : new Float64Array(ir.size(feed.shape))))
    const state = () => ({
      position: Float64Array.from({ length: 8 }, (_v, i) => Math.sin(i)), momentum: new Float64Array(8), energy: new Float64Array(4), gradient: new Float64Array(8), alive: new Uint8Array(4).fill(1),
      proposed: new Float64Array(4), accepted: new Float64Array(4), trees: new Float64Array(0), fresh: new Int32Array(1),
    })
    // Steps 0 … 4 recorded every 2: snapshots at 2, 4 and 5, three slots of `chains` chains each.
    const record = (over: Partial<Record<string, unknown>> = {}, chains = 4) => ({
      every: 2, chains, first: 0, position: new Float64Array(3 * chains * 2), energy: new Float64Array(3 * chains), gradient: new Float64Array(3 * chains * 2), alive: new Uint8Array(3 * chains),
      proposed: new Float64Array(3 * chains), accepted: new Float64Array(3 * chains), trees: new Float64Array(0), ...over,
    })
    const call = (record: unknown, s = state(), to = 5) => () =>
      addon.sampleAsync({ handle: loaded.handle, gradientHandle: -1, dtype: 'float64', program, drawsPerStep: 4, feeds: params, xFeed: loaded.xFeed, energyOutput: 0, gradientOutput: 1,
        state: s, seed: 0, from: 0, to, threads: 1, cancel: new Int32Array(1), record: record as never })
    t.throws(call(record({ every: 0 })), { message: /^sampleAsync: record.every: expected an integer in \[1, 9007199254740991\], got 0/ })
    t.throws(call(record({ every: -2 })), { message: /^sampleAsync: record.every: expected an integer/ })
    t.throws(call(record({ every: '2' })), { message: 'sampleAsync: record.every: expected a number' })
    t.throws(call(record({ chains: 3 })), { message: /^sampleAsync: record.chains: expected an integer in \[4, / })
    t.throws(call(record({ first: 1 })), { message: /^sampleAsync: record.first: expected an integer in \[0, 0\], got 1/ })
    t.throws(call(record({ position: new Float32Array(24) })), { message: 'sampleAsync: record.position: expected a Float64Array' })
    t.throws(call(record({ energy: new Float64Array(8) })), { message: 'sampleAsync: record.energy: has 8 values; expected 12' })
    t.throws(call(record({ alive: new Float64Array(12) })), { message: 'sampleAsync: record.alive: expected a Uint8Array' })
    t.throws(call(record({ proposed: new Float64Array(5) })), { message: 'sampleAsync: record.proposed: has 5 values; expected 12' })
    t.throws(call(record({ gradient: undefined })), { message: 'sampleAsync: record.gradient: expected a Float64Array' })
    t.throws(call(record(), state(), 7), { message: 'sampleAsync: record.position: has 24 values; expected 32' }, 'four snapshots from 7 steps')
    t.throws(call([1, 2]), { message: /^sampleAsync: record: expected \{ every, chains, first/ })
    t.throws(call(record({ every: 2 ** 60 })), { message: /^sampleAsync: record.every: expected an integer in/ })
    // A block of 4 chains recorded from chain 4 of 8: the first four of each slot are left alone, the last slot is the state the call leaves.
    const s = state()
    const r = record({ first: 4 }, 8)
    await call(r, s)()
    t.same(Array.from(r.alive), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1])
    t.same(r.position.subarray(2 * 16 + 8), s.position, 'the last slot: the final positions')
    t.same(r.energy.subarray(2 * 8 + 4), s.energy)
    t.same(r.accepted.subarray(2 * 8 + 4), s.accepted)
    t.same(r.proposed.subarray(8 + 4, 2 * 8), new Float64Array(4).fill(4), 'the second slot: after 4 steps, 4 proposals a chain')
    await t.resolves(call(record({ position: new Float64Array(0), energy: new Float64Array(0), gradient: new Float64Array(0), alive: new Uint8Array(0), proposed: new Float64Array(0), accepted: new Float64Array(0) }), state(), 0)(), 'no steps: no snapshots, empty arrays')
  })
}

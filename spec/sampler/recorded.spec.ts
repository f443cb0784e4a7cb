/**
 * Snapshots recorded by the native loop (src/sampler/recording.ts): a run whose native calls record many
 * snapshots each gives, bit for bit, the draws, trace, statistics, warnings and onSnapshot snapshots of
 * the same run made with a call per snapshot (`snapshotsPerCall: 1`, the path without recording), for
 * Metropolis counters (MALA), the gradient-only path between snapshots (ULA), NUTS tree sums, chains that
 * die, several blocks of chains and thins that do and do not divide the steps. Skipped without the addon.
 */
import assert from 'node:assert/strict'
import t, { type Test } from 'tap'
import * as energy from '../../src/energy/index.js'
import * as sampler from '../../src/sampler/index.js'
import { samplerAddon } from '../../src/sampler/native.js'

const status = samplerAddon()
if (status.addon === undefined) {
  t.pass(`recorded snapshot tests skipped: ${status.reason}`)
} else {
  const addon = status.addon
  // E = Σ −a·x² + b·x⁴ in 2-D: D ≥ 2, and chains started far out (|x| = 6) overflow under ULA's large steps.
  const well = energy.doubleWell({ dim: 2 })
  const chains = 12
  const init = Float64Array.from({ length: chains * 2 }, (_v, i) => (i % 7 === 0 ? 6 : 0.8 * Math.sin(1.3 * i)))
  const kernels = {
    mala: sampler.mala({ stepSize: 0.15, temperature: 1.5 }),
    ula: sampler.ula({ stepSize: 0.04, temperature: 0.7 }),
    nuts: sampler.nuts({ stepSize: 0.4, temperature: 1.3, maxTreeDepth: 4 }),
  }

  // A run's result and every snapshot it reported, with at most `perCall` snapshots a native call.
  const runWith = async (kernel: sampler.Kernel, options: sampler.SampleOptions, perCall: number | undefined) => {
    const snapshots: sampler.SampleSnapshot[] = []
    const hooks = { onSnapshot: (s: sampler.SampleSnapshot) => void snapshots.push(s), ...(perCall === undefined ? {} : { snapshotsPerCall: perCall }) }
    const result = await sampler.execute(sampler.checkRun(well, kernel, options), hooks)
    return { result, snapshots }
  }

  // Runs `body` with the addon's sampleAsync counting its calls (calls() reads the count, reset() zeroes it).
  const countingCalls = async (body: (calls: () => number, reset: () => void) => Promise<void>): Promise<void> => {
    let n = 0
    const sampleAsync = addon.sampleAsync
    addon.sampleAsync = (call) => {
      n++
      return sampleAsync.call(addon, call)
    }
    try {
      await body(() => n, () => void (n = 0))
    } finally {
      addon.sampleAsync = sampleAsync
    }
  }

  // Equal to the bit: deepStrictEqual compares every number with Object.is (NaN with NaN, −0 apart from 0).
  const sameBits = (t: Test, a: unknown, b: unknown, what: string) => {
    try {
      assert.deepStrictEqual(a, b)
      t.pass(what)
    } catch (e) {
      t.fail(`${what}: ${(e as Error).message.slice(0, 400)}`)
    }
  }

  t.test('recorded snapshots give the bits of a call per snapshot: draws, trace, statistics, warnings and every snapshot', async (t) => {
    for (const dtype of ['float64', 'float32'] as const) {
      for (const [name, kernel] of Object.entries(kernels)) {
        for (const thin of [1, 3, 7]) {
          // 30 steps after a warmup of 5: thin 7 leaves a last snapshot at 30, 2 steps after the 4th.
          const options = { chains, init, steps: 30, warmup: 5, seed: 9, thin, keep: 'draws', backend: 'native', dtype, chainBlock: 5 } as const
          const single = await runWith(kernel, options, 1)
          for (const perCall of [4, undefined]) {
            sameBits(t, await runWith(kernel, options, perCall), single, `${dtype} ${name} thin ${thin}, ${perCall ?? 'adaptive'} snapshots a call`)
          }
          t.equal(single.snapshots.length, Math.ceil(30 / thin))
          // Without onSnapshot the per-chain statistics are written to scratch: the result is the same.
          sameBits(t, await sampler.execute(sampler.checkRun(well, kernel, options), {}), single.result, `${dtype} ${name} thin ${thin}, no hooks`)
        }
      }
    }
  })

  t.test('draws of long rows (D ≥ 16, copied a row at a time) are the snapshots’ positions, in float32 and float64', async (t) => {
    const D = 20
    const quadratic = energy.gaussian({ mean: Array.from({ length: D }, (_v, i) => i / 10) })
    for (const dtype of ['float32', 'float64'] as const) {
      const positions: Float64Array[] = []
      const r = await sampler.execute(sampler.checkRun(quadratic, kernels.mala, { chains: 3, steps: 9, seed: 1, thin: 2, keep: 'draws', backend: 'native', dtype }), { onSnapshot: (s) => void positions.push(s.positions) })
      t.same(r.drawShape, [3, 4, D])
      const want = new Float64Array(3 * 4 * D)
      for (let c = 0; c < 3; c++) for (let k = 0; k < 4; k++) want.set(positions[k].subarray(c * D, (c + 1) * D), (c * 4 + k) * D)
      sameBits(t, r.draws, want, `${dtype}: draw k of chain c is snapshot k's row c`)
    }
  })

  t.test('the planted chains die under ULA, and the recorded alive flags and means say so as the live state did', async (t) => {
    const options = { chains, init, steps: 12, seed: 9, keep: 'draws', backend: 'native', chainBlock: 5 } as const
    const big = sampler.ula({ stepSize: 0.3 })
    const single = await runWith(big, options, 1)
    const recorded = await runWith(big, options, 5)
    sameBits(t, recorded, single, 'the same bits')
    const dead = single.result.trace.map((s) => s.nonFinite)
    t.ok(dead[dead.length - 1] > 0 && dead[dead.length - 1] < chains, `some chains died, not all: ${dead.join(' ')}`)
    t.ok(dead[0] < dead[dead.length - 1], 'at different snapshots')
  })

  t.test('with default options a native run makes fewer calls than snapshots, and matches the reference executor', async (t) => {
    const options = { chains, init, steps: 200, seed: 4, keep: 'draws' } as const
    await countingCalls(async (calls) => {
      const native = await sampler.sample(well, kernels.mala, { ...options, backend: 'native' })
      t.ok(calls() < 200 / 2, `${calls()} calls for 200 snapshots`)
      const reference = await sampler.sample(well, kernels.mala, { ...options, backend: 'reference' })
      const far = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / Math.max(1, Math.abs(b[i]))), 0)
      t.ok(far(native.draws ?? [], reference.draws ?? []) < 1e-9, 'draws within 1e-9 of the reference')
      t.ok(far(native.trace.map((s) => s.meanEnergy), reference.trace.map((s) => s.meanEnergy)) < 1e-9, 'mean energies')
      t.same(native.trace.map((s) => s.acceptanceRate), reference.trace.map((s) => s.acceptanceRate), 'acceptance rates (counts)')
    })
  })

  t.test('a recording fits in what memoryLimit leaves: with no room for two snapshots, a call per snapshot', async (t) => {
    await countingCalls(async (calls, reset) => {
      const options = { chains, init, steps: 20, seed: 4, keep: 'draws', backend: 'native' } as const
      // The chains and their 20 draws need 12 × 417 bytes; a snapshot of 12 chains records 12 × 57.
      const need = chains * sampler.bytesPerChain(2, 'float64', 20)
      const tight = await sampler.sample(well, kernels.mala, { ...options, memoryLimit: need + 2 * chains * 57 - 1 })
      t.equal(calls(), 20, 'room for one snapshot: 20 calls')
      reset()
      const roomy = await sampler.sample(well, kernels.mala, options)
      t.ok(calls() < 20, `${calls()} calls with the default limit`)
      sameBits(t, roomy, tight, 'the same bits')
    })
  })

  t.test('aborting in the middle of a recorded call stops at the snapshot it reached, as a call per snapshot does', async (t) => {
    for (const perCall of [1, 4]) {
      const controller = new AbortController()
      const steps: number[] = []
      const run = sampler.checkRun(well, kernels.mala, { chains, init, steps: 40, seed: 2, keep: 'draws', backend: 'native' })
      const onSnapshot = (s: sampler.SampleSnapshot) => {
        steps.push(s.step)
        if (s.step === 6) controller.abort() // the second snapshot of the second call of 4
      }
      await t.rejects(sampler.execute(run, { signal: controller.signal, onSnapshot, snapshotsPerCall: perCall }), { name: 'AbortError', message: 'sample: cancelled after 6 steps' })
      t.same(steps, [1, 2, 3, 4, 5, 6], `${perCall} a call: no snapshot after the abort`)
    }
  })

  t.test('aborting while a recording call runs stops the native loop between steps', async (t) => {
    const controller = new AbortController()
    const run = sampler.checkRun(well, kernels.mala, { chains: 256, steps: 10_000_000, seed: 1, thin: 1, backend: 'native' })
    const started = performance.now()
    setTimeout(() => controller.abort(), 50)
    await t.rejects(sampler.execute(run, { signal: controller.signal }), { name: 'AbortError' })
    // Ten million snapshots would take minutes; stopping takes a step or a call's few ms plus scheduling.
    t.ok(performance.now() - started < 5000, `stopped after ${(performance.now() - started).toFixed(0)} ms`)
  })
}

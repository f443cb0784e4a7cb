import { performance } from 'node:perf_hooks'
import { lastValueFrom, take, toArray } from 'rxjs'
import t from 'tap'
import { checkSnapshot } from '../../src/diagnostics/index.js'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'
import { rollingAcceptance, sample$ } from '../../src/stream/index.js'
import { samplerAddon } from '../../src/sampler/native.js'

const quadratic = energy.define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })

t.test('sample$ emits a snapshot every thin steps and at the last, then completes', async (t) => {
  const snapshots = await lastValueFrom(sample$(quadratic, sampler.mala({ stepSize: 0.5 }), { chains: 16, steps: 25, seed: 1, thin: 10 }).pipe(toArray()))
  t.same(snapshots.map((s) => s.step), [10, 20, 25])
  for (const s of snapshots) t.equal(checkSnapshot('sample$', s), s) // the diagnostics' Snapshot
  const result = await sampler.sample(quadratic, sampler.mala({ stepSize: 0.5 }), { chains: 16, steps: 25, seed: 1, thin: 10 })
  t.same(snapshots[2].positions, result.positions)
  t.same(snapshots.map((s) => s.statistics), result.trace)
})

t.test('sample$ feeds the chain-health operators', async (t) => {
  const reports = await lastValueFrom(sample$(quadratic, sampler.mala({ stepSize: 0.5 }), { chains: 16, steps: 30, seed: 2, thin: 10 }).pipe(rollingAcceptance(2), toArray()))
  t.equal(reports.length, 2)
})

t.test('sample$ throws at once on a bad argument, naming it', async (t) => {
  t.throws(() => sample$(quadratic, sampler.ula({ stepSize: 0.1 }), { chains: 0, steps: 5, seed: 1 }), { name: 'RangeError', message: 'sample: chains: expected an integer ≥ 1, got 0' })
})

t.test('unsubscribing from sample$ stops the run: the event loop goes idle', async (t) => {
  // A run of a million steps; take(2) unsubscribes after the second snapshot.
  const run = sample$(quadratic, sampler.ula({ stepSize: 0.1 }), { chains: 256, steps: 1_000_000, seed: 3, thin: 1 })
  const first = await lastValueFrom(run.pipe(take(2), toArray()))
  t.same(first.map((s) => s.step), [1, 2])
  await new Promise((resolve) => setTimeout(resolve, 30))
  // A live run keeps the loop busy (10 ms slices between setImmediate turns): utilisation near 1.
  const before = performance.eventLoopUtilization()
  await new Promise((resolve) => setTimeout(resolve, 200))
  const busy = performance.eventLoopUtilization(before).utilization
  t.ok(busy < 0.5, `event loop utilisation after unsubscribing: ${busy.toFixed(3)}`)
})

t.test('unsubscribing from a native sample$ in the middle of a recorded call starts no further native call', async (t) => {
  const status = samplerAddon()
  if (status.addon === undefined) return t.pass(`skipped: ${status.reason}`)
  const addon = status.addon
  const sampleAsync = addon.sampleAsync
  let calls = 0
  addon.sampleAsync = (call) => {
    calls++
    return sampleAsync.call(addon, call)
  }
  try {
    // Calls of 1, 4, 16, … snapshots (growing as fast as calls are short): the 7th snapshot is inside a call.
    const run = sample$(quadratic, sampler.ula({ stepSize: 0.1 }), { chains: 64, steps: 1_000_000, seed: 3, thin: 1, backend: 'native' })
    const first = await lastValueFrom(run.pipe(take(7), toArray()))
    t.same(first.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7])
    const made = calls
    await new Promise((resolve) => setTimeout(resolve, 100))
    t.equal(calls, made, `no call after unsubscribing (${made} made)`)
    t.ok(made < 7, 'fewer calls than snapshots')
  } finally {
    addon.sampleAsync = sampleAsync
  }
})

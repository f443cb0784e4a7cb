/**
 * A runner's two engines, one per backend: each holds the chains' state and the parameters in its dtype and
 * advances them; the reference one on the JavaScript thread (yielding to the event loop as it goes), the
 * native one a call per block of chains on a worker thread. runner.ts builds a runner on either.
 *
 * @module
 */
import * as check from '../check/index.js'
import * as ir from '../ir/index.js'
import type { Energy } from '../energy/energy.js'
import { gradientOnlyTape, gradientTape } from '../energy/points.js'
import type { Dtype } from '../backend/index.js'
import type { SamplerProgram } from './program.js'
import { encodeProgram, loadEnergy, loadGradient, samplerAddon, type NativeState, type SampleRecord } from './native.js'
import { initialState, referenceRunner, type ChainState, type Evaluate, type EvaluateGradient } from './reference.js'
import type { SnapshotState } from './snapshot.js'
import { recorder } from './recording.js'
import { chainBlocks } from './chain-blocks.js'
import { treeColumns } from './blocks/nuts-tree.js'
import type { RunnerSetup } from './runner.js'

// The blocks of chains, each with the tape for its size (compiled once per size: the last block may be shorter).
const blocksWithTapes = <T>(chains: number, size: number, tapeFor: (n: number) => T): { readonly begin: number; readonly end: number; readonly tape: T }[] => {
  const tapes = new Map<number, T>()
  return chainBlocks(chains, size).map(({ begin, end }) => {
    const tape = tapes.get(end - begin) ?? tapeFor(end - begin)
    tapes.set(end - begin, tape)
    return { begin, end, tape }
  })
}

/**
 * The reference evaluator of an energy for `chains` chains, `block` chains at a time (default all): one
 * compiled tape per block size giving E and ∇ₓ(ΣE), with the current values of `params` at every call.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { referenceEvaluate } from './engines.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const e = new Float64Array(2), g = new Float64Array(2)
 * referenceEvaluate(quadratic, 2, {})(new Float64Array([1, 2]), e, g)
 * assert.deepEqual([e, g], [new Float64Array([0.5, 2]), new Float64Array([1, 2])])
 */
export const referenceEvaluate = (energy: Energy, chains: number, params: Readonly<Record<string, Float64Array>>, block = chains): Evaluate => {
  const D = ir.size(energy.shape)
  const blocks = blocksWithTapes(chains, block, (n) => gradientTape(energy, n))
  return (x, energies, gradients) => {
    for (const { begin, end, tape } of blocks) {
      const [e, g] = ir.runReference(tape, { ...params, x: x.subarray(begin * D, end * D) })
      energies.set(e, begin)
      gradients.set(g, begin * D)
    }
  }
}

/**
 * The reference evaluator of the input gradient alone for `chains` chains (the gradient-only tape).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { referenceGradient } from './engines.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const g = new Float64Array(2)
 * referenceGradient(quadratic, 2, {})(new Float64Array([1, 2]), g)
 * assert.deepEqual(g, new Float64Array([1, 2]))
 */
export const referenceGradient = (energy: Energy, chains: number, params: Readonly<Record<string, Float64Array>>, block = chains): EvaluateGradient => {
  const D = ir.size(energy.shape)
  const blocks = blocksWithTapes(chains, block, (n) => gradientOnlyTape(energy, n))
  return (x, gradients) => {
    for (const { begin, end, tape } of blocks) {
      const [g] = ir.runReference(tape, { ...params, x: x.subarray(begin * D, end * D) })
      gradients.set(g, begin * D)
    }
  }
}

/**
 * The AbortError a cancelled run rejects with.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { abortError } from './engines.js'
 * assert.equal(abortError(5).message, 'sample: cancelled after 5 steps')
 */
export const abortError = (step?: number): Error =>
  check.abortError(step === undefined ? 'sample: cancelled' : `sample: cancelled after ${step} steps`)

/** A backend's half of a runner: its state and parameter arrays, and how it advances them. */
export interface Engine {
  readonly state: ChainState
  readonly params: Readonly<Record<string, Float32Array | Float64Array>>
  /** Runs steps from … to − 1 and makes E and ∇E current. */
  readonly advance: (seed: number, from: number, to: number, signal: AbortSignal | undefined) => Promise<void>
  /**
   * As `advance`, recording the chains every `every` steps and at `to` (native only): resolves to the
   * snapshots' states, views that the next call overwrites.
   */
  readonly advanceRecorded?: (seed: number, from: number, to: number, every: number, signal: AbortSignal | undefined) => Promise<readonly SnapshotState[]>
  /** E and ∇E no longer belong to the positions and parameters (the caller changed them). */
  readonly invalidate: () => void
  /** Runs another program (of the same draws and needs) from the next run on. */
  readonly reprogram: (program: SamplerProgram) => void
}

// float32 copies of shared float64 parameter values (the energy's initial values), made once per array.
const float32s = new WeakMap<Float64Array, Float32Array>()

const float32Of = (v: Float64Array): Float32Array => {
  const known = float32s.get(v)
  if (known !== undefined) return known
  const copy = Float32Array.from(v)
  float32s.set(v, copy)
  return copy
}

/**
 * An engine's parameter arrays in its dtype. A runner whose arrays nobody else sees (`inPlace`: a run of
 * `sample`) never writes them, so it reads the given values in place (float32: a copy made once per array);
 * any other runner gets its own copies, for its caller to overwrite.
 */
const paramArrays = (params: Readonly<Record<string, Float64Array>>, dtype: Dtype, inPlace: boolean): Record<string, Float32Array | Float64Array> => {
  const Floats = dtype === 'float32' ? Float32Array : Float64Array
  const arrayOf = (v: Float64Array) => (!inPlace ? Floats.from(v) : dtype === 'float32' ? float32Of(v) : v)
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, arrayOf(v)]))
}

/** How long the reference runner computes before yielding to the event loop, in milliseconds. */
const sliceMilliseconds = 10

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

// The reference runner computes on the JavaScript thread, so it yields to the event loop every few
// milliseconds; where it yields never changes the result.
export const referenceEngine = (setup: RunnerSetup, inPlace: boolean): Engine => {
  const params = paramArrays(setup.params, 'float64', inPlace) as Record<string, Float64Array>
  // A program with a Metropolis test or energy differences needs E at every step: no gradient-only tape is compiled for it.
  const gradient = setup.program.needsEnergy ? undefined : referenceGradient(setup.energy, setup.chains, params, setup.chainBlock)
  const state = initialState(setup.chains, setup.program.dimension, setup.init, setup.program.metropolis, setup.program.trees)
  const r = referenceRunner(setup.program, referenceEvaluate(setup.energy, setup.chains, params, setup.chainBlock), state, gradient, params)
  return {
    state: r.state,
    params,
    invalidate: r.invalidate,
    reprogram: r.reprogram,
    advance: async (seed, from, to, signal) => {
      let step = from
      while (step < to) {
        if (signal?.aborted) throw abortError(step)
        const started = performance.now()
        do {
          r.steps({ seed, from: step, to: step + 1 })
          step++
        } while (step < to && performance.now() - started < sliceMilliseconds && !signal?.aborted)
        await yieldToEventLoop()
      }
      r.refresh()
    },
  }
}

export const recordShape = (setup: RunnerSetup) => ({ chains: setup.chains, dimension: setup.program.dimension, dtype: setup.dtype, metropolis: setup.program.metropolis, trees: setup.program.trees })

// The native loop runs a whole run per call on a worker thread, one call per block of chains (the tapes
// are compiled for the block's size, so the executor's workspace is per block); aborting raises its cancel
// flag, which it checks between steps, and no further block starts. No JavaScript runs between steps.
export const nativeEngine = (setup: RunnerSetup, inPlace: boolean): Engine => {
  const status = samplerAddon()
  if (status.addon === undefined) throw new Error(`sample: backend 'native' is not available: ${status.reason}`)
  const addon = status.addon
  const params = paramArrays(setup.params, setup.dtype, inPlace)
  const blocks = blocksWithTapes(setup.chains, setup.chainBlock, (size) => {
    const { handle, tape, xFeed } = loadEnergy(addon, setup.energy, size)
    const gradientHandle = setup.program.needsEnergy ? -1 : loadGradient(setup.energy, size)
    return { handle, gradientHandle, xFeed, feeds: tape.feeds.map((f, i) => (i === xFeed ? null : params[f.name])) }
  })
  const state = nativeState(setup, blocks.length)
  const views = blockViews(state, blocks)
  const layout = addon.samplerInstructions()
  let program = encodeProgram(setup.program, layout)
  let metric = setup.program.metric
  const record = recorder(recordShape(setup))
  // One call per block of chains, each recording its chains into `recorded` (when given) from its first on.
  const callBlocks = (seed: number, from: number, to: number, signal: AbortSignal | undefined, recorded?: Omit<SampleRecord, 'first'>): Promise<void> =>
    cancellable(signal, async (cancel) => {
      for (const [i, { begin, tape }] of blocks.entries()) {
        if (cancel[0] === 1) throw abortError()
        const call = { ...tape, dtype: setup.dtype, program, drawsPerStep: setup.program.drawsPerStep, metric, energyOutput: 0, gradientOutput: 1, state: views[i], firstChain: begin, seed, from, to, threads: setup.threads, cancel }
        await addon.sampleAsync(recorded === undefined ? call : { ...call, record: { ...recorded, first: begin } })
      }
    })
  return {
    state,
    params,
    invalidate: () => {
      state.fresh.fill(0)
    },
    reprogram: (p) => {
      program = encodeProgram(p, layout)
      metric = p.metric
    },
    advance: (seed, from, to, signal) => callBlocks(seed, from, to, signal),
    advanceRecorded: async (seed, from, to, every, signal) => {
      const { arrays, states } = record(Math.ceil((to - from) / every))
      await callBlocks(seed, from, to, signal, { every, chains: setup.chains, ...arrays })
      return states
    },
  }
}

// The chains' state in the run's dtype, with a freshness flag per block of chains; proposal counts and NUTS
// sums are empty where the kernel keeps none (a kernel without a Metropolis test, without a NUTS block).
const nativeState = (setup: RunnerSetup, blocks: number): ChainState & NativeState => {
  const Floats = setup.dtype === 'float32' ? Float32Array : Float64Array
  const n = setup.chains * setup.program.dimension
  const counts = setup.program.metropolis ? setup.chains : 0
  return {
    chains: setup.chains,
    dimension: setup.program.dimension,
    position: typeof setup.init === 'number' ? new Floats(n).fill(setup.init) : Floats.from(setup.init),
    momentum: new Floats(n),
    energy: new Floats(setup.chains),
    gradient: new Floats(n),
    alive: new Uint8Array(setup.chains).fill(1),
    proposed: new Float64Array(counts),
    accepted: new Float64Array(counts),
    trees: new Float64Array(setup.program.trees ? setup.chains * treeColumns.length : 0),
    fresh: new Int32Array(blocks),
  }
}

// Each block's window on the state, made once (a window on an empty array is empty: subarray clamps).
const blockViews = (state: ChainState & NativeState, blocks: readonly { readonly begin: number; readonly end: number }[]): NativeState[] => {
  const D = state.dimension
  return blocks.map(({ begin, end }, i) => ({
    position: state.position.subarray(begin * D, end * D),
    momentum: state.momentum.subarray(begin * D, end * D),
    energy: state.energy.subarray(begin, end),
    gradient: state.gradient.subarray(begin * D, end * D),
    alive: state.alive.subarray(begin, end),
    proposed: state.proposed.subarray(begin, end),
    accepted: state.accepted.subarray(begin, end),
    trees: state.trees.subarray(begin * treeColumns.length, end * treeColumns.length),
    fresh: state.fresh.subarray(i, i + 1),
  }))
}

// Runs `work` with a cancel flag that `signal` raises (raised from the start when it is already aborted:
// its abort event has fired before the listener); a raised flag makes any failure an AbortError.
const cancellable = async (signal: AbortSignal | undefined, work: (cancel: Int32Array) => Promise<void>): Promise<void> => {
  const cancel = new Int32Array([signal?.aborted === true ? 1 : 0])
  const onAbort = () => {
    cancel[0] = 1
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await work(cancel)
  } catch (e) {
    if (cancel[0] === 1) throw abortError()
    throw e
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

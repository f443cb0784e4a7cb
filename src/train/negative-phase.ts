/**
 * Running the negative phase of a step: where the chains start (noise, the data batch, the replay
 * buffer), the sampler run, and the buffer written back. The state (the buffer's positions) is a plain
 * Float64Array, so that a checkpoint can hold it; a draw never writes the state it is given.
 *
 * @module
 */
import { rangeError, firstNonFinite } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import { type ExecutionOptions } from './loss.js'
import { type ChainInit, chainsOf, type Negatives, stateLength } from './negatives.js'
import { defaultState } from '../energy/structure.js'
import { derivedSeed, type Key, normalsOf, purposes, uniformsOf } from './random.js'
import { runner, type Statistics } from '../sampler/index.js'

/** The state of the negatives between steps: the replay buffer's positions (persistent chains only). */
export interface NegativeState {
  /** [bufferSize × D], row-major; null for negatives without a buffer. */
  readonly buffer: Float64Array | null
}

/** The replay buffer's part of a step's record. */
export interface BufferStatistics {
  readonly size: number
  /** Chains restarted from `init` this step. */
  readonly reinitialised: number
}

/** What one negative phase gives. */
export interface NegativeDraw {
  /** [chains × D], row-major. */
  readonly negatives: Float64Array
  readonly state: NegativeState
  /** The sampler's statistics; null for exact draws. */
  readonly sampler: Statistics | null
  readonly buffer: BufferStatistics | null
}

/**
 * `count` values drawn by a chain initialiser from (key, purpose).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { drawInit } from './negative-phase.js'
 * import { purposes } from './random.js'
 * const x = drawInit({ kind: 'uniform', low: -4, high: 4 }, 1000, { seed: 1, step: 0 }, purposes.init)
 * assert.ok(x.every((v) => v > -4 && v < 4))
 */
export const drawInit = (init: ChainInit, count: number, key: Key, purpose: number): Float64Array =>
  init.kind === 'uniform' ? uniformsOf(key, purpose, count).map((u) => init.low + (init.high - init.low) * u) : normalsOf(key, purpose, count).map((z) => init.mean + init.std * z)

/**
 * The state before the first step: a full buffer of chains from `init` for persistent chains (drawn
 * from the seed's buffer stream), persistent joint chains at their domain's default state (`batch`
 * chains unless the negatives say), none otherwise.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { ula } from '../sampler/index.js'
 * import { persistent } from './negatives.js'
 * import { initNegatives } from './negative-phase.js'
 * const s = initNegatives(persistent({ kernel: ula({ stepSize: 0.1 }), steps: 10, init: { kind: 'normal', std: 1 }, bufferSize: 100 }), 2, 7)
 * assert.equal(s.buffer?.length, 200)
 */
export const initNegatives = (n: Negatives, D: number, seed: number, batch = 1): NegativeState => ({
  buffer:
    n.kind === 'persistent'
      ? drawInit(n.init, n.bufferSize * D, { seed, step: 0 }, purposes.buffer)
      : n.kind === 'joint' && n.persistent
        ? new Float64Array(stateLength(n, D, batch) as number).fill(defaultState(n.joint.domain))
        : null,
})

/** A prepared negative phase: its runner (if it samples) and how many chains it gives. */
export interface NegativePhase {
  readonly chains: number
  readonly draw: (state: NegativeState, positives: Float64Array, params: Readonly<Record<string, Float64Array>>, key: Key, signal?: AbortSignal) => Promise<NegativeDraw>
}

const failed = (key: Key, expected: string, got: string): RangeError => rangeError(`train: step ${key.step}, negatives`, expected, got)

const rowsFinite = (x: Float64Array, key: Key): Float64Array => {
  const bad = firstNonFinite(x)
  if (bad >= 0) throw failed(key, 'finite positions (a smaller sampler step size may keep them so)', `${x[bad]} at value ${bad}`)
  return x
}

/**
 * Prepares the negative phase of `n` for an energy and a positive batch of `batch` points, on the given
 * backend.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { ula } from '../sampler/index.js'
 * import { contrastiveDivergence } from './negatives.js'
 * import { negativePhase } from './negative-phase.js'
 * const cd0 = negativePhase(quadratic({ center: [0] }), contrastiveDivergence({ kernel: ula({ stepSize: 0.1 }), steps: 0 }), 2, { backend: 'reference' })
 * const d = await cd0.draw({ buffer: null }, new Float64Array([1, 2]), { theta: new Float64Array([0]) }, { seed: 1, step: 0 })
 * assert.deepEqual([...d.negatives], [1, 2]) // CD-0: the data themselves
 */
export const negativePhase = (e: Energy, n: Negatives, batch: number, execution: ExecutionOptions): NegativePhase => {
  const chains = chainsOf(n, batch)
  const D = ir.size(e.shape)
  if (n.kind === 'drawn') {
    return {
      chains,
      draw: async (state, _positives, params, key) => {
        const x = n.draw({ params, seed: derivedSeed(key, purposes.sampler), count: chains })
        if (!(x instanceof Float64Array) || x.length !== chains * D) throw failed(key, `a Float64Array of ${chains} × ${D} values from draw`, x instanceof Float64Array ? `${x.length} values` : typeof x)
        return { negatives: rowsFinite(x, key), state, sampler: null, buffer: null }
      },
    }
  }
  if (n.kind === 'joint') return jointPhase(e, n, batch, execution)
  // Parameters start at zeros: every draw overwrites them with the step's values before the run.
  const zeros = Object.fromEntries(Object.entries(e.params).map(([name, spec]) => [name, new Float64Array(ir.size(spec.shape))]))
  const r = runner(e, n.kernel, { chains, params: zeros, ...execution })
  return {
    chains,
    draw: async (state, positives, params, key, signal) => {
      const sample = async (start: Float64Array): Promise<{ negatives: Float64Array; sampler: Statistics }> => {
        // The batch's chains start afresh: their positions, no momentum, all alive.
        r.state.position.set(start)
        r.state.momentum.fill(0)
        r.state.alive.fill(1)
        for (const [name, v] of Object.entries(r.params)) v.set(params[name])
        const { gradientNorms: _norms, accepted: _accepted, ...sampler } = await r.run({ seed: derivedSeed(key, purposes.sampler), from: 0, to: n.steps, signal })
        if (sampler.nonFinite > 0) throw failed(key, 'finite chains (a smaller sampler step size may keep them so)', `${sampler.nonFinite} non-finite of ${chains}`)
        return { negatives: rowsFinite(Float64Array.from(r.state.position), key), sampler }
      }
      if (n.kind !== 'persistent') {
        const { negatives, sampler } = await sample(n.kind === 'shortRun' ? drawInit(n.init, chains * D, key, purposes.init) : positives)
        return { negatives, state, sampler, buffer: null }
      }
      const start = fromBuffer(n, state.buffer as Float64Array, chains, D, key)
      const { negatives, sampler } = await sample(start.x)
      const buffer = (state.buffer as Float64Array).slice()
      for (let c = 0; c < chains; c++) buffer.set(negatives.subarray(c * D, (c + 1) * D), start.picks[c] * D)
      return { negatives, state: { buffer }, sampler, buffer: { size: n.bufferSize, reinitialised: start.reinitialised } }
    },
  }
}

// The starting positions of a persistent batch: buffer rows at uniform indices, each restarted from init
// with probability reinit.
const fromBuffer = (n: Extract<Negatives, { kind: 'persistent' }>, buffer: Float64Array, chains: number, D: number, key: Key) => {
  const picks = Uint32Array.from(uniformsOf(key, purposes.pick, chains), (u) => Math.floor(u * n.bufferSize))
  const restart = uniformsOf(key, purposes.reinit, chains)
  const fresh = drawInit(n.init, chains * D, key, purposes.init)
  const x = new Float64Array(chains * D)
  let reinitialised = 0
  for (let c = 0; c < chains; c++) {
    const again = restart[c] < n.reinit
    if (again) reinitialised++
    x.set(again ? fresh.subarray(c * D, (c + 1) * D) : buffer.subarray(picks[c] * D, (picks[c] + 1) * D), c * D)
  }
  return { x, picks, reinitialised }
}

/**
 * The negative phase of chains on a joint energy over (x, z): CD-k chains start at the positives with z
 * at the domain's default state; persistent ones continue from the state. The negatives are the x part.
 */
const jointPhase = (e: Energy, n: Extract<Negatives, { kind: 'joint' }>, batch: number, execution: ExecutionOptions): NegativePhase => {
  const D = ir.size(e.shape)
  const J = ir.size(n.joint.shape)
  if (J <= D) throw rangeError('train: negatives.joint', `an energy over more than the model's ${D} coordinates (its x, then latent units)`, `energy '${n.joint.name}' of ${J}`)
  for (const [name, spec] of Object.entries(n.joint.params)) {
    if (!ir.sameShape(spec.shape, e.params[name]?.shape ?? [-1])) throw rangeError(`train: negatives.joint: params.${name}`, `a parameter of energy '${e.name}' of the same shape`, ir.showShape(spec.shape))
  }
  const chains = chainsOf(n, batch)
  const zeros = Object.fromEntries(Object.entries(n.joint.params).map(([name, spec]) => [name, new Float64Array(ir.size(spec.shape))]))
  const r = runner(n.joint, n.kernel, { chains, params: zeros, ...execution })
  const rest = defaultState(n.joint.domain)
  return {
    chains,
    draw: async (state, positives, params, key, signal) => {
      if (n.persistent) r.state.position.set(state.buffer as Float64Array)
      else for (let c = 0; c < chains; c++) r.state.position.fill(rest, c * J + D, (c + 1) * J).set(positives.subarray(c * D, (c + 1) * D), c * J)
      for (const [name, v] of Object.entries(r.params)) v.set(params[name])
      const { gradientNorms: _norms, accepted: _accepted, ...sampler } = await r.run({ seed: derivedSeed(key, purposes.sampler), from: 0, to: n.steps, signal })
      const all = Float64Array.from(r.state.position)
      const negatives = new Float64Array(chains * D)
      for (let c = 0; c < chains; c++) negatives.set(all.subarray(c * J, c * J + D), c * D)
      return { negatives, state: n.persistent ? { buffer: all } : state, sampler, buffer: null }
    },
  }
}

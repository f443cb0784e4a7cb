/**
 * A runner: a kernel compiled for one energy and one number of chains, holding the chains' state and the
 * energy's parameters between calls, on either backend. `run({ seed, from, to })` advances every chain by
 * steps from … to − 1 and leaves E and ∇E current. Between runs the caller may overwrite the positions,
 * momenta, `alive` flags and parameters in place (a batch from a replay buffer, the parameters after an
 * optimizer step): the next run sees the change, evaluating E and ∇E afresh. `sample` and `sample$` are
 * built on it; training uses it directly.
 *
 * @module
 */
import * as check from '../check/index.js'
import * as ir from '../ir/index.js'
import { isEnergy, type Energy } from '../energy/energy.js'
import { type Backend, type Dtype, resolveBackend } from '../backend/index.js'
import { checkKernel, type Kernel } from './kernel.js'
import { flatten, targetOf, type SamplerProgram } from './program.js'
import { checkCouplings, checkStates, defaultState } from '../energy/structure.js'
import { missingInstructions, samplerAddon } from './native.js'
import type { ChainState } from './reference.js'
import { statisticsOf, type RunStatistics, type SnapshotState } from './snapshot.js'
import { defaultRecordBytes, nextSlots, slotCap } from './recording.js'
import { defaultChainBlock } from './chain-blocks.js'
import { abortError, nativeEngine, recordShape, referenceEngine, type Engine } from './engines.js'
import { unwatchedArrays, watchArrays } from './fingerprint.js'
import { paramValues } from '../energy/params.js'


/** Options of `runner`. */
export interface RunnerOptions {
  /** Number of independent chains. */
  readonly chains: number
  /** Initial positions, row-major [chains × dimension]; zeros when omitted. */
  readonly init?: ArrayLike<number>
  /**
   * Parameter values by name, row-major. A missing parameter takes its initial values: its deterministic
   * initialiser's, or, for a random initialiser, the energy's seeded initialisation (`energy.init(e)`:
   * `mlp({ seed })`, `define({ seed })`); an energy without a seed needs its random parameters here.
   */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  /** 'auto' (default: native when the addon is built, else reference; HEATBATH_BACKEND overrides), 'reference' or 'native'. */
  readonly backend?: Backend
  /** 'float64' (default) or 'float32' (native only). */
  readonly dtype?: Dtype
  /** Worker threads of a native run (default 1); results do not depend on it. */
  readonly threads?: number
  /**
   * Chains evaluated at a time (default: as many as fit 2^21 numbers of the energy's tape buffers): the
   * step's working set is per block, so memory grows with the chains' state alone. Results do not depend on it.
   */
  readonly chainBlock?: number
}

/** A runner's arguments after checking. */
export interface RunnerSetup {
  readonly energy: Energy
  readonly kernel: Kernel
  readonly program: SamplerProgram
  readonly chains: number
  /** The initial positions, or the one value every coordinate starts at (the domain's default when none were given). */
  readonly init: Float64Array | number
  /** Parameter values; a parameter nobody gave holds its initial values, shared by every run of the energy value: never write them. */
  readonly params: Readonly<Record<string, Float64Array>>
  readonly backend: 'reference' | 'native'
  readonly dtype: Dtype
  readonly threads: number
  readonly chainBlock: number
}

/** What one run is given. */
export interface RunOptions {
  /** The seed of the chains' random streams: an integer in [0, 2^53). */
  readonly seed: number
  /** Runs steps from … to − 1 (schedules and draws are counted by step). */
  readonly from: number
  readonly to: number
  /** Aborting stops the run between steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal
}

/** What a run with snapshots is given. */
export interface SnapshotRunOptions extends RunOptions {
  /** A snapshot every `every` steps from `from`, and at `to`. */
  readonly every: number
  /**
   * Snapshots per native call: 1 runs each snapshot as a call of its own; by default as many as take about
   * 10 ms (src/sampler/recording.ts), within `recordBytes`. Results do not depend on it.
   */
  readonly perCall?: number
  /** The bytes a native call may record its snapshots into (default 2 MiB; at least one snapshot a call). */
  readonly recordBytes?: number
  /** false: the statistics' per-chain arrays (gradientNorms, accepted) are overwritten by the next snapshot (for a caller that reads only the means). Default true. */
  readonly keepPerChain?: boolean
}

/** One snapshot of a run: the chains (valid until the next snapshot is asked for), and the statistics of the steps since the last one. */
export interface RunSnapshot {
  readonly state: SnapshotState
  readonly statistics: RunStatistics
}

/** A kernel ready to run on one energy's chains. */
export interface Runner {
  readonly setup: RunnerSetup
  /** The chains: positions and momenta (dtype arrays) may be overwritten in place between runs. */
  readonly state: ChainState
  /** The parameters, one dtype array each, fed to every evaluation: overwrite them in place between runs. */
  readonly params: Readonly<Record<string, Float32Array | Float64Array>>
  /** Advances every chain by steps from … to − 1 and makes E and ∇E current; resolves to the run's statistics. */
  readonly run: (o: RunOptions) => Promise<RunStatistics>
  /**
   * Runs steps from … to − 1 with a snapshot every `every` steps and at `to`, each the chains and
   * statistics `run` would give at that step. The native loop records many snapshots in one call on the
   * worker thread; the state is written by the calls, so leave it alone while iterating.
   */
  readonly snapshots: (o: SnapshotRunOptions) => AsyncGenerator<RunSnapshot, void, undefined>
  /**
   * Runs `kernel` from the next run on, in place of the runner's: tuned values (step sizes, a mass matrix,
   * a number of leapfrog steps) change between runs without compiling the energy again or touching the
   * chains. The kernel must make the same draws per step and need the same things (a Metropolis test, E at
   * every step) as the runner's: the same sampler with other numbers.
   */
  readonly retune: (kernel: Kernel) => void
}

/** The names of a runner's options (sample's add steps, seed and thin). */
export const runnerOptionNames = ['chains', 'init', 'params', 'backend', 'dtype', 'threads', 'chainBlock'] as const

/**
 * Checks the arguments of a runner (`name` prefixes the errors: 'sample', 'runner') and flattens the
 * kernel; `options` may hold other keys, which the caller checks.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRunner } from './runner.js'
 * import { ula } from './builtins.js'
 * import * as energy from '../energy/index.js'
 * const setup = checkRunner('runner', energy.gaussian({ mean: [0, 0] }), ula({ stepSize: 0.1 }), { chains: 4, backend: 'reference' })
 * assert.equal(setup.program.dimension, 2)
 * assert.throws(() => checkRunner('runner', energy.gaussian({ mean: [0, 0] }), ula({ stepSize: 0.1 }), { chains: 0 }), { message: 'runner: chains: expected an integer ≥ 1, got 0' })
 */
export const checkRunner = (name: string, energy: unknown, kernel: unknown, options: Readonly<Record<string, unknown>>): RunnerSetup => {
  if (!isEnergy(energy)) throw check.typeError(`${name}: energy`, 'an Energy value (built by energy.define or the catalogue)', energy)
  const k = checkKernel(kernel, `${name}: kernel`)
  const chains = check.positiveInteger(options.chains, `${name}: chains`)
  const dimension = ir.size(energy.shape)
  const init = options.init === undefined ? defaultState(energy.domain) : check.numbers(options.init, `${name}: init`, { length: chains * dimension, lengthReason: `${chains} chains × ${dimension} dimensions` })
  if (typeof init !== 'number') checkStates(init, energy.domain, `${name}: init`, energy.name)
  const params = paramValues(energy, options.params, `${name}: params`)
  if (energy.structure !== undefined) checkCouplings(energy.structure, params, `${name}: params.${'weights' in energy.structure ? energy.structure.weights : ''}`)
  const asked = check.oneOf(options.backend ?? 'auto', `${name}: backend`, ['auto', 'reference', 'native'] as const)
  const dtype = check.oneOf(options.dtype ?? 'float64', `${name}: dtype`, ['float64', 'float32'] as const)
  const threads = check.integer(options.threads ?? 1, `${name}: threads`, { min: 1, max: 1024 })
  const chainBlock = options.chainBlock === undefined ? defaultChainBlock(energy, chains) : Math.min(chains, check.positiveInteger(options.chainBlock, `${name}: chainBlock`))
  const program = flatten(k, dimension, targetOf(energy), `${name}: kernel`)
  const backend = backendOf(name, asked, program)
  if (dtype === 'float32' && backend === 'reference') throw check.rangeError(`${name}: dtype`, "'float64' on the reference backend (it computes in float64; 'float32' needs backend 'native')", dtype)
  return { energy, kernel: k, program, chains, init, params, backend, dtype, threads, chainBlock }
}

// The backend a program runs on: 'auto' is the native loop when the addon is built and has a handler for
// every instruction of the program (a block may be written in TypeScript before its C++ handler).
const backendOf = (name: string, asked: Backend, program: SamplerProgram): 'reference' | 'native' => {
  if (asked === 'reference') return 'reference'
  const { addon } = samplerAddon()
  if (asked === 'auto' && addon === undefined) return 'reference'
  const backend = resolveBackend(asked)
  if (backend === 'reference' || addon === undefined) return backend
  const missing = missingInstructions(program, addon.samplerInstructions())
  if (missing.length === 0) return 'native'
  if (asked === 'auto') return 'reference'
  throw check.rangeError(`${name}: kernel`, `instructions the native addon has handlers for (add them to native/sampler_blocks.cc, or run on backend 'reference')`, missing.join(', '))
}

// Positions and couplings a caller wrote between runs: still in the energy's domain, still symmetric.
const checkDiscrete = (energy: Energy, position: ArrayLike<number>, params: Readonly<Record<string, ArrayLike<number>>>): void => {
  checkStates(position, energy.domain, 'run: state.position', energy.name)
  if (energy.structure !== undefined && 'weights' in energy.structure) checkCouplings(energy.structure, params, `run: params.${energy.structure.weights}`)
}

// A retuned program must draw and evaluate as the runner's does (its tapes and draw layout stay).
const sameShape = (was: SamplerProgram, now: SamplerProgram): void => {
  const shape = (p: SamplerProgram) => `${p.drawsPerStep} draws per step${p.metropolis ? ', a Metropolis test' : ''}${p.needsEnergy ? ', E at every step' : ''}`
  if (shape(was) !== shape(now)) throw check.rangeError('retune: kernel', `a kernel like the runner's (${shape(was)})`, shape(now))
}

/**
 * Starts a runner from checked arguments (the runner's own checks are `checkRunner`'s). With `watch` false
 * the caller promises that nobody writes the state or parameters between runs (a run of `sample`, whose
 * runner no one else sees), and the runner skips fingerprinting them at every run.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRunner, startRunner } from './runner.js'
 * import { ula } from './builtins.js'
 * import * as energy from '../energy/index.js'
 * const r = startRunner(checkRunner('runner', energy.gaussian({ mean: [0, 0] }), ula({ stepSize: 0.1 }), { chains: 4, backend: 'reference' }))
 * const s = await r.run({ seed: 1, from: 0, to: 10 })
 * assert.equal(s.step, 10)
 */
export const startRunner = (first: RunnerSetup, watch = true): Runner => {
  let setup = first
  const engine = setup.backend === 'native' ? nativeEngine(setup, !watch) : referenceEngine(setup, !watch)
  const { state } = engine
  const watched = watch ? watchArrays(state.position, Object.values(engine.params)) : unwatchedArrays
  // A run's checks, and what a caller wrote between runs seen.
  const start = (seed: number, from: number, to: number): void => {
    check.seed(seed, 'run: seed')
    check.seed(from, 'run: from')
    check.integer(to, 'run: to', { min: from })
    if ((to + 1) * setup.program.drawsPerStep > 2 ** 53) throw check.rangeError('run: to', `at most 2^53 / ${setup.program.drawsPerStep} draws per step`, to)
    if (watched.changed()) {
      checkDiscrete(setup.energy, state.position, engine.params)
      engine.invalidate()
    }
  }
  const advance = async <A>(f: () => Promise<A>): Promise<A> => {
    try {
      return await f()
    } finally {
      watched.remember()
    }
  }
  return {
    get setup() {
      return setup
    },
    retune: (kernel) => {
      const k = checkKernel(kernel, 'retune: kernel')
      const program = flatten(k, setup.program.dimension, targetOf(setup.energy), 'retune: kernel')
      sameShape(setup.program, program)
      if (setup.backend === 'native') backendOf('retune', 'native', program)
      engine.reprogram(program)
      setup = { ...setup, kernel: k, program }
    },
    state,
    params: engine.params,
    run: async ({ seed, from, to, signal }) => {
      start(seed, from, to)
      const since = countsOf(state, setup.program.trees)
      await advance(() => engine.advance(seed, from, to, signal))
      return statisticsOf(state, to, setup.program.metropolis, since)
    },
    snapshots: (o) => snapshotsOf({ setup, engine, start, advance }, o),
  }
}

// What a runner's snapshots run with: its setup (as last retuned), its engine, the checks that start a
// run, and the wrapper that remembers the watched arrays after one.
interface Snapshotting {
  readonly setup: RunnerSetup
  readonly engine: Engine
  readonly start: (seed: number, from: number, to: number) => void
  readonly advance: <A>(f: () => Promise<A>) => Promise<A>
}

// Runner.snapshots: calls of as many snapshots as take about 10 ms (recorded by the native engine; one a
// call on the reference), each snapshot's statistics counted from the one before.
async function* snapshotsOf(r: Snapshotting, { seed, from, to, every, signal, perCall, recordBytes, keepPerChain }: SnapshotRunOptions): AsyncGenerator<RunSnapshot, void, undefined> {
  const { setup, engine, advance } = r
  const { state } = engine
  r.start(seed, from, to)
  check.positiveInteger(every, 'run: every')
  if (perCall !== undefined) check.positiveInteger(perCall, 'run: perCall')
  if (recordBytes !== undefined) check.nonNegative(recordBytes, 'run: recordBytes')
  const recorded = engine.advanceRecorded
  const cap = recorded === undefined ? 1 : slotCap(recordShape(setup), recordBytes ?? defaultRecordBytes)
  let slots = Math.min(perCall ?? 1, cap)
  let since: Counts = countsOf(state, setup.program.trees)
  const into = keepPerChain === false ? { gradientNorms: new Float64Array(setup.chains), accepted: new Float64Array(setup.chains) } : undefined
  let step = from
  while (step < to) {
    if (signal?.aborted) throw abortError(step)
    const end = Math.min(to, step + slots * every)
    const started = performance.now()
    // A call of one snapshot records nothing: the state is its snapshot.
    const states = await advance(async () => {
      if (slots > 1 && recorded !== undefined) return recorded(seed, step, end, every, signal)
      await engine.advance(seed, step, end, signal)
      return [state]
    })
    if (perCall === undefined) slots = nextSlots(states.length, performance.now() - started, cap)
    for (const [k, s] of states.entries()) {
      if (k > 0 && signal?.aborted) throw abortError(step)
      step = Math.min(to, step + every)
      const statistics = statisticsOf(s, step, setup.program.metropolis, since, into)
      // The next snapshot counts from this one: a recorded slot stays until the next call, the live state does not.
      since = countsOf(s, setup.program.trees, k + 1 === states.length)
      yield { state: s, statistics }
    }
  }
}

// The proposal counts (and NUTS tree sums) a run's statistics are counted from.
type Counts = Parameters<typeof statisticsOf>[3]
const countsOf = (s: SnapshotState, trees: boolean, copy = true): Counts => {
  const kept = (a: Float64Array) => (copy ? a.slice() : a)
  return { proposed: kept(s.proposed), accepted: kept(s.accepted), ...(trees ? { trees: kept(s.trees) } : {}) }
}

/**
 * A runner of `kernel` on `energy`'s chains: the chains' state and compiled tapes kept across runs. Each
 * `run({ seed, from, to })` advances every chain by steps from … to − 1 (draws keyed by `seed`, schedules
 * read at each step) and resolves to the run's statistics (acceptance, non-finite chains, mean ‖∇E‖), with
 * E and ∇E current. Between runs, overwrite `state.position`, `state.momentum`, `state.alive` or `params`
 * in place and the next run uses the new values.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { runner } from './runner.js'
 * import { ula } from './builtins.js'
 * import * as energy from '../energy/index.js'
 * import * as ir from '../ir/index.js'
 * // E = ½‖x − μ‖²: drift alone (no noise) moves every chain a fraction h of the way to μ each step
 * const mu = { shape: [1], init: { kind: 'constant', value: 0 } } as const
 * const shifted = energy.define({ shape: [1], params: { mu }, build: (x, p) => ir.mul(ir.sum(ir.square(ir.sub(x, p.mu)), 1), 0.5) })
 * const r = runner(shifted, ula({ stepSize: 0.5, noiseScale: 0 }), { chains: 2, backend: 'reference' })
 * r.state.position.set([4, -4])
 * await r.run({ seed: 1, from: 0, to: 1 })
 * assert.deepEqual(Array.from(r.state.position), [2, -2])
 * r.params.mu[0] = 10 // a new μ: the next run evaluates afresh
 * await r.run({ seed: 1, from: 1, to: 2 })
 * assert.deepEqual(Array.from(r.state.position), [6, 4])
 */
export const runner = (energy: Energy, kernel: Kernel, options: RunnerOptions): Runner =>
  startRunner(checkRunner('runner', energy, kernel, check.options(options, 'runner: options', runnerOptionNames)))

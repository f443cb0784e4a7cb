/**
 * Running a kernel: `sample(energy, kernel, options)` checks every argument, and runs the kernel for
 * `steps` steps on every chain through a runner (runner.ts), a snapshot every `thin` steps (the native
 * loop records many in one call on its worker thread), yielding to the event loop between calls so that a
 * run can be cancelled.
 *
 * @module
 */
import * as check from '../check/index.js'
import { isEnergy, type Energy } from '../energy/energy.js'
import * as ir from '../ir/index.js'
import type { Kernel } from './kernel.js'
import { checkRunner, runnerOptionNames, startRunner, type Runner, type RunnerOptions, type RunnerSetup } from './runner.js'
import { abortError } from './engines.js'
import { snapshotOf, statisticsOf, type RunStatistics, type SampleSnapshot, type Statistics } from './snapshot.js'
import { treeWarnings } from './blocks/nuts.js'
import { allNonFiniteError, checkTargetAcceptance, runWarnings, type SamplerWarning } from './warnings.js'
import { defaultRecordBytes } from './recording.js'
import { adapt, adaptationOptionNames, checkAdaptation, type Adaptation, type WarmupOptions, type WarmupResult } from './adapt/warmup.js'


/** Options of `sample` and `sample$`. */
export interface SampleOptions extends RunnerOptions {
  /** Steps of the kernel to run after warmup. */
  readonly steps: number
  /** The seed of the chains' random streams: an integer in [0, 2^53). */
  readonly seed: number
  /**
   * A snapshot every `thin` steps after warmup (and at the last step); default: only at the last step, or
   * with `keep: 'draws'` every step. Kept draws are the snapshots at multiples of `thin`.
   */
  readonly thin?: number
  /** Steps run first and discarded (default 0): the chains leave their starts; adaptation tunes the kernel here. */
  readonly warmup?: number
  /** 'final' (default): the final chains only; 'draws': also every `thin`-th state after warmup as `draws`. */
  readonly keep?: 'final' | 'draws'
  /** The acceptance rate the kernel is meant to reach: warned about when more than 0.1 away (default: warned outside [0.1, 0.95]). */
  readonly targetAcceptance?: number
  /** Bytes the run may allocate for its chains and draws (default 4 GiB); a larger run is refused before it starts. */
  readonly memoryLimit?: number
  /**
   * Tune the kernel during warmup (`sampler.warmup` on the run's own chains: dual averaging of the step
   * size, optionally a mass matrix and ChEES): `true`, or the warmup's options. Default: warmup only runs.
   */
  readonly adapt?: true | Pick<WarmupOptions, (typeof adaptationOptionNames)[number]>
}

/** What warmup tuned (`sample(…, { warmup, adapt })`): the tuned kernel, reusable, and its numbers. */
export type AdaptationResult = Omit<WarmupResult, 'positions'>

/** What a run returns: the final chains, the statistics of every snapshot, and what went wrong. */
export interface SampleResult {
  readonly chains: number
  readonly dimension: number
  /** Steps after warmup. */
  readonly steps: number
  readonly warmup: number
  /** Final positions, row-major [chains × dimension]. */
  readonly positions: Float64Array
  /** Final momenta (zero for kernels without momentum). */
  readonly momenta: Float64Array
  readonly energies: Float64Array
  readonly gradientNorms: Float64Array
  /** Statistics over the run after warmup (acceptance over all its steps). */
  readonly statistics: Statistics
  /** Statistics of every snapshot after warmup, in order. */
  readonly trace: readonly Statistics[]
  /** With `keep: 'draws'`: the positions every `thin` steps after warmup, laid out [chains × draws × dimension]. */
  readonly draws?: Float64Array
  /** The shape of `draws`: [chains, draws per chain, dimension]. */
  readonly drawShape?: readonly [number, number, number]
  /** What the run found wrong with itself (non-finite chains, chains that never moved, acceptance off target). */
  readonly warnings: readonly SamplerWarning[]
  /** With `adapt`: what warmup tuned (the kernel the steps after warmup ran, its step size, mass matrix, …). */
  readonly adaptation?: AdaptationResult
}

/** A run's arguments after checking. */
export interface CheckedRun extends RunnerSetup {
  readonly steps: number
  readonly seed: number
  readonly thin: number
  readonly warmup: number
  readonly keep: 'final' | 'draws'
  readonly targetAcceptance?: number
  /** With `adapt` and a warmup: the adaptation it runs. */
  readonly adaptation?: Adaptation
  /** The bytes the native loop may record a call's snapshots into: what `memoryLimit` leaves, at most 2 MiB. */
  readonly recordBytes: number
}

/** The default of `memoryLimit`: 4 GiB. */
export const defaultMemoryLimit = 2 ** 32

const sampleOptionNames = [...runnerOptionNames, 'steps', 'seed', 'thin', 'warmup', 'keep', 'targetAcceptance', 'memoryLimit', 'adapt'] as const

// `adapt`: true or the adaptation's options, checked against the kernel (only when there is a warmup to adapt in).
const checkAdapt = (v: unknown, setup: RunnerSetup, warmup: number): Adaptation | undefined => {
  if (v === undefined) return undefined
  const o = v === true ? {} : check.options(check.object(v, 'sample: adapt'), 'sample: adapt', adaptationOptionNames)
  if (warmup === 0) throw check.rangeError('sample: adapt', 'a warmup to adapt in (options.warmup ≥ 1)', 'warmup 0')
  return checkAdaptation(setup, o, 'sample: adapt')
}

/**
 * The bytes a run holds per chain: its initial position (8·D), its state in the dtype's s bytes (position,
 * momentum, gradient: 3·s·D; energy: s), its flag and proposal counts (17), its final gradient norm (8), and
 * 8·D per kept draw. The step's working set (the tape's buffers, a Metropolis proposal's saved state) is
 * per block of chains, bounded whatever the number of chains.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { bytesPerChain } from './sample.js'
 * assert.equal(bytesPerChain(2, 'float64', 0), 16 + 8 * 7 + 25) // 97 bytes a chain in dimension 2
 */
export const bytesPerChain = (dimension: number, dtype: 'float32' | 'float64', draws: number): number => {
  const s = dtype === 'float32' ? 4 : 8
  return 8 * dimension + s * (3 * dimension + 1) + 25 + 8 * dimension * draws
}

const bytesText = (bytes: number): string => {
  const [unit, size] = bytes >= 1e9 ? ['GB', 1e9] : bytes >= 1e6 ? ['MB', 1e6] : ['kB', 1e3]
  return `${(bytes / size).toPrecision(3)} ${unit}`
}
const superscript = (n: number): string => [...String(n)].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('')
// 10⁸ rather than 100000000: a power of ten as the user would write it.
const count = (n: number): string => (n >= 1e6 && Number.isInteger(Math.log10(n)) ? `10${superscript(Math.log10(n))}` : String(n))

// Refuses a run whose chains and draws would not fit, in the user's terms; else the bytes they need.
const checkMemory = (chains: number, dimension: number, dtype: 'float32' | 'float64', draws: number, limit: number): number => {
  const need = chains * bytesPerChain(dimension, dtype, draws)
  if (need <= limit && chains * dimension * Math.max(draws, 1) < 2 ** 32) return need
  const kept = draws > 0 ? ` with ${draws} draws each` : ''
  const why = need <= limit ? `; an array holds fewer than 2^32 numbers` : `; the limit is ${bytesText(limit)} (options.memoryLimit)`
  throw new RangeError(`sample: ${count(chains)} chains × ${dimension} dimensions${kept} need ${bytesText(need)}${why}`)
}

/**
 * Checks every argument of a run (the error names the bad argument and what was expected), refuses a run
 * too large for `memoryLimit`, and flattens the kernel.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRun } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * assert.equal(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1 }).thin, 10)
 * assert.equal(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1, keep: 'draws' }).thin, 1)
 * assert.throws(() => checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: -1, seed: 1 }), { message: 'sample: steps: expected an integer ≥ 0, got -1' })
 */
export const checkRun = (energy: unknown, kernel: unknown, options: unknown): CheckedRun => {
  const o = check.options(check.object(options, 'sample: options'), 'sample: options', sampleOptionNames)
  const steps = check.integer(o.steps, 'sample: steps')
  const warmup = o.warmup === undefined ? 0 : check.integer(o.warmup, 'sample: warmup')
  const keep = check.oneOf(o.keep ?? 'final', 'sample: keep', ['final', 'draws'] as const)
  const thin = o.thin === undefined ? (keep === 'draws' ? 1 : Math.max(steps, 1)) : check.positiveInteger(o.thin, 'sample: thin')
  const limit = o.memoryLimit === undefined ? defaultMemoryLimit : check.positive(o.memoryLimit, 'sample: memoryLimit')
  const chains = check.positiveInteger(o.chains, 'sample: chains')
  const need = isEnergy(energy) ? checkMemory(chains, ir.size(energy.shape), o.dtype === 'float32' ? 'float32' : 'float64', keep === 'draws' ? Math.floor(steps / thin) : 0, limit) : 0
  const setup = checkRunner('sample', energy, kernel, o)
  const seed = check.seed(o.seed, 'sample: seed')
  const targetAcceptance = o.targetAcceptance === undefined ? undefined : checkTargetAcceptance(o.targetAcceptance, 'sample: targetAcceptance')
  const draws = setup.program.drawsPerStep
  if ((warmup + steps + 1) * draws > 2 ** 53) throw check.rangeError('sample: steps', `at most 2^53 / ${draws} (the draws per step) per chain, warmup included`, steps)
  const adaptation = checkAdapt(o.adapt, setup, warmup)
  const recordBytes = Math.min(defaultRecordBytes, limit - need)
  return { ...setup, steps, seed, thin, warmup, keep, recordBytes, ...(targetAcceptance === undefined ? {} : { targetAcceptance }), ...(adaptation === undefined ? {} : { adaptation }) }
}

/**
 * Adaptation's seam: warmup runs in windows, and after each the hook may change the runner's run-time
 * values (step size, mass matrix) from what the window saw. Without it, warmup is one plain run.
 */
export interface WarmupHook {
  /** The ends of warmup's windows, increasing, the last equal to `warmup` (default: [warmup]). */
  readonly windows?: (warmup: number) => readonly number[]
  /** Called after each window with the runner, the window's statistics and where it ended. */
  readonly after?: (runner: Runner, run: RunStatistics, end: number) => void | Promise<void>
}

/** What a run reports to its caller while it goes. */
export interface RunHooks {
  /** Called with every snapshot after warmup (every `thin` steps and at the last step). */
  readonly onSnapshot?: (s: SampleSnapshot) => void
  /** Aborting stops the run between steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal
  /** Adaptation during warmup. */
  readonly warmup?: WarmupHook
  /**
   * Snapshots per native call (for tests and benchmarks): 1 makes each snapshot a call of its own; by
   * default a call records as many as take about 10 ms. Results do not depend on it.
   */
  readonly snapshotsPerCall?: number
}

// Warmup: the runs up to each window's end, the hook after each.
const runWarmup = async (r: Runner, run: CheckedRun, hooks: RunHooks): Promise<void> => {
  if (run.warmup === 0) return
  const ends = hooks.warmup?.windows?.(run.warmup) ?? [run.warmup]
  if (ends.length === 0 || ends[ends.length - 1] !== run.warmup || ends.some((e, i) => e <= (i === 0 ? 0 : ends[i - 1]))) {
    throw check.rangeError('sample: warmup windows', `ends at increasing steps, the last at ${run.warmup}`, ends.join(', '))
  }
  let from = 0
  for (const end of ends) {
    if (hooks.signal?.aborted) throw abortError(from)
    const statistics = await r.run({ seed: run.seed, from, to: end, signal: hooks.signal })
    await hooks.warmup?.after?.(r, statistics, end)
    from = end
  }
}

/** Draws kept as a run goes: [chains × draws × D], the positions of every `thin`-th step after warmup. */
const drawKeeper = (run: CheckedRun) => {
  const D = run.program.dimension
  const perChain = Math.floor(run.steps / run.thin)
  const draws = new Float64Array(run.chains * perChain * D)
  return {
    draws,
    shape: [run.chains, perChain, D] as const,
    keep: (position: Float32Array | Float64Array, stepAfterWarmup: number): void => {
      if (stepAfterWarmup % run.thin !== 0) return
      const k = stepAfterWarmup / run.thin - 1
      for (let c = 0; c < run.chains; c++) {
        const at = (c * perChain + k) * D
        // A row at a time where rows are long (set converts float32 natively), else element by element (a
        // view per short row would cost more than its copy).
        if (D >= 16) draws.set(position.subarray(c * D, (c + 1) * D), at)
        else for (let j = 0; j < D; j++) draws[at + j] = position[c * D + j]
      }
    },
    // Whether every draw of chain c equals its first.
    constant: (c: number): boolean => {
      const first = c * perChain * D
      for (let i = first + D; i < first + perChain * D; i++) if (draws[i] !== draws[i - D]) return false
      return perChain > 1
    },
  }
}

const asFloat64 = (a: Float32Array | Float64Array): Float64Array => (a instanceof Float64Array ? a : Float64Array.from(a))

/**
 * Runs a checked run: `warmup` steps (discarded; `hooks.warmup` may adapt the kernel between its
 * windows), then `steps` steps with a snapshot every `thin` steps and at the end, between which the runner
 * runs whole blocks of steps (the reference yielding to the event loop as it goes, the native loop on a
 * worker thread, recording the snapshots of about 10 ms of steps in one call: `hooks.snapshotsPerCall`
 * sets the count, with the same results). Aborting `hooks.signal` stops the run between steps and rejects with an AbortError; a run
 * whose every chain became non-finite rejects with a RangeError saying so.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRun, execute } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const result = await execute(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1, thin: 5, warmup: 20 }), {})
 * assert.deepEqual(result.trace.map((s) => s.step), [25, 30])
 */
export const execute = async (run: CheckedRun, hooks: RunHooks): Promise<SampleResult> => {
  // The runner is the run's own: only a warmup hook is handed it (and may write its arrays), so only then is it watched.
  const r = startRunner(run, hooks.warmup?.after !== undefined)
  const { state } = r
  const adapted = run.adaptation === undefined ? undefined : await adapt(r, run.adaptation, run.warmup, run.seed)
  if (adapted === undefined) await runWarmup(r, run, hooks)
  // Acceptance counts after warmup (copied only where a Metropolis test keeps them).
  const counts = run.program.metropolis ? { proposed: Float64Array.from(state.proposed), accepted: Float64Array.from(state.accepted) } : state
  const since = run.program.trees ? { proposed: counts.proposed, accepted: counts.accepted, trees: Float64Array.from(state.trees) } : counts
  const kept = run.keep === 'draws' ? drawKeeper(run) : undefined
  const trace: Statistics[] = []
  const end = run.warmup + run.steps
  const perCall = hooks.snapshotsPerCall === undefined ? {} : { perCall: hooks.snapshotsPerCall }
  for await (const { state: chains, statistics } of r.snapshots({ seed: run.seed, from: run.warmup, to: end, every: run.thin, signal: hooks.signal, recordBytes: run.recordBytes, keepPerChain: hooks.onSnapshot !== undefined, ...perCall })) {
    kept?.keep(chains.position, statistics.step - run.warmup)
    trace.push(withoutPerChain(statistics))
    if (hooks.onSnapshot !== undefined) hooks.onSnapshot(snapshotOf(chains, statistics))
  }
  if (hooks.signal?.aborted) throw abortError(end)
  // Every run leaves E and ∇E current, so only without steps after warmup are they still to evaluate (the
  // initial chains', or those a warmup hook wrote).
  if (run.steps === 0) await r.run({ seed: run.seed, from: end, to: end })
  const { gradientNorms, accepted: _perChain, ...statistics } = statisticsOf(state, end, run.program.metropolis, since)
  if (statistics.nonFinite === run.chains) throw allNonFiniteError(run.chains, end, run.program.metropolis)
  const warnings = [
    ...runWarnings({
    chains: run.chains,
    alive: state.alive,
    metropolis: run.program.metropolis,
    ...(run.program.metropolis ? { proposed: state.proposed.map((n, c) => n - since.proposed[c]), accepted: state.accepted.map((n, c) => n - since.accepted[c]) } : {}),
    acceptanceRate: statistics.acceptanceRate,
    ...(run.targetAcceptance === undefined ? {} : { targetAcceptance: run.targetAcceptance }),
    ...(kept === undefined ? {} : { constantDraws: kept.constant }),
    }),
    ...(statistics.trees === undefined ? [] : treeWarnings(statistics.trees)),
  ]
  return {
    chains: run.chains,
    dimension: run.program.dimension,
    steps: run.steps,
    warmup: run.warmup,
    positions: asFloat64(state.position),
    momenta: asFloat64(state.momentum),
    energies: asFloat64(state.energy),
    gradientNorms,
    statistics,
    trace,
    ...(kept === undefined ? {} : { draws: kept.draws, drawShape: kept.shape }),
    warnings,
    ...(adapted === undefined ? {} : { adaptation: withoutPositions(adapted) }),
  }
}

const withoutPositions = ({ positions: _positions, ...rest }: WarmupResult): AdaptationResult => rest

const withoutPerChain = (s: RunStatistics): Statistics => {
  const { gradientNorms: _norms, accepted: _accepted, ...statistics } = s
  return statistics
}

/**
 * Runs `kernel` on `energy` for `options.steps` steps on `options.chains` chains and resolves to the
 * final chains and the statistics of every snapshot. Results depend only on the arguments (seed
 * included), never on threads or timing. Bad arguments are refused before anything runs, with an error
 * naming the argument.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sample } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const { positions, statistics } = await sample(quadratic, ula({ stepSize: 0.1 }), { chains: 100, steps: 50, seed: 1 })
 * assert.equal(positions.length, 200)
 * assert.equal(statistics.nonFinite, 0)
 */
export const sample = async (energy: Energy, kernel: Kernel, options: SampleOptions): Promise<SampleResult> => execute(checkRun(energy, kernel, options), {})

/**
 * Running a kernel: `sample(energy, kernel, options)` checks every argument, and runs the kernel for
 * `steps` steps on every chain through a runner (runner.ts), one run per snapshot, yielding to the event
 * loop between them so that a run can be cancelled.
 *
 * @module
 */
import * as check from '../check/index.js'
import type { Energy } from '../energy/energy.js'
import type { Kernel } from './kernel.js'
import { abortError, checkRunner, runnerOptionNames, startRunner, type RunnerOptions, type RunnerSetup } from './runner.js'
import { snapshotOf, statisticsOf, type SampleSnapshot, type Statistics } from './snapshot.js'


/** Options of `sample` and `sample$`. */
export interface SampleOptions extends RunnerOptions {
  /** Steps of the kernel to run. */
  readonly steps: number
  /** The seed of the chains' random streams: an integer in [0, 2^53). */
  readonly seed: number
  /** A snapshot every `thin` steps (and at the last step); default: only at the last step. */
  readonly thin?: number
}

/** What a run returns: the final chains and the statistics of every snapshot. */
export interface SampleResult {
  readonly chains: number
  readonly dimension: number
  readonly steps: number
  /** Final positions, row-major [chains × dimension]. */
  readonly positions: Float64Array
  /** Final momenta (zero for kernels without momentum). */
  readonly momenta: Float64Array
  readonly energies: Float64Array
  readonly gradientNorms: Float64Array
  /** Statistics over the whole run (acceptance over all steps). */
  readonly statistics: Statistics
  /** Statistics of every snapshot, in order. */
  readonly trace: readonly Statistics[]
}

/** A run's arguments after checking. */
export interface CheckedRun extends RunnerSetup {
  readonly steps: number
  readonly seed: number
  readonly thin: number
}

/**
 * Checks every argument of a run (the error names the bad argument and what was expected) and flattens
 * the kernel.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRun } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * assert.equal(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1 }).thin, 10)
 * assert.throws(() => checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: -1, seed: 1 }), { message: 'sample: steps: expected an integer ≥ 0, got -1' })
 */
export const checkRun = (energy: unknown, kernel: unknown, options: unknown): CheckedRun => {
  const o = check.options(check.object(options, 'sample: options'), 'sample: options', [...runnerOptionNames, 'steps', 'seed', 'thin'])
  const setup = checkRunner('sample', energy, kernel, o)
  const steps = check.integer(o.steps, 'sample: steps')
  const seed = check.seed(o.seed, 'sample: seed')
  const thin = o.thin === undefined ? Math.max(steps, 1) : check.positiveInteger(o.thin, 'sample: thin')
  const draws = setup.program.drawsPerStep
  if ((steps + 1) * draws > 2 ** 53) throw check.rangeError('sample: steps', `at most 2^53 / ${draws} (the draws per step) per chain`, steps)
  return { ...setup, steps, seed, thin }
}

/** What a run reports to its caller while it goes. */
export interface RunHooks {
  /** Called with every snapshot (every `thin` steps and at the last step). */
  readonly onSnapshot?: (s: SampleSnapshot) => void
  /** Aborting stops the run between steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal
}

/**
 * Runs a checked run: a snapshot every `thin` steps and at the end, between which the runner runs whole
 * blocks of steps (the reference yielding to the event loop as it goes, the native loop on a worker
 * thread). Aborting `hooks.signal` stops the run between steps and rejects with an AbortError.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkRun, execute } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const result = await execute(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1, thin: 5 }), {})
 * assert.deepEqual(result.trace.map((s) => s.step), [5, 10])
 */
export const execute = async (run: CheckedRun, hooks: RunHooks): Promise<SampleResult> => {
  const r = startRunner(run)
  const { state } = r
  const trace: Statistics[] = []
  let step = 0
  while (step < run.steps) {
    if (hooks.signal?.aborted) throw abortError(step)
    const next = Math.min(run.steps, (Math.floor(step / run.thin) + 1) * run.thin)
    const s = snapshotOf(state, await r.run({ seed: run.seed, from: step, to: next, signal: hooks.signal }))
    step = next
    trace.push(s.statistics)
    hooks.onSnapshot?.(s)
  }
  if (hooks.signal?.aborted) throw abortError(step)
  await r.run({ seed: run.seed, from: run.steps, to: run.steps }) // E and ∇E of the initial chains when steps = 0
  const { gradientNorms, accepted: _perChain, ...statistics } = statisticsOf(state, run.steps, run.program.metropolis, { proposed: new Float64Array(run.chains), accepted: new Float64Array(run.chains), ...(run.program.trees ? { trees: new Float64Array(run.chains * 5) } : {}) })
  return {
    chains: run.chains,
    dimension: run.program.dimension,
    steps: run.steps,
    positions: Float64Array.from(state.position),
    momenta: Float64Array.from(state.momentum),
    energies: Float64Array.from(state.energy),
    gradientNorms,
    statistics,
    trace,
  }
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

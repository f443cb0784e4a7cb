/**
 * The options of `temper` and their checks: every argument is refused before anything runs, with an error
 * naming it.
 *
 * @module
 */
import * as check from '../../check/index.js'
import * as ir from '../../ir/index.js'
import { isEnergy, type Energy } from '../../energy/energy.js'
import { defaultState } from '../../energy/structure.js'
import { checkKernel, type Kernel } from '../kernel.js'
import { runnerOptionNames, type RunnerOptions } from '../runner.js'
import { checkLadder, type LadderLike } from './ladder.js'

/** Options of `temper`. */
export interface TemperOptions extends RunnerOptions {
  /** The temperatures, T₀ = 1 < T₁ < … < T_max, or `{ rungs, max }` spaced geometrically from 1 to max. */
  readonly ladder: LadderLike
  /** Chains per rung: `chains` independent replica-exchange systems, column c of every rung exchanging with its neighbours. */
  readonly chains: number
  /** Kernel steps of the sampling phase, a multiple of `swapEvery`. */
  readonly steps: number
  /** The seed of every random stream (the rungs' kernels and the swaps): an integer in [0, 2^53). */
  readonly seed: number
  /** Kernel steps between swap rounds (default 1). */
  readonly swapEvery?: number
  /** Kernel steps before sampling (a multiple of `swapEvery`; default 0): swaps, and the ladder adapted when `adaptLadder`. */
  readonly warmup?: number
  /** Move the ladder toward equal swap rates during warmup, then freeze it (default: true when the warmup has 2 swap rounds or more). */
  readonly adaptLadder?: boolean
  /** Keep the T = 1 chains' positions every `thin` steps of sampling, after the swap round (a multiple of `swapEvery`; default `swapEvery`). */
  readonly thin?: number
  /** Aborting stops the run between steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal
  /** Initial positions: [chains × dimension] for every rung, or [rungs × chains × dimension]; when omitted, the domain's default (zeros, spins +1). */
  readonly init?: ArrayLike<number>
}

/** `temper`'s arguments after checking. */
export interface CheckedTemper {
  readonly energy: Energy
  readonly kernelAt: (temperature: number) => Kernel
  readonly ladder: readonly number[]
  readonly chains: number
  readonly dimension: number
  readonly steps: number
  readonly seed: number
  readonly swapEvery: number
  readonly warmup: number
  readonly adaptLadder: boolean
  readonly signal: AbortSignal | undefined
  readonly thin: number
  /** Initial positions of every rung, [rungs × chains × dimension]. */
  readonly init: Float64Array
  /** The options every rung's runner is given (params, backend, dtype, threads, chainBlock). */
  readonly runner: Readonly<Record<string, unknown>>
}

const names = [...runnerOptionNames, 'ladder', 'steps', 'seed', 'swapEvery', 'warmup', 'adaptLadder', 'thin', 'signal'] as const

// The runner options every rung is given as they came (chains and init are temper's own, per rung).
const rungOptionNames = runnerOptionNames.filter((k) => k !== 'chains' && k !== 'init')

// A count of steps that must fall on swap rounds.
const multipleOf = (v: unknown, where: string, swapEvery: number, min: number): number => {
  const n = check.integer(v, where, { min })
  if (n % swapEvery !== 0) throw check.rangeError(where, `a multiple of swapEvery = ${swapEvery} (steps fall into swap rounds)`, n)
  return n
}

// [chains × D] repeated on every rung, or [rungs × chains × D] as given.
const initOf = (v: unknown, energy: Energy, rungs: number, chains: number, dimension: number): Float64Array => {
  const one = chains * dimension
  if (v === undefined) return new Float64Array(rungs * one).fill(defaultState(energy.domain))
  const given = check.numbers(v, 'temper: init')
  if (given.length === rungs * one) return given
  if (given.length !== one) throw check.rangeError('temper: init', `${one} values (${chains} chains × ${dimension} dimensions, every rung starting there) or ${rungs * one} (${rungs} rungs × ${chains} chains × ${dimension} dimensions)`, `${given.length} values`)
  const all = new Float64Array(rungs * one)
  for (let r = 0; r < rungs; r++) all.set(given, r * one)
  return all
}

/**
 * The kernel at temperature T, checked, the error naming the temperature.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { kernelOf } from './options.js'
 * import { mala } from '../builtins.js'
 * assert.equal(kernelOf((T) => mala({ stepSize: 0.1, temperature: T }), 2).name, 'mala')
 * assert.throws(() => kernelOf(() => 3 as never, 2), { name: 'TypeError' })
 */
export const kernelOf = (kernelAt: (temperature: number) => Kernel, T: number): Kernel => checkKernel(kernelAt(T), `temper: kernelAt(${T})`)

/**
 * Checks `temper`'s arguments (the runner's own options are checked again by every rung's runner).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkTemper } from './options.js'
 * import { mala } from '../builtins.js'
 * import * as energy from '../../energy/index.js'
 * const e = energy.gaussian({ mean: [0, 0] })
 * const kernelAt = (T: number) => mala({ stepSize: 0.1, temperature: T })
 * assert.equal(checkTemper(e, kernelAt, { ladder: { rungs: 4, max: 8 }, chains: 2, steps: 10, seed: 1 }).ladder[1], 2)
 * assert.throws(() => checkTemper(e, kernelAt, { ladder: [1, 0], chains: 2, steps: 10, seed: 1 }), { message: 'temper: ladder[1]: expected a temperature above 1, the one before it (the ladder increases), got 0' })
 */
export const checkTemper = (energy: unknown, kernelAt: unknown, options: unknown): CheckedTemper => {
  if (!isEnergy(energy)) throw check.typeError('temper: energy', 'an Energy value (built by energy.define or the catalogue)', energy)
  const at = check.func<(temperature: number) => Kernel>(kernelAt, 'temper: kernelAt')
  const o = check.options<TemperOptions>(check.object(options, 'temper: options'), 'temper: options', names)
  const ladder = checkLadder(o.ladder, 'temper: ladder')
  const chains = check.positiveInteger(o.chains, 'temper: chains')
  const swapEvery = check.positiveInteger(o.swapEvery ?? 1, 'temper: swapEvery')
  const steps = multipleOf(o.steps, 'temper: steps', swapEvery, 0)
  const warmup = multipleOf(o.warmup ?? 0, 'temper: warmup', swapEvery, 0)
  const thin = multipleOf(o.thin ?? swapEvery, 'temper: thin', swapEvery, 1)
  const adaptLadder = check.boolean(o.adaptLadder ?? warmup >= 2 * swapEvery, 'temper: adaptLadder')
  if (adaptLadder && warmup < 2 * swapEvery) throw check.rangeError('temper: adaptLadder', `false, or warmup of at least 2 swap rounds (${2 * swapEvery} steps) to adapt the ladder in`, true)
  const seed = check.seed(o.seed, 'temper: seed')
  const signal = check.abortSignal(o.signal, 'temper: signal')
  const dimension = ir.size(energy.shape)
  const init = initOf(o.init, energy, ladder.length, chains, dimension)
  const runner = Object.fromEntries(rungOptionNames.filter((k) => k in o).map((k) => [k, (o as Record<string, unknown>)[k]]))
  ladder.forEach((T) => kernelOf(at, T))
  return { energy, kernelAt: at, ladder, chains, dimension, steps, seed, swapEvery, warmup, adaptLadder, signal, thin, init, runner }
}

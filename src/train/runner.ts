/**
 * A reusable sampler runner, the interface training drives its negative phase through:
 * `runner(energy, kernel, { chains, backend, dtype, threads, params })` gives chain `state` and `params`
 * arrays that the caller overwrites in place between runs, and `run({ seed, from, to, signal })`, which
 * advances every chain from step `from` to `to` and leaves E and ∇E current.
 *
 * This is a thin adapter over `sampler.sample` until src/sampler offers the runner itself; replacing it is
 * a change to this file only. What the adapter cannot do: runs start at step 0 (`from` must be 0, since
 * `sample` counts schedules from 0), and ∇E is evaluated once more after each run (one extra gradient
 * per run: `sample` does not return it).
 *
 * @module
 */
import { integer, rangeError, seed as checkSeed, typeError } from '../check/index.js'
import { type Backend, type Dtype, evaluate } from '../backend/index.js'
import { type Energy, isEnergy } from '../energy/energy.js'
import { gradientTape } from '../energy/evaluate.js'
import * as ir from '../ir/index.js'
import { checkRun, execute, type Kernel } from '../sampler/index.js'

/** Options of {@link runner}. */
export interface RunnerOptions {
  readonly chains: number
  readonly backend?: Backend
  readonly dtype?: Dtype
  readonly threads?: number
  /** Initial parameter values by name; a parameter not given starts at zeros. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
}

/** The chains, row-major, in the run's dtype. */
export interface RunnerState {
  readonly position: Float32Array | Float64Array
  readonly momentum: Float32Array | Float64Array
  readonly energy: Float32Array | Float64Array
  readonly gradient: Float32Array | Float64Array
  /** 1 for a chain whose position and energy are finite. */
  readonly alive: Uint8Array
}

/** What one run reports. */
export interface RunStatistics {
  /** Accepted / proposed Metropolis moves over the run; null for kernels without a Metropolis test. */
  readonly acceptanceRate: number | null
  /** Chains that became non-finite. */
  readonly nonFinite: number
  /** Mean ‖∇ₓE‖ over the finite chains at the end of the run. */
  readonly meanGradientNorm: number
  /** Mean E over the finite chains at the end of the run. */
  readonly meanEnergy: number
}

/** Where a run starts and stops. */
export interface RunOptions {
  readonly seed: number
  readonly from: number
  readonly to: number
  readonly signal?: AbortSignal
}

/** A sampler bound to an energy, a kernel and a number of chains. */
export interface Runner {
  readonly state: RunnerState
  readonly params: Readonly<Record<string, Float32Array | Float64Array>>
  readonly run: (o: RunOptions) => Promise<RunStatistics>
}

/**
 * A runner of `kernel` on `energy` for `options.chains` chains. Arguments are checked here, as `sample`
 * checks them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { ula } from '../sampler/index.js'
 * import { runner } from './runner.js'
 * const r = runner(quadratic({ center: [0, 0] }), ula({ stepSize: 0.1 }), { chains: 4, backend: 'reference', params: { theta: [1, -1] } })
 * r.state.position.fill(3)
 * const s = await r.run({ seed: 1, from: 0, to: 20 })
 * assert.equal(s.nonFinite, 0)
 * assert.equal(r.state.energy.length, 4)
 */
export const runner = (energy: Energy, kernel: Kernel, options: RunnerOptions): Runner => {
  if (!isEnergy(energy)) throw typeError('train.runner: energy', 'an Energy value', energy)
  const { chains, backend, dtype, threads } = options
  const checked = checkRun(energy, kernel, { chains, steps: 0, seed: 0, backend, dtype, threads, params: zerosFor(energy, options.params) })
  const Floats = checked.dtype === 'float32' ? Float32Array : Float64Array
  const D = checked.program.dimension
  const state: RunnerState = {
    position: new Floats(chains * D),
    momentum: new Floats(chains * D),
    energy: new Floats(chains),
    gradient: new Floats(chains * D),
    alive: new Uint8Array(chains).fill(1),
  }
  const params = Object.fromEntries(Object.entries(checked.params).map(([n, v]) => [n, Floats.from(v)]))
  const execution = { backend: checked.backend, dtype: checked.dtype, ...(threads === undefined ? {} : { threads }) }
  const run = async (o: RunOptions): Promise<RunStatistics> => {
    const where = 'train.runner: run'
    if (o.from !== 0) throw rangeError(`${where}: from`, '0 (the adapter over sampler.sample starts every run at step 0)', o.from)
    const to = integer(o.to, `${where}: to`)
    const result = await execute(checkRun(energy, kernel, { chains, steps: to, seed: checkSeed(o.seed, `${where}: seed`), init: state.position, params, backend: checked.backend, dtype: checked.dtype, threads }), { signal: o.signal })
    state.position.set(result.positions)
    state.momentum.set(result.momenta)
    const [E, g] = evaluate(gradientTape(energy, chains), { x: state.position, ...params }, execution)
    state.energy.set(E)
    state.gradient.set(g)
    for (let c = 0; c < chains; c++) state.alive[c] = Number.isFinite(E[c]) && rowFinite(state.position, c, D) ? 1 : 0
    const { acceptanceRate, nonFinite, meanGradientNorm, meanEnergy } = result.statistics
    return { acceptanceRate, nonFinite, meanGradientNorm, meanEnergy }
  }
  return { state, params, run }
}

const rowFinite = (x: ArrayLike<number>, c: number, D: number): boolean => {
  for (let j = c * D; j < (c + 1) * D; j++) if (!Number.isFinite(x[j])) return false
  return true
}

// The given values, and zeros for every parameter not given (the caller overwrites them before a run).
const zerosFor = (energy: Energy, given: RunnerOptions['params']): Record<string, ArrayLike<number>> => {
  const out: Record<string, ArrayLike<number>> = {}
  for (const [n, spec] of Object.entries(energy.params)) out[n] = new Float64Array(ir.size(spec.shape))
  return { ...out, ...given }
}

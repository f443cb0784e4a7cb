/**
 * Running a kernel: `sample(energy, kernel, options)` checks every argument, flattens the kernel, and runs
 * it for `steps` steps on every chain, yielding to the event loop between blocks of steps so that a run can
 * be cancelled.
 *
 * @module
 */
import * as ir from '../ir/index.js'
import { isEnergy, type Energy } from '../energy/energy.js'
import { gradientOnlyTape, gradientTape } from '../energy/evaluate.js'
import { checkKernel, type Kernel } from './kernel.js'
import { flatten, type SamplerProgram } from './program.js'
import { resolveBackend } from '../backend/index.js'
import { encodeProgram, loadEnergy, loadGradient, samplerAddon } from './native.js'
import { initialState, referenceRunner, type ChainState, type Evaluate, type EvaluateGradient } from './reference.js'
import { snapshotOf, type Snapshot, type Statistics } from './snapshot.js'

/** Where a run executes: the TypeScript reference (float64), the native addon, or 'auto' (native when built). */
export type Backend = 'reference' | 'native' | 'auto'

/** The number type of a native run. */
export type Dtype = 'float64' | 'float32'

/** Options of `sample` and `sample$`. */
export interface SampleOptions {
  /** Number of independent chains. */
  readonly chains: number
  /** Steps of the kernel to run. */
  readonly steps: number
  /** The seed of the chains' random streams: an integer in [0, 2^53). */
  readonly seed: number
  /** Initial positions, row-major [chains × dimension]; zeros when omitted. */
  readonly init?: ArrayLike<number>
  /** Parameter values by name, row-major; parameters with a deterministic initialiser may be omitted. */
  readonly params?: Readonly<Record<string, ArrayLike<number>>>
  /** 'auto' (default: native when the addon is built, else reference; HEATBATH_BACKEND overrides), 'reference' or 'native'. */
  readonly backend?: Backend
  /** 'float64' (default) or 'float32' (native only). */
  readonly dtype?: Dtype
  /** Worker threads of a native run (default 1); results do not depend on it. */
  readonly threads?: number
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
export interface CheckedRun {
  readonly energy: Energy
  readonly kernel: Kernel
  readonly program: SamplerProgram
  readonly chains: number
  readonly steps: number
  readonly seed: number
  readonly init: Float64Array
  readonly params: Readonly<Record<string, Float64Array>>
  readonly backend: 'reference' | 'native'
  readonly dtype: Dtype
  readonly threads: number
  readonly thin: number
}

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v)
  if (Array.isArray(v)) return `an array of length ${v.length}`
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`
  return typeof v === 'object' ? `an object with keys ${Object.keys(v).slice(0, 5).join(', ') || '(none)'}` : typeof v
}

const integerOption = (v: unknown, name: string, minimum: number): number => {
  if (!(typeof v === 'number' && Number.isSafeInteger(v) && v >= minimum)) {
    throw new RangeError(`sample: ${name} must be an integer ≥ ${minimum}, got ${show(v)}`)
  }
  return v
}

const numbers = (v: unknown, what: string, length: number, lengthReason: string): Float64Array => {
  if (!(Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView)))) {
    throw new TypeError(`sample: ${what} must be an array or typed array of numbers, got ${show(v)}`)
  }
  const a = v as ArrayLike<unknown>
  if (a.length !== length) throw new RangeError(`sample: ${what} has ${a.length} values; ${lengthReason} need ${length}`)
  const out = new Float64Array(length)
  for (let i = 0; i < length; i++) {
    const x = a[i]
    if (typeof x !== 'number' && typeof x !== 'bigint') throw new TypeError(`sample: ${what}[${i}] is ${show(x)}; expected a number`)
    out[i] = Number(x)
    if (!Number.isFinite(out[i])) throw new RangeError(`sample: ${what}[${i}] is ${out[i]}; expected a finite number`)
  }
  return out
}

const paramValues = (energy: Energy, given: unknown): Record<string, Float64Array> => {
  if (given !== undefined && (typeof given !== 'object' || given === null)) throw new TypeError(`sample: params must be an object of arrays by name, got ${show(given)}`)
  const g = (given ?? {}) as Record<string, unknown>
  for (const k of Object.keys(g)) {
    if (!(k in energy.params)) throw new RangeError(`sample: params.${k} is not a parameter of energy '${energy.name}' (its parameters: ${Object.keys(energy.params).join(', ') || 'none'})`)
  }
  const out: Record<string, Float64Array> = {}
  for (const [name, spec] of Object.entries(energy.params)) {
    const n = ir.size(spec.shape)
    if (g[name] !== undefined) {
      out[name] = numbers(g[name], `params.${name}`, n, `shape ${ir.showShape(spec.shape)} and its`)
      continue
    }
    const init = spec.init
    if (init.kind === 'zeros') out[name] = new Float64Array(n)
    else if (init.kind === 'constant') out[name] = new Float64Array(n).fill(init.value)
    else if (init.kind === 'values') out[name] = numbers(init.values, `params.${name} (its initial values)`, n, `shape ${ir.showShape(spec.shape)} and its`)
    else throw new RangeError(`sample: params.${name} is missing; its initialiser is random ('${init.kind}'), so pass its values`)
  }
  return out
}

/**
 * Checks every argument of a run (the error names the bad argument and what was expected) and flattens
 * the kernel.
 *
 * @example
 * import { checkRun } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1 }).thin // 10
 */
export const checkRun = (energy: unknown, kernel: unknown, options: unknown): CheckedRun => {
  if (!isEnergy(energy)) throw new TypeError(`sample: energy must be an Energy value (built by energy.define or the catalogue), got ${show(energy)}`)
  const k = checkKernel(kernel, 'sample: kernel')
  if (typeof options !== 'object' || options === null) throw new TypeError(`sample: options must be an object { chains, steps, seed, … }, got ${show(options)}`)
  const o = options as SampleOptions
  const known = new Set(['chains', 'steps', 'seed', 'init', 'params', 'backend', 'dtype', 'threads', 'thin'])
  for (const key of Object.keys(o)) if (!known.has(key)) throw new RangeError(`sample: unknown option '${key}' (options: ${[...known].join(', ')})`)
  const chains = integerOption(o.chains, 'chains', 1)
  const steps = integerOption(o.steps, 'steps', 0)
  const seed = integerOption(o.seed, 'seed', 0)
  const dimension = ir.size(energy.shape)
  const init = o.init === undefined ? new Float64Array(chains * dimension) : numbers(o.init, 'init', chains * dimension, `${chains} chains × ${dimension} dimensions`)
  const params = paramValues(energy, o.params)
  const asked = o.backend ?? 'auto'
  if (asked !== 'reference' && asked !== 'native' && asked !== 'auto') throw new RangeError(`sample: backend must be 'auto', 'reference' or 'native', got ${show(asked)}`)
  const dtype = o.dtype ?? 'float64'
  if (dtype !== 'float64' && dtype !== 'float32') throw new RangeError(`sample: dtype must be 'float64' or 'float32', got ${show(dtype)}`)
  const threads = o.threads === undefined ? 1 : integerOption(o.threads, 'threads', 1)
  if (threads > 1024) throw new RangeError(`sample: threads must be at most 1024, got ${threads}`)
  const backend = asked === 'reference' ? 'reference' : asked === 'native' || samplerAddon().addon !== undefined ? resolveBackend(asked) : 'reference'
  if (dtype === 'float32' && backend === 'reference') throw new RangeError("sample: dtype 'float32' needs backend 'native'; the reference backend computes in float64")
  const thin = o.thin === undefined ? Math.max(steps, 1) : integerOption(o.thin, 'thin', 1)
  const program = flatten(k, dimension)
  if ((steps + 1) * program.drawsPerStep > 2 ** 53) throw new RangeError(`sample: steps ${steps} × ${program.drawsPerStep} draws per step pass 2^53 draws per chain`)
  return { energy, kernel: k, program, chains, steps, seed, init, params, backend, dtype, threads, thin }
}

/**
 * The reference evaluator of an energy for `chains` chains: one compiled tape giving E and ∇ₓ(ΣE).
 *
 * @example
 * import { referenceEvaluate } from './sample.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const e = new Float64Array(2), g = new Float64Array(2)
 * referenceEvaluate(quadratic, 2, {})(new Float64Array([1, 2]), e, g) // e = [0.5, 2], g = [1, 2]
 */
export const referenceEvaluate = (energy: Energy, chains: number, params: Readonly<Record<string, Float64Array>>): Evaluate => {
  const tape = gradientTape(energy, chains)
  return (x, energies, gradients) => {
    const [e, g] = ir.evaluate(tape, { ...params, x })
    energies.set(e)
    gradients.set(g)
  }
}

/**
 * The reference evaluator of the input gradient alone for `chains` chains (the gradient-only tape).
 *
 * @example
 * import { referenceGradient } from './sample.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const g = new Float64Array(2)
 * referenceGradient(quadratic, 2, {})(new Float64Array([1, 2]), g) // g = [1, 2]
 */
export const referenceGradient = (energy: Energy, chains: number, params: Readonly<Record<string, Float64Array>>): EvaluateGradient => {
  const tape = gradientOnlyTape(energy, chains)
  return (x, gradients) => {
    const [g] = ir.evaluate(tape, { ...params, x })
    gradients.set(g)
  }
}

/** What a run reports to its caller while it goes. */
export interface RunHooks {
  /** Called with every snapshot (every `thin` steps and at the last step). */
  readonly onSnapshot?: (s: Snapshot) => void
  /** Aborting stops the run between steps; the promise then rejects with an AbortError. */
  readonly signal?: AbortSignal
}

/** How long the reference runner computes before yielding to the event loop, in milliseconds. */
const sliceMilliseconds = 10

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const abortError = (step?: number): Error =>
  Object.assign(new Error(step === undefined ? 'sample: cancelled' : `sample: cancelled after ${step} steps`), { name: 'AbortError' })

/** Runs steps from … to − 1 of a run on its backend and leaves E and ∇E current. */
interface Stepper {
  readonly state: ChainState
  readonly advance: (from: number, to: number, signal: AbortSignal | undefined) => Promise<void>
}

// The reference runner computes on the JavaScript thread, so it yields to the event loop every few
// milliseconds; where it yields never changes the result.
const referenceStepper = (run: CheckedRun): Stepper => {
  // A program with a Metropolis test needs E at every step: no gradient-only tape is compiled for it.
  const gradient = run.program.metropolis ? undefined : referenceGradient(run.energy, run.chains, run.params)
  const runner = referenceRunner(run.program, referenceEvaluate(run.energy, run.chains, run.params), initialState(run.chains, run.program.dimension, run.init), run.seed, gradient)
  return {
    state: runner.state,
    advance: async (from, to, signal) => {
      let step = from
      while (step < to) {
        if (signal?.aborted) throw abortError(step)
        const started = performance.now()
        do {
          runner.steps(step, step + 1)
          step++
        } while (step < to && performance.now() - started < sliceMilliseconds && !signal?.aborted)
        await yieldToEventLoop()
      }
      runner.refresh()
    },
  }
}

// The native loop runs a whole block of steps per call on a worker thread; aborting raises its cancel
// flag, which it checks between steps.
const nativeStepper = (run: CheckedRun): Stepper => {
  const status = samplerAddon()
  if (status.addon === undefined) throw new Error(`sample: backend 'native' is not available: ${status.reason}`)
  const addon = status.addon
  const { handle, tape, xFeed } = loadEnergy(addon, run.energy, run.chains)
  const gradientHandle = run.program.metropolis ? -1 : loadGradient(run.energy, run.chains)
  const Floats = run.dtype === 'float32' ? Float32Array : Float64Array
  const n = run.chains * run.program.dimension
  const feeds = tape.feeds.map((f, i) => (i === xFeed ? null : Floats.from(run.params[f.name])))
  const state: ChainState = {
    chains: run.chains,
    dimension: run.program.dimension,
    position: Floats.from(run.init),
    momentum: new Floats(n),
    energy: new Floats(run.chains),
    gradient: new Floats(n),
    alive: new Uint8Array(run.chains).fill(1),
    proposed: new Float64Array(run.chains),
    accepted: new Float64Array(run.chains),
  }
  const fresh = new Int32Array(1)
  const encoded = encodeProgram(run.program)
  return {
    state,
    advance: async (from, to, signal) => {
      const cancel = new Int32Array(1)
      const onAbort = () => {
        cancel[0] = 1
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        await addon.sampleAsync(handle, run.dtype, encoded, run.program.drawsPerStep, feeds, xFeed, 0, 1,
          [state.position, state.momentum, state.energy, state.gradient, state.alive, state.proposed, state.accepted, fresh],
          run.seed, from, to, run.threads, cancel, gradientHandle)
      } catch (e) {
        if (cancel[0] === 1) throw abortError()
        throw e
      } finally {
        signal?.removeEventListener('abort', onAbort)
      }
    },
  }
}

/**
 * Runs a checked run: a snapshot every `thin` steps and at the end, between which the backend runs whole
 * blocks of steps (the reference yielding to the event loop as it goes, the native loop on a worker
 * thread). Aborting `hooks.signal` stops the run between steps and rejects with an AbortError.
 *
 * @example
 * import { checkRun, execute } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [1], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const result = await execute(checkRun(quadratic, ula({ stepSize: 0.1 }), { chains: 4, steps: 10, seed: 1 }), {})
 */
export const execute = async (run: CheckedRun, hooks: RunHooks): Promise<SampleResult> => {
  const stepper = run.backend === 'native' ? nativeStepper(run) : referenceStepper(run)
  const { state } = stepper
  const since = { proposed: new Float64Array(run.chains), accepted: new Float64Array(run.chains) }
  const trace: Statistics[] = []
  let step = 0
  while (step < run.steps) {
    if (hooks.signal?.aborted) throw abortError(step)
    const next = Math.min(run.steps, (Math.floor(step / run.thin) + 1) * run.thin)
    await stepper.advance(step, next, hooks.signal)
    step = next
    const s = snapshotOf(state, step, run.program.metropolis, since)
    trace.push(s.statistics)
    hooks.onSnapshot?.(s)
  }
  if (hooks.signal?.aborted) throw abortError(step)
  await stepper.advance(run.steps, run.steps, hooks.signal)
  const whole = snapshotOf(state, run.steps, run.program.metropolis, { proposed: new Float64Array(run.chains), accepted: new Float64Array(run.chains) })
  return {
    chains: run.chains,
    dimension: run.program.dimension,
    steps: run.steps,
    positions: whole.positions,
    momenta: Float64Array.from(state.momentum),
    energies: whole.energies,
    gradientNorms: whole.gradientNorms,
    statistics: whole.statistics,
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
 * import { sample } from './sample.js'
 * import { ula } from './builtins.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const { positions, statistics } = await sample(quadratic, ula({ stepSize: 0.1 }), { chains: 100, steps: 50, seed: 1 })
 */
export const sample = async (energy: Energy, kernel: Kernel, options: SampleOptions): Promise<SampleResult> =>
  execute(checkRun(energy, kernel, options), {})

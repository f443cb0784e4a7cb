/**
 * Running tapes on either executor: the native addon (float32 or float64, vectorised, multi-threaded) or
 * the reference executor of src/ir (float64). One call, `runTape(tape, feeds, options)`, and its async
 * form `runTapeAsync`, which runs off the JavaScript thread and can be cancelled with an AbortSignal.
 *
 * @module
 */
import { abortError as checkAbortError, abortSignal, integer, oneOf, options as checkKeys } from '../check/index.js'
import { checkFeedNames as checkNames, runReference, type Feeds, feedValues, size, type Tape } from '../ir/index.js'
import { checkTape } from '../ir/tape.js'
import { nativeAddon, type NativeAddon } from './addon.js'
import { encodeTape } from './encode.js'

/** Which executor runs a tape: 'auto' is HEATBATH_BACKEND when set, else native when built, else reference. */
export type Backend = 'native' | 'reference' | 'auto'
/** The floating-point type of a run. */
export type Dtype = 'float32' | 'float64'

/** Options of {@link runTape}. */
export interface RunTapeOptions {
  /** Default 'auto'. */
  readonly backend?: Backend
  /** Default 'float64'. On the reference executor float32 rounds the feeds, computes in float64 and rounds the outputs. */
  readonly dtype?: Dtype
  /** Threads of the native executor (1–1024); default: chosen from the amount of work. */
  readonly threads?: number
  /** Rows per block of the native executor's row-local segments; default: the tape's fixed choice. Results do not depend on it. */
  readonly blockRows?: number
}

/** Options of {@link runTapeAsync}: those of {@link runTape} and an AbortSignal. */
export interface RunTapeAsyncOptions extends RunTapeOptions {
  readonly signal?: AbortSignal
}

/** The outputs of a run: Float64Arrays for float64, Float32Arrays for float32. */
export type Outputs<D extends Dtype> = D extends 'float32' ? Float32Array[] : Float64Array[]

let noticeShown = false
let forcedBackend: string | undefined

/**
 * The executor `backend` resolves to, after HEATBATH_BACKEND and whether the addon is built. 'native'
 * (asked for, or forced by the environment) throws when the addon is not available; 'auto' falls back
 * to the reference executor with a one-line notice.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { resolveBackend } from './run-tape.js'
 * assert.equal(resolveBackend('reference'), 'reference')
 * assert.throws(() => resolveBackend('gpu' as never), { name: 'RangeError', message: 'runTape: backend: expected one of "auto", "native", "reference", got "gpu"' })
 */
export const resolveBackend = (backend: Backend = 'auto', where = 'runTape: backend'): 'native' | 'reference' => {
  oneOf(backend, where, backends)
  // Read once: the environment chooses for the whole process (and process.env is slow to read per call).
  forcedBackend ??= process.env.HEATBATH_BACKEND ?? ''
  const forced = forcedBackend
  if (backend === 'auto' && forced !== '') {
    backend = oneOf(forced, 'HEATBATH_BACKEND', ['native', 'reference'] as const)
  }
  const status = nativeAddon()
  if (backend === 'native') {
    // Not an argument's fault but the installation's: a plain Error, with the reason the addon did not load.
    if (status.addon === undefined) throw new Error(`heatbath: the native backend was asked for but is not available: ${status.reason}`)
    return 'native'
  }
  if (backend === 'reference') return 'reference'
  if (status.addon !== undefined) return 'native'
  if (!noticeShown) {
    noticeShown = true
    console.warn(`heatbath: native addon not available (${status.reason}); using the reference executor`)
  }
  return 'reference'
}

// Tapes are validated and sent to the addon once per tape object, then found by identity.
const handles = new WeakMap<Tape, number>()

/**
 * The addon's handle of a tape: validated (structure and hash) and sent to the addon on first use, then
 * found by identity. Native sampler loops take this handle; throws when the addon is not built.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { nativeHandle } from './run-tape.js'
 * const x = ir.input('x', [4, 2])
 * const tape = ir.compile([ir.sum(ir.square(x), 1)], [x])
 * assert.equal(nativeHandle(tape) === nativeHandle(tape), true) // sent once
 */
export const nativeHandle = (tape: Tape): number => {
  const status = nativeAddon()
  if (status.addon === undefined) throw new Error(`nativeHandle: the native addon is not available: ${status.reason}`)
  return handleOf(status.addon, tape)
}

const handleOf = (addon: NativeAddon, tape: Tape): number => {
  const known = handles.get(tape)
  if (known !== undefined) return known
  const sealed = checkTape(tape, 'runTape')
  const handle = addon.load(sealed.hash, encodeTape(sealed))
  handles.set(tape, handle)
  return handle
}

const backends = ['auto', 'native', 'reference'] as const

const optionNames = ['backend', 'dtype', 'threads', 'blockRows'] as const

// A misspelt option (`dtyp: 'float32'`) is refused, not run with the default.
const checkOptions = (options: RunTapeOptions, what: string, more: readonly 'signal'[] = []): { dtype: Dtype; threads: number; blockRows: number } => {
  checkKeys<RunTapeAsyncOptions>(options, `${what}: options`, [...optionNames, ...more])
  const dtype = oneOf(options.dtype ?? 'float64', `${what}: dtype`, ['float32', 'float64'] as const)
  const threads = options.threads === undefined ? 0 : integer(options.threads, `${what}: threads`, { min: 1, max: 1024 })
  const blockRows = options.blockRows === undefined ? 0 : integer(options.blockRows, `${what}: blockRows`, { min: 1, max: 2 ** 31 - 1 })
  return { dtype, threads, blockRows }
}

const checkFeedNames = (tape: Tape, feeds: Feeds, what: string): void => checkNames(feeds, new Set(tape.feeds.map((f) => f.name)), what)

// Feeds in the tape's order as arrays of the run's dtype: borrowed as they are when they already have
// that type, converted otherwise.
const nativeFeeds = (tape: Tape, feeds: Feeds, dtype: Dtype, what: string): (Float32Array | Float64Array)[] => {
  checkFeedNames(tape, feeds, what)
  return tape.feeds.map((f) => {
    const v = feeds[f.name]
    if (dtype === 'float64' && v instanceof Float64Array && v.length === size(f.shape)) return v
    if (dtype === 'float32' && v instanceof Float32Array && v.length === size(f.shape)) return v
    const values = feedValues(feeds, f.name, f.shape, what)
    return dtype === 'float32' ? Float32Array.from(values) : values === v ? values.slice() : values
  })
}

const allocateOutputs = (tape: Tape, dtype: Dtype): (Float32Array | Float64Array)[] =>
  tape.outputs.map((o) => (dtype === 'float32' ? new Float32Array(size(o.shape)) : new Float64Array(size(o.shape))))

const referenceRun = (tape: Tape, feeds: Feeds, dtype: Dtype, what: string): (Float32Array | Float64Array)[] => {
  // Errors name the caller (runTape), as the native path's do: the same bad feed, the same message.
  if (dtype === 'float64') return runReference(tape, feeds, what)
  checkFeedNames(tape, feeds, what)
  const rounded: Record<string, Float64Array> = {}
  for (const f of tape.feeds) rounded[f.name] = Float64Array.from(Float32Array.from(feedValues(feeds, f.name, f.shape, what)))
  return runReference(tape, rounded, what).map((o) => Float32Array.from(o))
}

/**
 * Runs a tape and returns one array per output: on the native executor (dtype float32 or float64, threads
 * as given) or the reference executor. Feeds are keyed by input name; typed arrays of the run's dtype are
 * read in place (byteOffset respected), anything else is converted first.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { runTape } from './run-tape.js'
 * const x = ir.input('x', [3])
 * const tape = ir.compile([ir.sum(ir.square(x))], [x])
 * assert.deepEqual(runTape(tape, { x: [1, 2, 3] }), [new Float64Array([14])])
 * assert.deepEqual(runTape(tape, { x: [1, 2, 3] }, { backend: 'reference', dtype: 'float32' }), [new Float32Array([14])])
 */
export function runTape(tape: Tape, feeds: Feeds, options: RunTapeOptions & { dtype: 'float32' }): Float32Array[]
export function runTape(tape: Tape, feeds: Feeds, options?: RunTapeOptions & { dtype?: 'float64' }): Float64Array[]
export function runTape(tape: Tape, feeds: Feeds, options?: RunTapeOptions): (Float32Array | Float64Array)[]
export function runTape(tape: Tape, feeds: Feeds, options: RunTapeOptions = {}): (Float32Array | Float64Array)[] {
  const what = 'runTape'
  const { dtype, threads, blockRows } = checkOptions(options, what)
  if (resolveBackend(options.backend, `${what}: backend`) === 'reference') return referenceRun(tape, feeds, dtype, what)
  const addon = nativeAddon().addon as NativeAddon
  const handle = handleOf(addon, tape)
  const inputs = nativeFeeds(tape, feeds, dtype, what)
  const outputs = allocateOutputs(tape, dtype)
  addon.run(handle, dtype, inputs, outputs, threads, blockRows)
  return outputs
}

/**
 * {@link runTape} off the JavaScript thread: returns a Promise of the outputs. Aborting `signal` stops
 * the native run between blocks of work and rejects with an AbortError. Feeds are borrowed until the
 * Promise settles: do not write to them meanwhile.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../ir/index.js'
 * import { runTapeAsync } from './run-tape.js'
 * const x = ir.input('x', [3])
 * const tape = ir.compile([ir.exp(x)], [x])
 * const [y] = await runTapeAsync(tape, { x: [0, 1, 2] }, { dtype: 'float32' })
 * assert.ok(y instanceof Float32Array)
 * // float32 rounds to 2⁻²⁴ relative; a native exp adds a few units of it
 * assert.ok([1, Math.E, Math.exp(2)].every((want, i) => Math.abs(y[i] - want) < 1e-6 * want))
 */
export function runTapeAsync(tape: Tape, feeds: Feeds, options: RunTapeAsyncOptions & { dtype: 'float32' }): Promise<Float32Array[]>
export function runTapeAsync(tape: Tape, feeds: Feeds, options?: RunTapeAsyncOptions & { dtype?: 'float64' }): Promise<Float64Array[]>
export function runTapeAsync(tape: Tape, feeds: Feeds, options?: RunTapeAsyncOptions): Promise<(Float32Array | Float64Array)[]>
export async function runTapeAsync(tape: Tape, feeds: Feeds, options: RunTapeAsyncOptions = {}): Promise<(Float32Array | Float64Array)[]> {
  const what = 'runTapeAsync'
  const { dtype, threads, blockRows } = checkOptions(options, what, ['signal'])
  const signal = abortSignal(options.signal, `${what}: signal`)
  const aborted = () => checkAbortError(`${what}: aborted`)
  if (signal?.aborted) throw aborted()
  if (resolveBackend(options.backend, `${what}: backend`) === 'reference') return referenceRun(tape, feeds, dtype, what)
  const addon = nativeAddon().addon as NativeAddon
  const handle = handleOf(addon, tape)
  const inputs = nativeFeeds(tape, feeds, dtype, what)
  const outputs = allocateOutputs(tape, dtype)
  const cancel = new Int32Array(1)
  const onAbort = () => {
    cancel[0] = 1
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await addon.runAsync(handle, dtype, inputs, outputs, threads, blockRows, cancel)
  } catch (e) {
    if (cancel[0] === 1) throw aborted()
    throw e
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
  return outputs
}

/**
 * The native runner's side of the boundary: the same flattened program run by the addon's sampler loop
 * (native/sampler.cc, one handler per instruction in native/sampler_blocks.cc), K steps per call on a
 * worker thread, with no crossing into JavaScript between steps.
 *
 * One truth across the boundary: the addon reports its instructions (names in code order) and the layout
 * of their records (`samplerInstructions()`), and programs are encoded by name through that report, so no
 * op code or field offset is written down twice. The TypeScript registry and the addon must hold the same
 * instructions with the same fields (spec/sampler/registry.spec.ts asserts it); `samplerAddon()` refuses
 * an addon whose fields differ from TypeScript's for any instruction both know, and a program with an
 * instruction the addon lacks (a block written in TypeScript whose C++ handler is still to come) runs on
 * the reference backend.
 *
 * @module
 */
import { nativeAddon, nativeHandle, encodeTape, type NativeAddon } from '../backend/index.js'
import type { Energy } from '../energy/energy.js'
import { gradientOnlyTape, gradientTape } from '../energy/points.js'
import * as ir from '../ir/index.js'
import { instructionDefinitions, instructionOf, type Field } from './block.js'
import type { NoiseScale } from './blocks/noise.js'
import type { SamplerProgram } from './program.js'
import type { Schedule } from './schedule.js'

/** One field of an instruction's record as the addon lays it out. */
export interface FieldLayout {
  readonly name: string
  readonly kind: 'number' | 'choice' | 'schedule' | 'noise'
  /** Where its numbers start in the record (the op code is at 0). */
  readonly offset: number
  /** A choice's names, in the order of their codes. */
  readonly choices?: readonly string[]
}

/** The addon's sampler instructions and record layout (`samplerInstructions()`). */
export interface SamplerLayout {
  /** Numbers per encoded instruction. */
  readonly recordSize: number
  /** Schedule kinds in code order: a schedule field is [kind, from or value, to, steps]. */
  readonly schedules: readonly string[]
  /** Noise-scale kinds in code order: a noise field is [kind, schedule, schedule] (σ, or h and T). */
  readonly noiseScales: readonly string[]
  /** The instructions in code order (the op code is the index), each with its fields. */
  readonly instructions: readonly { readonly name: string; readonly fields: readonly FieldLayout[] }[]
}

/** The state arrays a native run reads and writes (dtype arrays where they have a dimension). */
export interface NativeState {
  readonly position: Float32Array | Float64Array
  readonly momentum: Float32Array | Float64Array
  readonly energy: Float32Array | Float64Array
  readonly gradient: Float32Array | Float64Array
  readonly alive: Uint8Array
  readonly proposed: Float64Array
  readonly accepted: Float64Array
  /** NUTS transitions' sums per chain [chains × 5] (src/sampler/blocks/nuts-tree.ts's treeColumns). */
  readonly trees: Float64Array
  /** Per block of chains run by one call, whether energy and gradient belong to position ([0] in a call). */
  readonly fresh: Int32Array
}

/**
 * Where a call records the chains at its snapshots, after every `every` steps from `from` and at `to`
 * (⌈(to − from) / every⌉ slots): what a snapshot reads of them (src/sampler/snapshot.ts), each as the state
 * holds it once E and ∇E are current. Slot k of each array holds `chains` chains (the state's arrays, one
 * after another: [slots × chains × D] for position), the call's block from chain `first` on. Empty
 * proposal counts or tree sums are not recorded.
 */
export interface SampleRecord extends Omit<NativeState, 'momentum' | 'fresh'> {
  readonly every: number
  readonly chains: number
  readonly first: number
}

/** One call of the native loop: steps from … to − 1 of an encoded program (native/sampler_addon.cc). */
export interface SampleCall {
  /** The loaded tape of E and ∇ₓ(ΣE), and optionally (≥ 0) one of ∇ₓ(ΣE) alone with the same feeds. */
  readonly handle: number
  readonly gradientHandle: number
  readonly dtype: 'float32' | 'float64'
  readonly program: Float64Array
  readonly drawsPerStep: number
  /** The program's metric table (its mass matrices, src/sampler/metric.ts); none when it has no metric. */
  readonly metric?: Float64Array
  /** The tape's feeds in order; the one at xFeed is ignored (the state's position is fed there). */
  readonly feeds: readonly (Float32Array | Float64Array | null)[]
  readonly xFeed: number
  readonly energyOutput: number
  readonly gradientOutput: number
  readonly state: NativeState
  /** The stream of the state's chain 0: a call may run one block of a larger set of chains. */
  readonly firstChain?: number
  readonly seed: number
  readonly from: number
  readonly to: number
  readonly threads: number
  /** Set [0] to 1 to stop the loop before its next step. */
  readonly cancel: Int32Array
  /** The chains to record at the call's snapshots (none when absent). */
  readonly record?: SampleRecord
}

/** The addon with its sampler entry points (native/sampler_addon.cc). */
export interface SamplerAddon extends NativeAddon {
  samplerInstructions(): SamplerLayout
  sampleAsync(call: SampleCall): Promise<void>
  /**
   * The loop's batch draws on their own, for specs and benchmarks: out[i·count + j] = draw start + j of
   * stream firstStream + i, by the named instruction set ('auto': the loop's); returns the set that ran.
   */
  drawsAcrossStreams(
    kind: 'normal' | 'uniform' | 'logUniform',
    isa: 'auto' | 'avx512' | 'avx2' | 'generic',
    seed: number,
    firstStream: number,
    start: number,
    count: number,
    out: Float64Array,
  ): string
}

const fieldKind = (f: Field): FieldLayout['kind'] => (typeof f === 'string' ? f : 'choice')

const showField = (f: { readonly name: string; readonly kind: string; readonly choices?: readonly string[] }): string =>
  `${f.name}: ${f.kind}${f.choices === undefined ? '' : ` [${f.choices.join(', ')}]`}`

// Each instruction's fields, shown sorted: what must agree across the boundary (order is free on both
// sides, as programs are encoded by name).
const fieldsOfLayout = (layout: SamplerLayout) => new Map(layout.instructions.map((i) => [i.name, i.fields.map(showField).sort().join('; ')]))
const fieldsOfRegistry = () =>
  new Map(instructionDefinitions().map((d) => [d.op as string, Object.entries(d.fields).map(([name, f]) => showField({ name, kind: fieldKind(f), choices: typeof f === 'string' ? undefined : f.choice })).sort().join('; ')]))

/**
 * Instructions both sides know whose fields differ in name, kind or choices: encoding through such a
 * table would compute garbage.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fieldConflicts } from './native.js'
 * const layout = { recordSize: 2, schedules: [], noiseScales: [], instructions: [{ name: 'clamp', fields: [{ name: 'low', kind: 'number', offset: 1 }] }] } as const
 * assert.deepEqual(fieldConflicts(layout), ["'clamp' has fields {high: number; low: number} in TypeScript and {low: number} in the addon"])
 */
export const fieldConflicts = (layout: SamplerLayout): string[] => {
  const ours = fieldsOfRegistry()
  return [...fieldsOfLayout(layout)].flatMap(([name, theirs]) => {
    const fields = ours.get(name)
    return fields === undefined || fields === theirs ? [] : [`'${name}' has fields {${fields}} in TypeScript and {${theirs}} in the addon`]
  })
}

/**
 * Everything in which the addon's instruction table and the TypeScript registry disagree (empty when they
 * agree): instructions one side lacks, and fields that differ.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { samplerAddon, tableDifferences } from './native.js'
 * const status = samplerAddon()
 * if (status.addon !== undefined) {
 *   const layout = status.addon.samplerInstructions()
 *   const withoutReflect = { ...layout, instructions: layout.instructions.filter((i) => i.name !== 'reflect') }
 *   assert.ok(tableDifferences(withoutReflect).includes("'reflect' is not in the addon"))
 * }
 */
export const tableDifferences = (layout: SamplerLayout): string[] => {
  const theirs = fieldsOfLayout(layout)
  const ours = fieldsOfRegistry()
  return [
    ...[...ours.keys()].filter((name) => !theirs.has(name)).map((name) => `'${name}' is not in the addon`),
    ...[...theirs.keys()].filter((name) => !ours.has(name)).map((name) => `'${name}' is not in the TypeScript registry`),
    ...fieldConflicts(layout),
  ]
}

/**
 * The instructions of a program the addon has no handler for (a block written in TypeScript first).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { missingInstructions, samplerAddon } from './native.js'
 * import { flatten } from './program.js'
 * import { mala } from './builtins.js'
 * const status = samplerAddon()
 * if (status.addon !== undefined) assert.deepEqual(missingInstructions(flatten(mala({ stepSize: 0.1 }), 2), status.addon.samplerInstructions()), [])
 */
export const missingInstructions = (program: SamplerProgram, layout: SamplerLayout): string[] => {
  const known = new Set(layout.instructions.map((i) => i.name))
  return [...new Set(program.instructions.map((i) => i.op as string))].filter((op) => !known.has(op))
}

let checked: { readonly addon: SamplerAddon } | { readonly addon: undefined; readonly reason: string } | undefined

/**
 * The addon when it is built with the sampler loop and its instructions have the fields the TypeScript
 * registry gives them, or the reason it is not available (checked once per process).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { samplerAddon } from './native.js'
 * const status = samplerAddon()
 * // the addon, or undefined with the reason it cannot run the sampler loop
 * assert.ok(status.addon !== undefined ? typeof status.addon.sampleAsync === 'function' : status.reason.length > 0)
 */
export const samplerAddon = (): { readonly addon: SamplerAddon } | { readonly addon: undefined; readonly reason: string } => {
  if (checked !== undefined) return checked
  const status = nativeAddon()
  if (status.addon === undefined) return (checked = status)
  const addon = status.addon as Partial<SamplerAddon>
  if (typeof addon.sampleAsync !== 'function' || typeof addon.samplerInstructions !== 'function') return (checked = { addon: undefined, reason: 'the native addon was built without the sampler loop' })
  const conflicts = fieldConflicts(addon.samplerInstructions())
  if (conflicts.length > 0) return (checked = { addon: undefined, reason: `the addon's sampler instructions differ from TypeScript's (rebuild it): ${conflicts.join('; ')}` })
  return (checked = { addon: status.addon as SamplerAddon })
}

// A record writer over one layout: fields by name, codes of schedule kinds, noise kinds and choices by name.
const recordWriter = (layout: SamplerLayout) => {
  const code = (names: readonly string[], name: string, what: string): number => {
    const i = names.indexOf(name)
    if (i < 0) throw new Error(`sampler: the addon knows no ${what} '${name}' (it knows ${names.join(', ')})`)
    return i
  }
  const schedule = (out: Float64Array, at: number, s: Schedule) =>
    out.set(s.kind === 'constant' ? [code(layout.schedules, 'constant', 'schedule'), s.value, 0, 1] : [code(layout.schedules, s.kind, 'schedule'), s.from, s.to, s.steps], at)
  const noise = (out: Float64Array, at: number, n: NoiseScale) => {
    out[at] = code(layout.noiseScales, n.kind, 'noise scale')
    if (n.kind === 'scale') {
      schedule(out, at + 1, n.scale)
      schedule(out, at + 5, { kind: 'constant', value: 0 })
    } else {
      schedule(out, at + 1, n.stepSize)
      schedule(out, at + 5, n.temperature)
    }
  }
  return (out: Float64Array, at: number, f: FieldLayout, v: unknown): void => {
    if (f.kind === 'number') out[at + f.offset] = v as number
    else if (f.kind === 'choice') out[at + f.offset] = code(f.choices ?? [], v as string, `${f.name}`)
    else if (f.kind === 'schedule') schedule(out, at + f.offset, v as Schedule)
    else noise(out, at + f.offset, v as NoiseScale)
  }
}

/**
 * Encodes a flattened program for the native loop through the addon's layout: per instruction one record
 * of `layout.recordSize` numbers, its op code (the instruction's index in the addon's table) first, then
 * each field where the addon says it goes.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encodeProgram, samplerAddon } from './native.js'
 * import { flatten } from './program.js'
 * import { ula } from './builtins.js'
 * const status = samplerAddon()
 * if (status.addon !== undefined) {
 *   const layout = status.addon.samplerInstructions()
 *   assert.equal(encodeProgram(flatten(ula({ stepSize: 0.1 }), 2), layout).length, 2 * layout.recordSize) // two instructions
 * }
 */
export const encodeProgram = (program: SamplerProgram, layout: SamplerLayout): Float64Array => {
  const size = layout.recordSize
  const codes = new Map(layout.instructions.map((ins, i) => [ins.name, { code: i, fields: ins.fields }]))
  const write = recordWriter(layout)
  const out = new Float64Array(program.instructions.length * size)
  program.instructions.forEach((ins, i) => {
    const entry = codes.get(ins.op)
    if (entry === undefined) throw new Error(`sampler: the addon has no instruction '${ins.op}'`)
    const values = instructionOf(ins.op).encode(ins as never) as Readonly<Record<string, unknown>>
    out[i * size] = entry.code
    for (const f of entry.fields) {
      if (!(f.name in values)) throw new Error(`sampler: instruction '${ins.op}' encodes no field '${f.name}'`)
      write(out, i * size, f, values[f.name])
    }
  })
  return out
}

/** The compiled energy-and-gradient tape of an energy for a batch, loaded into the addon. */
export interface LoadedEnergy {
  readonly handle: number
  readonly tape: ir.Tape
  readonly xFeed: number
}

const loaded = new WeakMap<Energy, Map<number, LoadedEnergy>>()

/**
 * Compiles E and ∇ₓ(ΣE) of an energy for `chains` chains and loads the tape into the addon (once per
 * energy value and batch size).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { loadEnergy, samplerAddon } from './native.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * const status = samplerAddon()
 * if (status.addon !== undefined) assert.equal(loadEnergy(status.addon, quadratic, 8).xFeed, 0)
 */
export const loadEnergy = (addon: SamplerAddon, energy: Energy, chains: number): LoadedEnergy => {
  const known = loaded.get(energy)?.get(chains)
  if (known !== undefined) return known
  const tape = gradientTape(energy, chains)
  const handle = addon.load(tape.hash, encodeTape(tape))
  const result = { handle, tape, xFeed: tape.feeds.findIndex((f) => f.name === 'x') }
  if (!loaded.has(energy)) loaded.set(energy, new Map())
  loaded.get(energy)?.set(chains, result)
  return result
}

/**
 * The addon's handle of ∇ₓ(ΣE) alone (the feeds of {@link loadEnergy}'s tape), compiled and sent once per
 * energy value and batch size: what programs without a Metropolis test run between snapshots. Throws when
 * the addon is not built.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { loadGradient, samplerAddon } from './native.js'
 * import { define } from '../energy/energy.js'
 * import * as ir from '../ir/index.js'
 * const quadratic = define({ shape: [2], build: (x) => ir.mul(ir.sum(ir.square(x), 1), 0.5) })
 * if (samplerAddon().addon !== undefined) assert.equal(typeof loadGradient(quadratic, 8), 'number') // a handle
 */
export const loadGradient = (energy: Energy, chains: number): number => nativeHandle(gradientOnlyTape(energy, chains))

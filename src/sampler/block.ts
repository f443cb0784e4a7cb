/**
 * The sampler's two registries, kept the way src/ir/expr.ts keeps ops: **blocks**, the parts a kernel is
 * made of (drift, noise, …, and the combinators sequence, repeat, every, metropolis), and
 * **instructions**, what the runners execute once a kernel is flattened. A block file (src/sampler/blocks/)
 * registers its block with `defineBlock` and the instructions it flattens into with `defineInstruction`;
 * kernel.ts, program.ts, reference.ts and native.ts only look things up here.
 *
 * Combinators are blocks like the others: their check and flatten recurse into the blocks they hold, and
 * the ones that need the runners' help (metropolis, every) register instructions of their own (propose,
 * accept, skip). So checking, flattening and running have no special case for any block.
 *
 * @module
 */
import { typeError } from '../check/index.js'
import type { Domain, Structure } from '../energy/structure.js'
import type { Schedule } from './schedule.js'
import type { NoiseScale } from './blocks/noise.js'
import type { ReferenceStep } from './reference.js'
import type { Metric, MetricSlot } from './metric.js'

/**
 * The description of every registered block, by type: each block file adds its own entry
 * (`declare module '../block.js' { interface Blocks { drift: Drift } }`), so the `Kernel` union grows with
 * the registry and nothing lists the blocks by hand.
 */
export interface Blocks {}

/** A sampler kernel: one block, or blocks combined. */
export type Kernel = Blocks[keyof Blocks]

/** The instructions of a flattened kernel, by op (each block file adds its own, as for `Blocks`). */
export interface Instructions {}

/** One instruction of a flattened sampler program. */
export type Instruction = Instructions[keyof Instructions]

/** An instruction of a block defined outside the package (not a member of `Instruction`). */
export interface AnyInstruction {
  readonly op: string
  readonly [field: string]: unknown
}

/** How errors name a block's fields: `drift: stepSize` for a constructor, `kernel (drift).stepSize` for a description. */
export interface Where {
  /** The block itself. */
  readonly at: string
  /** One of its fields. */
  readonly field: (name: string) => string
}

/**
 * Fields named as a constructor's arguments: `drift: stepSize`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { argumentsOf } from './block.js'
 * assert.equal(argumentsOf('drift').field('stepSize'), 'drift: stepSize')
 */
export const argumentsOf = (name: string): Where => ({ at: name, field: (f) => `${name}: ${f}` })

/**
 * Fields named by their path in a description: `kernel.blocks[0] (drift).stepSize`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { pathOf } from './block.js'
 * assert.equal(pathOf('kernel', 'drift').field('stepSize'), 'kernel (drift).stepSize')
 */
export const pathOf = (path: string, type: string): Where => ({ at: `${path} (${type})`, field: (f) => `${path} (${type}).${f}` })

/** What a block's check knows about where the block sits. */
export interface CheckContext {
  /** Inside a Metropolis proposal (where `metropolis` and `every` may not sit). */
  readonly inProposal: boolean
}

/**
 * The energy a kernel is flattened for, as far as blocks care: its name (for errors), its domain, its
 * quadratic structure (where discrete blocks read local fields) and where the runners feed each of its
 * parameters (tape feed indices: x is feed 0, the parameters follow in sorted order).
 */
export interface Target {
  readonly name: string
  readonly domain: Domain
  readonly structure?: Structure
  readonly feeds: Readonly<Record<string, number>>
}

/** What a block's flatten is given: the program so far, and the means to add to it. */
export interface Flattener {
  /** Numbers per configuration. */
  readonly dimension: number
  /** The energy, when the kernel is flattened for one (a runner's always is). */
  readonly target: Target | undefined
  /** Says the program needs E at every evaluation, not only ∇E (an energy-difference flip). */
  readonly needsEnergy: () => void
  /** Says the program counts proposals and acceptances (a Metropolis test), so runs report acceptance. */
  readonly countsAcceptance: () => void
  /** Whether the instructions pushed now belong to a Metropolis proposal. */
  readonly inProposal: boolean
  /** Instructions so far. */
  readonly length: number
  /** Appends an instruction (of a registered op) and returns its index. */
  readonly push: (ins: Instruction | AnyInstruction) => number
  /** Replaces the instruction at `index` (a skip learns its length after its body is flattened). */
  readonly set: (index: number, ins: Instruction | AnyInstruction) => void
  /** The instructions from `index` on. */
  readonly from: (index: number) => readonly Instruction[]
  /** Reserves `count` draws of every step (rounded up to even) and returns the offset of the first. */
  readonly draws: (count: number) => number
  /** Flattens a block held by this one. */
  readonly walk: (k: Kernel) => void
  /** Flattens a Metropolis proposal: its blocks see `inProposal`, and the program reports acceptance. */
  readonly proposal: (k: Kernel) => void
  /** Lays a mass matrix out in the program's metric table (once per metric value); null for the identity. */
  readonly metric: (m: Metric | undefined) => MetricSlot | null
}

/**
 * Everything the system knows about one block. A block of the package is a member of `Kernel` (its file
 * declares it in `Blocks`); one defined elsewhere is typed by its own description.
 */
export interface BlockDefinition<K extends { readonly type: string } = Kernel> {
  readonly type: K['type']
  /**
   * Checks a description's fields (one from outside may be any JSON) and returns it normalised and
   * frozen; the block's constructor builds its description and checks it here too, so every check is
   * written once. Errors name fields through `where`.
   */
  readonly check: (k: Readonly<Record<string, unknown>>, where: Where, context: CheckContext) => K
  /** Appends the block's instructions. */
  readonly flatten: (k: K, f: Flattener) => void
  /** The blocks a Metropolis proposal made of this one runs, spelled out (combinators; default: itself). */
  readonly leaves?: (k: K) => readonly Kernel[]
  /**
   * True for a map that keeps a symmetric proposal symmetric when it follows it (a reflection at the
   * faces of a box): q(x′ | x) = q(x | x′) still holds on the image. `correctionOf` reads it.
   */
  readonly keepsSymmetry?: boolean
  /**
   * The domains the block samples: 'any' for a combinator (its blocks are judged one by one), otherwise
   * the domains of the energies it may run on (default ['real']: it moves real coordinates).
   */
  readonly domains?: 'any' | readonly Domain[]
}

const blocks = new Map<string, BlockDefinition>()

/** A registered block, with a `build` that checks a constructor's description. */
export interface DefinedBlock<K extends { readonly type: string }> extends BlockDefinition<K> {
  /** Checks a description built by the block's constructor `name` (errors name its arguments). */
  readonly build: (k: Readonly<Record<string, unknown>>, name: string) => K
}

/** Registers a block; each block file calls this once per block. */
export const defineBlock = <K extends { readonly type: string }>(def: BlockDefinition<K>): DefinedBlock<K> => {
  if (blocks.has(def.type)) throw new Error(`sampler: block '${def.type}' is defined twice`)
  blocks.set(def.type, def as unknown as BlockDefinition)
  return { ...def, build: (k, name) => def.check(k, argumentsOf(name), { inProposal: false }) }
}

/** The definition of a registered block type, or undefined. */
export const blockOf = (type: unknown): BlockDefinition | undefined => (typeof type === 'string' ? blocks.get(type) : undefined)

/**
 * The types of every registered block, or of those that may run on energies of `domain` (combinators
 * included: they run on any).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { blockTypes } from './index.js'
 * assert.ok(blockTypes().includes('heatBath'))
 * assert.ok(blockTypes({ domain: 'real' }).includes('leapfrog') && !blockTypes({ domain: 'real' }).includes('heatBath'))
 * assert.ok(blockTypes({ domain: 'spins' }).includes('sequence'))
 */
export const blockTypes = (o: { readonly domain?: Domain } = {}): readonly string[] =>
  [...blocks.values()].filter((b) => o.domain === undefined || b.domains === 'any' || (b.domains ?? ['real']).includes(o.domain)).map((b) => b.type)

/**
 * True for a value that looks like a kernel (an object with a registered block type); `checkKernel`
 * checks it through.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { isKernel, drift } from './kernel.js'
 * assert.equal(isKernel(drift({ stepSize: 0.1 })), true)
 * assert.equal(isKernel({ type: 'teleport' }), false)
 */
export const isKernel = (v: unknown): v is Kernel => typeof v === 'object' && v !== null && blockOf((v as { type?: unknown }).type) !== undefined

/**
 * Checks a kernel through (every block, every schedule), as a value from outside may be any JSON, and
 * returns it normalised (numbers where schedules go become constant schedules); the error names the path
 * of the bad block.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkKernel, drift } from './kernel.js'
 * assert.deepEqual(checkKernel(JSON.parse(JSON.stringify(drift({ stepSize: 0.1 }))), 'kernel'), drift({ stepSize: 0.1 }))
 * assert.throws(() => checkKernel({ type: 'drift', stepSize: -1, clip: null }, 'kernel'), { message: 'kernel (drift).stepSize: expected a positive number, got -1' })
 */
export const checkKernel = (k: unknown, path: string, context: CheckContext = { inProposal: false }): Kernel => {
  const def = isKernel(k) ? blockOf(k.type) : undefined
  if (def === undefined) throw typeError(path, `a sampler kernel (a block of type ${blockTypes().join(', ')})`, k)
  return def.check(k as unknown as Readonly<Record<string, unknown>>, pathOf(path, (k as Kernel).type), context)
}

/** What an instruction's native record field holds: a number, one of a few names, a schedule, or a noise scale. */
export type Field = 'number' | 'schedule' | 'noise' | { readonly choice: readonly string[] }

/** The value a field of a given kind holds. */
export type FieldValue<F extends Field> = F extends 'number' ? number : F extends 'schedule' ? Schedule : F extends 'noise' ? NoiseScale : F extends { readonly choice: readonly (infer C)[] } ? C : never

/** Everything the runners know about one instruction. */
export interface InstructionDefinition<I extends { readonly op: string } = Instruction, F extends Readonly<Record<string, Field>> = Readonly<Record<string, Field>>> {
  readonly op: I['op']
  /** The fields of its native record, by name (the addon reports the same names and kinds). */
  readonly fields: F
  /** The values of those fields. */
  readonly encode: (ins: I) => { readonly [N in keyof F]: FieldValue<F[N]> }
  /**
   * Its reference step: updates every chain of `run` in float64. Returns how many of the instructions
   * after it to skip this step (a skip instruction's business), or nothing.
   */
  readonly reference: (ins: I, run: ReferenceStep) => number | void
  /**
   * What a program that holds it must do: evaluate E at every step, not only ∇E (it reads the energy), and
   * count proposals and acceptances, and report NUTS trees (the state's `trees`). Pushing it sets these whatever block pushed it, so a user's block
   * that emits `accept` without `proposal(…)` cannot leave the test reading a stale E.
   */
  readonly requires?: { readonly energy?: boolean; readonly acceptance?: boolean; readonly trees?: boolean }
}

const instructions = new Map<string, InstructionDefinition>()

/** Registers an instruction; the block file that flattens into it calls this once. */
export const defineInstruction = <I extends { readonly op: string }, F extends Readonly<Record<string, Field>>>(def: InstructionDefinition<I, F>): InstructionDefinition<I, F> => {
  if (instructions.has(def.op)) throw new Error(`sampler: instruction '${def.op}' is defined twice`)
  instructions.set(def.op, def as unknown as InstructionDefinition)
  return def
}

/**
 * The definition of a registered instruction; a plain Error for an unknown op, which only a broken
 * program can hold (flatten emits registered instructions only).
 */
export const instructionOf = (op: string): InstructionDefinition => {
  const def = instructions.get(op)
  if (def === undefined) throw new Error(`sampler: unknown instruction '${op}' (known: ${[...instructions.keys()].join(', ')})`)
  return def
}

/** Every registered instruction. */
export const instructionDefinitions = (): readonly InstructionDefinition[] => [...instructions.values()]

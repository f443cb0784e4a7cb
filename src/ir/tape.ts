/**
 * Tapes: compiled programs as plain, serialisable data.
 *
 * A tape lists its feeds (inputs and params, by name), constants, and instructions in execution order.
 * Every value lives in a numbered buffer slot; slots are reused once their value is dead, so a tape of a
 * long derivative graph needs few buffers. An instruction never writes a slot it reads. Both executors
 * (the TypeScript reference here and the native addon) run the same tape; the native side caches tapes by
 * their `hash`.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { array, rangeError, string, typeError } from '../check/index.js'
import { type Attrs, opDef, opNames } from './expr.js'
import { checkShape, type Shape, sameShape, showShape, size } from './shape.js'

/** A value fed by name at evaluation time. */
export interface TapeFeed {
  readonly name: string
  readonly kind: 'input' | 'param'
  readonly shape: Shape
  readonly slot: number
}

/** A constant loaded into a slot before the instructions run. */
export interface TapeConstant {
  readonly slot: number
  readonly shape: Shape
  readonly value: readonly number[]
}

/** One op applied to slots: reads `args` (of shapes `argShapes`), writes `out` (of shape `shape`). */
export interface TapeInstruction {
  readonly op: string
  readonly attrs: Attrs
  readonly args: readonly number[]
  readonly argShapes: readonly Shape[]
  readonly out: number
  readonly shape: Shape
}

/** Where an output of the tape is found when the instructions are done. */
export interface TapeOutput {
  readonly slot: number
  readonly shape: Shape
}

/** A compiled program: plain data, serialisable with {@link serializeTape}, identified by `hash`. */
export interface Tape {
  readonly format: 'heatbath-tape'
  readonly version: 1
  /** The size in elements of each buffer slot. */
  readonly slots: readonly number[]
  readonly feeds: readonly TapeFeed[]
  readonly constants: readonly TapeConstant[]
  readonly instructions: readonly TapeInstruction[]
  readonly outputs: readonly TapeOutput[]
  /** SHA-256 of the canonical serialisation of everything above. */
  readonly hash: string
}

/** A tape before its hash is computed. */
export type TapeBody = Omit<Tape, 'hash'>

// JSON has no NaN or ±Infinity; they are written as the strings "NaN", "Infinity", "-Infinity".
const encodeNumbers = (_k: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)
const nonFinite: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }

const canonical = (body: TapeBody): string =>
  JSON.stringify(
    {
      format: body.format,
      version: body.version,
      slots: body.slots,
      feeds: body.feeds.map((f) => ({ name: f.name, kind: f.kind, shape: f.shape, slot: f.slot })),
      constants: body.constants.map((c) => ({ slot: c.slot, shape: c.shape, value: c.value })),
      instructions: body.instructions.map((i) => ({ op: i.op, attrs: i.attrs, args: i.args, argShapes: i.argShapes, out: i.out, shape: i.shape })),
      outputs: body.outputs.map((o) => ({ slot: o.slot, shape: o.shape })),
    },
    encodeNumbers,
  )

// Tapes sealed here (by compile, parseTape or checkTape) are well formed and frozen; any other value
// offered as a tape is validated before it runs.
const sealed = new WeakSet<Tape>()

/** Seals a tape body with its hash. */
export const sealTape = (body: TapeBody): Tape => {
  const hash = createHash('sha256').update(canonical(body)).digest('hex')
  const tape = deepFreeze({ ...body, hash })
  sealed.add(tape)
  return tape
}

/**
 * A tape that is safe to run: one sealed by compile or parseTape as it is; any other value validated
 * (see {@link validateTape}) and its hash checked against its content, then sealed. `what` names the
 * caller.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * import { checkTape } from './tape.js'
 * const x = ir.input('x', [2])
 * const tape = ir.compile([ir.exp(x)], [x])
 * assert.equal(checkTape(tape, 'ir.runReference'), tape)
 * assert.throws(() => checkTape({ ...tape, hash: 'abc' }, 'ir.runReference'), { name: 'RangeError', message: /^ir\.runReference: tape\.hash: expected [0-9a-f]{64} \(the hash of the tape's content\), got "abc"$/ })
 */
export const checkTape = (tape: unknown, what: string): Tape => {
  if (typeof tape === 'object' && tape !== null && sealed.has(tape as Tape)) return tape as Tape
  const checked = sealTape(validateTape(tape))
  const given = (tape as { hash?: unknown }).hash
  if (checked.hash !== given) throw rangeError(`${what}: tape.hash`, `${checked.hash} (the hash of the tape's content)`, given)
  return checked
}

/**
 * Writes a tape as JSON text (non-finite constants as strings).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * const tape = ir.compile([ir.exp(x)], [x])
 * assert.equal(ir.parseTape(ir.serializeTape(tape)).hash, tape.hash)
 */
export const serializeTape = (tape: Tape): string => {
  const checked = checkTape(tape, 'ir.serializeTape')
  return JSON.stringify({ ...JSON.parse(canonical(checked)), hash: checked.hash })
}

/**
 * Reads a tape from JSON text and validates it completely (see {@link validateTape}); a tape whose hash
 * does not match its content is refused.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * assert.throws(() => ir.parseTape('{"format":'), { name: 'RangeError', message: /^parseTape: text: expected the JSON text of a tape, got text that does not parse/ })
 */
export const parseTape = (text: string): Tape => {
  let raw: unknown
  try {
    raw = JSON.parse(string(text, 'parseTape: text'), (_k, v: unknown) => (typeof v === 'string' && v in nonFinite ? nonFinite[v] : v))
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e
    throw new RangeError(`parseTape: text: expected the JSON text of a tape, got text that does not parse (${e.message})`)
  }
  const tape = validateTape(raw)
  const sealed = sealTape(tape)
  const stored = (raw as { hash?: unknown }).hash
  if (sealed.hash !== stored) throw rangeError('parseTape: hash', `${sealed.hash} (the hash of the content)`, stored)
  return sealed
}

// Validation errors name the path into the tape: a value of the wrong type is a TypeError, a value of the
// right type that breaks the tape's rules a RangeError.
const wrongType = (path: string, expected: string, got: unknown): never => {
  throw typeError(`tape${path}`, expected, got)
}
const wrongValue = (path: string, expected: string, got: unknown): never => {
  throw rangeError(`tape${path}`, expected, got)
}
const broken = (path: string, message: string): never => {
  throw new RangeError(`tape${path}: ${message}`)
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const obj = (v: unknown, path: string): Record<string, unknown> => (isObj(v) ? v : wrongType(path, 'an object', v))
const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : wrongType(path, 'an array', v))
const int = (v: unknown, path: string, max: number): number => {
  if (typeof v !== 'number') return wrongType(path, `an integer in [0, ${max})`, v)
  return Number.isSafeInteger(v) && v >= 0 && v < max ? v : wrongValue(path, `an integer in [0, ${max})`, v)
}
const shapeAt = (v: unknown, path: string): Shape => checkShape(v, `tape${path}`)

/**
 * Checks that a value is a well-formed tape: known ops, slot indices in range, buffers large enough,
 * every shape consistent with its op's shape rule, no slot read before it is written, no instruction
 * writing a slot it reads. Returns the tape body; throws an error naming the path of the first problem
 * (a TypeError for a value of the wrong type, a RangeError for one that breaks a rule).
 * Executors call this on anything that did not come from {@link compile}.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * const tape = ir.compile([ir.exp(x)], [x])
 * assert.equal(ir.validateTape(tape).instructions.length, 1)
 * assert.throws(() => ir.validateTape({ ...tape, version: 2 }), { name: 'RangeError', message: 'tape.version: expected 1, got 2' })
 */
export const validateTape = (raw: unknown): TapeBody => {
  const t = obj(raw, '')
  if (t.format !== 'heatbath-tape') wrongValue('.format', '"heatbath-tape"', t.format)
  if (t.version !== 1) wrongValue('.version', '1', t.version)
  const slots = arr(t.slots, '.slots').map((s, i) => int(s, `.slots[${i}]`, 2 ** 31 + 1))
  const v: Validation = { slots, written: new Array<boolean>(slots.length).fill(false), held: new Array<Shape | undefined>(slots.length), pinned: [], names: new Set() }
  const feeds = arr(t.feeds, '.feeds').map((raw, i) => feedAt(v, raw, `.feeds[${i}]`))
  const constants = arr(t.constants, '.constants').map((raw, i) => constantAt(v, raw, `.constants[${i}]`))
  v.pinned = v.written.slice()
  const instructions = arr(t.instructions, '.instructions').map((raw, i) => instructionAt(v, raw, `.instructions[${i}]`))
  const outputs = arr(t.outputs, '.outputs').map((raw, i) => outputAt(v, raw, `.outputs[${i}]`))
  return { format: 'heatbath-tape', version: 1, slots, feeds, constants, instructions, outputs }
}

/**
 * What validating a tape has seen so far: the slots' sizes, which are written, the shape each holds now
 * (every read is checked against the last write), those holding feeds and constants, the feeds' names.
 */
interface Validation {
  readonly slots: readonly number[]
  readonly written: boolean[]
  readonly held: (Shape | undefined)[]
  pinned: readonly boolean[]
  readonly names: Set<string>
}

const fits = (v: Validation, slot: number, shape: Shape, path: string): void => {
  if (size(shape) > v.slots[slot]) broken(path, `expected a slot of at least ${size(shape)} elements (shape ${showShape(shape)}), got slot ${slot} of ${v.slots[slot]}`)
}

// A feed's or constant's slot: large enough, not taken before; it then holds `shape`.
const take = (v: Validation, slot: number, shape: Shape, path: string): void => {
  fits(v, slot, shape, path)
  if (v.written[slot]) broken(`${path}.slot`, `expected a slot not already taken, got slot ${slot}`)
  v.written[slot] = true
  v.held[slot] = shape
}

const feedAt = (v: Validation, raw: unknown, p: string): TapeFeed => {
  const f = obj(raw, p)
  const name = typeof f.name === 'string' ? f.name : wrongType(`${p}.name`, 'a non-empty string', f.name)
  if (name === '') wrongValue(`${p}.name`, 'a non-empty string', name)
  if (v.names.has(name)) wrongValue(`${p}.name`, 'a name no earlier feed has', name)
  v.names.add(name)
  if (f.kind !== 'input' && f.kind !== 'param') wrongValue(`${p}.kind`, '"input" or "param"', f.kind)
  const shape = shapeAt(f.shape, `${p}.shape`)
  const slot = int(f.slot, `${p}.slot`, v.slots.length)
  take(v, slot, shape, p)
  return { name, kind: f.kind as 'input' | 'param', shape, slot }
}

const constantAt = (v: Validation, raw: unknown, p: string): TapeConstant => {
  const c = obj(raw, p)
  const shape = shapeAt(c.shape, `${p}.shape`)
  const slot = int(c.slot, `${p}.slot`, v.slots.length)
  const value = arr(c.value, `${p}.value`)
  array(value, `tape${p}.value`, { length: size(shape), lengthReason: `constants of shape ${showShape(shape)}` })
  value.forEach((x, j) => typeof x === 'number' || wrongType(`${p}.value[${j}]`, 'a number', x))
  take(v, slot, shape, p)
  return { slot, shape, value: value as number[] }
}

// An instruction's op, its operands (each written before and holding the shape declared for it) and attrs.
const operandsAt = (v: Validation, ins: Record<string, unknown>, p: string) => {
  const op = typeof ins.op === 'string' ? ins.op : wrongType(`${p}.op`, 'a string', ins.op)
  const ops = opNames().filter((name) => opDef(name).kind !== 'leaf')
  if (!ops.includes(op)) wrongValue(`${p}.op`, `the op of an instruction (one of ${ops.join(', ')})`, op)
  const def = opDef(op)
  const args = arr(ins.args, `${p}.args`).map((a, j) => int(a, `${p}.args[${j}]`, v.slots.length))
  if (def.arity !== 'variadic' ? args.length !== def.arity : args.length === 0) broken(`${p}.args`, `expected ${def.arity === 'variadic' ? 'at least 1' : def.arity} operand(s) of '${op}', got ${args.length}`)
  const argShapes = arr(ins.argShapes, `${p}.argShapes`).map((s, j) => shapeAt(s, `${p}.argShapes[${j}]`))
  if (argShapes.length !== args.length) broken(`${p}.argShapes`, `expected ${args.length} shapes (one per arg), got ${argShapes.length}`)
  args.forEach((a, j) => {
    if (!v.written[a]) broken(`${p}.args[${j}]`, `expected a slot written before it is read, got slot ${a}`)
    if (!sameShape(v.held[a] as Shape, argShapes[j])) broken(`${p}.argShapes[${j}]`, `expected ${showShape(v.held[a] as Shape)}, the shape slot ${a} holds, got ${showShape(argShapes[j])}`)
  })
  return { op, def, args, argShapes, given: obj(ins.attrs, `${p}.attrs`) }
}

const instructionAt = (v: Validation, raw: unknown, p: string): TapeInstruction => {
  const ins = obj(raw, p)
  const { op, def, args, argShapes, given } = operandsAt(v, ins, p)
  let attrs: Attrs
  let shape: Shape
  try {
    attrs = def.attrs ? def.attrs(given as Attrs) : (given as Attrs)
    shape = def.shape(argShapes, attrs)
  } catch (e) {
    // The op's own checks, reported at the instruction's path with their class.
    throw new (e instanceof TypeError ? TypeError : RangeError)(`tape${p}: ${(e as Error).message}`)
  }
  const declared = shapeAt(ins.shape, `${p}.shape`)
  if (!sameShape(declared, shape)) broken(`${p}.shape`, `expected ${showShape(shape)} ('${op}' of ${argShapes.map(showShape).join(', ')}), got ${showShape(declared)}`)
  const out = int(ins.out, `${p}.out`, v.slots.length)
  if (v.pinned[out]) broken(`${p}.out`, `expected a slot that holds no feed or constant, got slot ${out}`)
  if (args.includes(out)) broken(`${p}.out`, `expected a slot the instruction does not read, got slot ${out}`)
  fits(v, out, shape, p)
  v.written[out] = true
  v.held[out] = shape
  return { op, attrs, args, argShapes, out, shape }
}

const outputAt = (v: Validation, raw: unknown, p: string): TapeOutput => {
  const o = obj(raw, p)
  const slot = int(o.slot, `${p}.slot`, v.slots.length)
  const shape = shapeAt(o.shape, `${p}.shape`)
  if (!v.written[slot]) broken(`${p}.slot`, `expected a slot the tape writes, got slot ${slot}`)
  if (!sameShape(v.held[slot] as Shape, shape)) broken(`${p}.shape`, `expected ${showShape(v.held[slot] as Shape)}, the shape slot ${slot} holds, got ${showShape(shape)}`)
  return { slot, shape }
}

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k])
  }
  return v
}

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
 * assert.equal(checkTape(tape, 'ir.evaluate'), tape)
 * assert.throws(() => checkTape({ ...tape, hash: 'abc' }, 'ir.evaluate'), { name: 'RangeError', message: /^ir\.evaluate: tape\.hash: expected [0-9a-f]{64} \(the hash of the tape's content\), got "abc"$/ })
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
  const written = new Array<boolean>(slots.length).fill(false)
  // The shape of the value each slot holds now, so that every read is checked against the last write.
  const held = new Array<Shape | undefined>(slots.length)
  const fits = (slot: number, shape: Shape, path: string) => {
    if (size(shape) > slots[slot]) broken(path, `expected a slot of at least ${size(shape)} elements (shape ${showShape(shape)}), got slot ${slot} of ${slots[slot]}`)
  }
  const take = (slot: number, path: string) => {
    if (written[slot]) broken(path, `expected a slot not already taken, got slot ${slot}`)
    written[slot] = true
  }
  const names = new Set<string>()
  const feeds = arr(t.feeds, '.feeds').map((raw, i): TapeFeed => {
    const p = `.feeds[${i}]`
    const f = obj(raw, p)
    const name = typeof f.name === 'string' ? f.name : wrongType(`${p}.name`, 'a non-empty string', f.name)
    if (name === '') wrongValue(`${p}.name`, 'a non-empty string', name)
    if (names.has(name)) wrongValue(`${p}.name`, 'a name no earlier feed has', name)
    names.add(name)
    if (f.kind !== 'input' && f.kind !== 'param') wrongValue(`${p}.kind`, '"input" or "param"', f.kind)
    const shape = shapeAt(f.shape, `${p}.shape`)
    const slot = int(f.slot, `${p}.slot`, slots.length)
    fits(slot, shape, p)
    take(slot, `${p}.slot`)
    held[slot] = shape
    return { name, kind: f.kind as 'input' | 'param', shape, slot }
  })
  const constants = arr(t.constants, '.constants').map((raw, i): TapeConstant => {
    const p = `.constants[${i}]`
    const c = obj(raw, p)
    const shape = shapeAt(c.shape, `${p}.shape`)
    const slot = int(c.slot, `${p}.slot`, slots.length)
    const value = arr(c.value, `${p}.value`)
    array(value, `tape${p}.value`, { length: size(shape), lengthReason: `constants of shape ${showShape(shape)}` })
    value.forEach((v, j) => typeof v === 'number' || wrongType(`${p}.value[${j}]`, 'a number', v))
    fits(slot, shape, p)
    take(slot, `${p}.slot`)
    held[slot] = shape
    return { slot, shape, value: value as number[] }
  })
  const pinned = written.slice()
  const instructions = arr(t.instructions, '.instructions').map((raw, i): TapeInstruction => {
    const p = `.instructions[${i}]`
    const ins = obj(raw, p)
    const op = typeof ins.op === 'string' ? ins.op : wrongType(`${p}.op`, 'a string', ins.op)
    const ops = opNames().filter((name) => opDef(name).kind !== 'leaf')
    if (!ops.includes(op)) wrongValue(`${p}.op`, `the op of an instruction (one of ${ops.join(', ')})`, op)
    const def = opDef(op)
    const args = arr(ins.args, `${p}.args`).map((a, j) => int(a, `${p}.args[${j}]`, slots.length))
    if (def.arity !== 'variadic' ? args.length !== def.arity : args.length === 0) broken(`${p}.args`, `expected ${def.arity === 'variadic' ? 'at least 1' : def.arity} operand(s) of '${op}', got ${args.length}`)
    const argShapes = arr(ins.argShapes, `${p}.argShapes`).map((s, j) => shapeAt(s, `${p}.argShapes[${j}]`))
    if (argShapes.length !== args.length) broken(`${p}.argShapes`, `expected ${args.length} shapes (one per arg), got ${argShapes.length}`)
    args.forEach((a, j) => {
      if (!written[a]) broken(`${p}.args[${j}]`, `expected a slot written before it is read, got slot ${a}`)
      if (!sameShape(held[a] as Shape, argShapes[j])) broken(`${p}.argShapes[${j}]`, `expected ${showShape(held[a] as Shape)}, the shape slot ${a} holds, got ${showShape(argShapes[j])}`)
    })
    const given = obj(ins.attrs, `${p}.attrs`)
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
    const out = int(ins.out, `${p}.out`, slots.length)
    if (pinned[out]) broken(`${p}.out`, `expected a slot that holds no feed or constant, got slot ${out}`)
    if (args.includes(out)) broken(`${p}.out`, `expected a slot the instruction does not read, got slot ${out}`)
    fits(out, shape, p)
    written[out] = true
    held[out] = shape
    return { op, attrs, args, argShapes, out, shape }
  })
  const outputs = arr(t.outputs, '.outputs').map((raw, i): TapeOutput => {
    const p = `.outputs[${i}]`
    const o = obj(raw, p)
    const slot = int(o.slot, `${p}.slot`, slots.length)
    const shape = shapeAt(o.shape, `${p}.shape`)
    if (!written[slot]) broken(`${p}.slot`, `expected a slot the tape writes, got slot ${slot}`)
    if (!sameShape(held[slot] as Shape, shape)) broken(`${p}.shape`, `expected ${showShape(held[slot] as Shape)}, the shape slot ${slot} holds, got ${showShape(shape)}`)
    return { slot, shape }
  })
  return { format: 'heatbath-tape', version: 1, slots, feeds, constants, instructions, outputs }
}

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k])
  }
  return v
}

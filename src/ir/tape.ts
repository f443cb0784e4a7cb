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
import { type Attrs, opDef } from './expr.js'
import { checkShape, describe, type Shape, sameShape, showShape, size } from './shape.js'

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

/** Seals a tape body with its hash. */
export const sealTape = (body: TapeBody): Tape => {
  const hash = createHash('sha256').update(canonical(body)).digest('hex')
  return deepFreeze({ ...body, hash })
}

/**
 * Writes a tape as JSON text (non-finite constants as strings).
 *
 * @example
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * const text = ir.serializeTape(ir.compile([ir.exp(x)], [x]))
 * ir.parseTape(text).hash // the same hash
 */
export const serializeTape = (tape: Tape): string => JSON.stringify({ ...JSON.parse(canonical(tape)), hash: tape.hash })

/**
 * Reads a tape from JSON text and validates it completely (see {@link validateTape}); a tape whose hash
 * does not match its content is refused.
 */
export const parseTape = (text: string): Tape => {
  let raw: unknown
  try {
    raw = JSON.parse(text, (_k, v: unknown) => (typeof v === 'string' && v in nonFinite ? nonFinite[v] : v))
  } catch (e) {
    throw new SyntaxError(`parseTape: not JSON (${(e as Error).message})`)
  }
  const tape = validateTape(raw)
  const sealed = sealTape(tape)
  if (sealed.hash !== (raw as { hash?: unknown }).hash) {
    throw new Error(`parseTape: hash mismatch (stored ${describe((raw as { hash?: unknown }).hash)}, content hashes to ${sealed.hash})`)
  }
  return sealed
}

const fail = (path: string, msg: string): never => {
  throw new TypeError(`tape${path}: ${msg}`)
}
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const arr = (v: unknown, path: string): unknown[] => (Array.isArray(v) ? v : fail(path, `expected an array, got ${describe(v)}`))
const int = (v: unknown, path: string, max: number): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v < max ? v : fail(path, `expected an integer in [0, ${max}), got ${describe(v)}`)
const shapeAt = (v: unknown, path: string): Shape => {
  try {
    return checkShape(v, `tape${path}`)
  } catch (e) {
    return fail(path, (e as Error).message)
  }
}

/**
 * Checks that a value is a well-formed tape: known ops, slot indices in range, buffers large enough,
 * every shape consistent with its op's shape rule, no slot read before it is written, no instruction
 * writing a slot it reads. Returns the tape body; throws an error naming the path of the first problem.
 * Executors call this on anything that did not come from {@link compile}.
 */
export const validateTape = (raw: unknown): TapeBody => {
  if (!isObj(raw)) fail('', `expected an object, got ${describe(raw)}`)
  const t = raw as Record<string, unknown>
  if (t.format !== 'heatbath-tape') fail('.format', `expected "heatbath-tape", got ${describe(t.format)}`)
  if (t.version !== 1) fail('.version', `expected 1, got ${describe(t.version)}`)
  const slots = arr(t.slots, '.slots').map((s, i) => int(s, `.slots[${i}]`, 2 ** 31 + 1))
  const written = new Array<boolean>(slots.length).fill(false)
  // The shape of the value each slot holds now, so that every read is checked against the last write.
  const held = new Array<Shape | undefined>(slots.length)
  const fits = (slot: number, shape: Shape, path: string) => {
    if (size(shape) > slots[slot]) fail(path, `shape ${showShape(shape)} needs ${size(shape)} elements; slot ${slot} has ${slots[slot]}`)
  }
  const names = new Set<string>()
  const feeds = arr(t.feeds, '.feeds').map((f, i): TapeFeed => {
    const p = `.feeds[${i}]`
    if (!isObj(f)) return fail(p, `expected an object, got ${describe(f)}`)
    if (typeof f.name !== 'string' || f.name === '') fail(`${p}.name`, `expected a non-empty string, got ${describe(f.name)}`)
    if (names.has(f.name as string)) fail(`${p}.name`, `duplicate feed name ${describe(f.name)}`)
    names.add(f.name as string)
    if (f.kind !== 'input' && f.kind !== 'param') fail(`${p}.kind`, `expected "input" or "param", got ${describe(f.kind)}`)
    const shape = shapeAt(f.shape, `${p}.shape`)
    const slot = int(f.slot, `${p}.slot`, slots.length)
    fits(slot, shape, p)
    if (written[slot]) fail(`${p}.slot`, `slot ${slot} is already taken`)
    written[slot] = true
    held[slot] = shape
    return { name: f.name as string, kind: f.kind as 'input' | 'param', shape, slot }
  })
  const constants = arr(t.constants, '.constants').map((c, i): TapeConstant => {
    const p = `.constants[${i}]`
    if (!isObj(c)) return fail(p, `expected an object, got ${describe(c)}`)
    const shape = shapeAt(c.shape, `${p}.shape`)
    const slot = int(c.slot, `${p}.slot`, slots.length)
    const value = arr(c.value, `${p}.value`)
    if (value.length !== size(shape)) fail(`${p}.value`, `has ${value.length} numbers; shape ${showShape(shape)} needs ${size(shape)}`)
    value.forEach((v, j) => typeof v === 'number' || fail(`${p}.value[${j}]`, `expected a number, got ${describe(v)}`))
    fits(slot, shape, p)
    if (written[slot]) fail(`${p}.slot`, `slot ${slot} is already taken`)
    written[slot] = true
    held[slot] = shape
    return { slot, shape, value: value as number[] }
  })
  const pinned = written.slice()
  const instructions = arr(t.instructions, '.instructions').map((ins, i): TapeInstruction => {
    const p = `.instructions[${i}]`
    if (!isObj(ins)) return fail(p, `expected an object, got ${describe(ins)}`)
    if (typeof ins.op !== 'string') return fail(`${p}.op`, `expected a string, got ${describe(ins.op)}`)
    let def
    try {
      def = opDef(ins.op)
    } catch (e) {
      return fail(`${p}.op`, (e as Error).message)
    }
    if (def.kind === 'leaf') fail(`${p}.op`, `'${ins.op}' is a leaf, not an instruction`)
    const args = arr(ins.args, `${p}.args`).map((a, j) => int(a, `${p}.args[${j}]`, slots.length))
    if (def.arity !== 'variadic' ? args.length !== def.arity : args.length === 0) fail(`${p}.args`, `'${ins.op}' takes ${def.arity} operand(s), got ${args.length}`)
    const argShapes = arr(ins.argShapes, `${p}.argShapes`).map((s, j) => shapeAt(s, `${p}.argShapes[${j}]`))
    if (argShapes.length !== args.length) fail(`${p}.argShapes`, `has ${argShapes.length} shapes for ${args.length} args`)
    args.forEach((a, j) => {
      if (!written[a]) fail(`${p}.args[${j}]`, `slot ${a} is read before it is written`)
      if (!sameShape(held[a] as Shape, argShapes[j])) fail(`${p}.argShapes[${j}]`, `slot ${a} holds ${showShape(held[a] as Shape)}, not ${showShape(argShapes[j])}`)
    })
    if (!isObj(ins.attrs)) fail(`${p}.attrs`, `expected an object, got ${describe(ins.attrs)}`)
    let attrs: Attrs
    let shape: Shape
    try {
      attrs = def.attrs ? def.attrs(ins.attrs as Attrs) : (ins.attrs as Attrs)
      shape = def.shape(argShapes, attrs)
    } catch (e) {
      return fail(p, (e as Error).message)
    }
    const declared = shapeAt(ins.shape, `${p}.shape`)
    if (!sameShape(declared, shape)) fail(`${p}.shape`, `'${ins.op}' of ${argShapes.map(showShape).join(', ')} gives ${showShape(shape)}, not ${showShape(declared)}`)
    const out = int(ins.out, `${p}.out`, slots.length)
    if (pinned[out]) fail(`${p}.out`, `slot ${out} holds a feed or constant and must not be overwritten`)
    if (args.includes(out)) fail(`${p}.out`, `slot ${out} is both read and written by one instruction`)
    fits(out, shape, p)
    written[out] = true
    held[out] = shape
    return { op: ins.op, attrs, args, argShapes, out, shape }
  })
  const outputs = arr(t.outputs, '.outputs').map((o, i): TapeOutput => {
    const p = `.outputs[${i}]`
    if (!isObj(o)) return fail(p, `expected an object, got ${describe(o)}`)
    const slot = int(o.slot, `${p}.slot`, slots.length)
    const shape = shapeAt(o.shape, `${p}.shape`)
    if (!written[slot]) fail(`${p}.slot`, `slot ${slot} is never written`)
    if (!sameShape(held[slot] as Shape, shape)) fail(`${p}.shape`, `slot ${slot} holds ${showShape(held[slot] as Shape)}, not ${showShape(shape)}`)
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

/**
 * Saving and loading an energy's parameters: one safetensors file holding every parameter as an F64
 * tensor (readable by PyTorch, JAX, NumPy through their safetensors libraries) and, in `__metadata__`,
 * the energy's description and a checksum:
 *
 * | key | value |
 * | --- | --- |
 * | `format` | `heatbath.parameters` |
 * | `version` | `1` |
 * | `energy` | the energy's description, as JSON |
 * | `sha256` | SHA-256 (hex) of the energy JSON, the tensor table and the data, so corruption is caught |
 *
 * Catalogue energies and combinations of them are rebuilt from the description; energies written with
 * `energy.define` and a builder of one's own cannot be (a function is not data), so loading their
 * parameters needs the energy value passed in. Either way the parameters are checked against the energy,
 * name by name and shape by shape, and an error names the one that is wrong.
 *
 * Files are written atomically: to a temporary file in the same directory, flushed to disk (fsync), then
 * renamed over the target, so a crash leaves the old file or the new one, never half of one.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import * as t from 'io-ts'
import { array, object, options as checkOptions, rangeError, string, typeError } from '../check/index.js'
import * as energy from '../energy/index.js'
import * as ir from '../ir/index.js'
import { discreteDescriptions } from './descriptions.js'
import { decodeOrThrow, Json } from './decode.js'
import { decode, encode, type Tensor } from './safetensors.js'

/** The format name written in `__metadata__.format`. */
export const parametersFormat = 'heatbath.parameters'
/** The format version written in `__metadata__.version`. */
export const parametersVersion = '1'

/** An energy and its parameter values, as loaded. */
export interface Loaded {
  readonly energy: energy.Energy
  readonly params: energy.Params
}

const ParametersMetadata = t.strict({
  format: t.literal(parametersFormat, `"${parametersFormat}"`),
  version: t.literal(parametersVersion, `"${parametersVersion}"`),
  energy: t.string,
  sha256: t.string,
})

const EnergyDescription = t.intersection([t.type({ name: t.string }), t.UnknownRecord])

const checksum = (description: string, tensors: Readonly<Record<string, Tensor>>): string => {
  const hash = createHash('sha256')
  hash.update(description)
  for (const name of Object.keys(tensors).sort()) {
    const { dtype, shape, data } = tensors[name]
    hash.update(`\n${JSON.stringify([name, dtype, shape])}\n`)
    hash.update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
  }
  return hash.digest('hex')
}

/** Checks parameter values against an energy: the same names, each of the energy's shape. */
const checkAgainst = (e: energy.Energy, shapes: Readonly<Record<string, readonly number[]>>, source: string, what: string): void => {
  const names = Object.keys(e.params).sort()
  const has = `the energy '${e.name}' has ${names.join(', ') || 'none'}`
  for (const name of names) {
    const want = e.params[name].shape
    if (!(name in shapes)) throw new RangeError(`${what}: ${source}: expected parameter '${name}' (${has}), got none of that name`)
    if (!ir.sameShape(shapes[name], want)) throw new RangeError(`${what}: ${source}: parameter '${name}': expected shape ${ir.showShape(want)} (the energy's), got ${ir.showShape(shapes[name])}`)
  }
  for (const name of Object.keys(shapes).sort()) {
    if (!(name in e.params)) throw rangeError(`${what}: ${source}`, `only the energy's parameters (${has})`, name)
  }
}

/** Options of {@link decodeParameters}. */
export interface DecodeOptions {
  /** The energy the parameters are for: required for energies of one's own (not rebuilt from JSON). */
  readonly energy?: energy.Energy
  /** The file's name, for messages. */
  readonly source?: string
}

/**
 * The safetensors bytes of an energy's parameters and description.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encodeParameters, decodeParameters } from './parameters.js'
 * import * as energy from '../energy/index.js'
 * const e = energy.gaussian({ mean: [0, 1] })
 * const bytes = encodeParameters(e, { mean: Float64Array.of(0.5, 1.5) })
 * assert.deepEqual(decodeParameters(bytes).params.mean, Float64Array.of(0.5, 1.5))
 * assert.throws(() => encodeParameters(e, { mean: Float64Array.of(0.5) }), { name: 'RangeError', message: 'io.encodeParameters: params.mean: has 1 value; parameters of shape [2] need 2' })
 */
export const encodeParameters = (e: energy.Energy, params: energy.Params): Uint8Array => {
  const what = 'io.encodeParameters'
  energy.checkEnergy(e, `${what}: energy`)
  const shapes: Record<string, readonly number[]> = {}
  for (const [name, values] of Object.entries(object(params, `${what}: params`))) {
    const where = `${what}: params.${name}`
    if (!(values instanceof Float64Array)) throw typeError(where, 'a Float64Array (parameters are saved as F64)', values)
    const spec = e.params[name]
    if (spec !== undefined) array(values, where, { length: ir.size(spec.shape), lengthReason: `parameters of shape ${ir.showShape(spec.shape)}` })
    shapes[name] = spec?.shape ?? [values.length]
  }
  checkAgainst(e, shapes, 'params', what)
  const tensors = Object.fromEntries(Object.keys(params).map((name) => [name, { dtype: 'F64' as const, shape: shapes[name], data: params[name] }]))
  const description = JSON.stringify(e.description)
  return encode(tensors, { format: parametersFormat, version: parametersVersion, energy: description, sha256: checksum(description, tensors) })
}

/**
 * Decodes parameter bytes: validates the file, its checksum and the description, rebuilds the energy from
 * the description (or takes `energy` when given: required for energies of one's own) and checks every
 * parameter's name and shape against it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encodeParameters, decodeParameters } from './parameters.js'
 * import * as energy from '../energy/index.js'
 * const e = energy.mlp({ widths: [2, 4, 1], seed: 0 })
 * const { energy: again, params } = decodeParameters(encodeParameters(e, energy.init(e)))
 * assert.equal(again.name, 'mlp')
 * assert.deepEqual(params, energy.init(e))
 */
export const decodeParameters = (bytes: Uint8Array, options: DecodeOptions = {}): Loaded => {
  const what = 'load'
  const o = checkOptions<DecodeOptions>(options, `${what}: options`, ['energy', 'source'])
  const source = o.source ?? 'parameters'
  const file = decode(bytes, source)
  const meta = decodeOrThrow(ParametersMetadata, file.metadata, `${what}: ${source}: __metadata__`)
  if (checksum(meta.energy, file.tensors) !== meta.sha256) {
    throw new RangeError(`${what}: ${source}: __metadata__.sha256: expected the checksum of the content, got one that does not match (the file is corrupted)`)
  }
  for (const [name, tensor] of Object.entries(file.tensors)) {
    if (tensor.dtype !== 'F64') throw rangeError(`${what}: ${source}: tensor '${name}': dtype`, '"F64" (parameters are saved as F64)', tensor.dtype)
  }
  let e = o.energy
  if (e === undefined) {
    let parsed: unknown
    try {
      parsed = JSON.parse(meta.energy)
    } catch (err) {
      throw new RangeError(`${what}: ${source}: __metadata__.energy: expected JSON, got text that does not parse (${(err as Error).message})`)
    }
    const description = decodeOrThrow(EnergyDescription, decodeOrThrow(Json, parsed, `${what}: ${source}: energy`), `${what}: ${source}: energy`)
    const fields = discreteDescriptions[description.name]
    if (fields !== undefined) decodeOrThrow(fields, description, `${what}: ${source}: energy`)
    e = energy.fromDescription(description as energy.Json)
  } else energy.checkEnergy(e, `${what}: options.energy`)
  checkAgainst(e, Object.fromEntries(Object.entries(file.tensors).map(([k, v]) => [k, v.shape])), source, what)
  return { energy: e, params: Object.fromEntries(Object.entries(file.tensors).map(([k, v]) => [k, v.data as Float64Array])) }
}

let temporaryCounter = 0

/** What {@link writeAtomically} writes: bytes, or chunks of bytes or text (UTF-8) as they are made. */
export type Contents = Uint8Array | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>

const isChunks = (v: unknown): v is Exclude<Contents, Uint8Array> =>
  typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v)

/** Writes the chunks to an open file one by one, each awaited, so a producer never runs ahead of the disk. */
const writeIntoFile = async (handle: FileHandle, chunks: Exclude<Contents, Uint8Array>): Promise<void> => {
  let k = 0
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') await handle.write(chunk, null, 'utf8')
    else if (chunk instanceof Uint8Array) await handle.write(chunk)
    else throw typeError(`writeAtomically: chunk ${k}`, 'a Uint8Array or a string', chunk)
    k++
  }
}

/**
 * Writes bytes atomically: a temporary file in the same directory, fsync, rename over `path`, then fsync
 * of the directory so the rename itself is durable. The contents may be chunks (an iterable, or an async
 * one) written as they come, so a large file is never held whole; if one fails, or the iterable throws,
 * the temporary file is removed and `path` keeps what it held.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { writeAtomically } from './parameters.js'
 * import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
 * import { join } from 'node:path'
 * import { tmpdir } from 'node:os'
 * const dir = mkdtempSync(join(tmpdir(), 'heatbath-'))
 * await writeAtomically(join(dir, 'a.bin'), Uint8Array.of(1, 2, 3))
 * assert.deepEqual(readFileSync(join(dir, 'a.bin')), Buffer.from([1, 2, 3]))
 * assert.deepEqual(readdirSync(dir), ['a.bin']) // the temporary file was renamed, not left behind
 * await writeAtomically(join(dir, 'b.csv'), ['x,y\n', '1,2\n', Uint8Array.of(51, 44, 52, 10)])
 * assert.equal(readFileSync(join(dir, 'b.csv'), 'utf8'), 'x,y\n1,2\n3,4\n')
 * const failing = (function* () { yield 'x,y\n'; throw new Error('no more rows') })()
 * await assert.rejects(writeAtomically(join(dir, 'a.bin'), failing), { message: 'no more rows' })
 * assert.deepEqual(readFileSync(join(dir, 'a.bin')), Buffer.from([1, 2, 3])) // the old file, whole
 * assert.deepEqual(readdirSync(dir).sort(), ['a.bin', 'b.csv'])
 */
export const writeAtomically = async (path: string, contents: Contents): Promise<void> => {
  string(path, 'writeAtomically: path')
  const chunked = !(contents instanceof Uint8Array) && isChunks(contents)
  if (!chunked && !(contents instanceof Uint8Array)) throw typeError('writeAtomically: contents', 'a Uint8Array or an iterable of chunks', contents)
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${temporaryCounter++}.tmp`)
  const handle = await open(temporary, 'wx')
  try {
    if (chunked) await writeIntoFile(handle, contents)
    else await handle.writeFile(contents)
    await handle.sync()
  } catch (err) {
    await handle.close()
    await unlink(temporary).catch(() => undefined)
    throw err
  }
  await handle.close()
  try {
    await rename(temporary, path)
  } catch (err) {
    await unlink(temporary).catch(() => undefined)
    throw err
  }
  // Some platforms cannot fsync a directory; the rename is then as durable as they allow.
  const directory = await open(dirname(path), 'r').catch(() => undefined)
  if (directory !== undefined) {
    await directory.sync().catch(() => undefined)
    await directory.close()
  }
}

/**
 * Saves an energy's parameters (and its description) to a safetensors file, atomically.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { save, load } from './parameters.js'
 * import * as energy from '../energy/index.js'
 * import { mkdtempSync } from 'node:fs'
 * import { join } from 'node:path'
 * import { tmpdir } from 'node:os'
 * const path = join(mkdtempSync(join(tmpdir(), 'heatbath-')), 'well.safetensors')
 * const e = energy.gmm({ means: [[-1, 0], [1, 0]], sigma: 0.3 })
 * await save(path, e, energy.init(e))
 * const { energy: again, params } = await load(path)
 * assert.deepEqual(again.description, e.description)
 * assert.deepEqual(params, energy.init(e))
 */
export const save = async (path: string, e: energy.Energy, params: energy.Params): Promise<void> => {
  string(path, 'save: path')
  return writeAtomically(path, encodeParameters(e, params))
}

/**
 * Loads parameters saved by {@link save}. Without `energy`, the energy is rebuilt from the file's
 * description (catalogue energies and combinators); with it, the file is checked against it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { save, load } from './parameters.js'
 * import * as energy from '../energy/index.js'
 * import * as ir from '../ir/index.js'
 * import { mkdtempSync } from 'node:fs'
 * import { join } from 'node:path'
 * import { tmpdir } from 'node:os'
 * const path = join(mkdtempSync(join(tmpdir(), 'heatbath-')), 'mine.safetensors')
 * const mine = energy.define({ shape: [1], params: { k: { shape: [1], init: { kind: 'constant', value: 2 } } }, build: (x, p) => ir.sum(ir.mul(ir.square(x), p.k), 1) })
 * await save(path, mine, energy.init(mine))
 * const { params } = await load(path, mine) // a custom energy must be passed in
 * assert.deepEqual(params, { k: Float64Array.of(2) })
 */
export const load = async (path: string, e?: energy.Energy): Promise<Loaded> => {
  string(path, 'load: path')
  const bytes = await readFile(path)
  return decodeParameters(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { energy: e, source: basename(path) })
}

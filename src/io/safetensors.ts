/**
 * The safetensors format (Hugging Face), bytes ↔ tensors, so that parameters can be read by other
 * frameworks:
 *
 *     [8 bytes: header length N, unsigned little-endian]
 *     [N bytes: JSON header, padded with spaces to a multiple of 8]
 *     [data: each tensor's values, little-endian, contiguous in the order of their offsets]
 *
 * The header maps each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to
 * the start of the data) and may hold `__metadata__`, a map of strings to strings. Written as the reference
 * implementation writes it: `__metadata__` first (keys sorted), then tensors by descending dtype (F64
 * before F32) and then by name (as UTF-8 bytes), data in the same order, header padded to 8 bytes. Reading
 * validates everything before trusting it: the header length, UTF-8 and JSON, every entry's fields, known
 * dtypes, offsets within the data, contiguous without gaps or overlap and covering it all, and shape × dtype
 * size = bytes. Only F64 and F32 are supported.
 *
 * @module
 */
import * as t from 'io-ts'
import { array, object, oneOf, rangeError, string, typeError } from '../check/index.js'
import { decodeOrThrow, NonNegativeInteger } from './decode.js'

/** The element types supported: float64 and float32. */
export type Dtype = 'F64' | 'F32'

/** One tensor: its element type, shape and values (row-major). */
export interface Tensor {
  readonly dtype: Dtype
  readonly shape: readonly number[]
  readonly data: Float64Array | Float32Array
}

/** The content of a safetensors file. */
export interface Safetensors {
  readonly tensors: Readonly<Record<string, Tensor>>
  readonly metadata: Readonly<Record<string, string>>
}

const bytesPer: Record<Dtype, number> = { F64: 8, F32: 4 }
// The reference implementation refuses headers above 100 MB; so do we, before allocating anything.
const maxHeader = 100_000_000

const TensorInfo = t.type({
  dtype: t.keyof({ F64: null, F32: null }, 'one of "F64", "F32"'),
  shape: t.array(NonNegativeInteger),
  data_offsets: t.tuple([NonNegativeInteger, NonNegativeInteger], '[begin, end] (byte offsets)'),
})
const Metadata = t.record(t.string, t.string, 'a map of strings to strings')
const Header = t.UnknownRecord

const elements = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1)

// Names compare by their UTF-8 bytes, as Rust's strings do in the reference; JavaScript's < compares UTF-16
// code units, which disagrees for names beyond U+FFFF (U+1D70E before U+FF57).
const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))

const order = (entries: [string, Tensor][]) =>
  entries.sort(([a, x], [b, y]) => (x.dtype === y.dtype ? byUtf8(a, b) : x.dtype === 'F64' ? -1 : 1))

/**
 * Encodes tensors (and string metadata) as safetensors bytes.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encode, decode } from './safetensors.js'
 * const bytes = encode({ W: { dtype: 'F64', shape: [2], data: Float64Array.of(1, 2) } }, { note: 'hi' })
 * assert.deepEqual(decode(bytes).tensors.W.data, new Float64Array([1, 2]))
 */
export const encode = (tensors: Readonly<Record<string, Tensor>>, metadata: Readonly<Record<string, string>> = {}): Uint8Array => {
  const what = 'safetensors.encode'
  const entries = order(Object.entries(tensors))
  for (const [name, tensor] of entries) {
    if (name === '' || name === '__metadata__') throw rangeError(`${what}: tensors`, 'names other than "" and "__metadata__"', name)
    const where = `${what}: tensor '${name}'`
    object(tensor, where)
    const dtype = oneOf(tensor.dtype, `${where}: dtype`, ['F64', 'F32'] as const)
    const expected = dtype === 'F64' ? Float64Array : Float32Array
    if (!(tensor.data instanceof expected)) throw typeError(`${where}: data`, `a ${expected.name} (dtype ${dtype})`, tensor.data)
    decodeOrThrow(t.array(NonNegativeInteger), tensor.shape, `${where}: shape`)
    array(tensor.data, `${where}: data`, { length: elements(tensor.shape), lengthReason: `tensors of shape [${tensor.shape.join(',')}]` })
  }
  for (const [k, v] of Object.entries(object(metadata, `${what}: metadata`))) string(v, `${what}: metadata.${k}`)
  // Written by hand rather than JSON.stringify of an object, which would move integer-like names first.
  const fields: string[] = []
  const keys = Object.keys(metadata).sort()
  if (keys.length > 0) fields.push(`"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`)
  let offset = 0
  for (const [name, tensor] of entries) {
    const n = tensor.data.length * bytesPer[tensor.dtype]
    fields.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype: tensor.dtype, shape: [...tensor.shape], data_offsets: [offset, offset + n] })}`)
    offset += n
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`)
  const padded = Math.ceil(json.length / 8) * 8
  const out = new Uint8Array(8 + padded + offset)
  const view = new DataView(out.buffer)
  view.setBigUint64(0, BigInt(padded), true)
  out.set(json, 8)
  out.fill(0x20, 8 + json.length, 8 + padded)
  let at = 8 + padded
  for (const [, tensor] of entries) {
    const size = bytesPer[tensor.dtype]
    tensor.data.forEach((v, i) => (size === 8 ? view.setFloat64(at + 8 * i, v, true) : view.setFloat32(at + 4 * i, v, true)))
    at += tensor.data.length * size
  }
  return out
}

/**
 * Decodes safetensors bytes, validating everything; an error names the source, the field and what was
 * expected (`model.safetensors: tensor 'W1': data_offsets: expected 48 bytes (shape [2,3] of F64), got
 * [0, 40], which hold 40`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encode, decode } from './safetensors.js'
 * const bytes = encode({ b: { dtype: 'F32', shape: [1], data: Float32Array.of(0.5) } })
 * assert.deepEqual(decode(bytes, 'b.safetensors').tensors.b.shape, [1])
 */
export const decode = (bytes: Uint8Array, source = 'safetensors'): Safetensors => {
  if (!(bytes instanceof Uint8Array)) throw typeError(`${source}: bytes`, 'a Uint8Array', bytes)
  if (bytes.length < 8) throw rangeError(`${source}: bytes`, 'at least the 8 bytes of the header length', bytes)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const length = view.getBigUint64(0, true)
  if (length > BigInt(Math.min(maxHeader, bytes.length - 8))) {
    const limit = `at most the ${bytes.length - 8} bytes after the length field${length > maxHeader ? ` (and the ${maxHeader}-byte limit)` : ''}`
    throw new RangeError(`${source}: header length: expected ${limit}, got ${length}`)
  }
  const n = Number(length)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))
  } catch {
    throw new RangeError(`${source}: header: expected UTF-8 text, got bytes that do not decode`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new RangeError(`${source}: header: expected JSON, got text that does not parse (${(e as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw rangeError(`${source}: header`, 'a JSON object', parsed)
  const header = decodeOrThrow(Header, parsed, `${source}: header`)
  const metadata = header.__metadata__ === undefined ? {} : decodeOrThrow(Metadata, header.__metadata__, `${source}: __metadata__`)
  const dataStart = 8 + n
  const dataLength = bytes.length - dataStart
  const infos = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([name, v]) => {
      if (name === '') throw rangeError(`${source}: header`, 'non-empty tensor names', name)
      return [name, decodeOrThrow(TensorInfo, v, `${source}: tensor '${name}'`)] as const
    })
    .sort(([, a], [, b]) => a.data_offsets[0] - b.data_offsets[0] || a.data_offsets[1] - b.data_offsets[1])
  let expectedBegin = 0
  const tensors: Record<string, Tensor> = {}
  for (const [name, info] of infos) {
    const [begin, end] = info.data_offsets
    const where = `${source}: tensor '${name}'`
    const offsets = `${where}: data_offsets: expected`
    const got = `got [${begin}, ${end}]`
    if (begin !== expectedBegin) {
      const how = begin < expectedBegin ? 'which overlap it' : 'which leave a gap after it'
      throw new RangeError(`${offsets} to begin at ${expectedBegin}, where the previous tensor ends (tensors are contiguous), ${got}, ${how}`)
    }
    if (end < begin) throw new RangeError(`${offsets} an end at or after the begin, ${got}`)
    if (end > dataLength) throw new RangeError(`${offsets} an end within the ${dataLength} bytes of data, ${got}`)
    const count = elements(info.shape)
    const size = bytesPer[info.dtype]
    if (count * size !== end - begin) {
      throw new RangeError(`${offsets} ${count * size} bytes (shape [${info.shape.join(',')}] of ${info.dtype}), ${got}, which hold ${end - begin}`)
    }
    const data = info.dtype === 'F64' ? new Float64Array(count) : new Float32Array(count)
    const at = dataStart + begin
    for (let i = 0; i < count; i++) data[i] = size === 8 ? view.getFloat64(at + 8 * i, true) : view.getFloat32(at + 4 * i, true)
    tensors[name] = { dtype: info.dtype, shape: info.shape, data }
    expectedBegin = end
  }
  if (expectedBegin !== dataLength) {
    throw new RangeError(`${source}: expected tensors that cover all ${dataLength} bytes of data, got ${expectedBegin} covered (truncated, or trailing bytes)`)
  }
  return { tensors, metadata }
}

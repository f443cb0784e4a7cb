import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import t from 'tap'
import { decode, encode, type Tensor } from '../../src/io/safetensors.js'

const le64 = (v: number) => Array.from(new Uint8Array(Float64Array.of(v).buffer))

// Written by the reference implementation's Rust core (safetensors 0.4.5) from these tensors: see
// spec/fixtures/README.md and write-reference.rs there. The names put the dtype order and the name order at
// odds ('a.bias' is F32), '10' is integer-like, and 'ｗ' (U+FF57) sorts before '𝜎' (U+1D70E) by UTF-8
// bytes but after it by UTF-16 code units.
const rustFile = readFileSync(new URL('../fixtures/safetensors/rust-0.4.5.safetensors', import.meta.url))
const rustTensors: Record<string, Tensor> = {
  'a.bias': { dtype: 'F32', shape: [3], data: Float32Array.of(0.1, -1.5, 2 ** -126) },
  'b.weight': { dtype: 'F64', shape: [2, 3], data: Float64Array.of(0.1, -0, 1 / 3, 1e-310, Infinity, -2.5) },
  10: { dtype: 'F32', shape: [5, 1], data: Float32Array.of(3, -0.25, 1e-3, 7, -Infinity) },
  σ: { dtype: 'F64', shape: [], data: Float64Array.of(6.02214076e23) },
  '𝜎': { dtype: 'F64', shape: [2], data: Float64Array.of(-1 / 7, 2 ** -1074) },
  ｗ: { dtype: 'F64', shape: [1, 1], data: Float64Array.of(Number.MAX_VALUE) },
  empty: { dtype: 'F32', shape: [0, 2], data: new Float32Array(0) },
}
const bits = (data: Float64Array | Float32Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex')

t.test('decode reads a file written by the reference implementation: names, dtypes, shapes and values exact', async (t) => {
  const { tensors, metadata } = decode(rustFile, 'rust-0.4.5.safetensors')
  t.same(metadata, { format: 'pt' })
  t.same(Object.keys(tensors).sort(), Object.keys(rustTensors).sort())
  for (const [name, want] of Object.entries(rustTensors)) {
    const got = tensors[name]
    t.equal(got.dtype, want.dtype, `${name}: dtype`)
    t.same(got.shape, want.shape, `${name}: shape`)
    // Bit for bit, so that −0 and the subnormals count.
    t.equal(bits(got.data), bits(want.data), `${name}: values`)
  }
})

t.test('encode writes the very bytes the reference implementation wrote for the same tensors', async (t) => {
  const bytes = encode(rustTensors, { format: 'pt' })
  t.equal(Buffer.from(bytes).toString('hex'), rustFile.toString('hex'))
})

t.test('decode reads back what encode wrote, bit for bit', async (t) => {
  const tensor = fc.oneof(
    fc.array(fc.double(), { maxLength: 12 }).map((v): Tensor => ({ dtype: 'F64', shape: [v.length], data: Float64Array.from(v) })),
    fc.array(fc.float(), { maxLength: 12 }).map((v): Tensor => ({ dtype: 'F32', shape: [v.length], data: Float32Array.from(v) })),
  )
  fc.assert(
    fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'), tensor, { maxKeys: 5 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (tensors, metadata) => {
      const back = decode(encode(tensors, metadata))
      for (const [name, v] of Object.entries(tensors)) {
        const w = back.tensors[name]
        if (w.dtype !== v.dtype || w.shape.join() !== v.shape.join()) return false
        // Bit for bit: compare the bytes, so NaN payloads and −0 count too.
        if (Buffer.compare(Buffer.from(w.data.buffer), Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength)) !== 0) return false
      }
      return Object.keys(back.tensors).length === Object.keys(tensors).length && JSON.stringify(Object.entries(back.metadata).sort()) === JSON.stringify(Object.entries(metadata).sort())
    }),
    { numRuns: 200 },
  )
})

const withHeader = (header: object, data: number[] = []): Uint8Array => {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const out = new Uint8Array(8 + json.length + data.length)
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true)
  out.set(json, 8)
  out.set(data, 8 + json.length)
  return out
}

t.test('decode rejects malformed files with errors that say what is wrong', async (t) => {
  const f64 = (shape: number[], offsets: [number, number]) => ({ dtype: 'F64', shape, data_offsets: offsets })
  const cases: [string, Uint8Array, RegExp][] = [
    ['too short', Uint8Array.of(1, 2, 3), /^f: bytes: expected at least the 8 bytes of the header length, got a Uint8Array of length 3$/],
    ['header past the end', Uint8Array.of(200, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d), /^f: header length: expected at most the 2 bytes after the length field, got 200$/],
    ['not JSON', Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7b), /^f: header: expected JSON, got text that does not parse/],
    ['not UTF-8', Uint8Array.of(2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe), /^f: header: expected UTF-8 text, got bytes that do not decode$/],
    ['an array header', withHeader([1]), /^f: header: expected a JSON object, got an array of length 1$/],
    ['unknown dtype', withHeader({ a: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, [0, 0]), /f: tensor 'a': dtype: expected one of "F64", "F32", got "F16"/],
    ['negative dimension', withHeader({ a: f64([-1], [0, 8]) }, le64(1)), /f: tensor 'a': shape\[0\]: expected a non-negative integer, got -1/],
    ['bad offsets', withHeader({ a: { dtype: 'F64', shape: [1], data_offsets: [0] } }, le64(1)), /f: tensor 'a': data_offsets\[1\]: expected a non-negative integer, got nothing/],
    ['size mismatch', withHeader({ a: f64([2], [0, 8]) }, le64(1)), /^f: tensor 'a': data_offsets: expected 16 bytes \(shape \[2\] of F64\), got \[0, 8\], which hold 8$/],
    ['past the end', withHeader({ a: f64([2], [0, 16]) }, le64(1)), /^f: tensor 'a': data_offsets: expected an end within the 8 bytes of data, got \[0, 16\]$/],
    ['overlap', withHeader({ a: f64([2], [0, 16]), b: f64([1], [8, 16]) }, [...le64(1), ...le64(2)]), /^f: tensor '[ab]': data_offsets: expected to begin at 16, where the previous tensor ends \(tensors are contiguous\), got \[\d+, 16\], which overlap it$/],
    ['gap', withHeader({ a: f64([1], [8, 16]) }, [...le64(1), ...le64(2)]), /^f: tensor 'a': data_offsets: expected to begin at 0, where the previous tensor ends \(tensors are contiguous\), got \[8, 16\], which leave a gap after it$/],
    ['trailing bytes', withHeader({ a: f64([1], [0, 8]) }, [...le64(1), 0]), /^f: expected tensors that cover all 9 bytes of data, got 8 covered \(truncated, or trailing bytes\)$/],
    ['metadata not strings', withHeader({ __metadata__: { a: 1 } }), /f: __metadata__: a: expected string, got 1/],
  ]
  for (const [name, bytes, message] of cases) t.throws(() => decode(bytes, 'f'), { name: 'RangeError', message }, name)
  t.same(decode(withHeader({})).tensors, {}, 'an empty file of no tensors is fine')
  // Like the reference reader, fields it does not know are ignored (a later version may add some).
  t.same(decode(withHeader({ a: { ...f64([1], [0, 8]), extra: 1 } }, le64(1))).tensors.a.shape, [1], 'unknown fields are ignored')
})

t.test('encode rejects tensors it cannot write', async (t) => {
  t.throws(() => encode({ a: { dtype: 'F64', shape: [3], data: Float64Array.of(1, 2) } }), { name: 'RangeError', message: "safetensors.encode: tensor 'a': data: has 2 values; tensors of shape [3] need 3" })
  t.throws(() => encode({ a: { dtype: 'F32', shape: [1], data: Float64Array.of(1) } }), { name: 'TypeError', message: "safetensors.encode: tensor 'a': data: expected a Float32Array (dtype F32), got a Float64Array of length 1" })
  t.throws(() => encode({ __metadata__: { dtype: 'F64', shape: [1], data: Float64Array.of(1) } }), { name: 'RangeError', message: 'safetensors.encode: tensors: expected names other than "" and "__metadata__", got "__metadata__"' })
  t.throws(() => encode({ a: { dtype: 'I8' as never, shape: [1], data: Float64Array.of(1) } }), { name: 'RangeError', message: "safetensors.encode: tensor 'a': dtype: expected one of \"F64\", \"F32\", got \"I8\"" })
})

import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import * as energy from '../../src/energy/index.js'
import * as io from '../../src/io/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const directory = mkdtempSync(join(tmpdir(), 'heatbath-errors-'))
const e = energy.gaussian({ mean: [0, 1] })
const params = { mean: Float64Array.of(0, 1) }
const state = { step: 1, params: { w: Float64Array.of(1) }, optimizer: { t: 1, slots: {} }, negatives: { buffer: null }, fixed: {} }
const bytes = io.encodeParameters(e, params)
// The same file with one byte of the data changed: its checksum no longer matches.
const corrupted = bytes.slice()
corrupted[corrupted.length - 1] ^= 1

t.test('every io function names its bad argument or the bad field with the right class and the message shape', async (t) => {
  await errorTable(t, io, {
    encodeSafetensors: [
      typeError(() => io.encodeSafetensors({ a: { dtype: 'F64', shape: [1], data: [1] as never } }), "safetensors.encode: tensor 'a': data: expected a Float64Array (dtype F64), got an array of length 1"),
      rangeError(() => io.encodeSafetensors({ a: { dtype: 'F64', shape: [1.5], data: Float64Array.of(1) } }), "safetensors.encode: tensor 'a': shape[0]: expected a non-negative integer, got 1.5"),
      typeError(() => io.encodeSafetensors({}, { note: 1 as never }), 'safetensors.encode: metadata.note: expected a string, got 1'),
    ],
    decodeSafetensors: [
      typeError(() => io.decodeSafetensors([0, 0] as never, 'f'), 'f: bytes: expected a Uint8Array, got an array of length 2'),
      rangeError(() => io.decodeSafetensors(Uint8Array.of(1), 'f'), 'f: bytes: expected at least the 8 bytes of the header length, got a Uint8Array of length 1'),
    ],
    encodeParameters: [
      typeError(() => io.encodeParameters(e, { mean: [0, 1] as never }), 'io.encodeParameters: params.mean: expected a Float64Array (parameters are saved as F64), got an array of length 2'),
      rangeError(() => io.encodeParameters(e, { mean: Float64Array.of(0, 1), sd: Float64Array.of(1) }), "io.encodeParameters: params: expected only the energy's parameters (the energy 'gaussian' has mean), got \"sd\""),
    ],
    decodeParameters: [
      rangeError(() => io.decodeParameters(corrupted, { source: 'g.safetensors' }), 'load: g.safetensors: __metadata__.sha256: expected the checksum of the content, got one that does not match (the file is corrupted)'),
      typeError(() => io.decodeParameters(bytes, { energy: 'gaussian' as never }), "load: options.energy: expected an Energy value (built by energy.define or the catalogue), got \"gaussian\""),
      rangeError(() => io.decodeParameters(bytes, { name: 'g' } as never), "load: options: unknown option 'name' (options: energy, source)"),
    ],
    save: [
      typeError(() => io.save(undefined as never, e, params), 'save: path: expected a string, got undefined'),
      rangeError(() => io.save(join(directory, 'g.safetensors'), e, {}), "io.encodeParameters: params: expected parameter 'mean' (the energy 'gaussian' has mean), got none of that name"),
    ],
    load: [typeError(() => io.load(3 as never), 'load: path: expected a string, got 3')],
    writeAtomically: [typeError(() => io.writeAtomically(join(directory, 'x.bin'), 'abc' as never), 'writeAtomically: contents: expected a Uint8Array or an iterable of chunks, got "abc"')],
    pseudoFilesystem: [typeError(() => io.pseudoFilesystem(3 as never), 'io.pseudoFilesystem: path: expected a string, got 3')],
    sha256: [typeError(() => io.sha256('abc' as never), 'io.sha256: bytes: expected a Uint8Array, got "abc"')],
    encodeCheckpoint: [
      typeError(() => io.encodeCheckpoint(null as never, { seed: 1, data: null, options: {} }), 'io.encodeCheckpoint: state: expected an object, got null'),
      typeError(() => io.encodeCheckpoint({ ...state, params: { w: [1] as never } }, { seed: 1, data: null, options: {} }), 'io.encodeCheckpoint: state.params.w: expected a Float64Array, got an array of length 1'),
      rangeError(() => io.encodeCheckpoint(state, { seed: -1, data: null, options: {} }), 'io.encodeCheckpoint: meta.seed: expected an integer in [0, 2^53), got -1'),
    ],
    decodeCheckpoint: [
      rangeError(() => io.decodeCheckpoint('{', () => new Uint8Array(), 'run'), /^run\/checkpoint\.json: expected JSON, got text that does not parse/),
      typeError(() => io.decodeCheckpoint('{}', 'read' as never, 'run'), 'io.decodeCheckpoint: read: expected a function, got "read"'),
    ],
    saveCheckpoint: [typeError(() => io.saveCheckpoint(3 as never, state, { seed: 1, data: null, options: {} }), 'io.saveCheckpoint: dir: expected a string, got 3')],
    loadCheckpoint: [
      typeError(() => io.loadCheckpoint(3 as never), 'io.loadCheckpoint: dir: expected a string, got 3'),
      rangeError(() => io.loadCheckpoint(join(directory, 'none')), `io.loadCheckpoint: ${join(directory, 'none')}: expected a checkpoint (checkpoint.json), got none`),
    ],
  })
})

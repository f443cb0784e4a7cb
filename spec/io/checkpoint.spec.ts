/**
 * Checkpoints on disk: a round trip keeps every bit, the files are ordinary safetensors and JSON with a
 * version and a checksum, a corrupted or truncated checkpoint is refused with an error naming the file and
 * the fault, and a save interrupted before its commit leaves the previous checkpoint loadable.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { type CheckpointState, decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, sha256 } from '../../src/io/checkpoint.js'
import { decode, encode } from '../../src/io/safetensors.js'
import { bits } from '../train/fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'heatbath-checkpoint-'))
let dirs = 0
const freshDir = () => join(root, `run-${dirs++}`)

// Values whose bits a lossy round trip would change: subnormals, −0, the largest double, π's last digit.
const stateAt = (step: number): CheckpointState => ({
  step,
  params: { W: Float64Array.of(Math.PI * step, -0, 5e-324), b: Float64Array.of(Number.MAX_VALUE) },
  optimizer: { t: step, slots: { m: { W: Float64Array.of(1e-300, 2, 3), b: Float64Array.of(step) }, v: { W: Float64Array.of(4, 5, 6), b: Float64Array.of(7) } } },
  negatives: { buffer: Float64Array.from({ length: 12 }, (_v, i) => Math.sin(i + step)) },
  fixed: { noiseMean: Float64Array.of(0.1, 0.2) },
})
const meta = { seed: 2 ** 53 - 1, data: { rows: 40, sha256: 'a'.repeat(64), epoch: 1, position: 3 }, options: { batchSize: 8, optimizer: { kind: 'adam', lr: { kind: 'constant', value: 0.01 } } } }

const sameBits = (t: Test, got: CheckpointState, want: CheckpointState) => t.equal(bits(got), bits(want), 'every array bit for bit')

t.test('save then load gives the state back bit for bit, with its seed, data position and options', async (t) => {
  const dir = freshDir()
  await saveCheckpoint(dir, stateAt(7), meta)
  const loaded = await loadCheckpoint(dir)
  sameBits(t, loaded.state, stateAt(7))
  t.same(loaded.meta, meta)
  const files = readdirSync(dir).sort()
  t.equal(files.length, 2, 'checkpoint.json and one tensor file, no temporary file')
  const manifest = JSON.parse(readFileSync(join(dir, 'checkpoint.json'), 'utf8'))
  t.match(manifest, { format: 'heatbath.checkpoint', version: 1, step: 7, optimizerSteps: 7, seed: 2 ** 53 - 1 })
  const tensors = readFileSync(join(dir, manifest.tensors.file))
  t.equal(manifest.tensors.sha256, sha256(tensors), 'the manifest holds the tensor file\'s SHA-256')
  t.same(Object.keys(decode(tensors).tensors).sort(), ['fixed/noiseMean', 'negatives/buffer', 'optimizer/m/W', 'optimizer/m/b', 'optimizer/v/W', 'optimizer/v/b', 'params/W', 'params/b'], 'plain safetensors, named by role')
})

t.test('a state without a buffer, slots or fixed inputs round-trips too', async (t) => {
  const dir = freshDir()
  const bare: CheckpointState = { step: 0, params: { theta: Float64Array.of(1, 2) }, optimizer: { t: 0, slots: {} }, negatives: { buffer: null }, fixed: {} }
  await saveCheckpoint(dir, bare, { seed: 0, data: null, options: null })
  sameBits(t, (await loadCheckpoint(dir)).state, bare)
})

t.test('each save replaces the checkpoint and removes the earlier tensor file', async (t) => {
  const dir = freshDir()
  await saveCheckpoint(dir, stateAt(3), meta)
  await saveCheckpoint(dir, stateAt(6), meta)
  t.equal((await loadCheckpoint(dir)).state.step, 6)
  t.equal(readdirSync(dir).length, 2)
})

t.test('a corrupted or truncated checkpoint is refused with an error naming the file and the fault', async (t) => {
  const dir = freshDir()
  await saveCheckpoint(dir, stateAt(5), meta)
  const manifestPath = join(dir, 'checkpoint.json')
  const manifest = readFileSync(manifestPath, 'utf8')
  const tensorPath = join(dir, JSON.parse(manifest).tensors.file)
  const tensors = readFileSync(tensorPath)
  const refused = async (what: string, message: RegExp) => t.rejects(loadCheckpoint(dir), { name: 'RangeError', message }, what)
  const restore = () => {
    writeFileSync(manifestPath, manifest)
    writeFileSync(tensorPath, tensors)
  }
  const corrupted = Buffer.from(tensors)
  corrupted[corrupted.length - 3] ^= 0x01
  writeFileSync(tensorPath, corrupted)
  await refused('one bit of a value flipped', /state-[0-9a-f]{16}\.safetensors: expected SHA-256 [0-9a-f]{64} \(from checkpoint.json\), got [0-9a-f]{64}: the file is corrupted or truncated$/)
  writeFileSync(tensorPath, tensors.subarray(0, tensors.length - 8))
  await refused('the tensor file truncated', /the file is corrupted or truncated/)
  restore()
  writeFileSync(manifestPath, manifest.slice(0, manifest.length / 2))
  await refused('checkpoint.json truncated', /checkpoint.json: expected JSON, got text that does not parse \(.*; a truncated file\?\)/)
  const edited = (edit: (m: Record<string, unknown>) => void) => {
    const m = JSON.parse(manifest)
    edit(m)
    writeFileSync(manifestPath, JSON.stringify(m))
  }
  edited((m) => (m.version = 2))
  await refused('a future version', /checkpoint.json: version: expected 1 \(the format this heatbath reads\), got 2/)
  edited((m) => (m.format = 'heatbath.parameters'))
  await refused('another format', /checkpoint.json: format: expected "heatbath.checkpoint", got "heatbath.parameters"/)
  edited((m) => (m.step = -1))
  await refused('a negative step', /checkpoint.json: step: expected a non-negative integer, got -1/)
  edited((m) => ((m.tensors as Record<string, unknown>).file = '../elsewhere.safetensors'))
  await refused('a tensor file outside the directory', /tensors.file: expected a file name state-<16 hex digits>.safetensors, got "..\/elsewhere.safetensors"/)
  restore()
  rmSync(tensorPath)
  await refused('the tensor file missing', /io.loadCheckpoint: .*state-[0-9a-f]{16}\.safetensors: expected the tensor file that checkpoint.json names, got none/)
  restore()
  rmSync(manifestPath)
  await refused('no checkpoint at all', /io.loadCheckpoint: .*: expected a checkpoint \(checkpoint.json\), got none/)
  await t.rejects(loadCheckpoint(3 as unknown as string), { name: 'TypeError', message: 'io.loadCheckpoint: dir: expected a string, got 3' })
})

t.test('tensors that match their checksum but not the layout are refused, naming the tensor', async (t) => {
  const read = async (tensors: Uint8Array) => {
    const { manifest } = encodeCheckpoint(stateAt(1), meta)
    const m = JSON.parse(manifest)
    m.tensors.sha256 = sha256(tensors)
    return decodeCheckpoint(JSON.stringify(m), () => tensors, 'run')
  }
  await t.rejects(read(encode({ 'params/W': { dtype: 'F32', shape: [1], data: Float32Array.of(1) } })), { message: /^run\/state-[0-9a-f]{16}\.safetensors: tensor 'params\/W': expected F64, got F32$/ })
  await t.rejects(read(encode({ weights: { dtype: 'F64', shape: [1], data: Float64Array.of(1) } })), { message: /tensor 'weights': expected a name params\/…, optimizer\/<slot>\/…, negatives\/buffer or fixed\/…, got 'weights'/ })
  await t.rejects(read(encode({ 'optimizer/m/W': { dtype: 'F64', shape: [1], data: Float64Array.of(1) } })), { message: /tensor 'optimizer\/m\/W': expected a slot of a parameter of the checkpoint \(none\), got one of 'W'/ })
})

t.test('a save interrupted before its commit leaves the previous checkpoint loadable, and the next save clears what it left', async (t) => {
  const dir = freshDir()
  await saveCheckpoint(dir, stateAt(3), meta)
  // The crash of the save of step 5, as writeAtomically would leave it: first with its tensor file's
  // temporary half written, then with the tensor file in place and checkpoint.json's temporary written
  // but never renamed.
  const next = encodeCheckpoint(stateAt(5), meta)
  writeFileSync(join(dir, `.${next.file}.${process.pid}.0.tmp`), next.tensors.subarray(0, 100))
  sameBits(t, (await loadCheckpoint(dir)).state, stateAt(3))
  writeFileSync(join(dir, next.file), next.tensors)
  writeFileSync(join(dir, `.checkpoint.json.${process.pid}.1.tmp`), next.manifest)
  sameBits(t, (await loadCheckpoint(dir)).state, stateAt(3))
  t.equal(readdirSync(dir).length, 5)
  await saveCheckpoint(dir, stateAt(4), meta)
  t.equal(readdirSync(dir).length, 2, 'the stale tensor file and temporaries are gone')
  sameBits(t, (await loadCheckpoint(dir)).state, stateAt(4))
})

t.test('a checkpoint directory on a kernel pseudo-filesystem is refused at once, where making it would never return', { skip: process.platform !== 'linux' && "the filesystem types are Linux's" }, async (t) => {
  const started = Date.now()
  await t.rejects(saveCheckpoint('/proc/heatbath/run', stateAt(1), { seed: 1, data: null, options: {} }), {
    name: 'RangeError',
    message: `io.saveCheckpoint: dir: expected a directory on a filesystem that holds files, got "/proc/heatbath/run" on procfs (the kernel's own objects, not storage)`,
  })
  t.ok(Date.now() - started < 2000, `in ${Date.now() - started} ms`)
})

/**
 * Training checkpoints on disk: a directory holding
 *
 * - `state-<hash>.safetensors`: every array of the training state as an F64 tensor (checkpoint-tensors.ts
 *   names them), named by the first 16 hex digits of its SHA-256, and
 * - `checkpoint.json`: the format and its version, the step counts, the seed (with the step, the key of
 *   every random draw to come), the data order's position (`train.fit`), the options a resume is checked
 *   against, and the tensor file's name and SHA-256, verified on load.
 *
 * Saving writes the tensor file, then `checkpoint.json`, each atomically (a temporary file in the same
 * directory, fsync, rename, fsync of the directory), and only then deletes the tensor files of earlier
 * checkpoints and temporary files left by an interrupted save. The rename of `checkpoint.json` is the
 * commit: a crash before it leaves the previous checkpoint whole and loadable, a crash after it the new
 * one. One process writes a directory at a time.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import * as t from 'io-ts'
import type { Json as JsonValue } from '../energy/index.js'
import { func, object, seed as checkSeed, string, typeError } from '../check/index.js'
import { type CheckpointState, checkState, stateOf, tensorsOf } from './checkpoint-tensors.js'
import { decodeOrThrow, Json, NonNegativeInteger } from './decode.js'
import { writeAtomically } from './parameters.js'
import { onPseudoFilesystem, pseudoFilesystem } from './pseudo-filesystems.js'
import { decode, encode } from './safetensors.js'

export { type CheckpointState } from './checkpoint-tensors.js'

/** The format name written in `checkpoint.json`. */
export const checkpointFormat = 'heatbath.checkpoint'
/** The format version written in `checkpoint.json`; loading refuses any other. */
export const checkpointVersion = 1
/** The name of the file whose rename commits a checkpoint. */
export const manifestName = 'checkpoint.json'

/** Where `train.fit` stands in its data: the data's fingerprint and the epoch and batch of the next step. */
export interface DataPosition {
  readonly rows: number
  /** SHA-256 (hex) of the data as float64, little-endian. */
  readonly sha256: string
  readonly epoch: number
  /** The next step's batch within its epoch. */
  readonly position: number
}

/**
 * Where a stream's source stands, and the states of its named operators: what a stream trained from a
 * source needs besides the training state to go on after a crash. Plain JSON.
 */
export interface SourceCheckpoint {
  /** The position of the last record whose effect the checkpoint holds (a source's `position`); null before any. */
  readonly position: JsonValue
  /** The records the run has taken from its source, dead letters excluded. */
  readonly records: number
  /** Each named operator's state (a drift detector's, a threshold's), as the operator gave it. */
  readonly operators: Readonly<Record<string, JsonValue>>
}

/** What a checkpoint records besides the state's arrays. */
export interface CheckpointMeta {
  /** The run's seed: with the state's step, the key of every random draw to come. */
  readonly seed: number
  /** The data order's position (`train.fit`); null for a stream, whose order is its source's. */
  readonly data: DataPosition | null
  /** The options a resume is checked against (energy, objective, negatives, optimizer, batch size). */
  readonly options: JsonValue
  /** A stream's source and operators (`stream.trainOnSource`); absent or null otherwise. */
  readonly source?: SourceCheckpoint | null
}

/** A loaded checkpoint. */
export interface Checkpoint {
  readonly state: CheckpointState
  readonly meta: CheckpointMeta
}

/** A checkpoint ready to write: the tensor file's name and bytes, and `checkpoint.json`'s text. */
export interface EncodedCheckpoint {
  readonly file: string
  readonly tensors: Uint8Array
  readonly manifest: string
}

const Hex64 = new t.Type<string, string, unknown>(
  'a SHA-256 in 64 lower-case hex digits',
  (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
  (u, c) => (typeof u === 'string' && /^[0-9a-f]{64}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
)
const tensorFile = /^state-[0-9a-f]{16}\.safetensors$/
// Only a name of this shape is read, so a manifest cannot point outside its directory.
const TensorFile = new t.Type<string, string, unknown>(
  'a file name state-<16 hex digits>.safetensors',
  (u): u is string => typeof u === 'string' && tensorFile.test(u),
  (u, c) => (typeof u === 'string' && tensorFile.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
)
const Version = t.type({ format: t.literal(checkpointFormat, `"${checkpointFormat}"`), version: t.number })
const Manifest = t.type({
  step: NonNegativeInteger,
  optimizerSteps: NonNegativeInteger,
  seed: NonNegativeInteger,
  tensors: t.type({ file: TensorFile, sha256: Hex64 }),
  data: t.union([t.null, t.type({ rows: NonNegativeInteger, sha256: Hex64, epoch: NonNegativeInteger, position: NonNegativeInteger })], 'null or { rows, sha256, epoch, position }'),
  options: Json,
  // Absent from the checkpoints of runs without a source, and from those written before it existed.
  source: t.union([t.undefined, t.null, t.type({ position: Json, records: NonNegativeInteger, operators: t.record(t.string, Json) })], 'null or { position, records, operators }'),
})

/**
 * SHA-256 of bytes, in hex.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sha256 } from './checkpoint.js'
 * assert.equal(sha256(new Uint8Array(0)).slice(0, 8), 'e3b0c442')
 */
export const sha256 = (bytes: Uint8Array): string => {
  if (!(bytes instanceof Uint8Array)) throw typeError('io.sha256: bytes', 'a Uint8Array', bytes)
  return createHash('sha256').update(bytes).digest('hex')
}

// The meta of a checkpoint to write; its options must be JSON (they are written as such).
const checkMeta = (v: unknown, where: string): CheckpointMeta => {
  const m = object(v, where)
  checkSeed(m.seed, `${where}.seed`)
  if (m.data !== null) object(m.data, `${where}.data`)
  if (m.options === undefined) throw typeError(`${where}.options`, 'the options a resume is checked against (JSON)', undefined)
  if (m.source !== undefined && m.source !== null) object(m.source, `${where}.source`)
  return v as CheckpointMeta
}

/**
 * The files of a checkpoint, without writing them.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { encodeCheckpoint } from './checkpoint.js'
 * const state = { step: 2, params: { w: Float64Array.of(0.5) }, optimizer: { t: 2, slots: {} }, negatives: { buffer: null }, fixed: {} }
 * const { file, manifest } = encodeCheckpoint(state, { seed: 7, data: null, options: {} })
 * assert.match(file, /^state-[0-9a-f]{16}\.safetensors$/)
 * assert.equal(JSON.parse(manifest).step, 2)
 */
export const encodeCheckpoint = (state: CheckpointState, meta: CheckpointMeta, where = 'io.encodeCheckpoint'): EncodedCheckpoint => {
  checkState(state, `${where}: state`)
  checkMeta(meta, `${where}: meta`)
  const tensors = encode(tensorsOf(state))
  const hash = sha256(tensors)
  const file = `state-${hash.slice(0, 16)}.safetensors`
  const manifest = {
    format: checkpointFormat,
    version: checkpointVersion,
    step: state.step,
    optimizerSteps: state.optimizer.t,
    seed: meta.seed,
    tensors: { file, sha256: hash },
    data: meta.data,
    options: meta.options,
    ...(meta.source === undefined || meta.source === null ? {} : { source: meta.source }),
  }
  return { file, tensors, manifest: `${JSON.stringify(manifest, null, 2)}\n` }
}

/**
 * A checkpoint from the text of its `checkpoint.json` and the bytes of the tensor file it names; the
 * tensor file must be the one whose SHA-256 the manifest holds. `source` names the directory in errors.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { decodeCheckpoint, encodeCheckpoint } from './checkpoint.js'
 * const state = { step: 2, params: { w: Float64Array.of(0.5) }, optimizer: { t: 2, slots: {} }, negatives: { buffer: null }, fixed: {} }
 * const { tensors, manifest } = encodeCheckpoint(state, { seed: 7, data: null, options: {} })
 * assert.deepEqual((await decodeCheckpoint(manifest, () => tensors, 'run')).state, state)
 * await assert.rejects(decodeCheckpoint(manifest, () => tensors.slice(1), 'run'), /the file is corrupted or truncated/)
 */
export const decodeCheckpoint = async (manifest: string, read: (file: string) => Uint8Array | Promise<Uint8Array>, source: string): Promise<Checkpoint> => {
  string(manifest, 'io.decodeCheckpoint: manifest')
  func(read, 'io.decodeCheckpoint: read')
  string(source, 'io.decodeCheckpoint: source')
  const where = `${source}/${manifestName}`
  let parsed: unknown
  try {
    parsed = JSON.parse(manifest)
  } catch (e) {
    throw new RangeError(`${where}: expected JSON, got text that does not parse (${(e as Error).message}; a truncated file?)`)
  }
  const { version } = decodeOrThrow(Version, parsed, where)
  if (version !== checkpointVersion) throw new RangeError(`${where}: version: expected ${checkpointVersion} (the format this heatbath reads), got ${version}`)
  const m = decodeOrThrow(Manifest, parsed, where)
  const bytes = await read(m.tensors.file)
  const hash = sha256(bytes)
  if (hash !== m.tensors.sha256) throw new RangeError(`${source}/${m.tensors.file}: expected SHA-256 ${m.tensors.sha256} (from ${manifestName}), got ${hash}: the file is corrupted or truncated`)
  const state = stateOf(decode(bytes, `${source}/${m.tensors.file}`).tensors, m.step, m.optimizerSteps, `${source}/${m.tensors.file}`)
  const fromSource = m.source === undefined || m.source === null ? {} : { source: m.source as SourceCheckpoint }
  return { state, meta: { seed: m.seed, data: m.data, options: m.options as JsonValue, ...fromSource } }
}

const stale = (name: string, kept: string): boolean =>
  (tensorFile.test(name) && name !== kept) || /^\.(checkpoint\.json|state-[0-9a-f]{16}\.safetensors)\.\d+\.\d+\.tmp$/.test(name)

/**
 * Saves a training state to the directory `dir` (created if missing), atomically, replacing the
 * checkpoint there.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mkdtempSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { loadCheckpoint, saveCheckpoint } from './checkpoint.js'
 * const dir = join(mkdtempSync(join(tmpdir(), 'heatbath-')), 'run')
 * const state = { step: 5, params: { w: Float64Array.of(0.1, 0.2) }, optimizer: { t: 5, slots: {} }, negatives: { buffer: null }, fixed: {} }
 * await saveCheckpoint(dir, state, { seed: 1, data: null, options: { batchSize: 4 } })
 * const { state: again, meta } = await loadCheckpoint(dir)
 * assert.deepEqual(again, state)
 * assert.deepEqual(meta.options, { batchSize: 4 })
 */
export const saveCheckpoint = async (dir: string, state: CheckpointState, meta: CheckpointMeta): Promise<void> => {
  string(dir, 'io.saveCheckpoint: dir')
  const encoded = encodeCheckpoint(state, meta, 'io.saveCheckpoint')
  // Making a directory under /proc never returns: refused first (pseudo-filesystems.ts).
  const filesystem = await pseudoFilesystem(dir)
  if (filesystem !== undefined) throw onPseudoFilesystem('io.saveCheckpoint: dir', 'a directory', dir, filesystem)
  await mkdir(dir, { recursive: true })
  await writeAtomically(join(dir, encoded.file), encoded.tensors)
  await writeAtomically(join(dir, manifestName), new TextEncoder().encode(encoded.manifest))
  for (const name of await readdir(dir)) if (stale(name, encoded.file)) await unlink(join(dir, name)).catch(() => undefined)
}

/**
 * Loads the checkpoint in `dir`: its manifest decoded and checked, its tensor file verified against the
 * manifest's SHA-256. Errors name the file and what is wrong with it.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { mkdtempSync } from 'node:fs'
 * import { tmpdir } from 'node:os'
 * import { join } from 'node:path'
 * import { loadCheckpoint } from './checkpoint.js'
 * const dir = mkdtempSync(join(tmpdir(), 'heatbath-'))
 * await assert.rejects(loadCheckpoint(dir), /expected a checkpoint \(checkpoint.json\), got none/)
 */
export const loadCheckpoint = async (dir: string): Promise<Checkpoint> => {
  const where = 'io.loadCheckpoint'
  string(dir, `${where}: dir`)
  const manifest = await readFile(join(dir, manifestName), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new RangeError(`${where}: ${dir}: expected a checkpoint (${manifestName}), got none`)
    throw e
  })
  const read = async (file: string): Promise<Uint8Array> => {
    const bytes = await readFile(join(dir, file)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') throw new RangeError(`${where}: ${join(dir, file)}: expected the tensor file that ${manifestName} names, got none`)
      throw e
    })
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  return decodeCheckpoint(manifest, read, `${where}: ${dir}`)
}

/**
 * An online learner's memory of recent records, from which its minibatches are drawn: a sliding window
 * (the last `size` records) or a reservoir (a uniform sample of `size` of all records seen, Vitter's
 * algorithm R). A value: remembering a record returns a new memory and never writes the old one. The
 * rows sit in chunks of 64 and a write copies only its chunk, so a record costs O(64·D + size/64)
 * whatever the memory's size.
 *
 * @module
 */
import { integer, object, oneOf, options as checkOptions } from '../check/index.js'
import { reservoirSlot } from '../rng/index.js'

/** What a memory keeps: the last `size` records, or a uniform sample of `size` of all of them. */
export interface MemoryOptions {
  readonly kind: 'window' | 'reservoir'
  readonly size: number
}

/** The records a learner remembers. */
export interface Memory {
  readonly kind: MemoryOptions['kind']
  readonly size: number
  readonly dimension: number
  /** Rows c·64 … c·64 + 63 in chunk c, row-major. */
  readonly chunks: readonly Float64Array[]
  /** Rows held: min(seen, size). */
  readonly filled: number
  /** Records offered since the memory was made or emptied. */
  readonly seen: number
}

const chunkRows = 64

/**
 * Checks memory options.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkMemory } from './memory.js'
 * assert.deepEqual(checkMemory({ kind: 'reservoir', size: 500 }, 'train.online: memory'), { kind: 'reservoir', size: 500 })
 * assert.throws(() => checkMemory({ kind: 'fifo', size: 5 }, 'train.online: memory'), { message: 'train.online: memory.kind: expected one of "window", "reservoir", got "fifo"' })
 */
export const checkMemory = (v: unknown, where: string): MemoryOptions => {
  const o = checkOptions<MemoryOptions>(object(v, where), where, ['kind', 'size'])
  return { kind: oneOf(o.kind, `${where}.kind`, ['window', 'reservoir'] as const), size: integer(o.size, `${where}.size`, { min: 1 }) }
}

/**
 * An empty memory of `D`-dimensional records.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyMemory } from './memory.js'
 * const m = emptyMemory({ kind: 'window', size: 100 }, 3)
 * assert.equal(m.chunks.length, 2) // rows 0 … 63 and 64 … 99
 * assert.equal(m.filled, 0)
 */
export const emptyMemory = (o: MemoryOptions, D: number): Memory => ({
  kind: o.kind,
  size: o.size,
  dimension: D,
  chunks: Array.from({ length: Math.ceil(o.size / chunkRows) }, (_v, c) => new Float64Array(Math.min(chunkRows, o.size - c * chunkRows) * D)),
  filled: 0,
  seen: 0,
})

/**
 * The memory emptied: no rows held, nothing seen (the old rows are ignored, not copied).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyMemory, forget, remember } from './memory.js'
 * const m = remember(emptyMemory({ kind: 'window', size: 4 }, 1), [7], 0.5)
 * assert.equal(forget(m).filled, 0)
 */
export const forget = (m: Memory): Memory => ({ ...m, filled: 0, seen: 0 })

/**
 * The row a new record goes to, or −1 when the reservoir passes it over: a window overwrites its oldest
 * row; a reservoir that is full keeps the n-th record (from 0) with probability size/(n + 1), in a row
 * drawn uniformly, from one uniform u in (0, 1).
 */
const rowFor = (m: Memory, u: number): number => {
  if (m.kind === 'window') return m.seen % m.size
  return reservoirSlot(m.seen, m.size, u)
}

/**
 * The memory after offering it record `x` (D numbers); `u`, a uniform in (0, 1), decides a full
 * reservoir's choice (the caller draws it from its seeded stream; a window ignores it).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyMemory, remember, rows } from './memory.js'
 * let m = emptyMemory({ kind: 'window', size: 2 }, 1)
 * for (const v of [1, 2, 3]) m = remember(m, [v], 0.5)
 * assert.deepEqual([...rows(m, [0, 1])], [3, 2]) // 3 overwrote 1, the oldest
 */
export const remember = (m: Memory, x: ArrayLike<number>, u: number): Memory => {
  const row = rowFor(m, u)
  const seen = m.seen + 1
  const filled = Math.min(seen, m.size)
  if (row < 0) return { ...m, seen, filled }
  const c = Math.floor(row / chunkRows)
  const chunk = m.chunks[c].slice()
  chunk.set(x, (row - c * chunkRows) * m.dimension)
  const chunks = m.chunks.slice()
  chunks[c] = chunk
  return { ...m, chunks, seen, filled }
}

/**
 * The rows at `indices` (each below `filled`), gathered row-major into a new array.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { emptyMemory, remember, rows } from './memory.js'
 * const m = remember(remember(emptyMemory({ kind: 'reservoir', size: 10 }, 2), [1, 2], 0.5), [3, 4], 0.5)
 * assert.deepEqual([...rows(m, [1, 1, 0])], [3, 4, 3, 4, 1, 2])
 */
export const rows = (m: Memory, indices: ArrayLike<number>): Float64Array => {
  const D = m.dimension
  const out = new Float64Array(indices.length * D)
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]
    const c = Math.floor(r / chunkRows)
    const at = (r - c * chunkRows) * D
    out.set(m.chunks[c].subarray(at, at + D), i * D)
  }
  return out
}

/**
 * Snapshots recorded by the native loop: one call on the worker thread runs many snapshots and copies, at
 * each, what a snapshot reads of the chains (a SnapshotState) into a slot of a recording, so that keeping
 * every draw costs a round trip per call rather than one per snapshot (about 0.1 ms each, more than a
 * cheap energy's step). The statistics and snapshots are then made from the slots by the functions that
 * make them from the live state (snapshot.ts): nothing is computed two ways.
 *
 * @module
 */
import type { Dtype } from '../backend/index.js'
import { treeColumns } from './blocks/nuts-tree.js'
import type { SampleRecord } from './native.js'
import type { SnapshotState } from './snapshot.js'

/** What one slot of a recording holds: `chains` chains of `dimension` numbers, with counts where kept. */
export interface RecordShape {
  readonly chains: number
  readonly dimension: number
  readonly dtype: Dtype
  /** Whether proposal counts are recorded (a kernel with a Metropolis test), and NUTS tree sums. */
  readonly metropolis: boolean
  readonly trees: boolean
}

/** A recording's arrays, as `sampleAsync`'s `record` takes them. */
export type RecordArrays = Omit<SampleRecord, 'every' | 'chains' | 'first'>

/**
 * The bytes a call may record into by default, 2 MiB: 36 snapshots of 1000 chains in 2-D, enough that the
 * round trip is a few percent of a call, and small enough to stay in cache between the worker writing it
 * and JavaScript reading it (a 16 MiB recording took longer in bench/sample-draws.ts).
 */
export const defaultRecordBytes = 2 ** 21

/** How long a call with recorded snapshots aims to take, in milliseconds. */
export const callMilliseconds = 10

/**
 * The bytes one chain takes in one slot: position and gradient (D numbers each) and energy in the dtype,
 * alive (1), and the proposal counts (16) and tree sums (40) where recorded.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { slotBytes } from './recording.js'
 * assert.equal(slotBytes({ chains: 10, dimension: 2, dtype: 'float64', metropolis: true, trees: false }), 8 * 5 + 1 + 16)
 */
export const slotBytes = (s: RecordShape): number =>
  (s.dtype === 'float32' ? 4 : 8) * (2 * s.dimension + 1) + 1 + (s.metropolis ? 16 : 0) + (s.trees ? 8 * treeColumns.length : 0)

/**
 * The most snapshots a call may record within `bytes` (at least one: a call of one snapshot records none,
 * as the state itself is its snapshot).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { slotCap } from './recording.js'
 * const shape = { chains: 1000, dimension: 2, dtype: 'float64', metropolis: true, trees: false } as const
 * assert.equal(slotCap(shape, 2 ** 21), 36) // 57 kB a slot
 * assert.equal(slotCap(shape, 0), 1)
 */
export const slotCap = (s: RecordShape, bytes: number): number => Math.max(1, Math.floor(bytes / (s.chains * slotBytes(s))))

/**
 * The snapshots of the next call, from the last call's count and time: as many as take about
 * `callMilliseconds` at its pace, so that the round trip is about 1% of a call while snapshots still reach
 * their reader in bursts at most that far apart (a call of one snapshot when one takes longer); at most 4×
 * the last count (a first short call says little about its pace) and at most `cap`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { nextSlots } from './recording.js'
 * assert.equal(nextSlots(1, 0.1, 1000), 4)      // 0.1 ms a snapshot: grow, 4× at a time
 * assert.equal(nextSlots(64, 2, 1000), 256)
 * assert.equal(nextSlots(256, 5, 1000), 512)    // 512 snapshots take about 10 ms
 * assert.equal(nextSlots(8, 40, 1000), 2)       // slower than the target: fewer
 * assert.equal(nextSlots(256, 5, 300), 300)     // bounded by memory
 */
export const nextSlots = (slots: number, milliseconds: number, cap: number): number =>
  Math.max(1, Math.min(cap, 4 * slots, Math.floor((slots * callMilliseconds) / Math.max(milliseconds, 1e-3))))

/**
 * A recording that grows (never shrinks) as calls ask for more slots: `take(slots)` gives arrays of
 * exactly `slots` slots and a SnapshotState view on each slot. The views are overwritten by the next call.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { recorder } from './recording.js'
 * const take = recorder({ chains: 3, dimension: 2, dtype: 'float32', metropolis: false, trees: false })
 * const { arrays, states } = take(4)
 * assert.equal(arrays.position.length, 4 * 3 * 2)
 * assert.equal(arrays.proposed.length, 0) // not recorded
 * arrays.energy[3] = 7
 * assert.equal(states[1].energy[0], 7)
 */
export const recorder = (shape: RecordShape): ((slots: number) => { readonly arrays: RecordArrays; readonly states: readonly SnapshotState[] }) => {
  const { chains: C, dimension: D } = shape
  const Floats = shape.dtype === 'float32' ? Float32Array : Float64Array
  const columns = { position: D, energy: 1, gradient: D, alive: 1, proposed: shape.metropolis ? 1 : 0, accepted: shape.metropolis ? 1 : 0, trees: shape.trees ? treeColumns.length : 0 }
  const types = { position: Floats, energy: Floats, gradient: Floats, alive: Uint8Array, proposed: Float64Array, accepted: Float64Array, trees: Float64Array }
  const names = Object.keys(columns) as (keyof RecordArrays)[]
  const allocate = (slots: number): RecordArrays => Object.fromEntries(names.map((k) => [k, new types[k](slots * C * columns[k])])) as unknown as RecordArrays
  let held = allocate(0)
  let capacity = 0
  // A window of `slots` slots on each array, from slot `from`.
  const window = (from: number, slots: number): RecordArrays =>
    Object.fromEntries(names.map((k) => [k, held[k].subarray(from * C * columns[k], (from + slots) * C * columns[k])])) as unknown as RecordArrays
  return (slots) => {
    if (slots > capacity) {
      capacity = slots
      held = allocate(capacity)
    }
    const states = Array.from({ length: slots }, (_, k) => ({ chains: C, dimension: D, ...window(k, 1) }))
    return { arrays: window(0, slots), states }
  }
}

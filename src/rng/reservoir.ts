/**
 * One step of Vitter's algorithm R, the one rule behind every reservoir in heatbath (`stream.reservoir`,
 * `train.online`'s reservoir memory).
 */

/**
 * The slot of a reservoir of `size` that item `n` (counted from 0) goes to, or −1 when it is passed over:
 * the first `size` fill the slots in order; later, item n replaces the slot ⌊u·(n + 1)⌋ when that is below
 * `size` (so with probability size/(n + 1), the slot uniform), for a uniform u in [0, 1) the caller draws
 * from its seeded stream.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { reservoirSlot } from './reservoir.js'
 * assert.equal(reservoirSlot(2, 5, 0.9), 2) // not full yet: the next slot
 * assert.equal(reservoirSlot(9, 5, 0.3), 3) // ⌊0.3·10⌋
 * assert.equal(reservoirSlot(9, 5, 0.7), -1) // ⌊0.7·10⌋ = 7 ≥ 5: passed over
 */
export const reservoirSlot = (n: number, size: number, u: number): number => {
  if (n < size) return n
  const j = Math.floor(u * (n + 1))
  return j < size ? j : -1
}

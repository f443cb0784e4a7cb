/**
 * Index arithmetic shared by the reference kernels: walking a row-major output while tracking the offsets
 * of operands with their own strides (0 along broadcast or reduced axes).
 *
 * @module
 */
import { type Shape, strides } from './shape.js'

/**
 * Strides with which an operand of shape `from` is read when walking `to` (right-aligned; 0 where `from`
 * has extent 1 or no axis).
 */
export const broadcastStrides = (from: Shape, to: Shape): number[] => {
  const s = strides(from)
  const off = to.length - from.length
  return to.map((_d, i) => (i < off || from[i - off] === 1 ? 0 : s[i - off]))
}

/**
 * Calls `visit(k, offsets)` for every row-major index k of `shape`, with one offset per stride set,
 * advancing the offsets incrementally (an odometer) rather than recomputing them.
 */
export const walk = (shape: Shape, strideSets: readonly (readonly number[])[], visit: (k: number, offsets: readonly number[]) => void): void => {
  const rank = shape.length
  const n = shape.reduce((a, d) => a * d, 1)
  if (n === 0) return
  const index = new Array<number>(rank).fill(0)
  const offsets = strideSets.map(() => 0)
  for (let k = 0; k < n; k++) {
    visit(k, offsets)
    for (let ax = rank - 1; ax >= 0; ax--) {
      index[ax]++
      for (let j = 0; j < strideSets.length; j++) offsets[j] += strideSets[j][ax]
      if (index[ax] < shape[ax]) break
      for (let j = 0; j < strideSets.length; j++) offsets[j] -= strideSets[j][ax] * shape[ax]
      index[ax] = 0
    }
  }
}

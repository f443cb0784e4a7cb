/**
 * Matrix product of two rank-2 tensors, [m,k] × [k,n] → [m,n]. The batch is the leading axis of the
 * left operand (x @ W for a batch of rows x).
 *
 * @module
 */
import { apply, defineOp, type Expr, shapeError } from '../expr.js'
import { lift, isZero, type Operand } from './leaf.js'
import { transpose, zeros } from './layout.js'

defineOp({
  name: 'matmul',
  kind: 'matmul',
  arity: 2,
  shape: ([a, b]) => {
    if (a.length !== 2 || b.length !== 2) shapeError('matmul', 'two operands of rank 2', [a, b])
    if (a[1] !== b[0]) shapeError('matmul', 'inner extents that agree ([m,k] × [k,n])', [a, b])
    return [a[0], b[1]]
  },
  reference: ({ inputs: [a, b], inputShapes: [as, bs], output }) => {
    const [m, k] = as
    const n = bs[1]
    output.fill(0)
    for (let i = 0; i < m; i++) {
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]
        const row = p * n
        const out = i * n
        for (let j = 0; j < n; j++) output[out + j] += aip * b[row + j]
      }
    }
  },
  // d(AB) = dA·B + A·dB: ∂/∂A = dy·Bᵀ, ∂/∂B = Aᵀ·dy
  vjp: ([a, b], _y, dy) => [matmul(dy, transpose(b)), matmul(transpose(a), dy)],
  simplify: ([a, b], _attrs, shape) => (isZero(a) || isZero(b) ? zeros(shape) : undefined),
})

/**
 * The matrix product a·b of [m,k] and [k,n].
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from '../index.js'
 * assert.deepEqual(ir.matmul(ir.input('x', [1024, 2]), ir.param('W', [2, 128])).shape, [1024, 128])
 */
export const matmul = (a: Operand, b: Operand): Expr => apply('matmul', [lift(a, 'ir.matmul'), lift(b, 'ir.matmul')])

/**
 * Reverse-mode differentiation as a transformation from IR to IR.
 *
 * `grad(y, wrt)` walks the graph of a scalar `y` backwards, applying each op's vector-Jacobian rule. The
 * rules are written with IR ops, so the result is an ordinary expression: it can be compiled, evaluated,
 * simplified, and differentiated again (Hessian-vector products, gradient penalties, score matching).
 *
 * @module
 */
import { typeError } from '../check/index.js'
import { checkLeaves, type Expr, isExpr, opDef } from './expr.js'
import { topologicalOrder } from './graph.js'
import { add } from './ops/arithmetic.js'
import { constant } from './ops/leaf.js'
import { reshape, zeros } from './ops/layout.js'
import { sameShape, showShape, size } from './shape.js'

/**
 * The gradient of a scalar expression `y` with respect to each leaf in `wrt` (inputs or params), as
 * expressions of the same shapes as those leaves. A leaf `y` does not depend on gets zeros.
 *
 * For a batch of independent energies E (shape [batch]), ∇ₓE for every chain at once is
 * `grad(sum(E), [x])`: each row of the result is the gradient of that row's energy.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [3])
 * const [g] = ir.grad(ir.sum(ir.softplus(x)), [x]) // = sigmoid(x)
 * const [h] = ir.grad(ir.sum(g), [x])              // the Hessian's diagonal: σ(x)(1 − σ(x))
 * const [gv, hv] = ir.interpret([g, h], { x: [0, 1, -2] })
 * const s = [0, 1, -2].map((v) => 1 / (1 + Math.exp(-v)))
 * assert.ok(s.every((si, i) => Math.abs(gv[i] - si) < 1e-15 && Math.abs(hv[i] - si * (1 - si)) < 1e-15))
 */
export const grad = (y: Expr, wrt: readonly Expr[]): Expr[] => {
  if (!isExpr(y)) throw typeError('ir.grad: y', 'an expression', y)
  if (size(y.shape) !== 1) {
    throw new RangeError(`ir.grad: y: expected a scalar (for a batch of independent terms differentiate ir.sum(y)), got shape ${showShape(y.shape)}`)
  }
  checkLeaves(wrt, 'ir.grad: wrt')
  const order = topologicalOrder([y])
  // Only nodes on a path from some wrt leaf to y carry cotangents worth building.
  const targets = new Set(wrt.map((w) => w.id))
  const relevant = new Set<number>()
  for (const node of order) {
    if (targets.has(node.id) || node.inputs.some((i) => relevant.has(i.id))) relevant.add(node.id)
  }
  const cotangent = new Map<number, Expr>()
  cotangent.set(y.id, reshape(constant(1), y.shape))
  for (let k = order.length - 1; k >= 0; k--) {
    const node = order[k]
    const dy = cotangent.get(node.id)
    if (dy === undefined || node.inputs.length === 0 || !relevant.has(node.id)) continue
    const parts = opDef(node.op).vjp(node.inputs, node, dy)
    node.inputs.forEach((input, i) => {
      const part = parts[i]
      if (part === undefined || !relevant.has(input.id)) return
      // A rule giving the wrong shape is a bug in heatbath's op table, not a user's mistake.
      if (!sameShape(part.shape, input.shape)) {
        throw new Error(`ir.grad: the rule of '${node.op}' gave a cotangent of shape ${showShape(part.shape)} for an operand of shape ${showShape(input.shape)}`)
      }
      const prev = cotangent.get(input.id)
      cotangent.set(input.id, prev === undefined ? part : add(prev, part))
    })
  }
  return wrt.map((w) => cotangent.get(w.id) ?? zeros(w.shape))
}

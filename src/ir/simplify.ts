/**
 * Simplification. Every node is built through its op's identities (x·1 = x, x + 0 = x, x·0 = 0,
 * −(−x) = x, transposes and reshapes that cancel, sums of zeros, ...) and small constant subexpressions
 * are folded, so graphs built with the public constructors are already simplified and shared by
 * hash-consing. `simplify` rebuilds any graph through the same rules, for graphs whose parts were
 * rewritten (for instance leaves substituted).
 *
 * @module
 */
import { apply, type Expr } from './expr.js'
import { topologicalOrder } from './graph.js'
import { sameShape, showShape } from './shape.js'

/**
 * Rebuilds `e` bottom-up through the op identities and constant folding, optionally substituting nodes
 * (keyed by id) on the way.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * const a = ir.param('a', [])
 * const e = ir.mul(ir.add(x, a), 1)
 * // substitute a := 0 and simplify: x + 0 → x
 * assert.equal(ir.simplify(e, new Map([[a.id, ir.constant(0)]])) === x, true)
 */
export const simplify = (e: Expr, substitute: ReadonlyMap<number, Expr> = new Map()): Expr => {
  const rebuilt = new Map<number, Expr>()
  for (const node of topologicalOrder([e])) {
    const sub = substitute.get(node.id)
    if (sub !== undefined) {
      if (!sameShape(sub.shape, node.shape)) {
        throw new RangeError(`ir.simplify: substitute for node ${node.id} ('${node.op}'): expected shape ${showShape(node.shape)}, got ${showShape(sub.shape)}`)
      }
      rebuilt.set(node.id, sub)
    }
    else if (node.inputs.length === 0) rebuilt.set(node.id, node)
    else rebuilt.set(node.id, apply(node.op, node.inputs.map((i) => rebuilt.get(i.id) as Expr), node.attrs))
  }
  return rebuilt.get(e.id) as Expr
}

/**
 * Walking expression graphs.
 *
 * @module
 */
import { checkExprs, type Expr } from './expr.js'

/**
 * The nodes reachable from `roots`, each after all of its inputs (a topological order). Iterative, so
 * deep graphs (long chains of steps) do not overflow the stack.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [2])
 * assert.deepEqual(ir.topologicalOrder([ir.exp(ir.neg(x))]).map((e) => e.op), ['input', 'neg', 'exp'])
 */
export const topologicalOrder = (roots: readonly Expr[]): Expr[] => {
  checkExprs(roots, 'ir.topologicalOrder: roots')
  const order: Expr[] = []
  const state = new Map<number, 1 | 2>() // 1: on the stack, 2: emitted
  for (const root of roots) {
    if (state.has(root.id)) continue
    const stack: [Expr, number][] = [[root, 0]]
    state.set(root.id, 1)
    while (stack.length > 0) {
      const top = stack[stack.length - 1]
      const [node, i] = top
      if (i < node.inputs.length) {
        top[1] = i + 1
        const child = node.inputs[i]
        if (!state.has(child.id)) {
          state.set(child.id, 1)
          stack.push([child, 0])
        }
      } else {
        stack.pop()
        state.set(node.id, 2)
        order.push(node)
      }
    }
  }
  return order
}

/** The leaves (inputs, params) a graph depends on, in first-seen order. */
export const leavesOf = (roots: readonly Expr[]): Expr[] =>
  topologicalOrder(roots).filter((e) => e.op === 'input' || e.op === 'param')

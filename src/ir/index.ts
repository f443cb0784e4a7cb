/**
 * The tensor IR: expressions with static shapes, symbolic reverse-mode derivatives (IR → IR), a
 * simplifier, a compiler to serialisable tapes, and the reference executor.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './index.js'
 * const x = ir.input('x', [4, 2])
 * const E = ir.mul(ir.sum(ir.square(x), 1), 0.5)   // E(x) = ½‖x‖² per row
 * const [dx] = ir.grad(ir.sum(E), [x])              // ∇ₓE = x
 * const tape = ir.compile([E, dx], [x])
 * const [e, g] = ir.evaluate(tape, { x: [1, 0, 0, 1, 1, 1, 2, 0] })
 * assert.deepEqual(e, new Float64Array([0.5, 0.5, 1, 2]))
 * assert.deepEqual(g, new Float64Array([1, 0, 0, 1, 1, 1, 2, 0]))
 *
 * @module
 */
// The op modules register themselves when imported; this file imports all of them.
export { input, param, constant, lift, isZero, isOne, type Operand } from './ops/leaf.js'
export { neg, exp, log, sqrt, square, sin, cos, tanh, sigmoid, softplus, silu, relu, abs, sign, add, sub, mul, div, pow } from './ops/arithmetic.js'
export { matmul } from './ops/matmul.js'
export { sum, logsumexp, mean, type ReduceOptions } from './ops/reduce.js'
export { reshape, broadcast, transpose, slice, concat, zeros, full, unbroadcast, broadcastTo } from './ops/layout.js'
export { type Expr, type Attrs, type OpDef, type OpKind, type KernelArgs, apply, opDef, opNames, isExpr } from './expr.js'
export { type Shape, size, showShape, sameShape, broadcastShapes, checkShape } from './shape.js'
export { grad } from './grad.js'
export { simplify } from './simplify.js'
export { topologicalOrder, leavesOf } from './graph.js'
export { compile } from './compile.js'
export { type Tape, type TapeFeed, type TapeConstant, type TapeInstruction, type TapeOutput, serializeTape, parseTape, validateTape } from './tape.js'
export { evaluateReference, evaluateReference as evaluate, interpret, feedValues, checkFeedNames, type Feeds } from './evaluate.js'

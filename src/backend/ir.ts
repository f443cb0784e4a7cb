/**
 * The `ir` namespace of the package root: everything of src/ir, with `evaluate` replaced by the
 * backend's (which runs either executor) and `evaluateAsync` added.
 *
 * @example
 * import * as ir from './ir.js'
 * const x = ir.input('x', [2])
 * ir.evaluate(ir.compile([ir.exp(x)], [x]), { x: [0, 1] }) // [Float64Array [1, e]]
 *
 * @module
 */
export * from '../ir/index.js'
export { evaluate, evaluateAsync, type EvaluateOptions, type EvaluateAsyncOptions, type Backend, type Dtype } from './evaluate.js'

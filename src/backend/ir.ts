/**
 * The `ir` namespace of the package root: everything of src/ir, with `runTape` replaced by the
 * backend's (which runs either executor) and `runTapeAsync` added.
 *
 * @example
 * import * as ir from './ir.js'
 * const x = ir.input('x', [2])
 * ir.runTape(ir.compile([ir.exp(x)], [x]), { x: [0, 1] }) // [Float64Array [1, e]]
 *
 * @module
 */
export * from '../ir/index.js'
export { runTape, runTapeAsync, type RunTapeOptions, type RunTapeAsyncOptions, type Backend, type Dtype } from './run-tape.js'

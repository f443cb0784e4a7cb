/**
 * The `ir` namespace of the package root: everything of src/ir, with `runTape` replaced by the
 * backend's (which runs either executor) and `runTapeAsync` added.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as ir from './ir.js'
 * const x = ir.input('x', [2])
 * const [y] = ir.runTape(ir.compile([ir.exp(x)], [x]), { x: [0, 1] })
 * assert.equal(y[0], 1)
 * assert.ok(Math.abs(y[1] - Math.E) < 1e-15) // e to rounding: the native exp is within about 1 ulp
 *
 * @module
 */
export * from '../ir/index.js'
export { runTape, runTapeAsync, type RunTapeOptions, type RunTapeAsyncOptions, type Backend, type Dtype } from './run-tape.js'

/**
 * The executors: the choice between the native addon and the reference executor, `runTape` and
 * `runTapeAsync` over either, and the addon loader (the only place that loads it).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import * as backend from './index.js'
 * // 'auto' is the addon when it is built (unless HEATBATH_BACKEND forces a choice)
 * const built = backend.nativeAddon().addon !== undefined
 * if (process.env.HEATBATH_BACKEND === undefined) assert.equal(backend.resolveBackend('auto'), built ? 'native' : 'reference')
 *
 * @module
 */
export { runTape, runTapeAsync, resolveBackend, nativeHandle, type RunTapeOptions, type RunTapeAsyncOptions, type Backend, type Dtype, type Outputs } from './run-tape.js'
export { nativeAddon, addonPath, locateAddon, type AddonLocation, type NativeAddon, type NativeOp, type AttributeForm } from './addon.js'
export { encodeTape, opTableOf, opTableFrom, type OpTable } from './encode.js'
export { draws } from './draws.js'
export { rbmFitNative, type RbmFitBuffers } from './rbm.js'

/**
 * The executors: the choice between the native addon and the reference executor, `evaluate` and
 * `evaluateAsync` over either, and the addon loader (the only place that loads it).
 *
 * @example
 * import * as backend from './index.js'
 * backend.resolveBackend('auto') // 'native' when the addon is built, else 'reference'
 *
 * @module
 */
export { evaluate, evaluateAsync, resolveBackend, nativeHandle, type EvaluateOptions, type EvaluateAsyncOptions, type Backend, type Dtype, type Outputs } from './evaluate.js'
export { nativeAddon, addonPath, type NativeAddon, type NativeOp, type AttributeForm } from './addon.js'
export { encodeTape, opTableOf, opTableFrom, type OpTable } from './encode.js'
export { draws } from './draws.js'

/**
 * A training state as named safetensors tensors and back. Every array of the state is one flat F64
 * tensor, so the bits survive the round trip:
 *
 * | tensor | holds |
 * | --- | --- |
 * | `params/<name>` | a parameter (the energy's, or the objective's own such as NCE's logZ) |
 * | `optimizer/<slot>/<name>` | an optimizer moment of a parameter (Adam's `m` and `v`, momentum's buffer) |
 * | `negatives/buffer` | the replay buffer of persistent chains, [bufferSize × D] row-major |
 * | `fixed/<name>` | an input the objective fixed from the data (NCE's noise fit) |
 *
 * @module
 */
import { integer, object, typeError } from '../check/index.js'
import { type Tensor } from './safetensors.js'

/** What a checkpoint holds of a training state (train's `TrainState` has this shape). */
export interface CheckpointState {
  /** Steps done. */
  readonly step: number
  readonly params: Readonly<Record<string, Float64Array>>
  /** The optimizer's update count and its slots, slots[slot][parameter]. */
  readonly optimizer: { readonly t: number; readonly slots: Readonly<Record<string, Readonly<Record<string, Float64Array>>>> }
  readonly negatives: { readonly buffer: Float64Array | null }
  readonly fixed: Readonly<Record<string, Float64Array>>
}

const arrays = (v: unknown, where: string): void => {
  for (const [n, a] of Object.entries(object(v, where))) if (!(a instanceof Float64Array)) throw typeError(`${where}.${n}`, 'a Float64Array', a)
}

/**
 * Checks that a value has a training state's shape (the arrays Float64Arrays), naming the first field
 * that does not; `where` names the argument.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { checkState } from './checkpoint-tensors.js'
 * const s = { step: 1, params: { w: [1] }, optimizer: { t: 1, slots: {} }, negatives: { buffer: null }, fixed: {} }
 * assert.throws(() => checkState(s, 'io.saveCheckpoint: state'), { name: 'TypeError', message: 'io.saveCheckpoint: state.params.w: expected a Float64Array, got an array of length 1' })
 */
export const checkState = (v: unknown, where: string): CheckpointState => {
  const s = object(v, where)
  integer(s.step, `${where}.step`)
  arrays(s.params, `${where}.params`)
  const o = object(s.optimizer, `${where}.optimizer`)
  integer(o.t, `${where}.optimizer.t`)
  for (const [slot, byParam] of Object.entries(object(o.slots, `${where}.optimizer.slots`))) arrays(byParam, `${where}.optimizer.slots.${slot}`)
  const buffer = object(s.negatives, `${where}.negatives`).buffer
  if (buffer !== null && !(buffer instanceof Float64Array)) throw typeError(`${where}.negatives.buffer`, 'a Float64Array or null', buffer)
  arrays(s.fixed, `${where}.fixed`)
  return v as CheckpointState
}

const flat = (data: Float64Array): Tensor => ({ dtype: 'F64', shape: [data.length], data })

/**
 * The tensors of a state, named as the table above says.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { tensorsOf } from './checkpoint-tensors.js'
 * const w = Float64Array.of(1, 2)
 * const tensors = tensorsOf({ step: 1, params: { w }, optimizer: { t: 1, slots: { m: { w } } }, negatives: { buffer: null }, fixed: {} })
 * assert.deepEqual(Object.keys(tensors), ['params/w', 'optimizer/m/w'])
 */
export const tensorsOf = (s: CheckpointState): Record<string, Tensor> => {
  const out: Record<string, Tensor> = {}
  for (const [n, v] of Object.entries(s.params)) out[`params/${n}`] = flat(v)
  for (const [slot, byParam] of Object.entries(s.optimizer.slots)) for (const [n, v] of Object.entries(byParam)) out[`optimizer/${slot}/${n}`] = flat(v)
  if (s.negatives.buffer !== null) out['negatives/buffer'] = flat(s.negatives.buffer)
  for (const [n, v] of Object.entries(s.fixed)) out[`fixed/${n}`] = flat(v)
  return out
}

/**
 * The state held by named tensors, with its step and optimizer count; an error names a tensor that is
 * not F64, has a name of no known kind, or a slot of a parameter the checkpoint lacks.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { stateOf, tensorsOf } from './checkpoint-tensors.js'
 * const s = { step: 3, params: { w: Float64Array.of(1) }, optimizer: { t: 3, slots: {} }, negatives: { buffer: Float64Array.of(0.5) }, fixed: {} }
 * assert.deepEqual(stateOf(tensorsOf(s), 3, 3, 'state'), s)
 */
export const stateOf = (tensors: Readonly<Record<string, Tensor>>, step: number, t: number, source: string): CheckpointState => {
  const params: Record<string, Float64Array> = {}
  const slots: Record<string, Record<string, Float64Array>> = {}
  const fixed: Record<string, Float64Array> = {}
  let buffer: Float64Array | null = null
  for (const [name, tensor] of Object.entries(tensors)) {
    if (!(tensor.data instanceof Float64Array)) throw new RangeError(`${source}: tensor '${name}': expected F64, got ${tensor.dtype}`)
    const [kind, ...rest] = name.split('/')
    if (kind === 'params' && rest.length > 0) params[rest.join('/')] = tensor.data
    else if (kind === 'fixed' && rest.length > 0) fixed[rest.join('/')] = tensor.data
    else if (name === 'negatives/buffer') buffer = tensor.data
    else if (kind === 'optimizer' && rest.length > 1) (slots[rest[0]] ??= {})[rest.slice(1).join('/')] = tensor.data
    else throw new RangeError(`${source}: tensor '${name}': expected a name params/…, optimizer/<slot>/…, negatives/buffer or fixed/…, got '${name}'`)
  }
  for (const [slot, byParam] of Object.entries(slots)) {
    for (const n of Object.keys(byParam)) if (!(n in params)) throw new RangeError(`${source}: tensor 'optimizer/${slot}/${n}': expected a slot of a parameter of the checkpoint (${Object.keys(params).join(', ') || 'none'}), got one of '${n}'`)
  }
  return { step, params, optimizer: { t, slots }, negatives: { buffer }, fixed }
}

/**
 * An energy's parameter values for a run: those a caller gave, checked, and the rest from the energy's
 * initialisers, computed once per energy value.
 */
import * as check from '../check/index.js'
import * as ir from '../ir/index.js'
import type { Energy } from './energy.js'
import { init as initialParams } from './init.js'

const isRandom = (kind: string): boolean => kind === 'normal' || kind === 'uniform'

// A parameter nobody gave: its deterministic initial values, or the energy's seeded ones.
const initialValues = (energy: Energy, name: string, where: string, seeded: () => Readonly<Record<string, Float64Array>>): Float64Array => {
  const spec = energy.params[name]
  const n = ir.size(spec.shape)
  const init = spec.init
  if (isRandom(init.kind)) {
    if (energy.seed === undefined) throw check.rangeError(`${where}.${name}`, `its values (its initialiser is random ('${init.kind}') and energy '${energy.name}' has no seed)`, undefined)
    return seeded()[name]
  }
  if (init.kind === 'zeros') return new Float64Array(n)
  if (init.kind === 'constant') return new Float64Array(n).fill(init.value)
  return check.numbers(init.kind === 'values' ? init.values : undefined, `${where}.${name} (its initial values)`, { length: n })
}

// The initial values of an energy's parameters, per energy value (it is immutable): checking them (or
// drawing them from its seed) every call cost milliseconds a call at image sizes. Shared, never written:
// a runner's engine copies them, or reads them in place when nobody else holds its arrays.
const initials = new WeakMap<Energy, Map<string, Float64Array>>()

const initialValuesOf = (energy: Energy, name: string, where: string, seeded: () => Readonly<Record<string, Float64Array>>): Float64Array => {
  let byName = initials.get(energy)
  if (byName === undefined) initials.set(energy, (byName = new Map()))
  const known = byName.get(name)
  if (known !== undefined) return known
  const values = initialValues(energy, name, where, seeded)
  byName.set(name, values)
  return values
}

/**
 * The energy's parameter values: those given (checked against the parameters' shapes, copied), the rest
 * from their initialisers (computed once per energy value and shared: never write them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { paramValues } from './params.js'
 * import * as energy from './index.js'
 * const e = energy.mlp({ widths: [2, 4, 1], activation: 'silu', seed: 3 })
 * assert.deepEqual(paramValues(e, undefined, 'sample: params').W0, energy.init(e).W0) // from the energy's seed
 */
export const paramValues = (energy: Energy, given: unknown, where: string): Record<string, Float64Array> => {
  const names = Object.keys(energy.params)
  const g = given === undefined ? {} : check.object(given, where)
  for (const k of Object.keys(g)) {
    if (!names.includes(k)) throw check.rangeError(where, `parameters of energy '${energy.name}' (${names.join(', ') || 'none'})`, k)
  }
  let seeded: Readonly<Record<string, Float64Array>> | undefined
  const out: Record<string, Float64Array> = {}
  for (const name of names) {
    const n = ir.size(energy.params[name].shape)
    out[name] = g[name] === undefined ? initialValuesOf(energy, name, where, () => (seeded ??= initialParams(energy))) : check.numbers(g[name], `${where}.${name}`, { length: n })
  }
  return out
}

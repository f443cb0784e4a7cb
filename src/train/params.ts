/**
 * Starting parameter values of a run: the energy's initialisers, overridden by the values given.
 *
 * @module
 */
import { numbers, object, rangeError } from '../check/index.js'
import { type Energy } from '../energy/energy.js'
import { init } from '../energy/init.js'
import * as ir from '../ir/index.js'

/**
 * `energy.init(e)` (with the energy's own seed, else `seed`), with every parameter in `given` replaced by
 * its values; `known` lists the parameters a run trains, by shape (an objective's own among them).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { quadratic } from '../energy/index.js'
 * import { startingParams } from './params.js'
 * const p = startingParams(quadratic({ center: [1, 2] }), { theta: [0, 5] }, { theta: [2] }, 0, 'train.fit')
 * assert.deepEqual([...p.theta], [0, 5])
 */
export const startingParams = (e: Energy, given: unknown, known: Readonly<Record<string, ir.Shape>>, seed: number, where: string): Record<string, Float64Array> => {
  const start: Record<string, Float64Array> = { ...init(e, e.seed ?? seed) }
  if (given === undefined) return start
  for (const [n, v] of Object.entries(object(given, `${where}: params`))) {
    if (!(n in known)) throw rangeError(`${where}: params`, `parameters of energy '${e.name}' (${Object.keys(known).join(', ')})`, n)
    start[n] = numbers(v, `${where}: params.${n}`, { length: ir.size(known[n]), lengthReason: `shape ${ir.showShape(known[n])}` })
  }
  return start
}

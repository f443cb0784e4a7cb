/**
 * Energies of many points on a backend: the energy's tape compiled once for a fixed batch, run over the
 * points chunk by chunk (the last chunk padded), natively when the addon is built. What `score` does with
 * records and `demo` with the cells of its grid.
 *
 * @module
 */
import { type Backend, type Dtype, runTape } from '../backend/index.js'
import * as energy from '../energy/index.js'
import * as ir from '../ir/index.js'

/** Where and how to evaluate. */
export interface EvaluateOptions {
  /** Points per run of the tape; default 4096. */
  readonly batch?: number
  readonly backend?: Backend
  readonly dtype?: Dtype
  readonly threads?: number
}

/**
 * A function from points (row-major, any number of rows of the energy's size) and parameter values to
 * the points' energies, with the tape compiled once.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { energy } from 'heatbath'
 * import { energiesOf } from './energies.js'
 * const E = energiesOf(energy.doubleWell(), { batch: 2, backend: 'reference' })
 * assert.deepEqual(E(Float64Array.of(-1, 0, 1), {}), Float64Array.of(-1, 0, -1)) // three points: a full chunk and a padded one
 */
export const energiesOf = (e: energy.Energy, options: EvaluateOptions = {}): ((points: Float64Array, params: energy.Params) => Float64Array) => {
  const batch = options.batch ?? 4096
  const D = ir.size(e.shape)
  const p = energy.program(e, batch)
  const tape = ir.compile([p.energy], [p.x, ...p.paramList])
  const run = { backend: options.backend ?? 'auto', dtype: options.dtype ?? 'float64', threads: options.threads ?? 1 }
  const x = new Float64Array(batch * D)
  return (points, params) => {
    const rows = points.length / D
    const out = new Float64Array(rows)
    for (let start = 0; start < rows; start += batch) {
      const count = Math.min(batch, rows - start)
      x.set(points.subarray(start * D, (start + count) * D))
      x.fill(0, count * D)
      const [E] = runTape(tape, { x, ...params }, run)
      out.set(E.subarray(0, count), start)
    }
    return out
  }
}

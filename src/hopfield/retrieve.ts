/**
 * Retrieval in a classic Hopfield network: cues run downhill under the discrete blocks of the sampler
 * (`descent` at zero temperature, `heatBath` at T > 0) until they stop, and the result is read as
 * overlaps m_μ = (1/N) Σᵢ sᵢ ξᵢ^μ with every stored pattern.
 *
 * - 'async' (default): one unit at a time in random order (D updates a sweep); the energy never rises,
 *   so every cue ends at a fixed point, a local minimum under single flips (sᵢ·fᵢ ≥ 0 for every unit).
 * - 'sync': every unit at once from the same fields (Little's dynamics). The energy need not fall, and on
 *   a symmetric W the state ends at a fixed point or in a 2-cycle (Goles-Chacc et al. 1985): two states
 *   that map to each other. A 2-cycle is reported as such, after the sweep that closes it.
 * - `temperature` T > 0: heat-bath (Glauber) sweeps, which have no fixed point: `maxSweeps` of them.
 *
 * @module
 */
import { integer, object, oneOf, options as checkOptions, positive, rangeError, seed as checkSeed } from '../check/index.js'
import { type Energy, init } from '../energy/index.js'
import { localField } from '../energy/structure.js'
import { descent, heatBath, runner } from '../sampler/index.js'
import { storedPatterns } from './store.js'

/** Options of {@link retrieve}. */
export interface RetrieveOptions {
  /** 'async' (default) or 'sync'. */
  readonly mode?: 'async' | 'sync'
  /** Heat-bath sweeps at this temperature instead of zero-temperature descent ('async' only). */
  readonly temperature?: number
  /** The most sweeps to run (default 100). */
  readonly maxSweeps?: number
  readonly seed: number
  readonly backend?: 'reference' | 'native' | 'auto'
}

/** How a cue's run ended. */
export type Ending = 'fixed point' | '2-cycle' | 'max sweeps'

/** What {@link retrieve} gives. */
export interface Retrieval {
  /** Final states, row-major [cues × N]. */
  readonly states: Float64Array
  /** m_μ of every cue with every pattern, row-major [cues × patterns]. */
  readonly overlaps: Float64Array
  /** Sweeps each cue ran until it stopped (the sweep that reached its fixed point or closed its 2-cycle). */
  readonly sweeps: Uint32Array
  readonly endings: readonly Ending[]
}

// A chain at a fixed point of zero-temperature dynamics: every unit agrees with its field (sᵢ·fᵢ ≥ 0).
const isFixedPoint = (e: Energy, params: Readonly<Record<string, Float64Array>>, x: Float64Array, offset: number, N: number): boolean => {
  for (let i = 0; i < N; i++) if (x[offset + i] * localField(e.structure!, params, x, offset, i) < 0) return false
  return true
}

const same = (a: Float64Array, b: Float64Array, offset: number, N: number): boolean => {
  for (let i = offset; i < offset + N; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Runs cues (rows of ±1, row-major) in a Hopfield network built by `hopfield.store` until each stops,
 * and reports the overlaps with every pattern and the sweeps taken.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { store } from './store.js'
 * import { retrieve } from './retrieve.js'
 * const memory = [1, -1, 1, -1, 1, 1, -1, -1]
 * const e = store([memory, [1, 1, 1, 1, -1, -1, -1, -1]])
 * const cue = memory.map((s, i) => (i === 2 ? -s : s)) // one unit flipped
 * const r = await retrieve(e, cue, { seed: 1 })
 * assert.deepEqual([...r.states], memory)
 * assert.equal(r.overlaps[0], 1)
 * assert.equal(r.endings[0], 'fixed point')
 */
export const retrieve = async (e: Energy, cues: ArrayLike<number>, options: RetrieveOptions): Promise<Retrieval> => {
  const where = 'hopfield.retrieve'
  const patterns = storedPatterns(e, `${where}: energy`)
  const o = checkOptions<RetrieveOptions>(object(options, `${where}: options`), `${where}: options`, ['mode', 'temperature', 'maxSweeps', 'seed', 'backend'])
  const mode = oneOf(o.mode ?? 'async', `${where}: mode`, ['async', 'sync'] as const)
  const temperature = o.temperature === undefined ? null : positive(o.temperature, `${where}: temperature`)
  if (temperature !== null && mode === 'sync') throw rangeError(`${where}: temperature`, "none with mode 'sync' (heat bath updates one unit at a time)", temperature)
  const maxSweeps = integer(o.maxSweeps ?? 100, `${where}: maxSweeps`, { min: 1 })
  const seed = checkSeed(o.seed, `${where}: seed`)
  const N = patterns.dimension
  const x = Float64Array.from(cues as ArrayLike<number>)
  if (x.length === 0 || x.length % N !== 0) throw rangeError(`${where}: cues`, `a multiple of ${N} values (rows of ${N} spins)`, x.length)
  const chains = x.length / N
  const kernel = temperature !== null ? heatBath({ temperature, order: 'random' }) : descent({ order: mode === 'sync' ? 'synchronous' : 'random' })
  const params = init(e)
  const r = runner(e, kernel, { chains, init: x, params, backend: o.backend ?? 'auto' })
  const sweeps = new Uint32Array(chains)
  const endings: Ending[] = new Array(chains).fill('max sweeps')
  let previous = Float64Array.from(x)
  let before = previous
  let running = chains
  for (let k = 0; k < maxSweeps && running > 0; k++) {
    await r.run({ seed, from: k, to: k + 1 })
    const now = Float64Array.from(r.state.position)
    for (let c = 0; c < chains; c++) {
      if (endings[c] !== 'max sweeps' || temperature !== null) continue
      const at = c * N
      // A chain that moved this sweep is not at a fixed point; one that did not is checked field by field
      // (random order may have missed a unit). Synchronous dynamics close a 2-cycle when s(k+1) = s(k−1).
      const stopped = same(now, before, at, N) ? (isFixedPoint(e, params, now, at, N) ? 'fixed point' : null) : mode === 'sync' && k > 0 && same(now, previous, at, N) ? '2-cycle' : null
      if (stopped !== null) {
        endings[c] = stopped
        sweeps[c] = stopped === 'fixed point' ? k : k + 1
        running--
      }
    }
    previous = before
    before = now
  }
  for (let c = 0; c < chains; c++) if (endings[c] === 'max sweeps') sweeps[c] = maxSweeps
  return { states: before, overlaps: overlaps(before, patterns.values, chains, patterns.count, N), sweeps, endings }
}

const overlaps = (s: Float64Array, xi: Float64Array, chains: number, P: number, N: number): Float64Array => {
  const m = new Float64Array(chains * P)
  for (let c = 0; c < chains; c++) {
    for (let mu = 0; mu < P; mu++) {
      let sum = 0
      for (let i = 0; i < N; i++) sum += s[c * N + i] * xi[mu * N + i]
      m[c * P + mu] = sum / N
    }
  }
  return m
}

/**
 * Initial parameter values from a seed.
 *
 * Each parameter draws from its own stream of the counter-based generator: the stream is the 32-bit
 * FNV-1a hash of the parameter's name (UTF-8). Adding, removing or renaming one parameter therefore never
 * changes the values of the others, and the parts of a sum (named '0.W', '1.W', ...) get different values
 * even when the parts are equal.
 *
 * @module
 */
import { normals, uniforms } from '../rng/index.js'
import * as ir from '../ir/index.js'
import { checkSeed, type Energy, isEnergy, type Init, type Params } from './energy.js'

/**
 * The 32-bit FNV-1a hash of a parameter name: the RNG stream its initial values come from.
 *
 * @example
 * import { parameterStream } from './init.js'
 * parameterStream('W0') // a fixed integer in [0, 2^32)
 */
export const parameterStream = (name: string): number => {
  let h = 0x811c9dc5
  for (const byte of new TextEncoder().encode(name)) {
    h ^= byte
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

const isRandom = (init: Init): boolean => init.kind === 'normal' || init.kind === 'uniform'

/** Values of one parameter: `n` numbers drawn by `init` from (seed, stream). */
const draw = (init: Init, n: number, seed: number, stream: number, what: string): Float64Array => {
  switch (init.kind) {
    case 'zeros':
      return new Float64Array(n)
    case 'constant':
      return new Float64Array(n).fill(init.value)
    case 'values':
      if (init.values.length !== n) throw new RangeError(`${what}: init has ${init.values.length} values; the shape needs ${n}`)
      return Float64Array.from(init.values)
    case 'normal':
      return normals(seed, stream, 0, n).map((z) => z * init.std)
    case 'uniform':
      return uniforms(seed, stream, 0, n).map((u) => init.low + (init.high - init.low) * u)
    default:
      throw new RangeError(`${what}: unknown init kind ${JSON.stringify((init as { kind: unknown }).kind)}`)
  }
}

/**
 * Initial values of every parameter of an energy. Random initialisers ('normal', 'uniform') need a seed:
 * the one given here, else the energy's own (`mlp({ seed })`); deterministic ones ('zeros', 'constant',
 * 'values') need none.
 *
 * @example
 * import { init, mlp } from './index.js'
 * const e = mlp({ widths: [2, 8, 1], activation: 'silu' })
 * const params = init(e, 7)
 * params.W0.length // 16
 */
export const init = (e: Energy, seed?: number): Params => {
  if (!isEnergy(e)) throw new TypeError('energy.init: expected an Energy value')
  const s = seed ?? e.seed
  if (s !== undefined) checkSeed(s, 'energy.init: seed')
  const out: Record<string, Float64Array> = {}
  for (const name of Object.keys(e.params).sort()) {
    const spec = e.params[name]
    const what = `energy.init: parameter '${name}'`
    if (isRandom(spec.init) && s === undefined) {
      throw new RangeError(`${what} of '${e.name}' is drawn at random; pass a seed (energy.init(e, seed))`)
    }
    out[name] = draw(spec.init, ir.size(spec.shape), s ?? 0, parameterStream(name), what)
  }
  return out
}

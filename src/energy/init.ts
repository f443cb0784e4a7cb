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
import { array, oneOf, rangeError, seed as checkSeed, string } from '../check/index.js'
import { checkEnergy, type Energy, type Init, initKinds, type Params } from './energy.js'

/**
 * The 32-bit FNV-1a hash of a parameter name: the RNG stream its initial values come from.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { parameterStream } from './init.js'
 * assert.equal(parameterStream('W0'), 2398637586) // fixed: parameter W0 draws from this stream
 */
export const parameterStream = (name: string): number => {
  string(name, 'energy.parameterStream: name')
  let h = 0x811c9dc5
  for (const byte of new TextEncoder().encode(name)) {
    h ^= byte
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

const isRandom = (init: Init): boolean => init?.kind === 'normal' || init?.kind === 'uniform'

/** Values of a parameter of `shape`: numbers drawn by `init` from (seed, stream). */
const draw = (init: Init, shape: ir.Shape, seed: number, stream: number, where: string): Float64Array => {
  const n = ir.size(shape)
  oneOf(init?.kind, `${where}.kind`, initKinds)
  switch (init.kind) {
    case 'zeros':
      return new Float64Array(n)
    case 'constant':
      return new Float64Array(n).fill(init.value)
    case 'values':
      return Float64Array.from(array<readonly number[]>(init.values, `${where}.values`, { length: n, lengthReason: `parameters of shape ${ir.showShape(shape)}` }))
    case 'normal':
      return normals(seed, stream, 0, n).map((z) => z * init.std)
    case 'uniform':
      return uniforms(seed, stream, 0, n).map((u) => init.low + (init.high - init.low) * u)
  }
}

/**
 * Initial values of every parameter of an energy. Random initialisers ('normal', 'uniform') need a seed:
 * the one given here, else the energy's own (`mlp({ seed })`); deterministic ones ('zeros', 'constant',
 * 'values') need none.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { init, mlp } from './index.js'
 * const e = mlp({ widths: [2, 8, 1], activation: 'silu' })
 * const params = init(e, 7)
 * assert.equal(params.W0.length, 16)
 */
export const init = (e: Energy, seed?: number): Params => {
  checkEnergy(e, 'energy.init: energy')
  const s = seed ?? e.seed
  if (s !== undefined) checkSeed(s, 'energy.init: seed')
  const out: Record<string, Float64Array> = {}
  for (const name of Object.keys(e.params).sort()) {
    const spec = e.params[name]
    if (isRandom(spec.init) && s === undefined) {
      throw rangeError('energy.init: seed', `a seed: parameter '${name}' of '${e.name}' is drawn at random (energy.init(e, seed), or the energy's own seed)`, s)
    }
    out[name] = draw(spec.init, spec.shape, s ?? 0, parameterStream(name), `energy.init: ${e.name}.params.${name}.init`)
  }
  return out
}

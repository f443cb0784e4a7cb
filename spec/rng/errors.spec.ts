import t from 'tap'
import * as rng from '../../src/rng/index.js'
import { errorTable, rangeError, typeError } from '../errors.js'

const uint53 = (where: string, got: string) => `${where}: expected an integer in [0, 2^53), got ${got}`

t.test('every RNG entry point names its bad argument with the right class and the message shape', async (t) => {
  await errorTable(
    t,
    rng,
    {
      keyFromSeed: [
        typeError(() => rng.keyFromSeed('1' as never), uint53('keyFromSeed: seed', '"1"')),
        rangeError(() => rng.keyFromSeed(2 ** 53), uint53('keyFromSeed: seed', '9007199254740992')),
      ],
      counterFor: [
        rangeError(() => rng.counterFor(-1, 0), uint53('counterFor: block', '-1')),
        rangeError(() => rng.counterFor(0, 0.5), uint53('counterFor: stream', '0.5')),
      ],
      philox4x32: [
        rangeError(() => rng.philox4x32([0, 0, 0] as never, [0, 0]), 'philox4x32: counter: has 3 values; counters (128 bits) need 4'),
        rangeError(() => rng.philox4x32([0, 0, 0, 0], [0, -1]), 'philox4x32: key[1]: expected an integer in [0, 4294967295], got -1'),
      ],
      philox4x32Into: [
        typeError(() => rng.philox4x32Into([0, 0, 0, 0], [0, 0], new Float64Array(4) as never), 'philox4x32Into: out: expected a Uint32Array of at least 4 words, got a Float64Array of length 4'),
        rangeError(() => rng.philox4x32Into([0, 0, 0, 0], [0, 0], new Uint32Array(2)), 'philox4x32Into: out: expected at least 4 words, got 2'),
      ],
      uniform: [rangeError(() => rng.uniform(0, 0, -1), uint53('uniform: index', '-1'))],
      uniforms: [
        rangeError(() => rng.uniforms(0, 0, 2 ** 53 - 1, 2), 'uniforms: count: expected at most 2^53 − start = 1 (the last draw index stays below 2^53), got 2'),
        typeError(() => rng.uniforms(0, 0, 0, 2, [0, 0] as never), 'uniforms: out: expected a Float64Array, got an array of length 2'),
        rangeError(() => rng.uniforms(0, 0, 0, 2, new Float64Array(1)), 'uniforms: out: expected at least 2 values (count), got a Float64Array of length 1'),
      ],
      normal: [typeError(() => rng.normal(0, undefined as never, 0), uint53('normal: stream', 'undefined'))],
      normals: [rangeError(() => rng.normals(NaN, 0, 0, 1), uint53('normals: seed', 'NaN'))],
      streamSeed: [rangeError(() => rng.streamSeed(-1, 0), uint53('streamSeed: seed', '-1')), typeError(() => rng.streamSeed(0, '1' as never), uint53('streamSeed: stream', '"1"'))],
      permutation: [
        rangeError(() => rng.permutation(3, [0.5, 0.5]), 'rng.permutation: uniforms: expected at least 3 uniforms, got an array of length 2'),
        rangeError(() => rng.permutation(-1, []), 'rng.permutation: n: expected an integer ≥ 0, got -1'),
      ],
    },
    {
      // Bit-level primitives the generators run per draw: total on numbers, trusting their callers.
      boxMuller: 'total on numbers (NaN in, NaN out), called per draw with checked uniforms',
      log: 'total on numbers, as Math.log: log(0) = −∞, log of a negative or NaN is NaN',
      exp: 'total on numbers, as Math.exp: ∞ above 709.78, 0 below −745.13, NaN for NaN',
      sincos2pi: 'total on numbers, as Math.sin and Math.cos',
      reservoirSlot: 'total on numbers, called per arrival by the reservoirs, which check their size',
      mulhi32: 'word arithmetic: any number is taken as its uint32 word, as >>> does',
      philox4x32Words: "the inner loop's entry: its words are checked by philox4x32 and the draw functions",
      uniformFromWords: 'word arithmetic: any number is taken as its uint32 word, as >>> does',
    },
  )
})

import fc from 'fast-check'
import t from 'tap'
import { nativeAddon, type NativeAddon } from '../../src/backend/addon.js'
import * as rng from '../../src/rng/index.js'
import { philox4x32 } from '../../src/rng/philox.js'

const addon = nativeAddon().addon as NativeAddon

t.test('the native Philox4x32-10 gives the Random123 known-answer vectors', async (t) => {
  const cases: [number[], number[], number[]][] = [
    [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  ]
  for (const [c, k, want] of cases) t.same(Array.from(addon.philox(c[0], c[1], c[2], c[3], k[0], k[1])), want)
})

t.test('the native Philox4x32-10 equals the TypeScript one on random counters and keys', async (t) => {
  const word = fc.integer({ min: 0, max: 0xffffffff })
  fc.assert(
    fc.property(fc.tuple(word, word, word, word), fc.tuple(word, word), (c, k) => {
      const a = addon.philox(c[0], c[1], c[2], c[3], k[0], k[1])
      const b = philox4x32(c, k)
      return a.every((w, i) => w === b[i])
    }),
    { numRuns: 500, seed: 1 },
  )
  t.pass('identical blocks')
})

t.test('native uniform and normal draws equal src/rng bit for bit on the same streams', async (t) => {
  const big = 2 ** 53 - 1
  const streams: [number, number, number, number][] = [
    [0, 0, 0, 1000],
    [42, 3, 1, 999],
    [2 ** 32 + 7, 2 ** 40 + 1, 2 ** 33 + 5, 257],
    [big, big, big - 300, 300],
  ]
  for (const [seed, stream, start, count] of streams) {
    const u = new Float64Array(count)
    addon.draws('uniform', seed, stream, start, u)
    t.ok(u.every((v, i) => Object.is(v, rng.uniforms(seed, stream, start, count)[i])), `uniforms seed ${seed} stream ${stream} from ${start}`)
    const z = new Float64Array(count)
    addon.draws('normal', seed, stream, start, z)
    const want = rng.normals(seed, stream, start, count)
    t.ok(z.every((v, i) => Object.is(v, want[i])), `normals seed ${seed} stream ${stream} from ${start}`)
  }
  fc.assert(
    fc.property(fc.nat(2 ** 40), fc.nat(2 ** 40), fc.nat(2 ** 40), fc.integer({ min: 1, max: 64 }), (seed, stream, start, count) => {
      const z = new Float64Array(count)
      addon.draws('normal', seed, stream, start, z)
      const want = rng.normals(seed, stream, start, count)
      return z.every((v, i) => Object.is(v, want[i]))
    }),
    { numRuns: 300, seed: 2 },
  )
  const f = new Float32Array(16)
  addon.draws('normal', 9, 1, 0, f)
  t.same(Array.from(f), Array.from(rng.normals(9, 1, 0, 16)).map(Math.fround), 'float32 draws are the float64 draws rounded')
})

t.test('native draws reject bad arguments', async (t) => {
  t.throws(() => addon.draws('gamma' as never, 0, 0, 0, new Float64Array(1)), /kind must be 'uniform' or 'normal'/)
  t.throws(() => addon.draws('normal', -1, 0, 0, new Float64Array(1)), /seed: expected an integer in \[0, 9007199254740991\]/)
  t.throws(() => addon.draws('normal', NaN, 0, 0, new Float64Array(1)), /seed/)
  t.throws(() => addon.draws('normal', 0, 0.5, 0, new Float64Array(1)), /stream/)
  t.throws(() => addon.draws('normal', 0, 0, 2 ** 53 - 1, new Float64Array(2)), /passes 2\^53/)
  t.throws(() => addon.draws('normal', 0, 0, 0, new Int32Array(2) as never), /Float64Array or Float32Array/)
})

import t from 'tap'
import fc from 'fast-check'
import { counterFor, keyFromSeed, mulhi32, philox4x32, philox4x32Into, philox4x32Words } from '../../src/rng/philox.js'

// Random123's tests/kat_vectors (github.com/DEShawResearch/random123), the three "philox4x32 10" lines:
// counter (4 words), key (2 words), expected output (4 words).
const knownAnswers: ReadonlyArray<readonly [readonly [number, number, number, number], readonly [number, number], readonly number[]]> = [
  [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
]

t.test('philox4x32 reproduces the Random123 known-answer vectors for 10 rounds', async (t) => {
  for (const [counter, key, want] of knownAnswers) {
    t.same([...philox4x32(counter, key)], want, `counter ${counter.map((w) => w.toString(16)).join(' ')}`)
  }
})

t.test('philox4x32Into writes into the caller\'s array and returns it', async (t) => {
  const out = new Uint32Array(4)
  for (const [counter, key, want] of knownAnswers) {
    t.equal(philox4x32Into(counter, key, out), out)
    t.same([...out], want)
  }
})

t.test('philox4x32Words agrees with philox4x32 on arbitrary counters and keys', async (t) => {
  const word = fc.integer({ min: 0, max: 0xffffffff })
  const out = new Uint32Array(4)
  fc.assert(
    fc.property(word, word, word, word, word, word, (c0, c1, c2, c3, k0, k1) => {
      philox4x32Words(c0, c1, c2, c3, k0, k1, out)
      return [...out].join() === [...philox4x32([c0, c1, c2, c3], [k0, k1])].join()
    }),
    { numRuns: 200 },
  )
  t.pass('agrees')
})

t.test('mulhi32 is the high word of the exact 64-bit product', async (t) => {
  const word = fc.integer({ min: 0, max: 0xffffffff })
  fc.assert(
    fc.property(word, word, (a, b) => mulhi32(a, b) === Number((BigInt(a) * BigInt(b)) >> 32n)),
    { numRuns: 2000 },
  )
  t.equal(mulhi32(0xffffffff, 0xffffffff), 0xfffffffe)
  t.equal(mulhi32(0xd2511f53, 0), 0)
})

t.test('keyFromSeed splits a seed into its low and high 32 bits', async (t) => {
  t.same(keyFromSeed(0), [0, 0])
  t.same(keyFromSeed(2 ** 32 + 7), [7, 1])
  t.same(keyFromSeed(2 ** 53 - 1), [0xffffffff, 0x1fffff])
  t.throws(() => keyFromSeed(-1), { name: 'RangeError', message: 'keyFromSeed: seed: expected an integer in [0, 2^53), got -1' })
  t.throws(() => keyFromSeed(1.5), { name: 'RangeError', message: 'keyFromSeed: seed: expected an integer in [0, 2^53), got 1.5' })
  t.throws(() => keyFromSeed(2 ** 53), { name: 'RangeError', message: 'keyFromSeed: seed: expected an integer in [0, 2^53), got 9007199254740992' })
  t.throws(() => keyFromSeed(NaN), { name: 'RangeError', message: 'keyFromSeed: seed: expected an integer in [0, 2^53), got NaN' })
})

t.test('counterFor lays out block then stream, low word first', async (t) => {
  t.same(counterFor(5, 2), [5, 0, 2, 0])
  t.same(counterFor(2 ** 32 + 3, 2 ** 40 + 9), [3, 1, 9, 256])
  t.throws(() => counterFor(-2, 0), { name: 'RangeError', message: 'counterFor: block: expected an integer in [0, 2^53), got -2' })
  t.throws(() => counterFor(0, 0.5), { name: 'RangeError', message: 'counterFor: stream: expected an integer in [0, 2^53), got 0.5' })
})

t.test('the package root exposes the generator as the rng namespace', async (t) => {
  const { rng } = await import('../../src/index.js')
  t.same([...rng.philox4x32([0, 0, 0, 0], [0, 0])], knownAnswers[0][2])
  t.equal(typeof rng.normals, 'function')
})

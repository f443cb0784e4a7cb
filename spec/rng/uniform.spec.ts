import t from 'tap'
import fc from 'fast-check'
import { philox4x32 } from '../../src/rng/philox.js'
import { uniform, uniformFromWords, uniforms } from '../../src/rng/uniform.js'

const n = 100_000

t.test('uniformFromWords reaches neither 0 nor 1, and its grid is symmetric about ½', async (t) => {
  t.equal(uniformFromWords(0, 0), 2 ** -53)
  t.equal(uniformFromWords(0xffffffff, 0xffffffff), 1 - 2 ** -53)
  t.equal(uniformFromWords(0x3f, 0x3f), 2 ** -53, 'the low 6 bits of each word are dropped')
  const word = fc.integer({ min: 0, max: 0xffffffff })
  fc.assert(
    fc.property(word, word, (a, b) => {
      const u = uniformFromWords(a, b)
      return u > 0 && u < 1 && uniformFromWords(~a >>> 0, ~b >>> 0) === 1 - u
    }),
  )
})

t.test('uniform follows the documented layout: draw i is half i % 2 of block floor(i / 2)', async (t) => {
  const seed = 2 ** 40 + 17
  const stream = 2 ** 33 + 5
  const block = philox4x32([3, 0, 5, 2], [17, 256])
  t.equal(uniform(seed, stream, 6), uniformFromWords(block[0], block[1]))
  t.equal(uniform(seed, stream, 7), uniformFromWords(block[2], block[3]))
})

t.test('uniforms lie strictly inside (0, 1) with mean ½ and variance 1/12', async (t) => {
  const us = uniforms(20260101, 0, 0, n)
  t.ok(us.every((u) => u > 0 && u < 1), 'every draw lies in (0, 1)')
  let sum = 0
  for (const u of us) sum += u
  const mean = sum / n
  let squares = 0
  for (const u of us) squares += (u - mean) ** 2
  const variance = squares / (n - 1)
  // Standard errors: the mean's is √(1/12 / n); the sample variance's is √((μ4 − σ⁴) / n) with
  // μ4 = 1/80 and σ⁴ = 1/144, i.e. √(1/(180 n)). Four of them bound a correct generator's miss.
  t.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / n), `mean ${mean}`)
  t.ok(Math.abs(variance - 1 / 12) < 4 * Math.sqrt(1 / (180 * n)), `variance ${variance}`)
})

t.test('uniforms pass a Kolmogorov–Smirnov test against U(0, 1) at alpha = 0.001', async (t) => {
  const us = uniforms(7, 3, 0, n).sort()
  let d = 0
  for (let i = 0; i < n; i++) d = Math.max(d, us[i] - i / n, (i + 1) / n - us[i])
  // Asymptotic Kolmogorov critical value: P(√n·D > λ) ≈ 2·exp(−2λ²) = 0.001 gives λ = √(ln 2000 / 2) = 1.9495.
  t.ok(d < 1.9495 / Math.sqrt(n), `D = ${d}`)
})

t.test('uniform is deterministic, and distinct seeds and streams give distinct draws', async (t) => {
  t.equal(uniform(42, 0, 7), uniform(42, 0, 7))
  const a = uniforms(42, 0, 0, 64)
  const b = uniforms(42, 1, 0, 64)
  const c = uniforms(43, 0, 0, 64)
  t.same([...a], [...uniforms(42, 0, 0, 64)])
  t.notOk(a.some((u, i) => u === b[i]), 'streams 0 and 1 share no draw at the same index')
  t.notOk(a.some((u, i) => u === c[i]), 'seeds 42 and 43 share no draw at the same index')
})

t.test('uniforms does not depend on how a range is split into batches', async (t) => {
  const index = fc.integer({ min: 0, max: 2 ** 40 })
  fc.assert(
    fc.property(index, index, index, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), (seed, stream, start, k, m) => {
      const whole = uniforms(seed, stream, start, k + m)
      const first = uniforms(seed, stream, start, k)
      const second = uniforms(seed, stream, start + k, m)
      return (
        [...whole].join() === [...first, ...second].join() &&
        whole.every((u, j) => u === uniform(seed, stream, start + j))
      )
    }),
    { numRuns: 200 },
  )
  t.pass('batches agree')
})

t.test('uniforms writes into out when given one', async (t) => {
  const out = new Float64Array(5).fill(-1)
  t.equal(uniforms(1, 2, 3, 4, out), out)
  t.same([...out.subarray(0, 4)], [...uniforms(1, 2, 3, 4)])
  t.equal(out[4], -1, 'entries past count are left alone')
})

t.test('uniform and uniforms reject bad arguments with a message naming them', async (t) => {
  t.throws(() => uniform(-1, 0, 0), { name: 'RangeError', message: 'uniform: seed: expected an integer in [0, 2^53), got -1' })
  t.throws(() => uniform(0, 0.5, 0), { name: 'RangeError', message: 'uniform: stream: expected an integer in [0, 2^53), got 0.5' })
  t.throws(() => uniform(0, 0, 2 ** 53), { name: 'RangeError', message: 'uniform: index: expected an integer in [0, 2^53), got 9007199254740992' })
  t.throws(() => uniforms(0, 0, -3, 1), { name: 'RangeError', message: 'uniforms: start: expected an integer in [0, 2^53), got -3' })
  t.throws(() => uniforms(0, 0, 0, 1.5), { name: 'RangeError', message: 'uniforms: count: expected an integer in [0, 2^53), got 1.5' })
  t.throws(() => uniforms(0, 0, 2 ** 53 - 2, 3), { name: 'RangeError', message: 'uniforms: count: expected at most 2^53 − start = 2 (the last draw index stays below 2^53), got 3' })
  t.throws(() => uniforms(0, 0, 0, 4, new Float64Array(3)), { name: 'RangeError', message: 'uniforms: out: expected at least 4 values (count), got a Float64Array of length 3' })
})

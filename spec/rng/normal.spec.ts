import t from 'tap'
import fc from 'fast-check'
import { log, sincos2pi } from '../../src/rng/math.js'
import { boxMuller, normal, normals } from '../../src/rng/normal.js'
import { uniform } from '../../src/rng/uniform.js'

const n = 100_000

// erf(x) = (2/√π)·exp(−x²)·Σ_{k≥0} 2^k x^(2k+1) / (1·3·…·(2k+1)) for x ≥ 0: every term is positive, so the sum
// carries no cancellation and the result is good to a few 1e-16 absolutely for x ≤ 6, where 1 − erf < 2e-17.
const erf = (x: number): number => {
  if (x < 0) return -erf(-x)
  if (x > 6) return 1
  let term = x
  let sum = x
  for (let k = 1; term > 1e-17 * sum; k++) {
    term = (term * 2 * x * x) / (2 * k + 1)
    sum += term
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum
}
const normalCdf = (z: number): number => 0.5 * (1 + erf(z / Math.SQRT2))

t.test('the test\'s normal CDF matches mpmath\'s ncdf to 1e-15', async (t) => {
  const table: ReadonlyArray<readonly [number, number]> = [
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145705],
    [1.96, 0.9750021048517795],
    [3, 0.9986501019683699],
    [-5, 2.866515718791939e-7],
    [8, 0.9999999999999993],
  ]
  for (const [z, want] of table) t.ok(Math.abs(normalCdf(z) - want) < 1e-15, `Φ(${z}) = ${normalCdf(z)}`)
})

t.test('normals pass a Kolmogorov–Smirnov test against N(0, 1) at alpha = 0.001', async (t) => {
  const zs = normals(20260101, 0, 0, n).sort()
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = normalCdf(zs[i])
    d = Math.max(d, f - i / n, (i + 1) / n - f)
  }
  // Asymptotic Kolmogorov critical value: P(√n·D > λ) ≈ 2·exp(−2λ²) = 0.001 gives λ = √(ln 2000 / 2) = 1.9495;
  // n = 1e5 is far into the asymptotic regime.
  t.ok(d < 1.9495 / Math.sqrt(n), `D = ${d}`)
})

t.test('normals have mean 0 and variance 1, and the two halves of a pair are uncorrelated', async (t) => {
  const zs = normals(99, 4, 0, n)
  let sum = 0
  let squares = 0
  let cross = 0
  for (let i = 0; i < n; i += 2) cross += zs[i] * zs[i + 1]
  for (const z of zs) {
    sum += z
    squares += z * z
  }
  // Standard errors: mean √(1/n); second moment √(2/n) (Var z² = 2); the mean of n/2 products z0·z1,
  // each of variance 1, √(2/n).
  t.ok(Math.abs(sum / n) < 4 * Math.sqrt(1 / n), `mean ${sum / n}`)
  t.ok(Math.abs(squares / n - 1) < 4 * Math.sqrt(2 / n), `second moment ${squares / n}`)
  t.ok(Math.abs(cross / (n / 2)) < 4 * Math.sqrt(2 / n), `pair correlation ${cross / (n / 2)}`)
})

t.test('normals of different streams are uncorrelated', async (t) => {
  const a = normals(5, 0, 0, n)
  const b = normals(5, 1, 0, n)
  let cross = 0
  for (let i = 0; i < n; i++) cross += a[i] * b[i]
  // The mean of n products of independent standard normals has standard error √(1/n).
  t.ok(Math.abs(cross / n) < 4 * Math.sqrt(1 / n), `correlation ${cross / n}`)
})

t.test('normal is Box–Muller on the uniforms of the same block, with the documented functions', async (t) => {
  const seed = 31
  const stream = 2 ** 45 + 1
  for (const block of [0, 1, 2 ** 35 + 3]) {
    const u1 = uniform(seed, stream, 2 * block)
    const u2 = uniform(seed, stream, 2 * block + 1)
    const radius = Math.sqrt(-2 * log(u1))
    const [sine, cosine] = sincos2pi(u2)
    t.equal(normal(seed, stream, 2 * block), radius * cosine)
    t.equal(normal(seed, stream, 2 * block + 1), radius * sine)
  }
})

t.test('boxMuller maps radius and angle as written', async (t) => {
  const [z0, z1] = boxMuller(Math.exp(-2), 0.125)
  t.ok(Math.abs(z0 - Math.SQRT2) < 1e-15 && Math.abs(z1 - Math.SQRT2) < 1e-15, `${z0}, ${z1}`)
  const out = new Float64Array(2)
  t.equal(boxMuller(0.5, 0.5, out), out)
})

t.test('normal is deterministic and normals does not depend on batch split', async (t) => {
  t.equal(normal(42, 3, 11), normal(42, 3, 11))
  t.not(normal(42, 3, 11), normal(42, 4, 11))
  const index = fc.integer({ min: 0, max: 2 ** 40 })
  fc.assert(
    fc.property(index, index, index, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }), (seed, stream, start, k, m) => {
      const whole = normals(seed, stream, start, k + m)
      const parts = [...normals(seed, stream, start, k), ...normals(seed, stream, start + k, m)]
      return [...whole].join() === parts.join() && whole.every((z, j) => z === normal(seed, stream, start + j))
    }),
    { numRuns: 200 },
  )
  t.throws(() => normal(1, -1, 0), { name: 'RangeError', message: 'normal: stream: expected an integer in [0, 2^53), got -1' })
  t.throws(() => normals(1, 0, 0, -1), { name: 'RangeError', message: 'normals: count: expected an integer in [0, 2^53), got -1' })
})

t.test('normals of a fixed seed are pinned, so a change to the algorithm cannot pass unnoticed', async (t) => {
  // Values produced by this implementation (Philox KAT-checked above, log and sincos2pi checked in
  // math.spec.ts); the C++ mirror must reproduce them exactly.
  t.same([...normals(42, 3, 0, 4)], [-0.4273269739554191, -2.4979557258305762, -0.593485579392152, -0.9734148251795751])
})

import t, { type Test } from 'tap'
import { toy, toyNames, type ToyName } from '../../src/data/toy.js'

const n = 20_000

// Monte Carlo check: the sample mean of `values` is within 4 standard errors (sample sd / √count) of `want`.
const meanNear = (t: Test, values: ArrayLike<number>, want: number, what: string): void => {
  const count = values.length
  let sum = 0
  for (let i = 0; i < count; i++) sum += values[i]
  const mean = sum / count
  let squares = 0
  for (let i = 0; i < count; i++) squares += (values[i] - mean) ** 2
  const standardError = Math.sqrt(squares / (count - 1) / count)
  t.ok(Math.abs(mean - want) < 4 * standardError, `${what}: ${mean} vs ${want} (standard error ${standardError})`)
}
const column = (points: Float64Array, c: 0 | 1): Float64Array => points.filter((_, i) => i % 2 === c)
const perPoint = (points: Float64Array, f: (x: number, y: number, i: number) => number): Float64Array =>
  Float64Array.from({ length: points.length / 2 }, (_, i) => f(points[2 * i], points[2 * i + 1], i))

t.test('toy is determined by (name, n, seed) and changes with the seed', async (t) => {
  for (const name of toyNames) {
    const a = toy(name, 257, 3)
    t.equal(a.length, 514, `${name}: n × 2 values`)
    t.ok(a.every(Number.isFinite), `${name}: finite`)
    t.same([...toy(name, 257, 3)], [...a], `${name}: same seed, same points`)
    t.notSame([...toy(name, 257, 4)], [...a], `${name}: another seed, other points`)
  }
})

t.test('toy("8gaussians") puts points at mean radius 4/1.414 (Rice) in 8 equal clusters', async (t) => {
  const points = toy('8gaussians', n, 11)
  // |4c + 0.5z| is Rice-distributed with ν = 4, σ = 0.5: E = σ·√(π/2)·L½(−ν²/2σ²), where
  // L½(x) = e^(x/2)·((1 − x)·I0(−x/2) − x·I1(−x/2)); here x = −32. The Bessel series are summed with the
  // e^−16 factor folded into each term.
  const bessel = (order: number, z: number): number => {
    let term = Math.exp(-z) * (z / 2) ** order / (order === 0 ? 1 : order)
    let sum = term
    for (let k = 1; k < 200; k++) {
      term *= (z / 2) ** 2 / (k * (k + order))
      sum += term
    }
    return sum
  }
  const meanRadius = (0.5 * Math.sqrt(Math.PI / 2) * (33 * bessel(0, 16) + 32 * bessel(1, 16))) / 1.414
  t.ok(Math.abs(meanRadius - 4.0316 / 1.414) < 1e-3, `E radius ${meanRadius}, near (4 + σ²/2ν)/1.414`)
  meanNear(t, perPoint(points, (x, y) => Math.hypot(x, y)), meanRadius, 'mean radius')
  // E|4c + 0.5z|² = 16 + 0.25·2 exactly.
  meanNear(t, perPoint(points, (x, y) => x * x + y * y), 16.5 / 1.414 ** 2, 'mean squared radius')
  const counts = new Array(8).fill(0)
  for (const angle of perPoint(points, (x, y) => Math.atan2(y, x))) {
    counts[((Math.round(angle / (Math.PI / 4)) % 8) + 8) % 8]++
  }
  // Binomial counts with p = 1/8 (by symmetry, whatever the few points that stray to a neighbour's side).
  const sd = Math.sqrt((n * 7) / 64)
  t.ok(counts.every((c) => Math.abs(c - n / 8) < 4 * sd), `cluster counts ${counts}`)
})

t.test('toy("2spirals") has two arms, each the negative of the other, with the recipe\'s means', async (t) => {
  const points = toy('2spirals', n, 12)
  // t = 3π√u has density 2t/(3π)² on [0, 3π]: E[t·cos t] = −4/(3π), E[t·sin t] = 2 − 8/(9π²); each offset adds ¼.
  const armX = (4 / (3 * Math.PI) + 0.25) / 3
  const armY = (2 - 8 / (9 * Math.PI ** 2) + 0.25) / 3
  const even = points.filter((_, i) => i % 4 < 2)
  const odd = points.filter((_, i) => i % 4 >= 2)
  meanNear(t, column(even, 0), armX, 'first arm, x')
  meanNear(t, column(even, 1), armY, 'first arm, y')
  meanNear(t, column(odd, 0), -armX, 'second arm, x')
  meanNear(t, column(odd, 1), -armY, 'second arm, y')
  meanNear(t, column(points, 0), 0, 'all, x')
  meanNear(t, column(points, 1), 0, 'all, y')
})

t.test('toy("checkerboard") puts points only in the black squares, evenly', async (t) => {
  const points = toy('checkerboard', n, 13)
  const squares = perPoint(points, (x, y) => {
    const [c, r] = [Math.floor(x / 2), Math.floor(y / 2)]
    return x >= -4 && x < 4 && y >= -4 && y < 4 && (c + r) % 2 === 0 ? (c + 2) * 4 + (r + 2) : -1
  })
  t.notOk(squares.includes(-1), 'every point in a black square of [−4, 4)²')
  const counts = new Map<number, number>()
  for (const s of squares) counts.set(s, (counts.get(s) ?? 0) + 1)
  t.equal(counts.size, 8, 'all 8 black squares used')
  // Each square has probability 1/8: binomial standard deviation √(n·(1/8)·(7/8)).
  const sd = Math.sqrt((n * 7) / 64)
  t.ok([...counts.values()].every((c) => Math.abs(c - n / 8) < 4 * sd), `square counts ${[...counts.values()]}`)
  meanNear(t, column(points, 0), 0, 'mean x')
  meanNear(t, column(points, 1), 0, 'mean y')
})

t.test('toy("rings") puts the recipe\'s counts on 4 circles, centred on 0', async (t) => {
  const m = 10_001
  const points = toy('rings', m, 14)
  const radii = [3, 2.25, 1.5, 0.75]
  const wantCounts = [2500, 2500, 2500, 2501]
  const byRing: number[][] = [[], [], [], []]
  for (const r of perPoint(points, (x, y) => Math.hypot(x, y))) {
    const ring = radii.reduce((best, radius, k) => (Math.abs(r - radius) < Math.abs(r - radii[best]) ? k : best), 0)
    byRing[ring].push(r)
  }
  // Rings are 0.75 apart and the noise sd is 0.08: a point strays to a neighbour's side with probability
  // about 3e-6, so the counts are the recipe's exactly.
  t.same(
    byRing.map((rs) => rs.length),
    wantCounts,
  )
  // Mean radius of a point at radius r with isotropic noise σ: r + σ²/(2r) to second order.
  byRing.forEach((rs, k) => meanNear(t, rs, radii[k] + 0.08 ** 2 / (2 * radii[k]), `ring ${k} mean radius`))
  // The evenly spaced positions sum to 0 (up to rounding), so the mean is the noise's: standard error 0.08/√m.
  for (const c of [0, 1] as const) {
    const mean = column(points, c).reduce((a, b) => a + b, 0) / m
    t.ok(Math.abs(mean) < (4 * 0.08) / Math.sqrt(m), `mean ${c === 0 ? 'x' : 'y'} ${mean}`)
  }
})

t.test('toy("moons") lies on two interleaved half circles with the recipe\'s mean', async (t) => {
  const m = 10_001
  const points = toy('moons', m, 15)
  const [outer, inner] = [5000, 5001]
  // The noise-free points are evenly spaced on the two arcs; their exact mean, after ×2 and the shift:
  let sumX = 0
  let sumY = 0
  for (let k = 0; k < outer; k++) {
    sumX += Math.cos((Math.PI * k) / (outer - 1))
    sumY += Math.sin((Math.PI * k) / (outer - 1))
  }
  for (let k = 0; k < inner; k++) {
    sumX += 1 - Math.cos((Math.PI * k) / (inner - 1))
    sumY += 0.5 - Math.sin((Math.PI * k) / (inner - 1))
  }
  const mean = [(2 * sumX) / m - 1, (2 * sumY) / m - 0.2]
  const sd = 0.2 // noise 0.1, doubled
  for (const c of [0, 1] as const) {
    const got = column(points, c).reduce((a, b) => a + b, 0) / m
    t.ok(Math.abs(got - mean[c]) < (4 * sd) / Math.sqrt(m), `mean ${c === 0 ? 'x' : 'y'}: ${got} vs ${mean[c]}`)
  }
  // Distance to the nearer of the two circles (centres (−1, −0.2) and (1, 0.8), radius 2): its mean square is
  // at most the noise variance σ² = 0.04 (to first order exactly σ² for the point's own circle, less for the
  // nearer one), with standard error σ²·√(2/m).
  const residual = perPoint(points, (x, y) =>
    Math.min(Math.abs(Math.hypot(x + 1, y + 0.2) - 2), Math.abs(Math.hypot(x - 1, y - 0.8) - 2)) ** 2,
  )
  const meanSquare = residual.reduce((a, b) => a + b, 0) / m
  t.ok(meanSquare < sd ** 2 * (1 + 4 * Math.sqrt(2 / m)), `mean squared distance to the arcs ${meanSquare}`)
  // Points nearer the upper moon's circle: 5000 before noise; the moons are point-symmetric about (0, 0.3), so
  // strays across balance in expectation, and the binomial sd √(m/4) bounds the spread of the count.
  const upper = perPoint(points, (x, y) =>
    Math.hypot(x + 1, y + 0.2) - 2 < Math.hypot(x - 1, y - 0.8) - 2 ? 1 : 0,
  ).reduce((a, b) => a + b, 0)
  t.ok(Math.abs(upper - outer) < 4 * Math.sqrt(m / 4), `${upper} points on the upper moon, ${outer} expected`)
})

t.test('toy("pinwheel") has five-fold symmetry and the recipe\'s radius', async (t) => {
  const points = toy('pinwheel', n, 16)
  // |p|² = 4·((1 + 0.3·z0)² + (0.1·z1)²): mean 4·(1 + 0.09 + 0.01) = 4.4.
  meanNear(t, perPoint(points, (x, y) => x * x + y * y), 4.4, 'mean squared radius')
  meanNear(t, column(points, 0), 0, 'mean x')
  meanNear(t, column(points, 1), 0, 'mean y')
  // Five equally filled arms: the angular Fourier moments of order 1..4 vanish; that of order 5 does not.
  const angle = perPoint(points, (x, y) => Math.atan2(y, x))
  for (let k = 1; k <= 4; k++) {
    meanNear(t, angle.map((a) => Math.cos(k * a)), 0, `E cos(${k}φ)`)
    meanNear(t, angle.map((a) => Math.sin(k * a)), 0, `E sin(${k}φ)`)
  }
  const c5 = angle.reduce((s, a) => s + Math.cos(5 * a), 0) / n
  const s5 = angle.reduce((s, a) => s + Math.sin(5 * a), 0) / n
  t.ok(Math.hypot(c5, s5) > 0.2, `|E exp(5iφ)| = ${Math.hypot(c5, s5)}, far above its standard error 1/√n`)
})

t.test('toy("swissroll") has the recipe\'s mean and spread', async (t) => {
  const points = toy('swissroll', n, 17)
  // t uniform on [1.5π, 4.5π]: E[t·cos t] = 2, E[t·sin t] = 2/(3π), E[t²] = 9.75π²; noise adds 1 per coordinate.
  meanNear(t, column(points, 0), 2 / 5, 'mean x')
  meanNear(t, column(points, 1), 2 / (3 * Math.PI) / 5, 'mean y')
  meanNear(t, perPoint(points, (x, y) => x * x + y * y), (9.75 * Math.PI ** 2 + 2) / 25, 'mean squared radius')
})

t.test('toy rejects bad input, naming the argument', async (t) => {
  const names = toyNames.map((n) => `"${n}"`).join(', ')
  t.throws(() => toy('circles' as ToyName, 10, 0), { name: 'RangeError', message: `toy: name: expected one of ${names}, got "circles"` })
  t.throws(() => toy('moons', 0, 0), { name: 'RangeError', message: 'toy: n: expected an integer ≥ 1, got 0' })
  t.throws(() => toy('moons', 2.5, 0), { name: 'RangeError', message: 'toy: n: expected an integer ≥ 1, got 2.5' })
  t.throws(() => toy('moons', 10, -1), { name: 'RangeError', message: 'toy: seed: expected an integer in [0, 2^53), got -1' })
  t.throws(() => toy('moons', 10, 0.5), { name: 'RangeError', message: 'toy: seed: expected an integer in [0, 2^53), got 0.5' })
  t.throws(() => toy('toString' as ToyName, 10, 0), { name: 'RangeError', message: `toy: name: expected one of ${names}, got "toString"` })
})

t.test('toy gives sensible points for the smallest n', async (t) => {
  for (const name of toyNames) t.ok(toy(name, 1, 0).every(Number.isFinite), `${name} with one point`)
})

/**
 * The two-dimensional toy distributions of the energy-based-model and normalizing-flow literature, with the
 * recipes, scales and noise levels of FFJORD's lib/toy_data.py (Grathwohl, Chen et al., ICLR 2019), which
 * itself uses scikit-learn's make_moons and make_swiss_roll. All randomness comes from the counter-based
 * generator, each random quantity on its own stream, so a data set is a pure function of (name, n, seed).
 *
 * Differences from the Python, all for a data set of exactly n points: 2spirals alternates the two arms
 * point by point (the Python stacks the halves); pinwheel labels n points as evenly as possible (the Python
 * keeps 5·floor(n/5)); sines and cosines of multiples of 2π come from rng.sincos2pi.
 *
 * @packageDocumentation
 */

import { oneOf, positiveInteger, seed as checkSeed } from '../check/index.js'
import { normals, permutation, sincos2pi, uniforms } from '../rng/index.js'

/** The names of the toy data sets, in the order the literature usually shows them. */
export const toyNames = ['8gaussians', '2spirals', 'checkerboard', 'rings', 'moons', 'pinwheel', 'swissroll'] as const

/** One of {@link toyNames}. */
export type ToyName = (typeof toyNames)[number]

type Generator = (n: number, seed: number) => Float64Array

// Scratch for sincos2pi; every generator runs to completion before another starts.
const trig = new Float64Array(2)

/** A uniformly random order of 0, …, m − 1, from stream `stream`. */
const shuffledOrder = (m: number, seed: number, stream: number): Uint32Array => permutation(m, uniforms(seed, stream, 0, m))

/** Writes the points of `base` (n × 2, row-major) in a shuffled order, scaled and with normal noise added. */
const shuffledWithNoise = (base: Float64Array, seed: number, scale: number, noise: number): Float64Array => {
  const n = base.length / 2
  const order = shuffledOrder(n, seed, 0)
  const z = normals(seed, 1, 0, 2 * n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    out[2 * i] = base[2 * order[i]] * scale + noise * z[2 * i]
    out[2 * i + 1] = base[2 * order[i] + 1] * scale + noise * z[2 * i + 1]
  }
  return out
}

// 8gaussians: N(4·c, 0.5²·I) around the 8 unit vectors c at multiples of 45°, all divided by 1.414.
/** 8gaussians' law: centres 4·c/1.414 and standard deviation 0.5/1.414 (FFJORD's scale and noise). */
export const eightGaussiansLaw = { radius: 4 / 1.414, sigma: 0.5 / 1.414 } as const
/** The unit vectors c of 8gaussians' centres, at multiples of 45°. */
export const eightGaussiansCentres: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [Math.SQRT1_2, Math.SQRT1_2],
  [Math.SQRT1_2, -Math.SQRT1_2],
  [-Math.SQRT1_2, Math.SQRT1_2],
  [-Math.SQRT1_2, -Math.SQRT1_2],
]
const centres = eightGaussiansCentres
const eightGaussians: Generator = (n, seed) => {
  const z = normals(seed, 0, 0, 2 * n)
  const pick = uniforms(seed, 1, 0, n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const [cx, cy] = centres[Math.floor(8 * pick[i])]
    out[2 * i] = (4 * cx + 0.5 * z[2 * i]) / 1.414
    out[2 * i + 1] = (4 * cy + 0.5 * z[2 * i + 1]) / 1.414
  }
  return out
}

// 2spirals: t = 3π·√u (540°), arm (−t·cos t + ½v, t·sin t + ½w) with v, w uniform, the second arm its negative;
// divided by 3, plus N(0, 0.1²) noise.
const twoSpirals: Generator = (n, seed) => {
  const along = uniforms(seed, 0, 0, n)
  const offset = uniforms(seed, 1, 0, 2 * n)
  const z = normals(seed, 2, 0, 2 * n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const turns = 1.5 * Math.sqrt(along[i])
    const t = 2 * Math.PI * turns
    sincos2pi(turns, trig)
    const x = -trig[1] * t + 0.5 * offset[2 * i]
    const y = trig[0] * t + 0.5 * offset[2 * i + 1]
    const arm = i % 2 === 0 ? 1 : -1
    out[2 * i] = (arm * x) / 3 + 0.1 * z[2 * i]
    out[2 * i + 1] = (arm * y) / 3 + 0.1 * z[2 * i + 1]
  }
  return out
}

// checkerboard: x1 uniform on [−2, 2); x2 uniform on one of the two unit squares of its column that are
// "black" ((column + row) even); both times 2, so squares of side 2 on [−4, 4)².
const checkerboard: Generator = (n, seed) => {
  const u = uniforms(seed, 0, 0, 2 * n)
  const coin = uniforms(seed, 1, 0, n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const x1 = 4 * u[2 * i] - 2
    const column = Math.floor(x1)
    const x2 = u[2 * i + 1] - 2 * Math.floor(2 * coin[i]) + (((column % 2) + 2) % 2)
    out[2 * i] = 2 * x1
    out[2 * i + 1] = 2 * x2
  }
  return out
}

// rings: four concentric circles of radius 3, 2.25, 1.5, 0.75 with floor(n/4) evenly spaced points on each of
// the outer three and the rest on the innermost; shuffled, plus N(0, 0.08²) noise.
const rings: Generator = (n, seed) => {
  const quarter = Math.floor(n / 4)
  const sizes = [quarter, quarter, quarter, n - 3 * quarter]
  const radii = [1, 0.75, 0.5, 0.25]
  const base = new Float64Array(2 * n)
  let j = 0
  for (let ring = 0; ring < 4; ring++) {
    for (let k = 0; k < sizes[ring]; k++, j++) {
      sincos2pi(k / sizes[ring], trig)
      base[2 * j] = radii[ring] * trig[1]
      base[2 * j + 1] = radii[ring] * trig[0]
    }
  }
  return shuffledWithNoise(base, seed, 3, 0.08)
}

// moons (scikit-learn's make_moons with noise 0.1, then ×2 and shifted by (−1, −0.2)): floor(n/2) points evenly
// spaced on the upper unit half circle, the rest on the lower half circle centred at (1, 0.5), endpoints
// included; shuffled, plus noise.
const moons: Generator = (n, seed) => {
  const outer = Math.floor(n / 2)
  const inner = n - outer
  const base = new Float64Array(2 * n)
  const halfTurn = (k: number, m: number): Float64Array => sincos2pi(m > 1 ? k / (2 * (m - 1)) : 0, trig)
  for (let k = 0; k < outer; k++) {
    halfTurn(k, outer)
    base[2 * k] = trig[1]
    base[2 * k + 1] = trig[0]
  }
  for (let k = 0; k < inner; k++) {
    halfTurn(k, inner)
    base[2 * (outer + k)] = 1 - trig[1]
    base[2 * (outer + k) + 1] = 1 - trig[0] - 0.5
  }
  const out = shuffledWithNoise(base, seed, 1, 0.1)
  for (let i = 0; i < n; i++) {
    out[2 * i] = out[2 * i] * 2 - 1
    out[2 * i + 1] = out[2 * i + 1] * 2 - 0.2
  }
  return out
}

// pinwheel: 5 arms; a point of arm k has features f = (1 + 0.3·z0, 0.1·z1), rotated by −(2πk/5 + 0.25·e^f0)
// and doubled (the Python's einsum applies the rotation matrix from the right). Arms are dealt evenly and
// shuffled.
const pinwheel: Generator = (n, seed) => {
  const order = shuffledOrder(n, seed, 0)
  const z = normals(seed, 1, 0, 2 * n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const arm = order[i] % 5
    const radial = 1 + 0.3 * z[2 * i]
    const tangential = 0.1 * z[2 * i + 1]
    sincos2pi(arm / 5 + (0.25 * Math.exp(radial)) / (2 * Math.PI), trig)
    out[2 * i] = 2 * (radial * trig[1] + tangential * trig[0])
    out[2 * i + 1] = 2 * (tangential * trig[1] - radial * trig[0])
  }
  return out
}

// swissroll (scikit-learn's make_swiss_roll with noise 1, the (x, z) plane, divided by 5):
// t = 1.5π·(1 + 2u), point (t·cos t, t·sin t) + N(0, I), over 5.
const swissroll: Generator = (n, seed) => {
  const u = uniforms(seed, 0, 0, n)
  const z = normals(seed, 1, 0, 2 * n)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const turns = 0.75 * (1 + 2 * u[i])
    const t = 2 * Math.PI * turns
    sincos2pi(turns, trig)
    out[2 * i] = (t * trig[1] + z[2 * i]) / 5
    out[2 * i + 1] = (t * trig[0] + z[2 * i + 1]) / 5
  }
  return out
}

const generators: Readonly<Record<ToyName, Generator>> = {
  '8gaussians': eightGaussians,
  '2spirals': twoSpirals,
  checkerboard,
  rings,
  moons,
  pinwheel,
  swissroll,
}

/**
 * n points of the toy distribution `name`, as a Float64Array of n × 2 values, row-major (point i is
 * [2i, 2i + 1]). The same (name, n, seed) always gives the same points; `seed` is an integer in [0, 2^53).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { toy } from './toy.js'
 * const points = toy('8gaussians', 500, 1)
 * assert.equal(points.length, 1000)
 * const [x, y] = [points[0], points[1]] // the first point
 * assert.deepEqual(toy('8gaussians', 500, 1), points) // the same (name, n, seed), the same points
 * assert.throws(() => toy('circles' as never, 500, 1), { name: 'RangeError', message: 'toy: name: expected one of "8gaussians", "2spirals", "checkerboard", "rings", "moons", "pinwheel", "swissroll", got "circles"' })
 */
export const toy = (name: ToyName, n: number, seed: number): Float64Array => {
  oneOf(name, 'toy: name', toyNames)
  positiveInteger(n, 'toy: n')
  checkSeed(seed, 'toy: seed')
  return generators[name](n, seed)
}

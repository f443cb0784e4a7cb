/**
 * The two transcendental functions the normal generator needs, written so that a C++ mirror gives the
 * same bits: Math.log and Math.cos differ between V8 and glibc in the last bit, which would make the
 * TypeScript and native normals disagree.
 *
 * Rules for the mirror: use only IEEE-754 double +, −, ×, ÷, sqrt, floor and exact bit manipulation, in
 * the evaluation order written here (one operation at a time, left to right inside each expression), with
 * the constants as written (decimal literals with 17 significant digits round to the same double in both
 * languages; `2 / 3` is one correctly rounded division in both). Compile the C++ with
 * `-ffp-contract=off` (and without -ffast-math): a fused multiply-add rounds once where this code rounds
 * twice and changes the last bit.
 *
 * Accuracy measured in spec/rng/math.spec.ts against references that are themselves correct to well
 * under an ulp: `log` within 1 ulp over (0, 1]; `sincos2pi` within 2 ulp. See docs/rng.md for numbers.
 *
 * @packageDocumentation
 */

const view = new DataView(new ArrayBuffer(8))

const sqrt2 = 1.4142135623730951
const smallestNormal = 2.2250738585072014e-308
const two54 = 18014398509481984
// ln 2 = ln2High + ln2Low; ln2High (bits 0x3fe62e42fee00000) has 32 significant bits, so e · ln2High is
// exact for every binary exponent e; ln2Low has bits 0x3dea39ef35793c76.
const ln2High = 0.6931471803691238
const ln2Low = 1.9082149292705877e-10

// Taylor coefficients of 2·atanh(s)/s − 2 = 2s²/3 + 2s⁴/5 + …, through s²⁰: |s| ≤ (√2 − 1)/(√2 + 1) < 0.1716,
// so the first omitted term is below 2⁻⁶⁰ relative to the result.
const atanh3 = 2 / 3
const atanh5 = 2 / 5
const atanh7 = 2 / 7
const atanh9 = 2 / 9
const atanh11 = 2 / 11
const atanh13 = 2 / 13
const atanh15 = 2 / 15
const atanh17 = 2 / 17
const atanh19 = 2 / 19
const atanh21 = 2 / 21

/**
 * The natural logarithm, reproducible bit for bit in C++ (see the module comment).
 *
 * Algorithm: write x = m · 2^e with m in [√½, √2) (read from the bits; subnormals are first scaled by 2^54).
 * With f = m − 1 (exact) and s = f / (2 + f), log m = 2·atanh(s) = f − s·(f − R), where
 * R = z·(2/3 + z·(2/5 + … + z·(2/21))) and z = s² (the form keeps the exact f as the leading term). Then
 * log x = e·ln2High + (f − (s·(f − R) − e·ln2Low)). log(0) = −∞, log(+∞) = +∞, log of a negative or NaN is NaN.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { log } from './math.js'
 * assert.equal(log(1), 0)
 * assert.equal(log(0.5), -0.6931471805599453)
 */
export const log = (x: number): number => {
  if (!(x > 0)) return x === 0 ? -Infinity : NaN
  if (x === Infinity) return x
  let e = 0
  let y = x
  if (y < smallestNormal) {
    y = y * two54
    e = -54
  }
  view.setFloat64(0, y)
  const high = view.getUint32(0)
  e = e + (((high >>> 20) & 0x7ff) - 1023)
  view.setUint32(0, (high & 0x000fffff) | 0x3ff00000)
  let m = view.getFloat64(0)
  if (m > sqrt2) {
    m = m * 0.5
    e = e + 1
  }
  const f = m - 1
  const s = f / (2 + f)
  const z = s * s
  const r =
    z *
    (atanh3 +
      z *
        (atanh5 +
          z *
            (atanh7 +
              z * (atanh9 + z * (atanh11 + z * (atanh13 + z * (atanh15 + z * (atanh17 + z * (atanh19 + z * atanh21)))))))))
  return e * ln2High + (f - (s * (f - r) - e * ln2Low))
}

// Taylor coefficients of sin(π/2 · r) and cos(π/2 · r) in r, through r¹⁷ and r¹⁶: for |r| ≤ ½ the first
// omitted terms are below 2⁻⁶¹ relative to the result. Values are (π/2)^n / n! rounded to double.
const sin1 = 1.5707963267948966
const sin3 = -0.6459640975062463
const sin5 = 0.07969262624616705
const sin7 = -0.004681754135318688
const sin9 = 0.00016044118478735983
const sin11 = -3.598843235212085e-6
const sin13 = 5.692172921967927e-8
const sin15 = -6.688035109811468e-10
const sin17 = 6.0669357311061955e-12
const cos2 = -1.2337005501361697
const cos4 = 0.25366950790104803
const cos6 = -0.02086348076335296
const cos8 = 0.0009192602748394266
const cos10 = -2.5202042373060607e-5
const cos12 = 4.710874778818172e-7
const cos14 = -6.386603083791852e-9
const cos16 = 6.565963114979473e-11

/**
 * sin(2πu) and cos(2πu), written into `out` as [sin, cos]; reproducible bit for bit in C++ (see the module
 * comment). Meant for u in (0, 1); correct for any u with |u| < 2^50.
 *
 * Algorithm: t = 4u is exact in binary; q = floor(t), r = t − q (exact), and if r > ½ then r = r − 1,
 * q = q + 1 (exact), so 2πu = (π/2)(q + r) with |r| ≤ ½. With z = r², S = sin(πr/2) = r·sin1 + (r·z)·P(z)
 * and C = cos(πr/2) = 1 + z·Q(z) (Horner, Taylor coefficients in r). By the quadrant q mod 4:
 * 0 → (S, C), 1 → (C, −S), 2 → (−S, −C), 3 → (−C, S). No multiple of π is ever rounded, so the result is
 * accurate relative to its own size even near the zeros of sin and cos.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { sincos2pi } from './math.js'
 * assert.deepEqual(sincos2pi(0.125), new Float64Array([0.7071067811865475, 0.7071067811865476]))
 */
export const sincos2pi = (u: number, out: Float64Array = new Float64Array(2)): Float64Array => {
  const t = 4 * u
  let q = Math.floor(t)
  let r = t - q
  if (r > 0.5) {
    r = r - 1
    q = q + 1
  }
  const z = r * r
  const sine =
    r * sin1 +
    r * z * (sin3 + z * (sin5 + z * (sin7 + z * (sin9 + z * (sin11 + z * (sin13 + z * (sin15 + z * sin17)))))))
  const cosine =
    1 + z * (cos2 + z * (cos4 + z * (cos6 + z * (cos8 + z * (cos10 + z * (cos12 + z * (cos14 + z * cos16)))))))
  switch (q & 3) {
    case 0:
      out[0] = sine
      out[1] = cosine
      break
    case 1:
      out[0] = cosine
      out[1] = -sine
      break
    case 2:
      out[0] = -sine
      out[1] = -cosine
      break
    default:
      out[0] = -cosine
      out[1] = sine
  }
  return out
}

const log2e = 1.4426950408889634
// 1/n! rounded to double, n = 2 … 13: for |r| ≤ 0.35 the first omitted term, r¹⁴/14!, is below 2⁻⁵⁷
// relative to the result.
const inverseFactorials = [0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889, 0.0001984126984126984, 2.48015873015873e-5, 2.7557319223985893e-6, 2.755731922398589e-7, 2.505210838544172e-8, 2.08767569878681e-9, 1.6059043836821613e-10] as const
const [e2, e3, e4, e5, e6, e7, e8, e9, e10, e11, e12, e13] = inverseFactorials

// 2^k for k in [−1022, 1023], from its bits.
const twoTo = (k: number): number => {
  view.setUint32(0, (k + 1023) * 1048576)
  view.setUint32(4, 0)
  return view.getFloat64(0)
}

/**
 * The exponential, reproducible bit for bit in C++ (see the module comment; native/philox.h mirrors it):
 * the heat-bath and Metropolis tests of the discrete samplers compare uniforms with it, so both runners
 * make the same decisions.
 *
 * Algorithm: k = floor(x·log₂e + ½) and r = (x − k·ln2High) − k·ln2Low (k·ln2High is exact), so |r| ≲ 0.347
 * and exp x = 2^k · exp r, with exp r by Horner's rule on its Taylor series through r¹³. 2^k is built from
 * its bits, in two factors where the result overflows the exponent range (k = 1024) or is subnormal.
 * Accurate to about 1 ulp.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { exp } from './math.js'
 * assert.equal(exp(0), 1)
 * assert.ok(Math.abs(exp(1) - Math.E) <= Number.EPSILON * Math.E)
 */
export const exp = (x: number): number => {
  if (x !== x) return x
  if (x > 709.782712893384) return Infinity
  if (x < -745.1332191019412) return 0
  const k = Math.floor(x * log2e + 0.5)
  const r = x - k * ln2High - k * ln2Low
  const p = 1 + r * (1 + r * (e2 + r * (e3 + r * (e4 + r * (e5 + r * (e6 + r * (e7 + r * (e8 + r * (e9 + r * (e10 + r * (e11 + r * (e12 + r * e13))))))))))))
  if (k > 1023) return p * twoTo(1023) * 2
  if (k < -1022) return p * twoTo(k + 54) * 5.551115123125783e-17 // 2^−54
  return p * twoTo(k)
}

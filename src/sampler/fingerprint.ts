/**
 * How a runner notices that its arrays changed between runs (a caller wrote positions or weights): byte
 * fingerprints taken after each run and compared before the next.
 */
// One 32-bit word into a hash lane: FNV-1a's step, and MurmurHash3's multiply-rotate mix. Every value stays
// an int32 (the sum wrapped by | 0): a lane left as a double runs at a quarter of the speed.
const fnv = (h: number, k: number): number => Math.imul(h ^ k, 0x01000193)
const murmur = (h: number, k: number): number => {
  const m = h ^ Math.imul(k, 0xcc9e2d51)
  return (Math.imul((m << 13) | (m >>> 19), 5) + 0xe6546b64) | 0
}

/**
 * A fingerprint of an array's bytes: its 32-bit words dealt round four streams, each hashed into two 32-bit
 * lanes (FNV-1a and a multiply-rotate mix). Equal bytes give equal fingerprints; a changed word reaches the
 * two lanes of its stream, so a change is missed with probability about 2^-64. Four streams rather than one
 * run eight chains of multiplies side by side: four times the speed (a runner fingerprints its chains and
 * weights at every run).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { fingerprint } from './fingerprint.js'
 * assert.equal(fingerprint(new Float64Array([NaN, 1])), fingerprint(new Float64Array([NaN, 1])))
 * assert.notEqual(fingerprint(new Float64Array([0, 1])), fingerprint(new Float64Array([-0, 1])))
 * assert.notEqual(fingerprint(new Float32Array([1, 2, 3, 4, 5])), fingerprint(new Float32Array([1, 2, 3, 4, 6]))) // a word past the last four
 */
export const fingerprint = (a: Float32Array | Float64Array): string => {
  const w = new Uint32Array(a.buffer, a.byteOffset, a.byteLength / 4)
  let f0 = 0x811c9dc5 | 0, f1 = 0x811c9dc4 | 0, f2 = 0x811c9dc7 | 0, f3 = 0x811c9dc6 | 0
  let m0 = 0x9747b28c | 0, m1 = 0x9747b28d | 0, m2 = 0x9747b28e | 0, m3 = 0x9747b28f | 0
  const whole = w.length - (w.length % 4)
  for (let i = 0; i < whole; i += 4) {
    const k0 = w[i], k1 = w[i + 1], k2 = w[i + 2], k3 = w[i + 3]
    f0 = fnv(f0, k0)
    f1 = fnv(f1, k1)
    f2 = fnv(f2, k2)
    f3 = fnv(f3, k3)
    m0 = murmur(m0, k0)
    m1 = murmur(m1, k1)
    m2 = murmur(m2, k2)
    m3 = murmur(m3, k3)
  }
  for (let i = whole; i < w.length; i++) {
    f0 = fnv(f0, w[i])
    m0 = murmur(m0, w[i])
  }
  return [f0, f1, f2, f3, m0, m1, m2, m3].map((h) => (h >>> 0).toString(36)).join(':')
}

// The arrays whose change makes E and ∇E stale, and fingerprints of their bytes as the last run left them
// (compared bytewise: a NaN left in place is no change). Fingerprints rather than copies: a copy of the
// positions would cost every chain its position twice over. A run writes the positions but only reads the
// parameters, so theirs, taken before the run, still hold after it: they are fingerprinted once a run, not
// twice (at 784→512 the weights are most of the bytes).
export const watchArrays = (position: Float32Array | Float64Array, params: readonly (Float32Array | Float64Array)[]) => {
  let lastPosition = fingerprint(position)
  let lastParams = params.map(fingerprint)
  let nowParams = lastParams
  return {
    changed: (): boolean => {
      nowParams = params.map(fingerprint)
      return fingerprint(position) !== lastPosition || nowParams.some((f, i) => f !== lastParams[i])
    },
    // Only after a run: a change refused by the checks stays a change at the next run.
    remember: (): void => {
      lastPosition = fingerprint(position)
      lastParams = nowParams
    },
  }
}

// A runner whose arrays nobody else holds (sample's own) cannot see them change between runs.
export const unwatchedArrays = { changed: (): boolean => false, remember: (): void => {} }

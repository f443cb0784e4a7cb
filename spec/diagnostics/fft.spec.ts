import t from 'tap'
import fc from 'fast-check'
import { fft, nextPowerOfTwo } from '../../src/diagnostics/fft.js'

t.test('fft equals the direct discrete Fourier transform', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 6 }), fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 64, maxLength: 64 }), (log2, values) => {
      const n = 2 ** log2
      const re = Float64Array.from(values.slice(0, n))
      const im = Float64Array.from(values.slice(n, 2 * n).concat(Array(n).fill(0)).slice(0, n))
      const [re0, im0] = [re.slice(), im.slice()]
      fft(re, im)
      for (let j = 0; j < n; j++) {
        let sr = 0
        let si = 0
        for (let k = 0; k < n; k++) {
          const w = (-2 * Math.PI * j * k) / n
          sr += re0[k] * Math.cos(w) - im0[k] * Math.sin(w)
          si += re0[k] * Math.sin(w) + im0[k] * Math.cos(w)
        }
        // rounding of n terms of size ≤ 10: well under 1e-10
        if (Math.abs(sr - re[j]) > 1e-10 || Math.abs(si - im[j]) > 1e-10) return false
      }
      return true
    }),
  )
})

t.test('fft rejects lengths that are not powers of two', async (t) => {
  t.throws(() => fft(new Float64Array(6), new Float64Array(6)), { name: 'RangeError', message: 'fft: expected two arrays of one power-of-two length, got lengths 6 and 6' })
  t.equal(nextPowerOfTwo(1000), 1024)
  t.equal(nextPowerOfTwo(1024), 1024)
})

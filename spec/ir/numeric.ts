/**
 * Numerical helpers for the IR specs: finite differences with Richardson extrapolation.
 */

/**
 * The derivative at 0 of a scalar function of t by a central difference with Richardson extrapolation:
 * R = (4·D(h/2) − D(h))/3 with D(s) = (f(s) − f(−s))/(2s). Truncation error is O(h⁴·f⁽⁵⁾), so h can be as
 * large as 1e-3, which keeps the rounding error (≈ ε·|f|/h) near 1e-13·|f|.
 */
export const richardson = (f: (t: number) => number, h = 1e-3): number => {
  const d = (s: number) => (f(s) - f(-s)) / (2 * s)
  return (4 * d(h / 2) - d(h)) / 3
}

/** The same, for a vector-valued function: the derivative of each component. */
export const richardsonVector = (f: (t: number) => Float64Array, h = 1e-3): Float64Array => {
  const d = (s: number) => {
    const a = f(s)
    const b = f(-s)
    return a.map((v, i) => (v - b[i]) / (2 * s))
  }
  const dh = d(h)
  const dh2 = d(h / 2)
  return dh2.map((v, i) => (4 * v - dh[i]) / 3)
}

/** Sum of absolute values: the scale against which rounding in a sum is judged. */
export const absSum = (a: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i])
  return s
}

/** Largest |a_i − b_i| / (|b_i| + floor) over the arrays, for reporting. */
export const maxRelativeError = (a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-300): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor))
  return m
}

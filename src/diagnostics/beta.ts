/**
 * The beta distribution's regularised incomplete beta function and its inverse (the quantile function),
 * which the MCSE of quantiles needs.
 *
 * @module
 */

// Lanczos approximation (g = 607/128, 15 terms, Godfrey's coefficients): relative error below 1e-15.
const lanczosG = 607 / 128
const lanczos = [0.99999999999999709182, 57.156235665862923517, -59.597960355475491248, 14.136097974741747174,
  -0.49191381609762019978, 0.33994649984811888699e-4, 0.46523628927048575665e-4, -0.98374475304879564677e-4,
  0.15808870322491248884e-3, -0.21026444172410488319e-3, 0.2174396181152126432e-3, -0.16431810653676389022e-3,
  0.84418223983852743293e-4, -0.2619083840158140867e-4, 0.36899182659531622704e-5]
const halfLogTwoPi = 0.5 * Math.log(2 * Math.PI)

/**
 * The natural logarithm of the gamma function for x > 0.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.ok(Math.abs(diagnostics.logGamma(5) - Math.log(24)) < 1e-14)
 */
export const logGamma = (x: number): number => {
  // Γ has poles at 0, −1, −2, …; there sin(πx) rounds to ±1e-16 instead of 0, and the reflection
  // below would return a finite log (37.8 at −1), as if Γ(−1) were 2.5e16.
  if (x <= 0 && Number.isInteger(x)) return Infinity
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x)
  const z = x - 1
  let s = lanczos[0]
  for (let i = 1; i < lanczos.length; i++) s += lanczos[i] / (z + i)
  const t = z + lanczosG + 0.5
  return halfLogTwoPi + (z + 0.5) * Math.log(t) - t + Math.log(s)
}

// Stirling's remainder δ(x) = lnΓ(x) − ((x − ½)ln x − x + ½ln 2π): its asymptotic series is exact to
// rounding from x = 10; below, the direct difference loses nothing because lnΓ is small there.
const stirlingRemainder = (x: number): number => {
  if (x < 10) return logGamma(x) - ((x - 0.5) * Math.log(x) - x + halfLogTwoPi)
  const y = 1 / (x * x)
  return (1 / 12 + y * (-1 / 360 + y * (1 / 1260 + y * (-1 / 1680 + y * (1 / 1188 + y * (-691 / 360360 + y / 156)))))) / x
}

// log of x^a (1−x)^b / B(a, b), the prefactor of the continued fraction. Written around the mode
// x₀ = a/(a + b), where the first-order terms a·d and b·d′ cancel exactly and are left out, so that for
// large a and b no large logarithms cancel (DiDonato and Morris 1992 do the same).
const logPrefactor = (x: number, a: number, b: number): number => {
  const u = x * (a + b) - a
  const tail = (d: number) => Math.log1p(d) - d
  // Far from the mode u itself cancels (x(a + b) against a), so the logarithms are taken directly.
  const powers =
    Math.abs(u) < 0.5 * Math.min(a, b)
      ? a * tail(u / a) + b * tail(-u / b)
      : a * (Math.log(x) + Math.log((a + b) / a)) + b * (Math.log1p(-x) + Math.log((a + b) / b))
  return (
    powers + 0.5 * Math.log((a * b) / (a + b)) - halfLogTwoPi +
    stirlingRemainder(a + b) - stirlingRemainder(a) - stirlingRemainder(b)
  )
}

// Continued fraction for I_x(a, b) (modified Lentz), convergent for x < (a + 1)/(a + b + 2).
const continuedFraction = (x: number, a: number, b: number): number => {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  d = Math.abs(d) < tiny ? tiny : d
  d = 1 / d
  let f = d
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m
    for (const num of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + num * d
      d = Math.abs(d) < tiny ? tiny : d
      c = 1 + num / c
      c = Math.abs(c) < tiny ? tiny : c
      d = 1 / d
      f *= d * c
    }
    if (Math.abs(d * c - 1) < 1e-16) return f
  }
  return f
}

/**
 * The regularised incomplete beta function I_x(a, b) = P(X ≤ x) for X ~ Beta(a, b) (R's `pbeta`).
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.ok(Math.abs(diagnostics.betaRegularized(0.5, 2, 2) - 0.5) < 1e-15) // symmetric about ½
 */
export const betaRegularized = (x: number, a: number, b: number): number => {
  if (!(a > 0 && b > 0) || Number.isNaN(x)) return NaN
  if (x <= 0) return 0
  if (x >= 1) return 1
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logPrefactor(x, a, b)) * continuedFraction(x, a, b)) / a
  return 1 - (Math.exp(logPrefactor(1 - x, b, a)) * continuedFraction(1 - x, b, a)) / b
}

/**
 * The beta quantile function: the x with I_x(a, b) = p (R's `qbeta`), by Newton steps on the
 * distribution function safeguarded by bisection, to full double precision of the bracket.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { diagnostics } from 'heatbath'
 * assert.equal(diagnostics.betaQuantile(0.5, 3, 3), 0.5)
 */
export const betaQuantile = (p: number, a: number, b: number): number => {
  if (!(a > 0 && b > 0) || !(p >= 0 && p <= 1)) return NaN
  if (p === 0) return 0
  if (p === 1) return 1
  // Solve in whichever tail keeps the target probability small, where it has full relative precision.
  const lower = p <= 0.5
  const target = lower ? p : 1 - p
  const [alpha, beta] = lower ? [a, b] : [b, a]
  const cdf = (x: number) => betaRegularized(x, alpha, beta)
  let lo = 0
  let hi = 1
  let x = alpha / (alpha + beta)
  for (let i = 0; i < 2000; i++) {
    const f = cdf(x) - target
    if (f === 0) break
    if (f < 0) lo = x
    else hi = x
    const density = Math.exp(logPrefactor(x, alpha, beta)) / (x * (1 - x))
    let next = x - f / density
    // Newton leaves the bracket or stalls: bisect instead.
    if (!(next > lo && next < hi)) next = lo + (hi - lo) / 2
    if (Math.abs(next - x) <= 2 * Number.EPSILON * x || hi - lo <= 2 * Number.EPSILON * x) {
      x = next
      break
    }
    x = next
  }
  return lower ? x : 1 - x
}

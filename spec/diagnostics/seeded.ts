// A tiny seeded generator for tests only (mulberry32 with Box–Muller), so that statistical tests are
// reproducible without the project's RNG; never used by the library.
export const uniforms = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296
  }
}

/** n standard normal draws from a seed. */
export const normals = (seed: number, n: number): Float64Array => {
  const u = uniforms(seed)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(u()))
    const theta = 2 * Math.PI * u()
    out[i] = r * Math.cos(theta)
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta)
  }
  return out
}

/** An AR(1) chain x_t = φ x_{t−1} + √(1 − φ²) ε_t started at stationarity. */
export const autoregressive = (seed: number, n: number, phi: number): Float64Array => {
  const e = normals(seed, n)
  const out = new Float64Array(n)
  out[0] = e[0]
  const s = Math.sqrt(1 - phi * phi)
  for (let i = 1; i < n; i++) out[i] = phi * out[i - 1] + s * e[i]
  return out
}

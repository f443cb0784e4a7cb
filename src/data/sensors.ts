/**
 * A synthetic stream of sensor readings for online anomaly detection and drift: D sensors read a
 * machine that runs in several operating regimes (each its own mean and correlated noise), switching
 * regime every so often; a few readings are anomalies (one sensor spikes); and the process drifts twice,
 * once abruptly (every regime's mean jumps) and once gradually (the means slide along another direction
 * over a stretch of records). Everything is a pure function of the options and the seed.
 *
 * @module
 */
import { integer, nonNegative, object, options as checkOptions, positive, positiveInteger, probability, rangeError, seed as checkSeed } from '../check/index.js'
import { normals, uniforms } from '../rng/index.js'

/** A drift of a sensor stream: abrupt at a record, or gradual from `start` to `end` (records). */
export type SensorDrift = { readonly kind: 'abrupt'; readonly at: number; readonly shift: number } | { readonly kind: 'gradual'; readonly start: number; readonly end: number; readonly shift: number }

/** Options of {@link sensors}. */
export interface SensorOptions {
  /** Records. */
  readonly n: number
  /** Sensors, 2 to 10; default 4. */
  readonly dimension?: number
  readonly seed: number
  /** Operating regimes; default 3. */
  readonly regimes?: number
  /** Records between regime switches (the next regime drawn uniformly); default 20. */
  readonly regimeLength?: number
  /** The noise's standard deviation on each sensor (before correlation); default 0.3. */
  readonly noise?: number
  /** The fraction of records that are anomalies; default 0.01. */
  readonly anomalyRate?: number
  /** An anomaly's spike on one sensor, in noise standard deviations, signed at random; default 10. */
  readonly anomalySize?: number
  /** The abrupt drift: at record `at`, every mean moves by `shift` noise standard deviations; null for none. Default at n/3, shift 6. */
  readonly abrupt?: { readonly at: number; readonly shift: number } | null
  /** The gradual drift: the means slide by `shift` noise sds from record `start` to `end`; null for none. Default from 2n/3 to 5n/6, shift 6. */
  readonly gradual?: { readonly start: number; readonly end: number; readonly shift: number } | null
}

/** A sensor stream: the readings (n × D, row-major), which are anomalies, each record's regime, and the drifts. */
export interface SensorStream {
  readonly dimension: number
  readonly records: Float64Array
  /** 1 for an anomaly. */
  readonly labels: Uint8Array
  readonly regimes: Uint8Array
  readonly drifts: readonly SensorDrift[]
}

// Random streams of a sensor stream, one per purpose.
const streams = { means: 0, mixing: 1, directions: 2, switches: 3, noise: 4, anomalies: 5, spikes: 6 } as const

/** A unit vector in D dimensions from D normals. */
const unit = (z: Float64Array): Float64Array => {
  const norm = Math.hypot(...z)
  return z.map((v) => v / norm)
}

const checkDrift = (v: unknown, where: string, n: number, keys: readonly string[]): Readonly<Record<string, number>> => {
  const o = checkOptions<Record<string, number>>(object(v, where), where, keys)
  return Object.fromEntries(keys.map((k) => [k, k === 'shift' ? nonNegative(o[k], `${where}.${k}`) : integer(o[k], `${where}.${k}`, { min: 0, max: n })]))
}

const checkSensors = (options: SensorOptions) => {
  const where = 'data.sensors'
  const o = checkOptions<SensorOptions>(object(options, `${where}: options`), `${where}: options`, ['n', 'dimension', 'seed', 'regimes', 'regimeLength', 'noise', 'anomalyRate', 'anomalySize', 'abrupt', 'gradual'])
  const n = positiveInteger(o.n, `${where}: n`)
  const abrupt = o.abrupt === null ? null : checkDrift(o.abrupt ?? { at: Math.floor(n / 3), shift: 6 }, `${where}: abrupt`, n, ['at', 'shift'])
  const gradual = o.gradual === null ? null : checkDrift(o.gradual ?? { start: Math.floor((2 * n) / 3), end: Math.floor((5 * n) / 6), shift: 6 }, `${where}: gradual`, n, ['start', 'end', 'shift'])
  if (gradual !== null && gradual.end <= gradual.start) throw rangeError(`${where}: gradual.end`, `a record after start = ${gradual.start}`, gradual.end)
  return {
    n,
    D: integer(o.dimension ?? 4, `${where}: dimension`, { min: 2, max: 10 }),
    seed: checkSeed(o.seed, `${where}: seed`),
    K: integer(o.regimes ?? 3, `${where}: regimes`, { min: 1, max: 255 }),
    regimeLength: positiveInteger(o.regimeLength ?? 20, `${where}: regimeLength`),
    noise: positive(o.noise ?? 0.3, `${where}: noise`),
    anomalyRate: probability(o.anomalyRate ?? 0.01, `${where}: anomalyRate`),
    anomalySize: positive(o.anomalySize ?? 10, `${where}: anomalySize`),
    abrupt,
    gradual,
  }
}

/**
 * A synthetic sensor stream. Regime k reads μₖ + Aₖ·σz (z standard normal, μₖ uniform in [−3, 3]ᴰ,
 * Aₖ = I + ½·Bₖ with Bₖ normal / √D, so sensors are correlated); the regime changes every
 * `regimeLength` records to one drawn uniformly. An anomaly (each record with probability
 * `anomalyRate`) adds ±`anomalySize`·σ to one sensor drawn uniformly. From the abrupt drift's record on,
 * every mean is moved by `shift`·σ along a random unit direction; the gradual drift moves them by its
 * `shift`·σ along another, linearly from `start` to `end`, and they stay there.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { data } from 'heatbath'
 * const s = data.sensors({ n: 3000, dimension: 3, seed: 1 })
 * assert.equal(s.records.length, 3000 * 3)
 * assert.deepEqual(s.drifts.map((d) => d.kind), ['abrupt', 'gradual'])
 * assert.equal(s.labels.reduce((a, b) => a + b, 0), 31) // about 1% of 3000 are anomalies
 */
export const sensors = (options: SensorOptions): SensorStream => {
  const { n, D, seed, K, regimeLength, noise, anomalyRate, anomalySize, abrupt, gradual } = checkSensors(options)
  const means = uniforms(seed, streams.means, 0, K * D).map((u) => -3 + 6 * u)
  const mixing = normals(seed, streams.mixing, 0, K * D * D).map((b) => (0.5 * b) / Math.sqrt(D))
  for (let k = 0; k < K; k++) for (let d = 0; d < D; d++) mixing[k * D * D + d * D + d] += 1
  const directions = normals(seed, streams.directions, 0, 2 * D)
  const jump = unit(directions.subarray(0, D))
  const slide = unit(directions.subarray(D))
  const switches = uniforms(seed, streams.switches, 0, Math.ceil(n / regimeLength))
  const z = normals(seed, streams.noise, 0, n * D)
  const anomalous = uniforms(seed, streams.anomalies, 0, n)
  const spikes = uniforms(seed, streams.spikes, 0, 2 * n)
  const records = new Float64Array(n * D)
  const labels = new Uint8Array(n)
  const regimes = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const k = Math.floor(switches[Math.floor(i / regimeLength)] * K)
    regimes[i] = k
    const a = abrupt !== null && i >= abrupt.at ? abrupt.shift * noise : 0
    const g = gradual === null ? 0 : gradual.shift * noise * Math.min(1, Math.max(0, (i - gradual.start) / (gradual.end - gradual.start)))
    for (let d = 0; d < D; d++) {
      let v = means[k * D + d] + a * jump[d] + g * slide[d]
      for (let e = 0; e < D; e++) v += mixing[k * D * D + d * D + e] * noise * z[i * D + e]
      records[i * D + d] = v
    }
    if (anomalous[i] < anomalyRate) {
      labels[i] = 1
      const sensor = Math.floor(spikes[2 * i] * D)
      records[i * D + sensor] += (spikes[2 * i + 1] < 0.5 ? -1 : 1) * anomalySize * noise
    }
  }
  const drifts: SensorDrift[] = []
  if (abrupt !== null) drifts.push({ kind: 'abrupt', at: abrupt.at, shift: abrupt.shift })
  if (gradual !== null) drifts.push({ kind: 'gradual', start: gradual.start, end: gradual.end, shift: gradual.shift })
  return { dimension: D, records, labels, regimes, drifts }
}

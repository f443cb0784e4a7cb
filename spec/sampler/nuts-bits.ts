/**
 * The bits of short NUTS runs under the identity, a diagonal and a dense metric, on the reference and (when
 * built) the native backend in float64 and float32: per run, the first 16 hex digits of the sha256 of its
 * draws (positions and momenta) and its statistics. Read by nuts-bits.spec.ts; run directly it prints
 * them as JSON (how spec/fixtures/nuts-bits/digests.json was written; generic, AVX2 and AVX-512 agree).
 */
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { nativeAddon } from '../../src/backend/index.js'
import * as energy from '../../src/energy/index.js'
import * as ir from '../../src/ir/index.js'
import * as sampler from '../../src/sampler/index.js'

// Elementwise ops and sums only (no matrix product), scales from 0.5 to 3 and a ripple, so that chains take
// trees of different depths; D = 4, away from the special cases.
const D = 4
const rippled = energy.define({
  name: 'rippled',
  shape: [D],
  build: (x) => ir.add(ir.mul(ir.sum(ir.square(ir.mul(x, ir.constant([0.5, 1, 2, 3], [D]))), 1), 0.5), ir.sum(ir.mul(ir.sin(x), ir.constant([0.8, -0.5, 0.4, 0.3], [D])), 1)),
})

// A dense metric with every pair correlated, and a diagonal one away from the target's scales.
const dense = [1.5, 0.3, -0.2, 0.1, 0.3, 0.8, 0.25, -0.1, -0.2, 0.25, 0.6, 0.05, 0.1, -0.1, 0.05, 0.4]
const metrics = { identity: undefined, diagonal: { kind: 'diagonal', inverse: [3, 1.2, 0.5, 0.3] }, dense: { kind: 'dense', inverse: dense } } as const

const digest = (...parts: (Float32Array | Float64Array | string)[]): string => {
  const h = createHash('sha256')
  for (const p of parts) h.update(typeof p === 'string' ? p : new Uint8Array(p.buffer, p.byteOffset, p.byteLength))
  return h.digest('hex').slice(0, 16)
}

/** The runs' digests on one backend, by metric (and dtype on the native backend). */
export const nutsDigests = async (backend: 'reference' | 'native'): Promise<Record<string, string>> => {
  const chains = 24
  const init = Float64Array.from({ length: chains * D }, (_v, i) => 2 * Math.sin(0.37 * i + 0.2))
  const out: Record<string, string> = {}
  for (const dtype of backend === 'reference' ? (['float64'] as const) : (['float64', 'float32'] as const)) {
    for (const [name, metric] of Object.entries(metrics)) {
      const k = sampler.nuts({ stepSize: sampler.linear(0.45, 0.25, 8), maxTreeDepth: 7, temperature: 1.3, metric })
      const r = await sampler.sample(rippled, k, { chains, steps: 8, seed: 17, thin: 2, init, backend, dtype })
      out[backend === 'reference' ? name : `${name} ${dtype}`] = digest(r.positions, r.momenta, JSON.stringify([r.statistics, r.trace.map((s) => [s.trees, s.acceptanceRate])]))
    }
  }
  return out
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const native = nativeAddon().addon === undefined ? undefined : await nutsDigests('native')
  console.log(JSON.stringify({ reference: await nutsDigests('reference'), native }, null, 1))
}

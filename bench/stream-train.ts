/**
 * What the stream and the checkpoints cost: persistent contrastive divergence on 8 Gaussians (an MLP
 * 2→64→64→1 with softplus, buffer 10,000, 20 ULA steps a step, batch 128, Adam), run for `steps` steps by
 * `train.fit` and by `stream.train` over a pulled source of batches of the same size, alternating the two
 * in each round; then the run's checkpoint saved and loaded. Medians over the rounds (9 by default,
 * HEATBATH_BENCH_ROUNDS to change), and the median over rounds of the stream's time over fit's.
 *
 *   npx tsx bench/stream-train.ts     (HEATBATH_BENCH_QUICK=1 for one short round)
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lastValueFrom } from 'rxjs'
import { data, energy, io, stream, train } from '../src/index.js'
import { nativeAddon } from '../src/backend/index.js'
import { pcdBatchSize, pcdOptions } from './pcd.js'

const quick = process.env.HEATBATH_BENCH_QUICK === '1'
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 9)
const steps = quick ? 5 : 40
const batchSize = pcdBatchSize
const backend = nativeAddon().addon === undefined ? 'reference' : 'native'
const points = data.toy('8gaussians', 4096, 1)
const options = pcdOptions(backend)
const model = () => energy.mlp({ widths: [2, 64, 64, 1], activation: 'softplus', seed: 2 })
const batches = Array.from({ length: steps }, (_v, k) => points.subarray(((k * batchSize) % 4096) * 2, (((k * batchSize) % 4096) + batchSize) * 2))

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const timed = async (f: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await f()
  return performance.now() - started
}

const runFit = () => train.fit(model(), points, { ...options, steps })
const runStream = () => lastValueFrom(stream.pullBatches(batches).pipe(stream.train(model(), options)))

await runFit() // warm-up: tapes, the addon's pool, pages
await runStream()
const fitMs: number[] = []
const streamMs: number[] = []
const saveMs: number[] = []
const loadMs: number[] = []
let bytes = 0
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so a drift in the host's load falls on both.
  const [a, b] = r % 2 === 0 ? [runFit, runStream] : [runStream, runFit]
  const first = await timed(a)
  const second = await timed(b)
  fitMs.push((r % 2 === 0 ? first : second) / steps)
  streamMs.push((r % 2 === 0 ? second : first) / steps)
  const { state } = await runFit()
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-bench-'))
  const meta = { seed: 1, data: null, options: { note: 'bench' } }
  saveMs.push(await timed(() => io.saveCheckpoint(dir, state, meta)))
  loadMs.push(await timed(() => io.loadCheckpoint(dir)))
  bytes = readdirSync(dir).reduce((s, f) => s + statSync(join(dir, f)).size, 0)
}
const ratios = fitMs.map((f, i) => streamMs[i] / f)
console.log(`PCD on 8 Gaussians, MLP 2→64→64→1, batch ${batchSize}, buffer 10,000, 20 ULA steps, ${backend}${backend === 'native' ? ' float32' : ''}; ${steps} steps, ${rounds} rounds`)
console.log(`| measure | median | range |`)
console.log(`| --- | ---: | ---: |`)
console.log(`| train.fit, ms/step | ${median(fitMs).toFixed(2)} | ${Math.min(...fitMs).toFixed(2)}–${Math.max(...fitMs).toFixed(2)} |`)
console.log(`| stream.train, ms/step | ${median(streamMs).toFixed(2)} | ${Math.min(...streamMs).toFixed(2)}–${Math.max(...streamMs).toFixed(2)} |`)
console.log(`| stream / fit, per round | ${median(ratios).toFixed(3)} | ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)} |`)
console.log(`| saveCheckpoint, ms (${(bytes / 1024).toFixed(0)} KiB) | ${median(saveMs).toFixed(2)} | ${Math.min(...saveMs).toFixed(2)}–${Math.max(...saveMs).toFixed(2)} |`)
console.log(`| loadCheckpoint, ms | ${median(loadMs).toFixed(2)} | ${Math.min(...loadMs).toFixed(2)}–${Math.max(...loadMs).toFixed(2)} |`)

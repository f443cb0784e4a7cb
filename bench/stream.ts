/**
 * What online scoring and learning cost on a live stream, for an MLP energy 2→128→128→1 (SiLU) on records
 * of 8gaussians:
 *
 * 1. records per second scored by `stream.score` (batches of 256 on the native executor, float64), against
 *    PyTorch scoring the same records with the same weights in batches of 256 (bench/peers/torch_score.py,
 *    float64 and float32, 1 thread and 2: the best of each dtype), alternating the systems in each round;
 * 2. latency from a record's arrival to its score: records arriving alone (one a macrotask), and in bursts
 *    of 256 (one synchronous push each), p50 and p99;
 * 3. records per second trained on by `stream.prequential` (score, then learn; denoising score matching on
 *    minibatches of 64 from a window of 2048), updating every 4 and every 64 records.
 *
 * Medians over the rounds (7 by default, HEATBATH_BENCH_ROUNDS to change).
 *
 *   npx tsx bench/stream.ts     (HEATBATH_BENCH_QUICK=1 for one short round)
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { count, from, lastValueFrom, Subject, tap } from 'rxjs'
import { nativeAddon } from '../src/backend/index.js'
import { data, energy, sampler, stream, train } from '../src/index.js'
import { peerServer } from './peer-server.js'

const quick = process.env.HEATBATH_BENCH_QUICK === '1'
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 7)
const n = quick ? 8192 : 65_536
const batchSize = 256
const backend = nativeAddon().addon === undefined ? 'reference' : 'native'
const here = dirname(fileURLToPath(import.meta.url))

const model = energy.mlp({ widths: [2, 128, 128, 1], activation: 'silu', seed: 0 })
const params = energy.init(model)
const points = data.toy('8gaussians', n, 1)
const records = Array.from({ length: n }, (_v, i) => points.subarray(2 * i, 2 * i + 2))

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]
const range = (xs: readonly number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

// --- 1. throughput, against PyTorch ---------------------------------------------------------------------
const scoreRate = async (): Promise<number> => {
  const started = performance.now()
  await lastValueFrom(from(records).pipe(stream.score(model, params, { batchSize, backend }), count()))
  return n / ((performance.now() - started) / 1000)
}

// The executor alone on the same batches, without the stream: the operator's own cost is the difference.
const executorRate = (): Promise<number> => {
  const started = performance.now()
  for (let i = 0; i < n; i += batchSize) energy.energyAt(model, points.subarray(2 * i, 2 * (i + batchSize)), params, { backend })
  return Promise.resolve(n / ((performance.now() - started) / 1000))
}

const torchServer = () => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-bench-stream-'))
  writeFileSync(join(dir, 'records.f64'), points)
  const order = ['W0', 'b0', 'W1', 'b1', 'W2', 'b2']
  writeFileSync(join(dir, 'params.f64'), Float64Array.from(order.flatMap((k) => Array.from(params[k]))))
  const peer = peerServer(['peers/torch_score.py', '--serve', join(dir, 'records.f64'), join(dir, 'params.f64')], here)
  return { score: (threads: number, dtype: 'float64' | 'float32') => peer.ask<{ rate: number; first: number }>(`${threads} ${batchSize} ${dtype}`), close: peer.close }
}

const torch = torchServer()
const check = await torch.score(1, 'float64') // warm-up, and the same weights: the same energy of record 0
const ours0 = energy.energyAt(model, records[0], params)[0]
if (Math.abs(check.first - ours0) > 1e-9 * Math.max(1, Math.abs(ours0))) throw new Error(`bench/stream: PyTorch's E(record 0) = ${check.first}, heatbath's ${ours0}`)
await scoreRate()
const rates = { ours: [] as number[], executor: [] as number[], t64x1: [] as number[], t64x2: [] as number[], t32x1: [] as number[], t32x2: [] as number[] }
for (let r = 0; r < rounds; r++) {
  const turns: [keyof typeof rates, () => Promise<number>][] = [
    ['ours', scoreRate],
    ['executor', executorRate],
    ['t64x1', async () => (await torch.score(1, 'float64')).rate],
    ['t64x2', async () => (await torch.score(2, 'float64')).rate],
    ['t32x1', async () => (await torch.score(1, 'float32')).rate],
    ['t32x2', async () => (await torch.score(2, 'float32')).rate],
  ]
  // Rotate the order each round, so a drift in the host's load falls on every system alike.
  for (let i = 0; i < turns.length; i++) {
    const [name, run] = turns[(i + r) % turns.length]
    rates[name].push(await run())
  }
}
torch.close()
const ratio64 = rates.ours.map((v, i) => v / Math.max(rates.t64x1[i], rates.t64x2[i]))
const ratio32 = rates.ours.map((v, i) => v / Math.max(rates.t32x1[i], rates.t32x2[i]))

// --- 2. latency from arrival to score -----------------------------------------------------------------------
const latencies = async (burst: number, total: number): Promise<number[]> => {
  const input = new Subject<Float64Array>()
  const arrived: number[] = []
  const out: number[] = []
  const done = lastValueFrom(input.pipe(stream.score(model, params, { batchSize, backend }), tap((r) => out.push(performance.now() - arrived[r.index])), count()))
  for (let i = 0; i < total; i += burst) {
    for (let j = i; j < i + burst; j++) {
      arrived.push(performance.now())
      input.next(records[j % n])
    }
    await macrotask()
  }
  input.complete()
  await done
  return out
}
await latencies(1, 256)
const alone = await latencies(1, quick ? 1000 : 5000)
const bursts = await latencies(batchSize, quick ? 4096 : 32_768)

// --- 3. trained on ------------------------------------------------------------------------------------------
const trainRate = async (updateEvery: number, m: number): Promise<number> => {
  const learner = train.online(model, {
    objective: train.scoreMatching({ kind: 'denoising', sigma: 0.1 }),
    optimizer: train.adam({ lr: sampler.geometric(1e-3, 2e-4, 1000) }),
    batchSize: 64,
    updateEvery,
    memory: { kind: 'window', size: 2048 },
    seed: 1,
    backend,
  })
  const started = performance.now()
  await lastValueFrom(stream.pullBatches(records.slice(0, m)).pipe(stream.prequential(learner), count()))
  return m / ((performance.now() - started) / 1000)
}
await trainRate(4, 512)
const trained4: number[] = []
const trained64: number[] = []
for (let r = 0; r < rounds; r++) {
  trained4.push(await trainRate(4, quick ? 1024 : 4096))
  trained64.push(await trainRate(64, quick ? 4096 : 16_384))
}

console.log(`MLP 2→128→128→1 (SiLU) on 8gaussians records, ${backend} float64, batches of ${batchSize}; ${n} records, ${rounds} rounds`)
console.log('| measure | median | range |')
console.log('| --- | ---: | ---: |')
console.log(`| stream.score, records/s | ${median(rates.ours).toFixed(0)} | ${range(rates.ours)} |`)
console.log(`| energy.energyAt on the same batches, no stream, records/s | ${median(rates.executor).toFixed(0)} | ${range(rates.executor)} |`)
console.log(`| PyTorch float64, 1 thread / 2 threads, records/s | ${median(rates.t64x1).toFixed(0)} / ${median(rates.t64x2).toFixed(0)} | ${range(rates.t64x1)} / ${range(rates.t64x2)} |`)
console.log(`| PyTorch float32, 1 thread / 2 threads, records/s | ${median(rates.t32x1).toFixed(0)} / ${median(rates.t32x2).toFixed(0)} | ${range(rates.t32x1)} / ${range(rates.t32x2)} |`)
console.log(`| heatbath / best PyTorch float64, per round | ${median(ratio64).toFixed(3)} | ${range(ratio64, 3)} |`)
console.log(`| heatbath / best PyTorch float32, per round | ${median(ratio32).toFixed(3)} | ${range(ratio32, 3)} |`)
console.log(`| latency, records alone: p50 / p99, ms | ${percentile(alone, 0.5).toFixed(3)} / ${percentile(alone, 0.99).toFixed(3)} | ${alone.length} records |`)
console.log(`| latency, bursts of ${batchSize}: p50 / p99, ms | ${percentile(bursts, 0.5).toFixed(3)} / ${percentile(bursts, 0.99).toFixed(3)} | ${bursts.length} records |`)
console.log(`| stream.prequential, update every 4, records/s | ${median(trained4).toFixed(0)} | ${range(trained4)} |`)
console.log(`| stream.prequential, update every 64, records/s | ${median(trained64).toFixed(0)} | ${range(trained64)} |`)

/**
 * What online scoring and learning cost on a live stream, for an MLP energy 2→128→128→1 (SiLU) on records
 * of 8gaussians:
 *
 * 1. records per second scored by `stream.score` (batches of 256 on the native executor, float64 and float32), against
 *    PyTorch scoring the same records with the same weights in batches of 256 (bench/peers/torch_score.py,
 *    float64 and float32, 1 thread and 2: the best of each dtype), alternating the systems in each round;
 * 2. latency from a record's arrival to its score: records arriving alone (one a macrotask), and in bursts
 *    of 256 (one synchronous push each), p50 and p99;
 * 3. records per second trained on by `stream.prequential` (score, then learn; denoising score matching on
 *    minibatches of 64 from a window of 2048), updating every 4 and every 64 records;
 * 4. memory under a producer 100× faster than the consumer, for the lossless path (`boundedConcatMap` over a
 *    pulled source) and the lossy ones (`dropOldest`, `reservoir`), each run in a child process of its own
 *    (bench/stream-memory.ts);
 * 5. the cost of checkpoints to `stream.trainOnSource` (PCD on the same MLP, bench/stream-checkpoint.ts):
 *    ms per checkpoint and the share of throughput it takes, every 1, 10 and 100 steps and every second;
 * 6. `heatbath watch`'s records per second, the waiting records scored one at a time and in batches
 *    (bench/stream-watch.ts).
 *
 * Medians over the rounds (7 by default, HEATBATH_BENCH_ROUNDS to change). HEATBATH_BENCH_ONLY=score,train,
 * memory,checkpoint,watch (any of them, comma-separated) runs those sections only ('score' is 1 and 2).
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
import { checkpointBench, settings } from './stream-checkpoint.js'
import { bound, memoryRun, paths, recordBytes } from './stream-memory.js'
import { watchBench } from './stream-watch.js'

const quick = process.env.HEATBATH_BENCH_QUICK === '1'
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 7)
const n = quick ? 8192 : 65_536
const batchSize = 256
const backend = nativeAddon().addon === undefined ? 'reference' : 'native'
const here = dirname(fileURLToPath(import.meta.url))
const only = process.env.HEATBATH_BENCH_ONLY?.split(',')
const want = (section: 'score' | 'train' | 'memory' | 'checkpoint' | 'watch') => only === undefined || only.includes(section)

const model = energy.mlp({ widths: [2, 128, 128, 1], activation: 'silu', seed: 0 })
const params = energy.init(model)
const points = data.toy('8gaussians', n, 1)
const records = Array.from({ length: n }, (_v, i) => points.subarray(2 * i, 2 * i + 2))

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const percentile = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]
const range = (xs: readonly number[], digits = 0) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`
const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

// --- 1. throughput, against PyTorch ---------------------------------------------------------------------
const scoreRate = async (dtype: 'float64' | 'float32' = 'float64'): Promise<number> => {
  const started = performance.now()
  await lastValueFrom(from(records).pipe(stream.score(model, params, { batchSize, backend, dtype }), count()))
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
const table = (title: string, rows: readonly string[]): void => {
  console.log(`\n${title}`)
  console.log('| measure | median | range |')
  console.log('| --- | ---: | ---: |')
  for (const row of rows) console.log(row)
}

if (want('score')) {
  const torch = torchServer()
  const check = await torch.score(1, 'float64') // warm-up, and the same weights: the same energy of record 0
  const ours0 = energy.energyAt(model, records[0], params)[0]
  if (Math.abs(check.first - ours0) > 1e-9 * Math.max(1, Math.abs(ours0))) throw new Error(`bench/stream: PyTorch's E(record 0) = ${check.first}, heatbath's ${ours0}`)
  await scoreRate()
  const rates = { ours: [] as number[], ours32: [] as number[], executor: [] as number[], t64x1: [] as number[], t64x2: [] as number[], t32x1: [] as number[], t32x2: [] as number[] }
  for (let r = 0; r < rounds; r++) {
    const turns: [keyof typeof rates, () => Promise<number>][] = [
      ['ours', () => scoreRate('float64')],
      ['ours32', () => scoreRate('float32')],
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
  const ratio32 = rates.ours32.map((v, i) => v / Math.max(rates.t32x1[i], rates.t32x2[i]))
  const single = rates.ours32.map((v, i) => v / rates.ours[i])
  await latencies(1, 256)
  const alone = await latencies(1, quick ? 1000 : 5000)
  const bursts = await latencies(batchSize, quick ? 4096 : 32_768)
  table(`MLP 2→128→128→1 (SiLU) on 8gaussians records, ${backend} float64, batches of ${batchSize}; ${n} records, ${rounds} rounds`, [
    `| stream.score, records/s | ${median(rates.ours).toFixed(0)} | ${range(rates.ours)} |`,
    `| stream.score, dtype float32, records/s | ${median(rates.ours32).toFixed(0)} | ${range(rates.ours32)} |`,
    `| stream.score float32 / float64, per round | ${median(single).toFixed(3)} | ${range(single, 3)} |`,
    `| energy.energyAt on the same batches, no stream, records/s | ${median(rates.executor).toFixed(0)} | ${range(rates.executor)} |`,
    `| PyTorch float64, 1 thread / 2 threads, records/s | ${median(rates.t64x1).toFixed(0)} / ${median(rates.t64x2).toFixed(0)} | ${range(rates.t64x1)} / ${range(rates.t64x2)} |`,
    `| PyTorch float32, 1 thread / 2 threads, records/s | ${median(rates.t32x1).toFixed(0)} / ${median(rates.t32x2).toFixed(0)} | ${range(rates.t32x1)} / ${range(rates.t32x2)} |`,
    `| heatbath / best PyTorch float64, per round | ${median(ratio64).toFixed(3)} | ${range(ratio64, 3)} |`,
    `| heatbath float32 / best PyTorch float32, per round | ${median(ratio32).toFixed(3)} | ${range(ratio32, 3)} |`,
    `| latency, records alone: p50 / p99, ms | ${percentile(alone, 0.5).toFixed(3)} / ${percentile(alone, 0.99).toFixed(3)} | ${alone.length} records |`,
    `| latency, bursts of ${batchSize}: p50 / p99, ms | ${percentile(bursts, 0.5).toFixed(3)} / ${percentile(bursts, 0.99).toFixed(3)} | ${bursts.length} records |`
  ])
}

if (want('train')) {
  await trainRate(4, 512)
  const trained4: number[] = []
  const trained64: number[] = []
  for (let r = 0; r < rounds; r++) {
    trained4.push(await trainRate(4, quick ? 1024 : 4096))
    trained64.push(await trainRate(64, quick ? 4096 : 16_384))
  }
  table(`stream.prequential on the same MLP, ${backend}; ${rounds} rounds`, [
    `| stream.prequential, update every 4, records/s | ${median(trained4).toFixed(0)} | ${range(trained4)} |`,
    `| stream.prequential, update every 64, records/s | ${median(trained64).toFixed(0)} | ${range(trained64)} |`
  ])
}

// --- 4. memory under a producer 100× faster ---------------------------------------------------------------
if (want('memory')) {
  const seconds = quick ? 1 : 3
  const runs = Object.fromEntries(paths.map((p) => [p, [] as Awaited<ReturnType<typeof memoryRun>>[]]))
  for (let r = 0; r < rounds; r++) for (let i = 0; i < paths.length; i++) {
    const path = paths[(i + r) % paths.length]
    runs[path].push(await memoryRun(path, seconds))
  }
  const mib = (b: number) => (b / 2 ** 20).toFixed(2)
  const cell = (xs: readonly number[]) => `${mib(median(xs))} | ${mib(Math.min(...xs))}–${mib(Math.max(...xs))}`
  table(`memory, MiB above the start: records of ${recordBytes} bytes offered 100 a tick, a step of one tick; bound ${bound} (highWaterMark, capacity); ${seconds} s a run, a child process a run, ${rounds} rounds`, paths.flatMap((p) => {
    const rs = runs[p]
    const lag = rs.map((x) => (x.produced - x.consumed) * recordBytes)
    return [
      `| ${p}: produced / consumed / dropped records | ${median(rs.map((x) => x.produced))} / ${median(rs.map((x) => x.consumed))} / ${median(rs.map((x) => x.dropped))} | lag ${mib(median(lag))} MiB |`,
      `| ${p}: RSS high-water mark | ${cell(rs.map((x) => x.rssPeak))} |`,
      `| ${p}: heap + array buffers, highest at a step, 1st half / 2nd half | ${mib(median(rs.map((x) => x.peak[0])))} / ${mib(median(rs.map((x) => x.peak[1])))} | |`,
      `| ${p}: held after a full collection, median, 1st half / 2nd half | ${mib(median(rs.map((x) => x.heldMedian[0])))} / ${mib(median(rs.map((x) => x.heldMedian[1])))} | largest ${mib(Math.max(...rs.flatMap((x) => x.heldMax)))} |`,
    ]
  }))
}

// --- 5. checkpoints ----------------------------------------------------------------------------------------
if (want('checkpoint')) {
  const steps = quick ? 20 : 200
  const run = checkpointBench(steps, backend)
  await run(settings[0]) // warm-up: tapes, the addon's pool, pages
  const ms: Record<string, number[]> = Object.fromEntries(settings.map((s) => [s.name, []]))
  const writes: Record<string, number[]> = Object.fromEntries(settings.map((s) => [s.name, []]))
  const shares: Record<string, number[]> = Object.fromEntries(settings.map((s) => [s.name, []]))
  const count: Record<string, number[]> = Object.fromEntries(settings.map((s) => [s.name, []]))
  let bytes = 0
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < settings.length; i++) {
      const s = settings[(i + r) % settings.length]
      const got = await run(s)
      ms[s.name].push(got.ms)
      writes[s.name].push(...got.writes)
      shares[s.name].push(got.writes.reduce((a, b) => a + b, 0) / got.ms)
      count[s.name].push(got.writes.length)
      bytes = Math.max(bytes, got.bytes)
    }
  }
  const perStep = (name: string) => ms[name].map((t) => t / steps)
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`
  table(`stream.trainOnSource, PCD on the MLP 2→128→128→1 (buffer 10,000, 20 ULA steps, batch 128, Adam), ${backend}; ${steps} steps; a checkpoint of ${(bytes / 1024).toFixed(0)} KiB; ${rounds} rounds`, [
    `| no checkpoint, ms/step | ${median(perStep('none')).toFixed(2)} | ${range(perStep('none'), 2)} |`,
    ...settings.slice(1).flatMap((s) => [
      `| ${s.name}: ms/step, checkpoints a run | ${median(perStep(s.name)).toFixed(2)}, ${median(count[s.name])} | ${range(perStep(s.name), 2)}, ${range(count[s.name])} |`,
      `| ${s.name}: ms per checkpoint | ${median(writes[s.name]).toFixed(2)} | ${range(writes[s.name], 2)} |`,
      `| ${s.name}: share of the run's time in checkpoints | ${pct(median(shares[s.name]))} | ${pct(Math.min(...shares[s.name]))}–${pct(Math.max(...shares[s.name]))} |`,
    ]),
  ])
}

// --- 6. heatbath watch ----------------------------------------------------------------------------------------
if (want('watch')) {
  const m = quick ? 2048 : 16_384
  const run = watchBench(m, backend)
  await run(256) // warm-up
  const alone: number[] = []
  const batched: number[] = []
  for (let r = 0; r < rounds; r++) {
    // Alternate which goes first, so a drift in the host's load falls on both.
    const [a, b] = r % 2 === 0 ? [alone, batched] : [batched, alone]
    a.push(await run(a === alone ? 1 : 256))
    b.push(await run(b === alone ? 1 : 256))
  }
  const ratio = batched.map((v, i) => v / alone[i])
  table(`heatbath watch, MLP 2→64→64→1 (SiLU), exact score matching (32 records every 32), ${backend}; ${m} records on stdin; ${rounds} rounds`, [
    `| --score-batch 1 (one at a time), records/s | ${median(alone).toFixed(0)} | ${range(alone)} |`,
    `| --score-batch 256 (the default), records/s | ${median(batched).toFixed(0)} | ${range(batched)} |`,
    `| batched / one at a time, per round | ${median(ratio).toFixed(2)} | ${range(ratio, 2)} |`,
  ])
}

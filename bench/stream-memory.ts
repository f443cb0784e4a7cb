/**
 * Memory under a producer 100× faster than its consumer, one backpressure path a process (so that the
 * process's RSS high-water mark is that path's): records of 4 KiB (512 float64) are offered 100 a timer
 * tick, and the consumer's step takes one tick.
 *
 * - `lossless`: a pulled source (`stream.fromAsyncIterable` of a generator that can make 100 records a
 *   tick) into `stream.boundedConcatMap(step, { highWaterMark })`: the generator is asked only as the queue
 *   has room, so it makes what the step takes;
 * - `dropOldest`, `reservoir`: a source that pushes 100 a tick, free-running, into `stream.dropOldest(n)` or
 *   `stream.reservoir(n, seed)`, whose deliveries the step takes one a tick.
 *
 * For `seconds`, then unsubscribed. Reports the RSS high-water mark above the RSS before the run, the
 * highest heap + array-buffer bytes seen at a step (garbage not yet collected included), and the median and
 * largest bytes still held after a full collection (every 50th step), in both halves of the run: a bound
 * is the same in the second half as in the first, while the lag grows.
 *
 *   npx tsx bench/stream-memory.ts <path> <seconds>    (bench/stream.ts runs it, a child a path and round)
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { Observable, type Subscription } from 'rxjs'
import { stream } from '../src/index.js'

export const paths = ['lossless', 'dropOldest', 'reservoir'] as const
export type Path = (typeof paths)[number]
/** The bound of each path: the lossless queue's highWaterMark, the lossy operators' capacity. */
export const bound = 64
export const recordBytes = 4096
const burst = 100

/** What one run of a path held. */
export interface MemoryRun {
  readonly path: Path
  readonly seconds: number
  /** Records the producer made, and those that reached the step (as values, or inside a reservoir's samples). */
  readonly produced: number
  readonly consumed: number
  readonly dropped: number
  /** Steps the consumer ran. */
  readonly steps: number
  /** Bytes: the RSS high-water mark above the RSS before the run. */
  readonly rssPeak: number
  /** Bytes: the highest heap + array buffers at a step, above the collected baseline, in each half. */
  readonly peak: readonly [number, number]
  /** Bytes held after a full collection, above the baseline: median and largest, in each half. */
  readonly heldMedian: readonly [number, number]
  readonly heldMax: readonly [number, number]
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1))
const record = () => new Float64Array(recordBytes / 8)

/** A source that pushes `burst` records a tick until unsubscribed, counting them. */
const pushing = (count: { produced: number }) =>
  new Observable<Float64Array>((subscriber) => {
    let stopped = false
    void (async () => {
      while (!stopped) {
        for (let k = 0; k < burst; k++) (count.produced++, subscriber.next(record()))
        await tick()
      }
    })()
    return () => void (stopped = true)
  })

/** A generator that makes up to `burst` records a tick, as fast as it is asked. */
async function* making(count: { produced: number }): AsyncGenerator<Float64Array> {
  for (;;) {
    for (let k = 0; k < burst; k++) (count.produced++, yield record())
    await tick()
  }
}

const median = (xs: readonly number[]) => (xs.length === 0 ? 0 : [...xs].sort((a, b) => a - b)[xs.length >> 1])

const measure = async (path: Path, seconds: number): Promise<MemoryRun> => {
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const used = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  // A full collection, and a turn of the event loop for the sweeper that frees array buffers' memory.
  const collected = async (): Promise<number> => {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
    gc()
    return used() - base
  }
  const count = { produced: 0 }
  let consumed = 0
  let dropped = 0
  let steps = 0
  const peak = [0, 0]
  const held: [number[], number[]] = [[], []]
  gc()
  const base = used()
  const rss = process.memoryUsage().rss
  const started = performance.now()
  const half = () => (performance.now() - started < (seconds * 1000) / 2 ? 0 : 1)
  const step = async (n: number, d: number): Promise<void> => {
    const h = half()
    peak[h] = Math.max(peak[h], used() - base)
    if (steps++ % 50 === 0) held[h].push(await collected())
    consumed += n
    dropped += d
    await tick()
  }
  const run = (): Subscription => {
    if (path === 'lossless') return stream.fromAsyncIterable<Float64Array>(making(count)).pipe(stream.boundedConcatMap((r) => step(1, 0), { highWaterMark: bound })).subscribe()
    if (path === 'dropOldest') return pushing(count).pipe(stream.dropOldest<Float64Array>(bound), stream.boundedConcatMap((d) => step(1, d.dropped), { highWaterMark: 1 })).subscribe()
    return pushing(count).pipe(stream.reservoir<Float64Array>(bound, 1), stream.boundedConcatMap((d) => step(d.value.length, d.dropped), { highWaterMark: 1 })).subscribe()
  }
  const subscription = run()
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  subscription.unsubscribe()
  const rssPeak = process.resourceUsage().maxRSS * 1024 - rss
  return { path, seconds, produced: count.produced, consumed, dropped, steps, rssPeak, peak: [peak[0], peak[1]], heldMedian: [median(held[0]), median(held[1])], heldMax: [Math.max(0, ...held[0]), Math.max(0, ...held[1])] }
}

/** Runs one path in a child process of its own and reads its report. */
export const memoryRun = (path: Path, seconds: number): Promise<MemoryRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), path, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('close', (status) => (status === 0 ? resolve(JSON.parse(out) as MemoryRun) : reject(new Error(`bench/stream-memory ${path}: exited with ${status}`))))
  })

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path, seconds] = process.argv.slice(2)
  if (!(paths as readonly string[]).includes(path)) throw new RangeError(`bench/stream-memory: path: expected one of ${paths.join(', ')}, got ${JSON.stringify(path)}`)
  const report = await measure(path as Path, Number(seconds))
  process.stdout.write(`${JSON.stringify(report)}\n`)
  process.exit(0)
}

/**
 * Resume with nothing lost, the hard way: a child process trains from a growing file, or from a Redis
 * Stream, with checkpoints, and is killed with SIGKILL at random moments (Philox draws) more than 20 times,
 * restarted each time from its checkpoint. Every record is trained on, in order; no step before a
 * restart's checkpoint (whose records were acknowledged) is trained on again; and the final state
 * (parameters, Adam's moments, the replay buffer) equals, bit for bit, that of a run never killed.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Redis } from 'ioredis'
import { lastValueFrom, takeWhile } from 'rxjs'
import t, { type Test } from 'tap'
import { records as codecs } from '../../src/io/index.js'
import { rng } from '../../src/index.js'
import { fromAsyncIterable, trainOnSource } from '../../src/stream/index.js'
import { redisSkip, startRedis } from '../redis.js'
import { dataLine, onlineEnergy, onlineOptions, stateBits } from './fixtures/online.js'

// The child is bundled once (esbuild, which tsx carries) instead of compiled by tsx at each of its 44
// starts, which cost most of the spec's time. The bundle sits under node_modules/.cache so that its bare
// imports (rxjs, ioredis, io-ts) resolve from the project's node_modules; a name per process keeps
// concurrent runs apart.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const child = join(root, 'node_modules', '.cache', 'heatbath-spec', `online-child-${process.pid}.mjs`)
await build({ entryPoints: [join(root, 'spec', 'stream', 'fixtures', 'online-child.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: child, logLevel: 'warning' })
t.teardown(() => rmSync(child, { force: true }))
const B = onlineOptions.batchSize
const steps = 40
const lines = Array.from({ length: steps * B }, (_, i) => dataLine(i))
const kills = 21

const unkilled = async () =>
  stateBits(
    (
      await lastValueFrom(
        fromAsyncIterable(lines.map((l) => JSON.parse(l) as unknown), { codec: codecs.vector(2) }).pipe(
          trainOnSource(onlineEnergy(), onlineOptions),
          takeWhile((r) => r.step < steps - 1, true),
        ),
      )
    ).state,
  )

/** What feeds the children: `grow(k)` adds the k-th share of the records (k = kills: all the rest); `index` numbers a logged position. */
interface Feed {
  readonly kind: 'file' | 'redis'
  readonly target: string
  readonly grow: (k: number) => Promise<void>
  readonly index: (position: unknown) => number
}

const killAndRestart = async (t: Test, feed: Feed) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-kill-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const log = join(dir, 'log.txt')
  const run = join(dir, 'run')
  writeFileSync(log, '')
  const start = () => {
    const c = spawn(process.execPath, [child, feed.kind, feed.target, run, log, String(steps)], { stdio: ['ignore', 'ignore', 'inherit'] })
    return { process: c, code: new Promise<number | null>((resolve) => c.once('exit', resolve)) }
  }
  const started = (): number => readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('start')).length
  const stepsOf = (life: number): number => readFileSync(log, 'utf8').split('start ').slice(1)[life]?.split('\n').filter((l) => l.startsWith('step')).length ?? 0
  for (let k = 0; k < kills; k++) {
    await feed.grow(k)
    const c: { process: ChildProcess; code: Promise<number | null> } = start()
    while (started() <= k) await new Promise((resolve) => setTimeout(resolve, 5))
    if (k % 4 === 3) {
      // Right after this life's first step, before the two more that its next checkpoint waits for: so that
      // some restarts surely train again on records done but not yet acknowledged, however loaded the machine.
      for (let waited = 0; stepsOf(k) === 0 && waited < 30_000; waited++) await new Promise((resolve) => setTimeout(resolve, 1))
    } else {
      // A random moment in the next 80 ms: loading the checkpoint, training, writing one, or waiting for data.
      await new Promise((resolve) => setTimeout(resolve, 80 * rng.uniform(77, 0, k)))
    }
    c.process.kill('SIGKILL')
    t.equal(await c.code, null, `kill ${k + 1}`)
  }
  await feed.grow(kills)
  t.equal(await start().code, 0, 'the last run ends by itself')

  // The log: each life's start (its checkpoint's step) and the steps it did, with its batch's last record.
  const lives: { start: number; steps: [number, number][] }[] = []
  for (const l of readFileSync(log, 'utf8').split('\n').filter((l) => l !== '')) {
    const [what, a, ...rest] = l.split(' ')
    if (what === 'start') lives.push({ start: Number(a), steps: [] })
    else lives.at(-1)?.steps.push([Number(a), feed.index(JSON.parse(rest.join(' ')))])
  }
  t.equal(lives.length, kills + 1)
  const replayed = lives.flatMap((life) => life.steps.filter(([k]) => k < life.start))
  t.same(replayed, [], 'no step a checkpoint held (its records acknowledged) was trained on again')
  const inOrder = lives.every((life) => life.steps.every(([k, last], i) => k === life.start + i && last === (k + 1) * B - 1))
  t.ok(inOrder, "each life trains from its checkpoint's step on, each step on the next B records")
  const done = new Set(lives.flatMap((life) => [...life.steps.map(([k]) => k), ...Array.from({ length: life.start }, (_, k) => k)]))
  t.equal(done.size, steps, 'every step, so every record, was trained on')
  const again = lives.filter((life, i) => i > 0 && life.start < lives[i - 1].start + lives[i - 1].steps.length).length
  t.ok(again > 0, `${again} restarts trained again on records done but not yet checkpointed, so not acknowledged`)

  const final = JSON.parse(readFileSync(join(run, 'final.json'), 'utf8')) as { step: number; bits: string }
  t.equal(final.step, steps - 1)
  t.equal(final.bits, await unkilled(), 'the final state, bit for bit')
}

t.test(`a growing file: killed ${kills} times, training ends with the bits of a run never killed`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-kill-data-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const data = join(dir, 'data.jsonl')
  writeFileSync(data, '')
  // The file grows as the children live, a share each time, cut mid-line: a half-written record waits.
  const text = lines.join('')
  const share = Math.floor(text.length / (kills + 4))
  await killAndRestart(t, {
    kind: 'file',
    target: data,
    grow: async (k) => appendFileSync(data, k === kills ? text.slice(k * share) : text.slice(k * share, (k + 1) * share)),
    index: (p) => (p as { line: number }).line - 1,
  })
})

t.test(`a Redis Stream: killed ${kills} times, training ends with the bits of a run never killed`, { skip: redisSkip }, async (t) => {
  const server = await startRedis(t)
  const admin = new Redis(server.url)
  t.teardown(() => void admin.disconnect())
  const ids: string[] = []
  const share = Math.floor(lines.length / (kills + 4))
  await killAndRestart(t, {
    kind: 'redis',
    target: server.url,
    grow: async (k) => {
      for (const line of k === kills ? lines.slice(k * share) : lines.slice(k * share, (k + 1) * share)) ids.push((await admin.xadd('points', '*', 'p', line.trim())) as string)
    },
    index: (p) => ids.indexOf((p as { id: string }).id),
  })
})

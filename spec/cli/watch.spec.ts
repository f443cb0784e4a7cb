/**
 * `heatbath watch`: a growing file watched by the command in a child process, stopped by SIGTERM and
 * started again from its checkpoint, scores exactly what one uninterrupted run over the same records
 * scores, and never scores an acknowledged record again; the same through a Redis Stream; bad flags exit 2.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { Redis } from 'ioredis'
import { energy, io, rng } from '../../src/index.js'
import { redisSkip, startRedis } from '../redis.js'
import { main } from '../../src/cli/main.js'
import { heatbath, inProcess, jsonLines, running } from './run.js'

// 2-D records whose mean jumps from 0 to 2 at record 50 (σ = 0.5): the detector and the learner's reaction have work.
const N = 90
const z = rng.normals(11, 0, 0, 2 * N)
const records = Array.from({ length: N }, (_v, i) => [0.5 * z[2 * i] + (i < 50 ? 0 : 2), 0.5 * z[2 * i + 1] + (i < 50 ? 0 : 2)])
const jsonl = (from: number, to: number): string => records.slice(from, to).map((r) => `${JSON.stringify(r)}\n`).join('')

const flags = ['watch', '--energy', 'quadratic', '--options', '{"center": [0, 0]}', '--backend', 'reference', '--batch', '8', '--lr', '0.05', '--threshold-window', '20', '--quantile', '0.9', '--drift', 'pageHinkley', '--drift-options', '{"threshold": 5, "minInstances": 10}', '--every', '10', '--seed', '3']
// What must not depend on where the run was stopped: every field but the position.
const outcome = (l: Record<string, unknown>) => ({ index: l.index, score: l.score, threshold: l.threshold, flagged: l.flagged, drift: l.drift, updated: l.updated })

/** A watch in a child process whose stdout lines are read as they come. */
const watching = (args: string[]) => {
  const child = running(args)
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const exit = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)))
  const lines = () => jsonLines(out)
  const until = async (n: number): Promise<void> => {
    for (let waited = 0; lines().length < n; waited += 20) {
      if (child.exitCode !== null) throw new Error(`heatbath watch exited with ${child.exitCode}: ${err}`)
      if (waited > 60_000) throw new Error(`waited a minute for ${n} lines, got ${lines().length}: ${err}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  return { child, lines, until, exit, stderr: () => err }
}

t.test('a growing file: stopped by SIGTERM and restarted from its checkpoint, it scores as one run would and nothing acknowledged twice', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-watch-'))
  const file = join(dir, 'sensors.jsonl')
  const ck = join(dir, 'ck')
  const whole = await heatbath([...flags, '--source', '-'], { input: jsonl(0, N) })
  t.equal(whole.status, 0, whole.stderr)
  const reference = jsonLines(whole.stdout).map(outcome)
  t.equal(reference.length, N)
  t.ok(reference.some((r) => r.drift !== null), 'the jump at record 50 is signalled, so the detector state matters')

  writeFileSync(file, jsonl(0, 40))
  const first = watching([...flags, '--source', `tail:${file}`, '--checkpoint', ck, '--poll-ms', '20'])
  await first.until(40)
  appendFileSync(file, `${jsonl(40, 70)}not a record\n`)
  await first.until(70)
  first.child.kill('SIGTERM')
  t.equal(await first.exit, 0, first.stderr())
  const held = await io.loadCheckpoint(ck)
  t.equal(held.meta.source?.records, 70)
  t.match(held.meta.source?.position, { line: 70 }, 'the checkpoint holds the last record scored')

  appendFileSync(file, jsonl(70, N))
  const second = watching([...flags, '--source', `tail:${file}`, '--checkpoint', ck, '--poll-ms', '20'])
  await second.until(N - 70)
  await new Promise((r) => setTimeout(r, 300)) // time to score anything more it (wrongly) would
  second.child.kill('SIGTERM')
  t.equal(await second.exit, 0, second.stderr())
  const again = second.lines()
  t.same(again.map((l) => (l.position as { line: number }).line), Array.from({ length: N - 70 }, (_v, i) => 72 + i), 'the restart reads on after the checkpoint (line 71 was the bad record)')
  t.strictSame([...first.lines(), ...again].map(outcome), reference, 'the same scores, thresholds, flags and drifts, to the bit')
})

t.test('a Redis Stream through a consumer group: every record acknowledged at the end, a restart goes on after them', { skip: redisSkip }, async (t) => {
  const server = await startRedis(t)
  const admin = new Redis(server.url, { maxRetriesPerRequest: null, retryStrategy: () => 50 })
  admin.on('error', () => undefined)
  t.teardown(() => void admin.disconnect())
  const ck = join(mkdtempSync(join(tmpdir(), 'heatbath-watch-redis-')), 'ck')
  const add = async (from: number, to: number) => {
    for (let i = from; i < to; i++) await admin.xadd('sensors', '*', 'x', JSON.stringify(records[i]))
  }
  const run = async (n: number) => {
    const stop = new AbortController()
    let seen = 0
    const onStdout = (s: string) => {
      seen += s.split('\n').length - 1
      if (seen >= n) stop.abort()
    }
    return inProcess([...flags, '--source', `redis://127.0.0.1:${server.port}/sensors?group=g&consumer=a&field=x`, '--checkpoint', ck], { signal: stop.signal, onStdout })
  }
  await add(0, 30)
  const first = await run(30)
  t.equal(first.status, 0, first.stderr)
  t.equal(jsonLines(first.stdout).length, 30)
  const pending = (await admin.xpending('sensors', 'g')) as [number, ...unknown[]]
  t.equal(pending[0], 0, 'nothing left unacknowledged once the checkpoint holds it')
  await add(30, 40)
  const second = await run(10)
  t.equal(second.status, 0, second.stderr)
  t.same(jsonLines(second.stdout).map((l) => l.index), Array.from({ length: 10 }, (_v, i) => 30 + i))
})

t.test('bad flags exit 2 naming the flag, the value and what was expected', async (t) => {
  const base = ['watch', '--energy', 'quadratic', '--options', '{"center": [0, 0]}']
  const cases: [string[], string][] = [
    [[...base, '--source', 'sensors.jsonl'], '--source: expected tail:<file>, - (stdin) or redis://host:port/<stream>?group=<g>&consumer=<c>, got "sensors.jsonl"'],
    [[...base, '--source', 'redis://localhost:6379/s?group=g'], '--source: expected a consumer (?group=<g>&consumer=<c>), got "redis://localhost:6379/s?group=g"'],
    [[...base, '--source', '-', '--quantile', '1.5'], '--quantile: expected a number in [0, 1], got "1.5"'],
    [[...base, '--source', '-', '--drift', 'cusum'], '--drift: expected one of "adwin", "pageHinkley", "none", got "cusum"'],
    [[...base, '--source', '-', '--dimension', '3'], "--dimension: expected the energy's 2, got 3"],
    [[...base, '--source', '-', '--score-batch', '0'], '--score-batch: expected an integer ≥ 1, got "0"'],
    [[...base, '--source', '-', '--objective', '{"kind": "scoreMatching"}'], '--objective: form: expected one of "exact", "sliced", "denoising", got nothing'],
    [[...base, '--source', '-', '--drift', 'pageHinkley', '--drift-options', '{"threshold": -1}'], '--drift-options (pageHinkley): threshold: expected a positive number, got -1'],
    [[...base, '--source', '-', '--drift-options', '{"threshold": 5}'], "--drift-options (adwin): options: unknown option 'threshold' (options: delta, clock, maxBuckets, minWindow, range)"],
  ]
  for (const [args, message] of cases) {
    const r = await inProcess(args)
    t.equal(r.status, 2, args.join(' '))
    t.equal(r.stderr, `heatbath watch: ${message}\n`)
  }
  const missing = await inProcess(base)
  t.equal(missing.status, 2)
  t.match(missing.stderr, /required option '--source <spec>' not specified/)
})

t.test('a checkpoint of another watch is refused, naming what differs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-watch-'))
  const ck = join(dir, 'ck')
  t.equal((await inProcess([...flags, '--source', '-', '--checkpoint', ck], { input: jsonl(0, 12) })).status, 0)
  const other = await inProcess([...flags, '--source', '-', '--checkpoint', ck, '--lr', '0.1'], { input: jsonl(12, 20) })
  t.equal(other.status, 2)
  t.equal(other.stderr, `heatbath watch: --checkpoint: expected a checkpoint of this watch (lr 0.1), got one with lr 0.05 in ${JSON.stringify(ck)}\n`)
})

t.test('on a terminal, one status line on stderr: records, their rate, dead letters, drifts and the last checkpoint', async (t) => {
  const ck = join(mkdtempSync(join(tmpdir(), 'heatbath-watch-')), 'ck')
  let stderr = ''
  const status = await main([...flags, '--source', '-', '--checkpoint', ck], {
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s), isTTY: true },
    stdin: (async function* () {
      yield `${jsonl(0, 12)}oops\n`
    })(),
    cwd: '.',
  })
  t.equal(status, 0, stderr)
  t.match(stderr, /\r\x1b\[Kwatch: 12 records, \d+\/s \| dead letters 1 \| drifts \d+ \| checkpoint at 12 \(\d\d:\d\d:\d\d\)\n$/)
})

t.test('a saved model scores CSV rows by their columns from its own parameters; bad rows go to the dead-letter file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-watch-'))
  const model = energy.quadratic({ center: [0, 0] })
  await io.save(join(dir, 'model.safetensors'), model, { theta: Float64Array.of(1, -1) })
  const csv = 'b,a\n-1,1\n0,3\nx,1\n'
  const r = await inProcess(['watch', '--model', 'model.safetensors', '--source', '-', '--format', 'csv', '--columns', 'a,b', '--dead-letters', 'dead.jsonl', '--lr', '1e-9'], { cwd: dir, input: csv })
  t.equal(r.status, 0, r.stderr)
  t.same(jsonLines(r.stdout).map((l) => l.score), [0, 2.5], '½‖(a, b) − (1, −1)‖²: the columns in the order --columns names them, the saved θ')
  t.equal(r.stderr, 'heatbath watch: 1 dead letter (records that did not decode; it: line 4: b: expected a finite number, got "x"; all in dead.jsonl)\n')
  const [letter] = jsonLines(readFileSync(join(dir, 'dead.jsonl'), 'utf8'))
  t.match(letter, { position: { line: 4 }, path: 'b', reason: 'b: expected a finite number, got "x"' })
})

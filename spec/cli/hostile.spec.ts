/**
 * A hostile user's pass over the command line: each test pins a defect found by feeding the commands what
 * a careless or hostile user would (counts off by orders of magnitude, a directory for an output file,
 * CSV rows wider than their header), and fails without its fix.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import t from 'tap'
import { main } from '../../src/cli/main.js'
import { inProcess, type Ran, refusesEach, running } from './run.js'

const workspace = (files: Record<string, string> = {}): string => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-hostile-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
const doubleWell = ['--energy', 'doubleWell', '--options', '{"dim": 2}']
const short = [...doubleWell, '--step-size', '0.1', '--warmup', '2', '--steps', '8']

t.test('counts that would exhaust memory are refused before any work, naming the flags and what fits', async (t) => {
  const dir = workspace()
  await refusesEach(
    t,
    'sample',
    [
      [[...short, '--chains', '1e9'], '--chains, --steps, --thin: expected a size whose draws kept (chains × steps / thin, 3 numbers each) are at most 16,777,216 values, got 8000000000 (24,000,000,000 values)'],
      [[...short, '--chains', '4', '--steps', '1e9'], '--chains, --steps, --thin: expected a size whose draws kept (chains × steps / thin, 3 numbers each) are at most 16,777,216 values, got 4000000000 (12,000,000,000 values)'],
    ],
    dir,
  )
  await refusesEach(t, 'score', [[[...doubleWell, '--batch', '1e9'], '--batch: expected a size whose records of an evaluation (2 numbers each) are at most 16,777,216 values, got 1000000000 (2,000,000,000 values)']], dir)
  t.same(readdirSync(dir), [], 'nothing written')
})

t.test('an output path that is a directory is refused before the run, not by the rename after it', async (t) => {
  const dir = workspace()
  mkdirSync(join(dir, 'draws.csv'))
  mkdirSync(join(dir, 'out'))
  await refusesEach(t, 'sample', [[[...short, '--out', 'draws.csv'], '--out: expected a path of a file, got the directory "draws.csv"']], dir)
  await refusesEach(t, 'demo', [[['--steps', '1', '--out', 'out'], '--out: expected a path of a file, got the directory "out"']], dir)
  t.same(readdirSync(dir).sort(), ['draws.csv', 'out'], 'no temporary file left')
})

t.test('score refuses a CSV row with more fields than its header instead of scoring its first columns', async (t) => {
  const dir = workspace({ 'points.csv': 'x0,x1\n1,0\n4,5,6\n0,0\n', 'draws.csv': 'chain__,draw__,energy__,x0,x1\n1,1,0.5,1,0\n1,2,0.5,1\n' })
  const wide = await inProcess(['score', ...doubleWell, 'points.csv'], { cwd: dir })
  t.same(
    [wide.status, wide.stdout, wide.stderr],
    [1, '-1\nNaN\n0\n', 'heatbath score: points.csv:3: expected 2 fields (the header\'s x0, x1), got 3 in "4,5,6"\nheatbath score: 1 bad record of points.csv (scored NaN)\n'],
  )
  const narrow = await inProcess(['score', ...doubleWell, 'draws.csv'], { cwd: dir })
  t.same([narrow.status, narrow.stdout], [1, '-1\nNaN\n'], 'a sample CSV row missing a field is bad too')
  t.match(narrow.stderr, /^heatbath score: draws\.csv:3: expected 5 fields \(the header's chain__, draw__, energy__, x0, x1\), got 4 in "1,2,0\.5,1"\n/)
})

t.test('watch refuses before reading a record what would fail later: a file as the checkpoint directory, a directory to tail, windows past memory', async (t) => {
  const dir = workspace({ 'notes.txt': 'not a directory\n' })
  mkdirSync(join(dir, 'logs'))
  const watch = [...doubleWell, '--source', '-']
  await refusesEach(
    t,
    'watch',
    [
      [[...watch, '--checkpoint', 'notes.txt'], '--checkpoint: expected a directory for checkpoints, got "notes.txt", a file'],
      [[...watch, '--checkpoint', 'notes.txt/run'], `--checkpoint: expected a directory for checkpoints, got "notes.txt/run" under the file "${join(dir, 'notes.txt')}"`],
      [[...doubleWell, '--source', 'tail:logs'], '--source: expected a file to tail, got the directory "logs"'],
      [[...watch, '--memory-size', '1e12'], '--memory-size: expected a size whose records of the memory (2 numbers each) are at most 16,777,216 values, got 1000000000000 (2,000,000,000,000 values)'],
      [[...watch, '--threshold-window', '1e12'], '--threshold-window: expected a size whose recent scores are at most 16,777,216 values, got 1000000000000 (1,000,000,000,000 values)'],
    ],
    dir,
  )
  t.same(readdirSync(dir).sort(), ['logs', 'notes.txt'], 'nothing written')
})

// A short training run on the reference backend, checkpointed every step.
const trainConfig = (checkpointDir: string) => ({
    energy: { name: 'mlp', widths: [2, 8, 1], seed: 1 },
    data: { toy: '8gaussians', rows: 200 },
    objective: { kind: 'contrastive', energyL2: 0.1 },
    negatives: { kind: 'shortRun', sampler: { kind: 'ula', stepSize: 0.02 }, steps: 2, init: { kind: 'uniform', low: -4, high: 4 } },
    optimizer: { kind: 'adam', lr: 0.01 },
    steps: 3,
    batchSize: 16,
    backend: 'reference',
    checkpoint: { dir: checkpointDir, every: 1 },
  })

t.test('train refuses a checkpoint directory that is a file before training, not after it', async (t) => {
  const dir = workspace({ 'run.json': JSON.stringify(trainConfig('notes.txt')), 'notes.txt': 'not a directory\n' })
  const ran = await inProcess(['train', '--config', 'run.json'], { cwd: dir })
  t.same([ran.status, ran.stderr, ran.stdout], [2, 'heatbath train: run.json: checkpoint.dir: expected a directory for checkpoints, got "notes.txt", a file\n', ''])
  t.same(readdirSync(dir).sort(), ['notes.txt', 'run.json'], 'nothing written')
})

t.test('rbm blames a huge --bars on --bars, not on the default --rows', async (t) => {
  const dir = workspace()
  await refusesEach(t, 'rbm', [[['--bars', '1e6', '--epochs', '1'], '--bars: expected a size whose pixels of an image (side²) are at most 16,777,216 values, got 1000000 (1,000,000,000,000 values)']], dir)
  t.same(readdirSync(dir), [], 'nothing written')
})

t.test('diagnose says which columns hold draws that are not finite, and names an empty file as one', async (t) => {
  const dir = workspace({ 'nan.csv': 'x,y\n1,NaN\ninf,2\n3,3\n4,1\n5,2\n', 'empty.csv': '# only a comment\n' })
  const nan = await inProcess(['diagnose', 'nan.csv'], { cwd: dir })
  t.equal(nan.status, 0)
  t.match(nan.stdout, /^column /)
  t.equal(nan.stderr, 'heatbath diagnose: x: 1 of 5 draws are not finite (NaN or ±inf), so its statistics are NaN\nheatbath diagnose: y: 1 of 5 draws are not finite (NaN or ±inf), so its statistics are NaN\n')
  await refusesEach(t, 'diagnose', [[['empty.csv', 'nan.csv'], 'empty.csv: expected a header line of column names, got none (the file is empty or only comments)']], dir)
})

t.test('diagnose refuses a header that names a column twice and chain__ ids that are not whole', async (t) => {
  const dir = workspace({ 'twice.csv': 'x,y,x\n1,2,3\n2,3,4\n3,4,5\n4,5,6\n', 'ids.csv': 'chain__,x\n1,1\n1,2\n1.5,3\n1.5,4\n' })
  await refusesEach(
    t,
    'diagnose',
    [
      [['twice.csv'], 'twice.csv: expected distinct column names, got "x" as columns 1 and 3'],
      [['ids.csv'], 'ids.csv: chain__: expected a whole chain id, got 1.5 in draw 3'],
    ],
    dir,
  )
})

t.test('ising draws the lattices of a side over 200, where its picture had room for a pixel a cell only up to 210', async (t) => {
  const dir = workspace()
  const ran = await inProcess(['ising', '--size', '256', '--sweeps', '4', '--chains', '2', '--json'], { cwd: dir })
  t.same([ran.status, ran.stderr], [0, ''])
  t.same(readdirSync(dir), ['ising.png'])
})

t.test('sample stopped by an interrupt exits with status 130, as documented, and writes no draws', async (t) => {
  const dir = workspace()
  const stop = new AbortController()
  stop.abort()
  const ran = await inProcess(['sample', ...short, '--out', 'draws.csv', '--backend', 'reference'], { cwd: dir, signal: stop.signal })
  t.equal(ran.status, 130)
  t.match(ran.stderr, /^heatbath sample: interrupted: sample: cancelled after \d+ steps\n$/)
  t.same(readdirSync(dir), [], 'no draws.csv')
})

t.test('watch says where the first bad record was, not only how many there were', async (t) => {
  const ran = await inProcess(['watch', ...doubleWell, '--source', '-', '--batch', '2'], { cwd: workspace(), input: '[0.5, 0.1]\n[1, oops]\n[0.2, 0.3]\n[1, 2, 3]\n[0.1, 0.1]\n' })
  t.same([ran.status, ran.stdout.trim().split('\n').length], [0, 3], 'the good records go on')
  t.equal(ran.stderr, 'heatbath watch: 2 dead letters (records that did not decode; the first: line 2: expected a JSON value, got "[1, oops]"; --dead-letters <file> keeps them)\n')
})

t.test("watch names the flag behind a refused option of the online learner: --batch is the warm-up's default", async (t) => {
  const watch = [...doubleWell, '--source', '-']
  await refusesEach(
    t,
    'watch',
    [
      [[...watch, '--batch', '2000'], '--batch (the default --warm-up, at most --memory-size): train.online: warmUp: expected an integer in [1, 1024], got 2000'],
      [[...watch, '--memory-size', '10', '--warm-up', '20'], '--warm-up (at most --memory-size): train.online: warmUp: expected an integer in [1, 10], got 20'],
    ],
    workspace(),
  )
})

// Draws enough for many chunks of the CSV: 4 chains × 1500 draws of 20 coordinates, about 2.5 MB.
const large = ['--energy', 'doubleWell', '--options', '{"dim": 20}', '--step-size', '0.05', '--warmup', '0', '--steps', '1500', '--chains', '4', '--seed', '2']

t.test('sample writes its CSV to stdout as fast as the reader takes it, holding a chunk at a time, and stops when stdout fails', async (t) => {
  // A reader of 64 KiB a turn: the command must wait for it ('drain'), not queue the whole CSV in its buffer.
  let written = 0
  let mostQueued = 0
  const slow: Writable = new Writable({
    highWaterMark: 1 << 16,
    write: (chunk: Buffer, _e, done) => {
      mostQueued = Math.max(mostQueued, slow.writableLength)
      written += chunk.length
      setImmediate(done)
    },
  })
  const io = (stdout: Writable, stderr: { text: string }) => ({ stdout, stderr: { write: (s: string) => (stderr.text += s) }, stdin: (async function* () {})(), cwd: workspace() })
  const quiet = { text: '' }
  t.equal(await main(['sample', ...large, '--json'], io(slow, quiet)), 0, 'exits 0')
  t.ok(written > 2e6, `${written} bytes written`)
  t.ok(mostQueued <= 3 * (1 << 16), `at most ${mostQueued} bytes queued, about two chunks`)

  // A reader gone after 3 chunks: the write fails (EPIPE) and the command stops with status 1, saying so.
  let calls = 0
  const closing = new Writable({ write: (_c, _e, done) => done(++calls > 3 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : undefined) })
  const failed = { text: '' }
  t.equal(await main(['sample', ...large, '--json'], io(closing, failed)), 1)
  t.equal(failed.text, 'heatbath sample: stdout: the output was cut short (write EPIPE)\n')
  t.ok(calls <= 5, `${calls} writes tried, not one a chunk of the whole CSV`)
})

const closedStdout = (args: readonly string[]): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = running(args)
    let stderr = ''
    child.stdout.destroy()
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout: '', stderr }))
    child.stdin.end()
  })

t.test('sample into a pipe whose reader has gone exits with status 141 (128 + SIGPIPE) and says the output was cut short', async (t) => {
  const ran = await closedStdout(['sample', ...large])
  t.same([ran.status, ran.stderr], [141, 'heatbath: stdout: the output was cut short (the reader closed the pipe: EPIPE)\n'])
})

// Linux's pseudo-filesystems: making a directory under /proc never returns, so train and watch would hang
// at their first checkpoint; they refuse such a directory before any work, as sample refuses an output there.
t.test('a checkpoint directory or an output under /proc or /sys is refused at once with status 2, naming the flag and the path', { skip: process.platform !== 'linux' && 'the filesystem types are Linux\'s' }, async (t) => {
  const kernel = "on procfs (the kernel's own objects, not storage)"
  const dir = workspace({ 'run.json': JSON.stringify(trainConfig('/proc/heatbath/run')) })
  const started = Date.now()
  await refusesEach(t, 'train', [[['--config', 'run.json'], `run.json: checkpoint.dir: expected a directory for checkpoints on a filesystem that holds files, got "/proc/heatbath/run" ${kernel}`]], dir)
  await refusesEach(
    t,
    'watch',
    [
      [[...doubleWell, '--source', '-', '--checkpoint', '/proc/heatbath/run'], `--checkpoint: expected a directory for checkpoints on a filesystem that holds files, got "/proc/heatbath/run" ${kernel}`],
      [[...doubleWell, '--source', '-', '--checkpoint', '/sys/heatbath'], '--checkpoint: expected a directory for checkpoints on a filesystem that holds files, got "/sys/heatbath" on sysfs (the kernel\'s own objects, not storage)'],
    ],
    dir,
  )
  await refusesEach(t, 'sample', [[[...short, '--out', '/proc/self/draws.csv'], `--out: expected a path on a filesystem that holds files, got "/proc/self/draws.csv" ${kernel}`]], dir)
  t.ok(Date.now() - started < 5000, `refused in ${Date.now() - started} ms`)
  t.same(readdirSync(dir), ['run.json'], 'nothing written')
})

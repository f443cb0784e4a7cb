/**
 * `heatbath rbm` trains on bars and stripes with its pseudo-log-likelihood rising epoch by epoch, draws
 * data and samples, saves a model that scores as it printed, repeats itself under a seed, trains on a
 * CSV of [0, 1] rows, and refuses bad flags and bad files naming the flag.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import t from 'tap'
import { data, io, rbm } from '../../src/index.js'
import { inProcess, jsonLines, refusesEach } from './run.js'

const work = () => mkdtempSync(join(tmpdir(), 'heatbath-rbm-'))
const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length
const withoutTimes = (text: string) => text.replace(/"seconds":[\d.e-]+/g, '').replace(/\([\d.]+ s\)/g, '')

t.test('on bars and stripes the pseudo-log-likelihood rises; the saved model scores as printed', async (t) => {
  const dir = work()
  const ran = await inProcess(['rbm', '--epochs', '30', '--seed', '2', '--save', 'bars.safetensors'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const lines = jsonLines(ran.stdout)
  const epochs = lines.filter((l) => l.event === 'epoch')
  t.same(epochs.map((l) => l.epoch), Array.from({ length: 30 }, (_v, k) => k + 1))
  const [first, last] = [epochs[0].pll as number, epochs[29].pll as number]
  // Sixteen independent fair bits score 16·log ½ = −11.1; the model learns the images' structure well past it.
  t.ok(last > first && last > -4, `PLL ${first.toFixed(2)} → ${last.toFixed(2)}`)
  const done = lines[lines.length - 1]
  t.same([done.event, done.out, done.save, done.interrupted], ['done', 'rbm.png', 'bars.safetensors', false])
  const e = rbm.bernoulli({ visible: 16, hidden: 16 })
  const saved = await io.load(join(dir, 'bars.safetensors'), e)
  const x = data.barsAndStripes({ size: 4, count: 600, seed: 2 })
  t.equal(mean(rbm.pseudoLikelihood(e, saved.params, x, { seed: 2, backend: 'auto' })), done.pll, 'the saved parameters score the printed PLL')
  const png = PNG.sync.read(readFileSync(join(dir, 'rbm.png')))
  t.same([png.width, png.height], [640, 440])
  t.same(readdirSync(dir).sort(), ['bars.safetensors', 'rbm.png'], 'the two files, and no temporary file left')
})

t.test('on a terminal it prints one line an epoch and the samples as text; the same seed repeats the run', async (t) => {
  const dir = work()
  const args = ['rbm', '--epochs', '2', '--hidden', '8', '--samples', '4', '--sample-steps', '20']
  const a = await inProcess([...args, '--out', 'a.png'], { cwd: dir, tty: true })
  t.equal(a.status, 0, a.stderr)
  t.match(a.stdout, /^training an RBM of 16 visible and 8 hidden units on 600 rows \(bars and stripes 4 × 4\) by PCD-1, 2 epochs of 60 steps:\nepoch 1\/2 {2}pseudo-log-likelihood +-[\d.]+ {2}reconstruction error [\d.]+ {2}\([\d.]+ s\)\n/)
  t.match(a.stdout, /\n\nsamples:\n[\s\S]+\nwrote a\.png: data and samples\n$/)
  const b = await inProcess([...args, '--out', 'b.png'], { cwd: dir, tty: true })
  t.equal(withoutTimes(b.stdout).replace('b.png', 'a.png'), withoutTimes(a.stdout))
  t.ok(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'b.png'))), 'the same picture')
  const c = await inProcess([...args, '--out', 'c.png', '--seed', '3'], { cwd: dir, tty: true })
  t.not(withoutTimes(c.stdout).replace('c.png', 'a.png'), withoutTimes(a.stdout), 'another seed, another run')
})

t.test('a CSV of [0, 1] rows trains, its images as wide as --width', async (t) => {
  const dir = work()
  writeFileSync(join(dir, 'grey.csv'), Array.from({ length: 40 }, (_v, k) => [k % 2, 0.5, 1 - (k % 2), 0.25, 1, 0].join(',')).join('\n'))
  const ran = await inProcess(['rbm', '--data', 'grey.csv', '--width', '3', '--hidden', '4', '--epochs', '2', '--batch', '8', '--samples', '6'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  t.same(jsonLines(ran.stdout).map((l) => l.event), ['epoch', 'epoch', 'done'])
})

t.test('bad flags and bad files exit with status 2 and a message naming the flag', async (t) => {
  const dir = work()
  writeFileSync(join(dir, 'big.csv'), '0,1,0.5,1\n0,1.5,0,1\n')
  writeFileSync(join(dir, 'mixed.csv'), '0,1,0.5,1\n0,1,0\n')
  writeFileSync(join(dir, 'header.csv'), 'a,b\n0,1\n')
  const cases: [string[], string][] = [
    [['--data', 'big.csv'], '--data: big.csv:2: expected values in [0, 1], got 1.5 in column 2'],
    [['--data', 'mixed.csv'], '--data: mixed.csv:2: expected 4 numbers (as the first row), got "0,1,0"'],
    [['--data', 'header.csv'], '--data: header.csv: expected rows of numbers without a header, got the line "a,b"'],
    [['--data', 'big.csv', '--batch', '10'], '--data: big.csv:2: expected values in [0, 1], got 1.5 in column 2'],
    [['--bars', '1'], '--bars: data.barsAndStripes: size: expected an integer in [2, 12], got 1'],
    [['--rows', '5'], '--batch: expected at most the 5 rows of data, got 10'],
    [['--hidden', '2000000'], '--hidden: expected a size whose weights (16 visible × hidden) are at most 16,777,216 values, got 2000000 (32,000,000 values)'],
    [['--rows', '2000000'], '--rows: expected a size whose images of bars and stripes are at most 16,777,216 values, got 2000000 (32,000,000 values)'],
    [['--hidden', '0'], '--hidden: expected an integer ≥ 1, got "0"'],
    [['--lr', '-0.1'], '--lr: expected a positive number, got "-0.1"'],
    [['--width', '3'], "--width: expected a width that divides the rows' 16 values, got 3"],
    [['--backend', 'gpu'], '--backend: expected one of "auto", "native", "reference", got "gpu"'],
    [['--save', 'no/dir/m.safetensors'], '--save: expected a path in an existing directory, got "no/dir/m.safetensors"'],
  ]
  await refusesEach(t, 'rbm', cases, dir)
  t.same(readdirSync(dir).sort(), ['big.csv', 'header.csv', 'mixed.csv'], 'nothing written')
})

/**
 * `heatbath hopfield` retrieves the letters from cues with 30% of their spins flipped, draws memories, cues
 * and retrievals, stores random patterns or a file's rows, repeats itself under a seed, prints a capacity
 * curve that collapses with the load, and refuses bad flags and bad files naming the flag.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PNG } from 'pngjs'
import t from 'tap'
import { heatbath, inProcess, jsonLines, refusesEach } from './run.js'

const work = () => mkdtempSync(join(tmpdir(), 'heatbath-hopfield-'))

t.test('the five letters come back from cues with 25% flipped (the default), as JSON lines and as a picture', async (t) => {
  const dir = work()
  const ran = await heatbath(['hopfield'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const lines = jsonLines(ran.stdout)
  t.same(lines.slice(0, 5).map((l) => [l.event, l.memory, l.overlap, l.cueOverlap, l.ending]), [...'HOPTX'].map((k) => ['retrieval', k, 1, 0.5, 'fixed point']))
  t.same(lines[5], { event: 'done', memories: 5, spins: 100, rule: 'storkey', retrieved: 5, out: 'hopfield.png' })
  const png = PNG.sync.read(readFileSync(join(dir, 'hopfield.png')))
  t.same([png.width, png.height], [480, 630])
  t.same(readdirSync(dir), ['hopfield.png'], 'the picture, and no temporary file left')
})

t.test('on a terminal it prints the cues and the retrievals as text, and each overlap', async (t) => {
  const ran = await inProcess(['hopfield', '--letters', 'HT', '--flip', '0.3', '--out', 'ht.png'], { cwd: work(), tty: true })
  t.equal(ran.status, 0, ran.stderr)
  t.match(ran.stdout, /^cues \(30% of the spins flipped\):\n/)
  t.match(ran.stdout, /\n\nretrieved \(storkey's rule\):\n/)
  t.match(ran.stdout, /\nH: overlap 1\.00 with its memory \(the cue's 0\.40\), fixed point after \d+ sweeps\nT: overlap 1\.00/)
  t.match(ran.stdout, /wrote ht\.png: memories, cues and retrievals\n$/)
})

t.test('random patterns and a file of bits; the same seed gives the same run, another seed another', async (t) => {
  const dir = work()
  const args = ['hopfield', '--patterns', '3', '--size', '64', '--rule', 'hebb', '--flip', '0.2', '--seed', '5']
  const a = await inProcess([...args, '--out', 'a.png'], { cwd: dir })
  const b = await inProcess([...args, '--out', 'b.png'], { cwd: dir })
  t.equal(a.status, 0, a.stderr)
  t.equal(a.stdout.replace('a.png', 'b.png'), b.stdout)
  t.ok(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'b.png'))), 'the same picture')
  await inProcess([...args.slice(0, -1), '6', '--out', 'c.png'], { cwd: dir })
  t.notOk(readFileSync(join(dir, 'a.png')).equals(readFileSync(join(dir, 'c.png'))), 'another seed, other patterns')
  t.same(jsonLines(a.stdout).slice(0, 3).map((l) => l.overlap), [1, 1, 1], 'three patterns of 64 spins, 20% flipped: all come back')

  writeFileSync(join(dir, 'bits.csv'), '1,1,1,0,0,0\n0,0,0,1,1,1\n1,0,1,0,1,0\n')
  const file = await inProcess(['hopfield', '--data', 'bits.csv', '--width', '3', '--flip', '0', '--out', 'f.png'], { cwd: dir })
  t.equal(file.status, 0, file.stderr)
  t.same(jsonLines(file.stdout).slice(0, 3).map((l) => l.memory), ['row 1', 'row 2', 'row 3'])
})

t.test('--capacity prints the retrieval rate falling from 1 to 0 as the load passes α_c', async (t) => {
  const ran = await inProcess(['hopfield', '--capacity', '--size', '200', '--rule', 'hebb', '--loads', '0.05,0.3'])
  t.equal(ran.status, 0, ran.stderr)
  t.same(jsonLines(ran.stdout).map((l) => [l.event, l.load, l.patterns, l.fraction]), [['capacity', 0.05, 10, 1], ['capacity', 0.3, 60, 0]])
  const table = await inProcess(['hopfield', '--capacity', '--size', '50', '--loads', '0.1', '--flip', '0.1'], { tty: true })
  t.match(table.stdout, /^retrieval at load α = P\/N, N = 50, storkey's rule, cues with 10% flipped, .*\n +α +P +retrieved +mean overlap\n +0\.100 +5 +1\.000 +1\.000\n$/)
})

t.test('bad flags and bad files exit with status 2 and a message naming the flag', async (t) => {
  const dir = work()
  writeFileSync(join(dir, 'mixed.csv'), '1,-1,1,-1\n1,1,-1\n')
  writeFileSync(join(dir, 'grey.csv'), '1,-1,1,-1\n1,0.5,-1,1\n')
  const cases: [string[], string][] = [
    [['--flip', '1.5'], '--flip: expected a number in [0, 1], got "1.5"'],
    [['--rule', 'oja'], '--rule: expected one of "hebb", "storkey", got "oja"'],
    [['--letters', 'HAL'], '--letters: expected letters among HOPTX, got "HAL"'],
    [['--patterns', '3', '--size', '1'], '--size: expected an integer ≥ 2 (spins of a pattern), got 1'],
    [['--patterns', '2', '--size', '5000'], '--size: expected a size whose N² couplings are at most 16,777,216 values, got 5000 (25,000,000 values)'],
    [['--capacity', '--size', '5000'], '--size: expected a size whose N² couplings are at most 16,777,216 values, got 5000 (25,000,000 values)'],
    [['--patterns', '0'], '--patterns: expected an integer ≥ 1, got "0"'],
    [['--data', 'mixed.csv'], '--data: mixed.csv:2: expected 4 numbers (as the first row), got "1,1,-1"'],
    [['--data', 'grey.csv'], '--data: grey.csv:2: expected spins (−1 or +1, or bits 0 or 1), got 0.5 in column 2'],
    [['--data', 'none.csv'], '--data: expected a readable file, got "none.csv" (ENOENT)'],
    [['--data', 'mixed.csv', '--patterns', '2'], '--data, --patterns: expected one of them (a file of patterns, or random ones), got both'],
    [['--patterns', '2', '--size', '10', '--width', '3'], "--width: expected a width that divides the rows' 10 values, got 3"],
    [['--capacity', '--loads', '0.001'], '--loads: expected loads α > 0 with at least one pattern of 100 spins (α ≥ 0.010), got 0.001'],
    [['--out', 'no/dir/h.png'], '--out: expected a path in an existing directory, got "no/dir/h.png"'],
  ]
  await refusesEach(t, 'hopfield', cases, dir)
  t.same(readdirSync(dir).sort(), ['grey.csv', 'mixed.csv'], 'no picture written')
})

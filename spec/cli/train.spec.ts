/**
 * `heatbath train` runs a config to its end and saves the parameters; a run interrupted after a
 * checkpoint and resumed with --resume ends with the same parameters, bit for bit, as one that was not.
 * `heatbath score` then gives the saved model's energies, record by record.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { data, energy, io } from '../../src/index.js'
import { heatbath, inProcess, jsonLines } from './run.js'

const points = data.toy('8gaussians', 400, 5)
const csv = `x,y\n${Array.from({ length: 400 }, (_v, i) => `${points[2 * i]},${points[2 * i + 1]}`).join('\n')}\n`

const config = {
  energy: { name: 'mlp', widths: [2, 16, 1], activation: 'silu', seed: 3 },
  data: { file: 'points.csv' },
  objective: { kind: 'contrastive', energyL2: 0.1 },
  negatives: { kind: 'persistent', sampler: { kind: 'ula', stepSize: 0.02 }, steps: 5, init: { kind: 'uniform', low: -4, high: 4 }, bufferSize: 300 },
  optimizer: { kind: 'adam', lr: { kind: 'cosine', from: 0.01, to: 0.001, steps: 150 }, betas: [0.5, 0.999] },
  steps: 150,
  batchSize: 32,
  seed: 4,
  backend: 'reference',
  checkpoint: { dir: 'checkpoints', every: 50 },
  output: 'model.safetensors',
}

const workspace = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-train-'))
  writeFileSync(join(dir, 'run.json'), JSON.stringify(config))
  writeFileSync(join(dir, 'points.csv'), csv)
  return dir
}

t.test('a run interrupted after its checkpoint and resumed ends with the parameters of a run that was not, bit for bit', async (t) => {
  const straight = workspace()
  const ran = await inProcess(['train', '--config', 'run.json'], { cwd: straight })
  t.equal(ran.status, 0, ran.stderr)
  const done = jsonLines(ran.stdout).pop()!
  t.same([done.event, done.steps, done.output], ['done', 150, 'model.safetensors'])
  const want = await io.load(join(straight, 'model.safetensors'))
  t.same(want.energy.description, { name: 'mlp', widths: [2, 16, 1], activation: 'silu', seed: 3, spectralNorm: false }, 'the energy is saved with its description')

  // Interrupted as its progress line of step 100 is written: the checkpoint of step 100 stays, no model is saved.
  const dir = workspace()
  const interrupt = new AbortController()
  const stopped = await inProcess(['train', '--config', 'run.json'], { cwd: dir, signal: interrupt.signal, onStdout: (s) => s.includes('"step":100,') && interrupt.abort() })
  t.equal(stopped.status, 130, 'status 130, as an interrupt')
  t.same(jsonLines(stopped.stdout).pop()?.interrupted, true)
  t.same(readdirSync(dir).sort(), ['checkpoints', 'points.csv', 'run.json'], 'no model written by an interrupted run')
  t.equal((await io.loadCheckpoint(join(dir, 'checkpoints'))).state.step, 100)

  const resumed = await inProcess(['train', '--config', 'run.json', '--resume'], { cwd: dir })
  t.equal(resumed.status, 0, resumed.stderr)
  t.same(jsonLines(resumed.stdout).filter((l) => l.event === 'progress').map((l) => l.step), [150], 'steps 100 … 149 only')
  const got = await io.load(join(dir, 'model.safetensors'))
  for (const name of Object.keys(want.params)) t.same(got.params[name], want.params[name], `${name}: the same bits`)
})

t.test('score gives the energy of every record under the saved model, NaN and a line-numbered error for a bad one, and exit status 1', async (t) => {
  const dir = workspace()
  const model = energy.mlp({ widths: [2, 4, 1], seed: 9 })
  const params = energy.init(model)
  await io.save(join(dir, 'small.safetensors'), model, params)
  writeFileSync(join(dir, 'records.csv'), 'x,y\n0.5,-1\n1,oops\n\n# a comment\n2,3\n')
  const ran = await inProcess(['score', '--model', 'small.safetensors', '--backend', 'reference', 'records.csv'], { cwd: dir })
  t.equal(ran.status, 1, 'one record was bad')
  const want = energy.energyAt(model, [[0.5, -1], [2, 3]], params)
  t.same(ran.stdout, `${want[0]}\nNaN\n${want[1]}\n`, 'one line a record, in order')
  t.equal(ran.stderr, 'heatbath score: records.csv:3: expected 2 finite numbers, got "1,oops"\nheatbath score: 1 bad record of records.csv (scored NaN)\n')
})

t.test('score reads JSON lines from stdin and answers in JSON lines', async (t) => {
  const input = '[1, 0]\n[0, 0, 0]\n{"x": 1}\n[0.5, 0.5]\n'
  const ran = await heatbath(['score', '--energy', 'gaussian', '--options', '{"mean": [1, 0]}', '--format', 'jsonl', '--json'], { input })
  t.equal(ran.status, 1, ran.stderr)
  t.same(jsonLines(ran.stdout), [
    { line: 1, energy: 0 },
    { line: 2, error: 'expected an array of 2 finite numbers, got [0,0,0]' },
    { line: 3, error: 'expected an array of 2 finite numbers, got {"x":1}' },
    { line: 4, energy: 0.25 }, // ½‖(0.5, 0.5) − (1, 0)‖²
  ])
  t.match(ran.stderr, /^heatbath score: stdin:2: expected an array of 2 finite numbers, got \[0,0,0\]\n/)
})

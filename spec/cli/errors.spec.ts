/**
 * Bad input exits with status 2 and one line naming the path of the bad field, the bad value and what was
 * expected, before any work and without leaving a file behind: a table of bad flags and bad config files.
 * The rows run `main` in this process (what bin.ts runs); the last test runs one of them as a real
 * process, for its exit status and streams.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { heatbath, inProcess } from './run.js'

/** A valid config of a short run; each bad case changes one thing. */
const base = () => ({
  energy: { name: 'mlp', widths: [2, 16, 1], seed: 1 },
  data: { toy: '8gaussians', rows: 1000 } as Record<string, unknown>,
  objective: { kind: 'contrastive', energyL2: 0.1 } as Record<string, unknown>,
  negatives: { kind: 'persistent', sampler: { kind: 'ula', stepSize: 0.02 } as Record<string, unknown>, steps: 10, init: { kind: 'uniform', low: -4, high: 4 }, bufferSize: 500 } as Record<string, unknown>,
  optimizer: { kind: 'adam', lr: 0.01 } as Record<string, unknown>,
  steps: 30,
  batchSize: 64,
  seed: 2,
  backend: 'reference',
  checkpoint: { dir: 'checkpoints', every: 10 },
})
type Config = ReturnType<typeof base> & Record<string, unknown>

/** A bad flag: the arguments and the exact message on stderr. */
const flags: [string[], string][] = [
  [['demo', '--steps', 'many'], 'heatbath demo: --steps: expected an integer ≥ 1, got "many"'],
  [['demo', '--threads', '0'], 'heatbath demo: --threads: expected an integer in [1, 1024], got "0"'],
  [['demo', '--backend', 'gpu'], 'heatbath demo: --backend: expected one of "auto", "native", "reference", got "gpu"'],
  [['demo', '--out', 'no/such/dir/demo.png'], 'heatbath demo: --out: expected a path in an existing directory, got "no/such/dir/demo.png"'],
  [['sample', '--energy', 'doubleWell', '--step-size', '-0.1'], 'heatbath sample: --step-size: expected a positive number, got "-0.1"'],
  [['sample', '--energy', 'doubleWell', '--step-size', '0.1', '--chains', '2.5'], 'heatbath sample: --chains: expected an integer ≥ 1, got "2.5"'],
  [['sample', '--energy', 'doubleWell', '--sampler', 'gibbs', '--step-size', '0.1'], 'heatbath sample: --sampler: expected one of "ula", "mala", "hmc", "sghmc", "heatBath", got "gibbs"'],
  [['sample', '--energy', 'doubleWell', '--sampler', 'hmc', '--step-size', '0.1'], 'heatbath sample: --leapfrog-steps: expected a value with --sampler hmc, got nothing'],
  [['sample', '--energy', 'doubleWell', '--step-size', '0.1', '--friction', '1'], 'heatbath sample: --friction: expected no value with --sampler mala (it takes --step-size, --temperature), got 1'],
  [['sample', '--energy', 'doubleWell', '--options', '{"dim": 0}', '--step-size', '0.1'], 'heatbath sample: --energy doubleWell --options: energy.doubleWell: dim: expected an integer ≥ 1, got 0'],
  [['sample', '--energy', 'doubleWell', '--options', '{dim: 2}', '--step-size', '0.1'], 'heatbath sample: --options: expected JSON options of doubleWell, got "{dim: 2}"'],
  [['sample', '--energy', 'doubleWell', '--options', '{"dims": 2}', '--step-size', '0.1'], "heatbath sample: --energy doubleWell --options: energy.doubleWell: options: unknown option 'dims' (options: a, b, dim)"],
  [['sample', '--step-size', '0.1'], 'heatbath sample: --model, --energy: expected one of them (a saved model, or a catalogue energy with --options), got neither'],
  [['sample', '--model', 'nothing.safetensors', '--step-size', '0.1'], 'heatbath sample: --model: expected a parameters file written by io.save or heatbath train, got "nothing.safetensors" (ENOENT)'],
  [['sample', '--energy', 'doubleWell', '--step-size', '0.1', '--steps', '6', '--thin', '2'], 'heatbath sample: --steps: expected at least 4 draws a chain after thinning by 2 (the diagnostics split each chain in two halves), got 6'],
  [['score', '--energy', 'doubleWell', '--format', 'xml'], 'heatbath score: --format: expected one of "csv", "jsonl", got "xml"'],
  [['score', '--energy', 'doubleWell', 'nothing.csv'], 'heatbath score: [file]: expected a readable file of records, got "nothing.csv" (ENOENT)'],
  [['bench', '--seconds', '0'], 'heatbath bench: --seconds: expected a positive number, got "0"'],
  [['train', '--config', 'nothing.json'], 'heatbath train: --config: expected a readable file, got "nothing.json" (ENOENT)'],
]

/** Commander's own refusals: unknown flags and commands, missing arguments. */
const usage: [string[], RegExp][] = [
  [['sample', '--chians', '4'], /^error: unknown option '--chians'\n\(Did you mean --chains\?\)\n/],
  [['diagnose'], /^error: missing required argument 'files'\n/],
  [['train'], /^error: required option '--config <file>' not specified\n/],
  [['demo', 'now'], /^error: too many arguments for 'demo'/],
  [['demos'], /^error: unknown command 'demos'\n\(Did you mean demo\?\)\n/],
  [[], /^Usage: heatbath \[options\] \[command\]\n/],
]

/** A bad config: how it differs from the base, and the exact message. */
const configs: [string, (c: Config) => unknown, string][] = [
  ['a misspelt key', (c) => ({ ...c, stpes: 30 }), 'run.json: expected only the keys energy, data, objective, optimizer, steps, batchSize, negatives, seed, backend, dtype, threads, checkpoint, output, got "stpes"'],
  ['a missing field', ({ steps: _steps, ...c }) => c, 'run.json: steps: expected an integer ≥ 1, got nothing'],
  ['a number of the wrong kind', (c) => ({ ...c, batchSize: 64.5 }), 'run.json: batchSize: expected an integer ≥ 1, got 64.5'],
  ['an unknown optimizer', (c) => ({ ...c, optimizer: { kind: 'adma', lr: 0.01 } }), 'run.json: optimizer.kind: expected one of "sgd", "momentum", "adam", "adamw", got "adma"'],
  ['a key the optimizer does not take', (c) => ({ ...c, optimizer: { kind: 'adam', lr: 0.01, momentum: 0.9 } }), 'run.json: optimizer: expected only the keys kind, lr, clipNorm, weightDecay, betas, eps, got "momentum"'],
  ['a negative learning rate', (c) => ({ ...c, optimizer: { kind: 'adam', lr: -0.01 } }), 'run.json: optimizer.lr: expected a positive number or a schedule { "kind": "cosine", "from", "to", "steps" }, got -0.01'],
  ['a schedule without its steps', (c) => ({ ...c, optimizer: { kind: 'adam', lr: { kind: 'cosine', from: 0.01, to: 0.001 } } }), 'run.json: optimizer.lr.steps: expected an integer ≥ 1, got nothing'],
  ['betas the library refuses', (c) => ({ ...c, optimizer: { kind: 'adam', lr: 0.01, betas: [0.5, 1] } }), 'run.json: optimizer: train.adam: betas[1]: expected a number in [0, 1), got 1'],
  ['a sampler step size of 0', (c) => ({ ...c, negatives: { ...c.negatives, sampler: { kind: 'ula', stepSize: 0 } } }), 'run.json: negatives.sampler.stepSize: expected a positive number or a schedule { "kind": "cosine", "from", "to", "steps" }, got 0'],
  ['an unknown initialiser', (c) => ({ ...c, negatives: { ...c.negatives, init: { kind: 'gaussian', std: 1 } } }), 'run.json: negatives.init.kind: expected one of "uniform", "normal", got "gaussian"'],
  ['a reinit above 1', (c) => ({ ...c, negatives: { ...c.negatives, reinit: 1.5 } }), 'run.json: negatives.reinit: expected a number in [0, 1], got 1.5'],
  ['score matching without its form', (c) => ({ ...c, objective: { kind: 'scoreMatching' }, negatives: undefined }), 'run.json: objective.form: expected one of "exact", "sliced", "denoising", got nothing'],
  ['denoising with both sigma and sigmas', (c) => ({ ...c, objective: { kind: 'scoreMatching', form: 'denoising', sigma: 0.1, sigmas: [0.1] }, negatives: undefined }), 'run.json: objective: train.scoreMatching: expected one of \'sigma\' (one noise level) or \'sigmas\' (several), got an object with keys kind, sigma, sigmas'],
  ['an energy the catalogue refuses', (c) => ({ ...c, energy: { name: 'mlp', widths: [2, 0, 1] } }), 'run.json: energy: energy.mlp: widths[1]: expected an integer ≥ 1, got 0'],
  ['an energy not in the catalogue', (c) => ({ ...c, energy: { name: 'myEnergy' } }), 'run.json: energy: energy.fromDescription: description.name: expected the name of a catalogue energy or combinator (energies written with energy.define cannot be rebuilt from JSON: pass the energy value), got "myEnergy"'],
  ['an unknown toy', (c) => ({ ...c, data: { toy: '9gaussians' } }), 'run.json: data.toy: expected one of "8gaussians", "2spirals", "checkerboard", "rings", "moons", "pinwheel", "swissroll", got "9gaussians"'],
  ['a toy for a 3-D energy', (c) => ({ ...c, energy: { name: 'mlp', widths: [3, 16, 1], seed: 1 } }), "run.json: data.toy: expected an energy of 2 dimensions for a toy data set, got 'mlp' of shape [3]"],
  ['a data file that is not there', (c) => ({ ...c, data: { file: 'nothing.csv' } }), 'run.json: data.file: expected a readable file, got "nothing.csv" (ENOENT)'],
  ['a data file with a bad row', (c) => ({ ...c, data: { file: 'bad-row.csv' } }), 'bad-row.csv:3: expected 2 numbers (the columns x, y), got "0.5,oops"'],
  ['a data file of three columns', (c) => ({ ...c, data: { file: 'three.csv' } }), 'run.json: data.file: expected rows of 2 numbers (energy \'mlp\' takes shape [2]), got rows of 3 in "three.csv"'],
  ['a contrastive objective without negatives', (c) => ({ ...c, negatives: undefined }), "run.json: stream.train: negatives: expected negatives (train.shortRun, train.contrastiveDivergence, train.persistent, train.drawn, train.joint) for the contrastive objective, got undefined"],
  ['an output in a missing directory', (c) => ({ ...c, output: 'models/mlp.safetensors' }), 'run.json: output: expected a path in an existing directory, got "models/mlp.safetensors"'],
]

/** A fresh directory with the config (written as given: a string as text, anything else as JSON) and two data files. */
const workspace = (config: unknown): string => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-cli-'))
  writeFileSync(join(dir, 'run.json'), typeof config === 'string' ? config : JSON.stringify(config))
  writeFileSync(join(dir, 'bad-row.csv'), 'x,y\n1,2\n0.5,oops\n')
  writeFileSync(join(dir, 'three.csv'), '1,2,3\n4,5,6\n')
  return dir
}
const files = ['bad-row.csv', 'run.json', 'three.csv']

t.test('a bad flag exits with status 2 and a message naming the flag, the value and what was expected', async (t) => {
  const dir = workspace(base())
  for (const [args, message] of flags) {
    const ran = await inProcess(args, { cwd: dir })
    t.same([ran.status, ran.stderr], [2, `${message}\n`], args.join(' '))
  }
  t.same(readdirSync(dir).sort(), files, 'nothing written')
})

t.test("commander's refusals of unknown flags and commands exit with status 2 too", async (t) => {
  for (const [args, message] of usage) {
    const ran = await inProcess(args)
    t.equal(ran.status, 2, args.join(' '))
    t.match(ran.stderr, message)
  }
})

t.test('a bad config exits with status 2 naming the path of the bad field, before anything runs or is written', async (t) => {
  for (const [what, change, message] of configs) {
    const dir = workspace(change(base() as Config))
    const ran = await inProcess(['train', '--config', 'run.json'], { cwd: dir })
    t.same([ran.status, ran.stderr, ran.stdout], [2, `heatbath train: ${message}\n`, ''], what)
    t.same(readdirSync(dir).sort(), files, `${what}: nothing written`)
  }
})

t.test('a config that is not JSON, and --resume without a checkpoint, are refused the same way', async (t) => {
  const garbled = await inProcess(['train', '--config', 'run.json'], { cwd: workspace('{"steps": 30,') })
  t.equal(garbled.status, 2)
  t.match(garbled.stderr, /^heatbath train: run\.json: expected JSON, got text that does not parse \(.+\)\n$/)
  const { checkpoint: _none, ...plain } = base()
  const noDir = await inProcess(['train', '--config', 'run.json', '--resume'], { cwd: workspace(plain) })
  t.same([noDir.status, noDir.stderr], [2, 'heatbath train: --resume: expected a config with a checkpoint directory ("checkpoint": { "dir", "every" }), got none in run.json\n'])
  const dir = workspace(base())
  mkdirSync(join(dir, 'checkpoints'))
  const empty = await inProcess(['train', '--config', 'run.json', '--resume'], { cwd: dir })
  t.same([empty.status, empty.stderr], [2, `heatbath train: --resume: io.loadCheckpoint: ${join(dir, 'checkpoints')}: expected a checkpoint (checkpoint.json), got none\n`])
})

t.test('as a process: status 2, the message on stderr, nothing on stdout', async (t) => {
  const dir = workspace({ ...base(), optimizer: { kind: 'adam', lr: -0.01 } })
  const ran = await heatbath(['train', '--config', 'run.json'], { cwd: dir })
  t.same(ran, { status: 2, stdout: '', stderr: `heatbath train: ${configs[5][2]}\n` })
  t.same(readdirSync(dir).sort(), files)
})

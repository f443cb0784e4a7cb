/**
 * `--model` takes a saved RBM or Hopfield network: the CLI rebuilds it from the file's description
 * (energy.fromDescription), samples it with its saved parameters, and names a bad field of a forged file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { diagnostics, energy, hopfield, io, rbm } from '../../src/index.js'
import { chainsOf, inProcess } from './run.js'

// E[f(v)] under p(v) ∝ exp(−F(v)/T) over every binary v (a few visible units).
const exactMean = (e: energy.Energy, p: energy.Params, V: number, T: number, f: (v: number[]) => number): number => {
  const states = Array.from({ length: 2 ** V }, (_, k) => Array.from({ length: V }, (_v, i) => (k >> i) & 1))
  const F = energy.energyAt(e, states, p)
  const w = Array.from(F, (x) => Math.exp(-x / T))
  return states.reduce((s, v, k) => s + w[k] * f(v), 0) / w.reduce((a, b) => a + b, 0)
}

const within = (t: Test, chains: number[][][], f: (x: number[]) => number, truth: number, name: string): void => {
  const draws = chains.map((c) => c.map(f))
  const estimate = draws.flat().reduce((s, v) => s + v, 0) / draws.flat().length
  const mcse = diagnostics.mcseMean(draws)
  t.ok(Math.abs(estimate - truth) < 4 * mcse, `${name}: ${estimate.toFixed(4)} vs ${truth.toFixed(4)} (MCSE ${mcse.toFixed(4)})`)
}

t.test('sample --model on a saved Bernoulli RBM (heat bath at T = 1.3) draws E[vᵢ] of its saved parameters within 4 MCSE; score --model gives its free energies', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-saved-'))
  const e = rbm.bernoulli({ visible: 3, hidden: 2, seed: 1 })
  const p = { W: Float64Array.of(1.5, -1, -0.5, 2, 0.8, 0.3), a: Float64Array.of(-0.5, 0.2, 0.4), b: Float64Array.of(0.3, -0.6) }
  await io.save(join(dir, 'rbm.safetensors'), e, p)
  const ran = await inProcess(['sample', '--model', 'rbm.safetensors', '--sampler', 'heatBath', '--temperature', '1.3', '--chains', '4', '--warmup', '100', '--steps', '3000', '--seed', '2', '--out', 'draws.csv'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  const chains = chainsOf(readFileSync(join(dir, 'draws.csv'), 'utf8'))
  t.ok(chains.flat(2).every((x) => x === 0 || x === 1), 'binary draws')
  for (let i = 0; i < 3; i++) within(t, chains, (x) => x[i], exactMean(e, p, 3, 1.3, (v) => v[i]), `E[v${i}]`)
  // score --model reads the same file: the free energies of rows of a CSV, bit for bit the API's.
  writeFileSync(join(dir, 'v.csv'), '1,0,1\n0,1,1\n')
  const scored = await inProcess(['score', '--model', 'rbm.safetensors', 'v.csv'], { cwd: dir })
  t.same([scored.status, scored.stdout], [0, `${[...energy.energyAt(e, [[1, 0, 1], [0, 1, 1]], p)].join('\n')}\n`], 'score --model: F(v) of each row')
})

t.test('sample --model on a saved Gaussian–Bernoulli RBM (MALA on its free energy) draws E[v] and E[v²] within 4 MCSE', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-saved-'))
  const sigma = 0.8
  const e = rbm.gaussianBernoulli({ visible: 1, hidden: 2, sigma, seed: 1 })
  const p = { W: Float64Array.of(1.5, -1), a: Float64Array.of(0.5), b: Float64Array.of(-0.3, 0.4) }
  await io.save(join(dir, 'gb.safetensors'), e, p)
  const ran = await inProcess(['sample', '--model', 'gb.safetensors', '--sampler', 'mala', '--step-size', '0.4', '--chains', '4', '--warmup', '300', '--steps', '4000', '--seed', '5', '--out', 'draws.csv'], { cwd: dir })
  t.equal(ran.status, 0, ran.stderr)
  // v is a mixture over h of N(a + σWh, σ²) with weights ∝ exp(((a + σWh)² − a²)/(2σ²) + bᵀh).
  const hs = [[0, 0], [1, 0], [0, 1], [1, 1]]
  const mu = hs.map(([h0, h1]) => p.a[0] + sigma * (p.W[0] * h0 + p.W[1] * h1))
  const w = hs.map(([h0, h1], k) => Math.exp((mu[k] ** 2 - p.a[0] ** 2) / (2 * sigma ** 2) + p.b[0] * h0 + p.b[1] * h1))
  const z = w.reduce((a, b) => a + b, 0)
  const chains = chainsOf(readFileSync(join(dir, 'draws.csv'), 'utf8'))
  within(t, chains, (x) => x[0], mu.reduce((s, m, k) => s + (w[k] * m) / z, 0), 'E[v]')
  within(t, chains, (x) => x[0] ** 2, mu.reduce((s, m, k) => s + (w[k] * (m * m + sigma ** 2)) / z, 0), 'E[v²]')
})

t.test('sample --model takes a saved Hopfield network, classic or modern', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-saved-'))
  const classic = hopfield.store([[1, -1, 1, -1, 1, -1], [1, 1, 1, -1, -1, -1]], { rule: 'storkey' })
  await io.save(join(dir, 'classic.safetensors'), classic, energy.init(classic))
  const a = await inProcess(['sample', '--model', 'classic.safetensors', '--sampler', 'heatBath', '--temperature', '0.5', '--warmup', '0', '--steps', '8', '--out', 'classic.csv'], { cwd: dir })
  t.equal(a.status, 0, a.stderr)
  t.ok(chainsOf(readFileSync(join(dir, 'classic.csv'), 'utf8')).flat(2).every((s) => s === 1 || s === -1), 'spins')
  const modern = hopfield.modern([[1, 0], [0, 1], [-1, -1]], { beta: 2 })
  await io.save(join(dir, 'modern.safetensors'), modern, energy.init(modern))
  const b = await inProcess(['sample', '--model', 'modern.safetensors', '--step-size', '0.2', '--warmup', '0', '--steps', '8', '--out', 'modern.csv'], { cwd: dir })
  t.equal(b.status, 0, b.stderr)
})

t.test('a saved model whose description has a bad field is refused naming it; a flip sampler on real coordinates is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-saved-'))
  const e = rbm.bernoulli({ visible: 2, hidden: 2 })
  writeFileSync(join(dir, 'bad.safetensors'), io.encodeParameters({ ...e, description: { ...(e.description as Record<string, energy.Json>), hidden: -2 } }, energy.init(e)))
  const bad = await inProcess(['sample', '--model', 'bad.safetensors', '--sampler', 'heatBath', '--steps', '8'], { cwd: dir })
  t.same([bad.status, bad.stderr], [2, 'heatbath sample: --model: expected a parameters file written by io.save or heatbath train, got "bad.safetensors" (load: bad.safetensors: energy: hidden: expected a positive integer, got -2)\n'])
  const g = rbm.gaussianBernoulli({ visible: 2, hidden: 2 })
  await io.save(join(dir, 'gb.safetensors'), g, energy.init(g))
  const flips = await inProcess(['sample', '--model', 'gb.safetensors', '--sampler', 'heatBath', '--steps', '8'], { cwd: dir })
  t.equal(flips.status, 2)
  t.match(flips.stderr, /heatBath\): expected a block that moves real coordinates for energy 'rbm.gaussianBernoulli' of domain 'real'/)
})

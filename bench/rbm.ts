/**
 * RBM benchmark (issue 14): scikit-learn's RBM test configuration — the digits scaled to [0, 1], learning
 * rate 0.1, batches of 10, PCD-1 with 10 persistent chains, 7 epochs — at 64 and 256 hidden units: heatbath's
 * fused path (`rbm.fit`, one native call per fit on the addon's worker thread, awaited) and its generic one (`train.fit` with
 * `rbm.persistentChains`, native backend, float64) against scikit-learn 1.2's BernoulliRBM
 * (bench/peers/skl_rbm.py, a Python process kept up and asked over stdin). Each turn is one whole 7-epoch
 * fit; its time divided by 7 is ms per epoch (wall, and CPU of the whole process: the steadier measure
 * on a shared host), and the mean pseudo-log-likelihood of the fit is reported beside it (the same configuration should give the same PLL). The systems take turns going first (the
 * order rotates every round); the ratios to scikit-learn are taken per round and their medians reported.
 *
 *   npx tsx bench/rbm.ts     (HEATBATH_BENCH_QUICK=1: one round; HEATBATH_BENCH_ROUNDS)
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { createInterface } from 'node:readline'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { energy, rbm, train } from '../src/index.js'
import { nativeAddon } from '../src/backend/index.js'
import { scaledDigits } from '../spec/rbm/digits.js'

const here = dirname(fileURLToPath(import.meta.url))
const quick = process.env.HEATBATH_BENCH_QUICK === '1'
const rounds = quick ? 1 : Number(process.env.HEATBATH_BENCH_ROUNDS ?? 5)
if (nativeAddon().addon === undefined) throw new Error('bench/rbm.ts measures the native backend; build the addon first (npm run install)')

const X = scaledDigits()
const epoch = Math.floor(X.length / 64 / 10)

interface Turn {
  readonly msPerEpoch: number
  /** CPU time of the whole process (every thread) per epoch: on a host shared with other work, the steadier measure. */
  readonly cpuMsPerEpoch: number
  readonly pll: number
}

// Wall and CPU milliseconds of f, per epoch of 7.
const timed = async <A>(f: () => Promise<A>): Promise<{ value: A; msPerEpoch: number; cpuMsPerEpoch: number }> => {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const value = await f()
  const used = process.cpuUsage(cpu)
  return { value, msPerEpoch: (performance.now() - started) / 7, cpuMsPerEpoch: (used.user + used.system) / 1000 / 7 }
}

const pllOf = (e: ReturnType<typeof rbm.bernoulli>, params: Parameters<typeof rbm.pseudoLikelihood>[1], seed: number): number => {
  const pll = rbm.pseudoLikelihood(e, params, X, { seed })
  return pll.reduce((a, b) => a + b, 0) / pll.length
}

const fused = async (hidden: number, seed: number): Promise<Turn> => {
  const e = rbm.bernoulli({ visible: 64, hidden, seed })
  const params = energy.init(e)
  const t = await timed(() => rbm.fit(e, X, { params, epochs: 7, batchSize: 10, learningRate: 0.1, method: 'pcd', k: 1, seed, backend: 'native' }))
  return { ...t, pll: pllOf(e, t.value.params, seed) }
}

const generic = async (hidden: number, seed: number): Promise<Turn> => {
  const e = rbm.bernoulli({ visible: 64, hidden, seed })
  const params = energy.init(e)
  const t = await timed(() => train.fit(e, X, { objective: train.contrastive(), negatives: rbm.persistentChains(e), optimizer: train.sgd({ lr: 0.1 }), batchSize: 10, steps: 7 * epoch, seed, params, backend: 'native' }))
  return { ...t, pll: pllOf(e, t.value.params, seed) }
}

const python = spawn('/usr/bin/python3', [join(here, 'peers', 'skl_rbm.py')], { stdio: ['pipe', 'pipe', 'inherit'] })
const replies = createInterface({ input: python.stdout })[Symbol.asyncIterator]()
const sklearn = async (hidden: number, seed: number): Promise<Turn> => {
  python.stdin.write(`${JSON.stringify({ hidden, seed })}\n`)
  const { value } = await replies.next()
  const r = JSON.parse(value as string) as { ms_per_epoch: number; cpu_ms_per_epoch: number; pll: number }
  return { msPerEpoch: r.ms_per_epoch, cpuMsPerEpoch: r.cpu_ms_per_epoch, pll: r.pll }
}

const median = (x: readonly number[]): number => {
  const s = [...x].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const range = (x: readonly number[]) => `${Math.min(...x).toFixed(1)}–${Math.max(...x).toFixed(1)}`

console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${rounds} rounds`)
const systems = [fused, generic, sklearn] as const
console.log('| hidden | system | ms/epoch | ÷ scikit-learn (per-round ratio, median) | CPU ms/epoch | ÷ scikit-learn, CPU | PLL |')
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: |')
for (const hidden of [64, 256]) {
  const turns: Turn[][] = systems.map(() => [])
  for (let k = 0; k < rounds; k++) {
    for (let i = 0; i < systems.length; i++) {
      const s = (i + k) % systems.length
      turns[s].push(await systems[s](hidden, 9 + k))
    }
  }
  const cell = (t: Turn[], f: (x: Turn) => number, digits: number) => `${median(t.map(f)).toFixed(digits)} (${range(t.map(f))})`
  const names = ['heatbath rbm.fit (fused)', 'heatbath train.fit (generic)', 'scikit-learn']
  turns.forEach((t, s) => {
    const ratio = t.map((o, k) => turns[2][k].msPerEpoch / o.msPerEpoch)
    const cpuRatio = t.map((o, k) => turns[2][k].cpuMsPerEpoch / o.cpuMsPerEpoch)
    console.log(
      `| ${hidden} | ${names[s]} | ${cell(t, (x) => x.msPerEpoch, 1)} | ${median(ratio).toFixed(2)}× faster (${ratio.map((r) => r.toFixed(2)).join(', ')}) | ${cell(t, (x) => x.cpuMsPerEpoch, 1)} | ${median(cpuRatio).toFixed(2)}× | ${cell(t, (x) => x.pll, 2)} |`,
    )
  })
}
python.stdin.end()

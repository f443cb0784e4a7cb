/**
 * Memory of a run: the peak resident set of a process that samples N chains of ULA on a 2-D Gaussian (10
 * steps), against the bytes its chains' state needs (sampler.bytesPerChain). Each configuration runs in a
 * fresh child process, so that one's peak does not hide another's. Not timed: memory only.
 *
 *   npx tsx bench/memory.ts                 (HEATBATH_BENCH_QUICK=1: 10⁶ chains only)
 *   npx tsx bench/memory.ts child 1e7 native [chainBlock]   (one configuration, a JSON line)
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { energy, sampler } from '../src/index.js'

/** What one child reports: the resident set before the run and at its peak, in bytes. */
export interface MemoryMeasure {
  readonly chains: number
  readonly backend: 'reference' | 'native'
  readonly chainBlock: number | null
  readonly baseline: number
  readonly peak: number
}

// The child: one run, then its peak RSS (resourceUsage's maxRSS is in kilobytes).
const child = async (chains: number, backend: 'reference' | 'native', chainBlock: number | undefined): Promise<MemoryMeasure> => {
  const baseline = process.memoryUsage().rss
  const options = { chains, steps: 10, seed: 1, backend, thin: 5, ...(chainBlock === undefined ? {} : { chainBlock }) }
  await sampler.sample(energy.gaussian({ mean: [0, 0] }), sampler.ula({ stepSize: 0.1 }), options)
  return { chains, backend, chainBlock: chainBlock ?? null, baseline, peak: process.resourceUsage().maxRSS * 1024 }
}

/** Runs one configuration in a fresh process and returns its measure. */
export const measure = (chains: number, backend: 'reference' | 'native', chainBlock?: number): MemoryMeasure => {
  const args = ['--import', import.meta.resolve('tsx'), fileURLToPath(import.meta.url), 'child', String(chains), backend, ...(chainBlock === undefined ? [] : [String(chainBlock)])]
  // Without the coverage collection a test run passes down (node-tap's NODE_OPTIONS import, or
  // NODE_V8_COVERAGE): it would add to the memory measured, and tsx's source maps of the child's files,
  // merged into the run's coverage, count their comment lines as statements never run.
  // (node-tap's processinfo puts its import back into any child it sees spawned, so it is also told not to
  // record coverage there.)
  const { NODE_V8_COVERAGE: _coverage, NODE_OPTIONS: _options, ...env } = process.env
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0' } })
  if (r.status !== 0) throw new Error(`memory child failed: ${r.stderr}`)
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as MemoryMeasure
}

const main = async (): Promise<void> => {
  const [mode, chains, backend, block] = process.argv.slice(2)
  if (mode === 'child') {
    console.log(JSON.stringify(await child(Number(chains), backend as 'native', block === undefined ? undefined : Number(block))))
    return
  }
  const quick = process.env.HEATBATH_BENCH_QUICK === '1'
  const configurations: [number, 'reference' | 'native'][] = quick ? [[1e6, 'native']] : [[1e6, 'native'], [1e6, 'reference'], [1e7, 'native']]
  console.log('chains     backend    peak RSS   over baseline   bytes/chain   estimate/chain')
  for (const [n, b] of configurations) {
    const m = measure(n, b)
    const over = m.peak - m.baseline
    console.log(
      `${String(n).padEnd(10)} ${b.padEnd(10)} ${(m.peak / 1e6).toFixed(0).padStart(5)} MB   ${(over / 1e6).toFixed(0).padStart(8)} MB   ${(over / n).toFixed(1).padStart(11)}   ${sampler.bytesPerChain(2, 'float64', 0).toString().padStart(14)}`,
    )
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()

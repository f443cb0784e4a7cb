/**
 * What `heatbath watch` keeps up with: the command run in this process (`main`) on records of 8gaussians
 * given on stdin all at once, an MLP 2→64→64→1 (SiLU) learnt by exact score matching (an update of 32
 * records every 32), the threshold and ADWIN on; its records per second with the records that wait scored
 * one at a time (`--score-batch 1`, as before batching) and in batches (the default, 256).
 */
import { data } from '../src/index.js'
import { main } from '../src/cli/main.js'

/** The rate of a watch over `n` records, scoring at most `scoreBatch` in a batch. */
export const watchBench = (n: number, backend: 'native' | 'reference') => {
  const points = data.toy('8gaussians', n, 4)
  const input = Array.from({ length: n }, (_v, i) => `[${points[2 * i]}, ${points[2 * i + 1]}]\n`).join('')
  const args = ['watch', '--source', '-', '--energy', 'mlp', '--options', '{"widths": [2, 64, 64, 1], "activation": "silu"}', '--batch', '32', '--lr', '0.001', '--backend', backend]
  return async (scoreBatch: number): Promise<number> => {
    let lines = 0
    let stderr = ''
    const started = performance.now()
    const status = await main([...args, '--score-batch', String(scoreBatch)], {
      stdout: { write: (s: string) => (lines += s.split('\n').length - 1) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin: (async function* () {
        yield input
      })(),
      cwd: process.cwd(),
    })
    const seconds = (performance.now() - started) / 1000
    if (status !== 0 || lines !== n) throw new Error(`bench/stream-watch: status ${status}, ${lines} lines of ${n}: ${stderr}`)
    return n / seconds
  }
}

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

t.test('every addon entry point throws on random wrong arguments and corrupted tapes, and never crashes', async (t) => {
  // In a child process: a crash (a signal, an abort) is then a failed test instead of a dead test runner.
  const child = fileURLToPath(new URL('./fuzz-child.ts', import.meta.url))
  const r = spawnSync(process.execPath, ['--import', 'tsx', child], { encoding: 'utf8', timeout: 240_000 })
  t.equal(r.signal, null, `the child was not killed by a signal (stderr: ${r.stderr.slice(-500)})`)
  t.equal(r.status, 0, `the child exited cleanly: ${r.stdout.slice(-1000)} ${r.stderr.slice(-500)}`)
  const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { threw: number; loaded: number; agreed: number; failures: string[] }
  t.same(report.failures, [], 'no wrong call was accepted')
  t.ok(report.threw > 1000, `${report.threw} calls threw`)
  t.comment(`corrupted encodings that still validated and ran: ${report.loaded}; mutated programs run on both executors: ${report.agreed}`)
})

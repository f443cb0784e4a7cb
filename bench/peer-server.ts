/**
 * A peer benchmark script run as a server: one request line on its stdin, one JSON line back on its
 * stdout, so that a benchmark can alternate short turns of heatbath and of the peer in one run. The
 * peers are Python scripts under bench/peers/, run by Debian's python3 (which has python3-torch).
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'

/** The interpreter of the PyTorch peers: Debian's python3-torch lives under the system interpreter. */
export const torchCommand = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

/** Starts `args` under {@link torchCommand} in `cwd`; `ask(line)` sends a request and parses its answer. */
export const peerServer = (args: readonly string[], cwd: string) => {
  // OpenMP workers that spin after a two-thread turn would take the cores from the turns after it; passive
  // waiting leaves them idle.
  const child = spawn(torchCommand, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const failed = new Promise<never>((_resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(stderr.trim().split('\n').slice(-1)[0] || `exited with ${code}`)))
  })
  return {
    ask: async <A>(line: string): Promise<A> => {
      child.stdin.write(`${line}\n`)
      const answer = await Promise.race([lines.next(), failed])
      return JSON.parse(String(answer.value)) as A
    },
    close: () => {
      child.stdin.end()
      child.kill()
    },
  }
}

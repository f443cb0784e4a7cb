/**
 * Running `heatbath` from the specs, two ways:
 *
 * - `heatbath(args)`: a child process of the TypeScript entry src/cli/bin.ts, run by this process's own
 *   node with its own loader flags (under node-tap: its TypeScript loader and coverage hooks, so the
 *   child's coverage lands on the same sources at the same offsets; alone: tsx). It sees a real process:
 *   its exit status, its streams, no terminal.
 * - `inProcess(args)`: `main`, the function bin.ts calls, with captured streams: for the long tables of bad
 *   inputs, where a child's start (about two seconds of transpiling) would dominate.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import { main } from '../../src/cli/main.js'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const entry = join(root, 'src', 'cli', 'bin.ts')

/** What a run of the command left. */
export interface Ran {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

const loader = (): string[] => (process.execArgv.some((a) => a.includes('typescript') || a.includes('tsx')) ? process.execArgv : ['--import', 'tsx'])

/** Starts `heatbath args…` as a child process in `cwd`, its streams piped, for a spec that talks to it as it runs. */
export const running = (args: readonly string[], o: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): ChildProcessWithoutNullStreams =>
  spawn(process.execPath, [...loader(), entry, ...args], { cwd: o.cwd ?? root, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] })

/** Runs `heatbath args…` as a child process in `cwd`, with `input` on its stdin. */
export const heatbath = (args: readonly string[], o: { readonly cwd?: string; readonly input?: string; readonly env?: NodeJS.ProcessEnv } = {}): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = running(args, o)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
    child.stdin.end(o.input ?? '')
  })

/** Runs `main(args)` in this process with captured streams and `input` as stdin. */
export const inProcess = async (
  args: readonly string[],
  o: { readonly cwd?: string; readonly input?: string; readonly tty?: boolean; readonly signal?: AbortSignal; readonly onStdout?: (text: string) => void } = {},
): Promise<Ran> => {
  let stdout = ''
  let stderr = ''
  const status = await main(args, {
    stdout: {
      write: (s: string) => {
        stdout += s
        o.onStdout?.(s)
      },
      isTTY: o.tty ?? false,
    },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: (async function* () {
      if (o.input !== undefined) yield o.input
    })(),
    cwd: o.cwd ?? root,
    ...(o.signal === undefined ? {} : { signal: o.signal }),
  })
  return { status, stdout, stderr }
}

/** The JSON lines of an output. */
export const jsonLines = (text: string): Record<string, unknown>[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)

/**
 * Runs `heatbath command args…` in-process for each row of a table of bad flags, asserting exit status 2
 * and exactly the message `heatbath command: message` on stderr.
 */
export const refusesEach = async (t: Test, command: string, cases: readonly (readonly [readonly string[], string])[], cwd: string): Promise<void> => {
  for (const [args, message] of cases) {
    const ran = await inProcess([command, ...args], { cwd })
    t.same([ran.status, ran.stderr], [2, `heatbath ${command}: ${message}\n`], args.join(' '))
  }
}

/** The draws of a sample CSV (after its header line) as chains of rows. */
export const chainsOf = (csv: string): number[][][] => {
  const chains: number[][][] = []
  for (const line of csv.trim().split('\n').slice(1)) {
    const [chain, , , ...x] = line.split(',').map(Number)
    ;(chains[chain - 1] ??= []).push(x)
  }
  return chains
}

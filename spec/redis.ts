/**
 * A real Redis server for a spec file: Debian's `redis-server`, started on a free port in a temporary
 * directory with its whole configuration on the command line (no config file, so nothing outside that
 * directory is read or written), stopped and removed in the test's teardown. Specs skip, saying why,
 * when the binary is missing (`.ci/run` installs it).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'

const binary = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'

/** Why Redis specs are skipped on this machine, or false when they run. */
export const redisSkip: string | false = existsSync(binary) ? false : `no Redis server at ${binary} (apt-get install redis-server, or set REDIS_SERVER)`

/** A running server and what a spec does to it. */
export interface RedisServer {
  readonly url: string
  readonly port: number
  /** Stops it as an operator would (SIGTERM: it writes its data and exits). */
  readonly stop: () => Promise<void>
  /** Kills it as a crash would (SIGKILL): what is not yet on disk is lost. */
  readonly kill: () => Promise<void>
  /** Starts it again on the same port and directory (after stop or kill), and waits until it answers. */
  readonly start: () => Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

/** Whether the server answers PING with PONG (not LOADING, not refused). */
const pong = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    let reply = ''
    const end = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => end(false))
    socket.on('error', () => end(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (d) => {
      reply += d.toString()
      if (reply.includes('\r\n')) end(reply.startsWith('+PONG'))
    })
  })

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()))

/**
 * Starts a server for the test `t` and stops it (and removes its directory) in `t`'s teardown. With
 * `persist`, every write is appended to a file and synced before the reply (appendfsync always), so a
 * restart, even after SIGKILL, finds all that was acknowledged.
 */
export const startRedis = async (t: Test, o: { readonly persist?: boolean } = {}): Promise<RedisServer> => {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'heatbath-redis-'))
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--daemonize', 'no', '--protected-mode', 'no', '--loglevel', 'warning', '--logfile', '']
  if (o.persist === true) args.push('--appendonly', 'yes', '--appendfsync', 'always')
  else args.push('--appendonly', 'no')
  let child: ChildProcess | null = null
  let output = ''
  const start = async (): Promise<void> => {
    output = ''
    const c = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child = c
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000))
    c.stdout?.on('data', keep)
    c.stderr?.on('data', keep)
    for (let waited = 0; !(await pong(port)); waited += 20) {
      if (c.exitCode !== null || waited > 10_000) throw new Error(`redis-server on port ${port} did not start: ${output}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  const signal = (s: NodeJS.Signals) => async (): Promise<void> => {
    const c = child
    if (c === null) return
    child = null
    c.kill(s)
    await exited(c)
  }
  await start()
  t.teardown(async () => {
    await signal('SIGKILL')()
    rmSync(dir, { recursive: true, force: true })
  })
  return { url: `redis://127.0.0.1:${port}`, port, stop: signal('SIGTERM'), kill: signal('SIGKILL'), start }
}

#!/usr/bin/env node
/**
 * The `heatbath` executable (package.json "bin"): runs the command with this process's arguments and
 * streams; an interrupt (Ctrl-C, or SIGTERM) asks a long run to stop between steps, a second one ends the process.
 *
 * @module
 */
import { main } from './main.js'

// Output that cannot be written ends the run at once (a command would otherwise go on computing for
// nobody), saying why, with a status a pipeline sees: a reader that stopped early (`heatbath sample … |
// head`) gives 141, 128 + SIGPIPE, as a shell reports `cat` killed by the closed pipe; a full disk gives 1.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  const why = e.code === 'EPIPE' ? 'the reader closed the pipe: EPIPE' : e.message
  process.stderr.write(`heatbath: stdout: the output was cut short (${why})\n`)
  process.exit(e.code === 'EPIPE' ? 141 : 1)
})
const interrupt = new AbortController()
process.once('SIGINT', () => {
  interrupt.abort()
  process.once('SIGINT', () => process.exit(130))
})
// A service manager's stop (SIGTERM) is asked for the same way: finish the step in hand and save.
process.once('SIGTERM', () => {
  interrupt.abort()
  process.once('SIGTERM', () => process.exit(143))
})
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() }, cwd: process.cwd(), signal: interrupt.signal })

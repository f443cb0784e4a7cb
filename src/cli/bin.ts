#!/usr/bin/env node
/**
 * The `heatbath` executable (package.json "bin"): runs the command with this process's arguments and
 * streams; an interrupt (Ctrl-C, or SIGTERM) asks a long run to stop between steps, a second one ends the process.
 *
 * @module
 */
import { main } from './main.js'

// A reader that stops early (`heatbath score … | head`) closes the pipe: that ends the output, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
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

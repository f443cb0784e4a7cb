/**
 * The `heatbath` command: a commander program with one subcommand per entry of the registry
 * (commands/index.ts). `main` parses the arguments, runs the subcommand and resolves to the exit status:
 * 0 when it succeeded, 2 for a bad input (an unknown flag, a bad value, a bad config file: the message
 * names the path, the value and what was expected), 1 when the run itself failed.
 *
 * @module
 */
import { Command, CommanderError } from 'commander'
import { version } from '../index.js'
import { exitStatus, type Io, UsageError } from './command.js'
import { subcommands } from './commands/index.js'

const description = "Energy-based models from the command line: train one on a toy or on your data, sample from it or from a catalogue energy, check chains (heatbath's or CmdStan's), score records.\n\nStart with: heatbath demo"

/** The commander program, its output sent to `io`; the subcommand that runs reports its name and exit status to `ran`. */
const program = (io: Io, ran: { name: string; status: number }): Command => {
  const root = new Command('heatbath')
    .description(description)
    .version(version, '-V, --version', 'the version of heatbath')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError('(heatbath <command> --help for its usage)')
    // Defaults are given as text (what a flag's value is); shown as written, not as JSON strings.
    .configureHelp({ optionDescription: (o) => (typeof o.defaultValue === 'string' ? `${o.description} (default: ${o.defaultValue})` : o.description) })
  for (const s of subcommands) {
    const c = s.configure(root.command(s.name).description(s.summary))
    c.action(async (...params: unknown[]) => {
      const self = params[params.length - 1] as Command
      ran.name = s.name
      ran.status = await s.run(self.args, self.opts(), io)
    })
  }
  return root
}

/**
 * Runs `heatbath` with the arguments after the program's name and resolves to the exit status. Errors
 * are written to `io.stderr` as `heatbath <command>: <message>`.
 *
 * @example
 * import assert from 'node:assert/strict'
 * import { main } from './main.js'
 * let out = ''
 * const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, stdin: (async function* () {})(), cwd: '.' }
 * assert.equal(await main(['--version'], io), 0)
 * assert.match(out, /^\d+\.\d+\.\d+\n$/)
 * assert.equal(await main(['sample', '--chians', '4'], io), 2) // an unknown flag
 */
export const main = async (argv: readonly string[], io: Io): Promise<number> => {
  const ran = { name: '', status: exitStatus.ok as number }
  try {
    await program(io, ran).parseAsync([...argv], { from: 'user' })
    return ran.status
  } catch (e) {
    // Commander has written its own message (or the help) already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? exitStatus.ok : exitStatus.usage
    const where = ran.name === '' ? 'heatbath' : `heatbath ${ran.name}`
    // A run stopped by an interrupt (its output files not yet written) exits as interrupted, not failed.
    const interrupted = e instanceof Error && e.name === 'AbortError'
    io.stderr.write(`${where}: ${interrupted ? 'interrupted: ' : ''}${e instanceof Error ? e.message : String(e)}\n`)
    if (interrupted) return exitStatus.interrupted
    if (e instanceof UsageError) return exitStatus.usage
    if (process.env.HEATBATH_DEBUG === '1' && e instanceof Error) io.stderr.write(`${e.stack}\n`)
    return exitStatus.failed
  }
}

/**
 * `heatbath --help` lists every subcommand of the registry, each subcommand has its own --help with an
 * example, and every file of src/cli/commands/ is in the registry (so a new subcommand cannot be left out
 * of the list by forgetting its line). `bench` runs a short measurement.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { subcommands } from '../../src/cli/commands/index.js'
import { version } from '../../src/index.js'
import { heatbath, inProcess, jsonLines, root } from './run.js'

t.test('heatbath --help, as a process, lists every subcommand with its summary', async (t) => {
  const ran = await heatbath(['--help'])
  t.same([ran.status, ran.stderr], [0, ''])
  t.match(ran.stdout, /^Usage: heatbath \[options\] \[command\]\n/)
  const flat = ran.stdout.replace(/\s+/g, ' ')
  for (const s of subcommands) t.ok(flat.includes(` ${s.name} `) && flat.includes(s.summary), `${s.name}: ${s.summary}`)
})

t.test('every subcommand has a --help with its usage, its flags and an example', async (t) => {
  for (const s of subcommands) {
    const ran = await inProcess([s.name, '--help'])
    t.equal(ran.status, 0, s.name)
    t.match(ran.stdout, new RegExp(`^Usage: heatbath ${s.name} `), `${s.name}: usage`)
    t.match(ran.stdout, /\nOptions:\n/, `${s.name}: its flags`)
    t.match(ran.stdout, new RegExp(`\\nExample:\\n  heatbath ${s.name}`), `${s.name}: an example`)
  }
  const viaHelp = await inProcess(['help', 'diagnose'])
  t.equal(viaHelp.status, 0)
  t.match(viaHelp.stdout, /^Usage: heatbath diagnose \[options\] <files\.\.\.>/)
  t.same(await inProcess(['--version']), { status: 0, stdout: `${version}\n`, stderr: '' })
})

t.test('the registry lists every file of src/cli/commands/, in the order of the help', async (t) => {
  const files = readdirSync(join(root, 'src', 'cli', 'commands'))
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .map((f) => f.replace(/\.ts$/, ''))
  t.same(subcommands.map((s) => s.name).sort(), files.sort())
  t.same(subcommands.map((s) => s.name), ['demo', 'train', 'sample', 'diagnose', 'score', 'hopfield', 'rbm', 'ising', 'watch', 'bench'])
})

t.test('bench measures the MLP gradient rate and the sampler rate', async (t) => {
  const ran = await inProcess(['bench', '--rounds', '1', '--seconds', '0.05', '--json'])
  t.equal(ran.status, 0, ran.stderr)
  const [line] = jsonLines(ran.stdout)
  t.equal(line.event, 'bench')
  t.ok((line.gradientsPerSecond as number) > 0 && (line.chainStepsPerSecond as number) > 0 && (line.gflops as number) > 0, JSON.stringify(line))
  const table = await inProcess(['bench', '--rounds', '1', '--seconds', '0.05'], { tty: true })
  t.match(table.stdout, /∇ₓE evaluations: [\d,]+ per second \([\d.]+ GFLOP\/s of matmuls\)\n {2}ULA chain steps: [\d,]+ per second/)
})

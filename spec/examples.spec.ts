/**
 * Every file in examples/ runs to completion and prints something.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')

for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'))) {
  t.test(`examples/${file} runs and prints what it shows`, async (t) => {
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, join('examples', file)], { cwd: root, timeout: 120_000 })
    t.ok(stdout.trim().length > 0, 'prints')
  })
}

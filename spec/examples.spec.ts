/**
 * Every file in examples/ runs to completion and prints something.
 *
 * The examples are imported in this process (through the same TypeScript loader as the specs) rather than
 * run under tsx in a child: the test runner instruments child processes too, and tsx's different
 * transpilation would be merged into the coverage of the same source files at wrong offsets.
 *
 * HEATBATH_EXAMPLE_QUICK=1 tells the examples that train or run long chains to shrink their budgets (fewer
 * steps and chains), so each runs in a few seconds here; run alone they use their full budgets.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.env.HEATBATH_EXAMPLE_QUICK = '1'

for (const file of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'))) {
  t.test(`examples/${file} runs and prints what it shows`, async (t) => {
    const printed: string[] = []
    const log = console.log
    console.log = (...args: unknown[]) => void printed.push(args.map(String).join(' '))
    try {
      await import(pathToFileURL(join(root, 'examples', file)).href)
    } finally {
      console.log = log
    }
    t.ok(printed.join('\n').trim().length > 0, `prints (${printed.length} lines)`)
  })
}

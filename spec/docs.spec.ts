/**
 * Every example in the documentation runs: the @example blocks of the TSDoc comments in src/ and the
 * ```ts blocks of README.md and docs/*.md. An example that throws fails this test.
 *
 * Examples import from 'heatbath' (docs) or relative paths (TSDoc); both are rewritten to absolute URLs
 * of the sources. An example whose only import is node:assert/strict sees the package root's namespaces
 * (ir, rng, ...) as globals, and a TSDoc example also sees the exports of its own module.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import t from 'tap'
import ts from 'typescript'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const rootIndex = pathToFileURL(join(root, 'src', 'index.ts')).href

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : []
  })

/** The @example blocks of a TypeScript source's doc comments. */
const tsdocExamples = (source: string): string[] => {
  const out: string[] = []
  for (const comment of source.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const lines = comment.split('\n').map((l) => l.replace(/^\s*\/?\*+\/?\s?/, '').replace(/\*\/\s*$/, ''))
    for (let i = 0; i < lines.length; i++) {
      const m = /@example\s*(.*)$/.exec(lines[i])
      if (!m) continue
      const block: string[] = m[1].trim() ? [m[1]] : []
      for (i++; i < lines.length && !/^@\w+/.test(lines[i].trim()); i++) block.push(lines[i])
      i--
      const code = block.join('\n').replace(/```\w*/g, '').trim()
      if (code) out.push(code)
    }
  }
  return out
}

/** The ```ts blocks of a Markdown file. */
const markdownExamples = (text: string): string[] => [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1])

const run = async (code: string, fromDir: string, self?: string) => {
  // the assert import alone leaves the globals in place, so short examples stay short
  const hasImport = /^\s*import\s(?!.*from\s+'node:assert\/strict')/m.test(code)
  let body = code
    .replace(/from\s+'heatbath'/g, `from '${rootIndex}'`)
    .replace(/from\s+'(\.{1,2}\/[^']+)'/g, (_m, p: string) => `from '${pathToFileURL(join(fromDir, p)).href}'`)
    // bare package names (fp-ts, rxjs, ...) resolve from the project, as they would for a user
    .replace(/from\s+'([^'./][^':]*)'/g, (_m, p: string) => `from '${import.meta.resolve(p)}'`)
  if (!hasImport) {
    const own = self === undefined ? [] : Object.keys(await import(pathToFileURL(self).href))
    const rootNames = Object.keys(await import(rootIndex)).filter((k) => !own.includes(k))
    const selfLine = self === undefined ? '' : `import * as __self from '${pathToFileURL(self).href}'\nconst { ${own.join(', ')} } = __self as any\n`
    body = `import * as __root from '${rootIndex}'\nconst { ${rootNames.join(', ')} } = __root as any\n${selfLine}${body}`
  }
  const js = ts.transpileModule(body, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  await import(`data:text/javascript;base64,${Buffer.from(js).toString('base64')}`)
}

for (const file of files(join(root, 'src'), '.ts')) {
  const examples = tsdocExamples(readFileSync(file, 'utf8'))
  if (examples.length === 0) continue
  t.test(`the examples of ${relative(root, file)} run`, async (t) => {
    for (const [i, code] of examples.entries()) {
      await t.resolves(run(code, dirname(file), file), `example ${i + 1}: ${code.split('\n')[0]}`)
    }
  })
}

const docs = [join(root, 'README.md'), ...files(join(root, 'docs'), '.md')]
for (const file of docs) {
  const examples = markdownExamples(readFileSync(file, 'utf8'))
  if (examples.length === 0) continue
  t.test(`the examples of ${relative(root, file)} run`, async (t) => {
    for (const [i, code] of examples.entries()) {
      await t.resolves(run(code, dirname(file)), `block ${i + 1}: ${code.split('\n')[0]}`)
    }
  })
}

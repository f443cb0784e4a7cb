/**
 * The architecture's rules, read from the sources: a folder of src/ is a layer and imports point downward
 * (README's Layout); rxjs only in src/stream, io-ts only in src/io and src/cli, the native addon loaded only
 * by src/backend; randomness only from the seeded Philox streams.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')

/** Each layer's height: a file may import its own folder and folders of the same or a lower height. */
const height: Readonly<Record<string, number>> = {
  check: 0,
  ir: 1,
  rng: 1,
  backend: 2,
  energy: 3,
  data: 3,
  io: 4,
  sampler: 5,
  diagnostics: 5,
  hopfield: 5,
  train: 6,
  rbm: 6,
  stream: 7,
  viz: 8,
  testing: 8,
  cli: 9,
}

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })

/** The import specifiers of a source, examples in doc comments left out. */
const importsOf = (text: string): string[] => {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '')
  return [...code.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1])
}

const folderOf = (file: string): string => relative(src, file).split('/')[0]

const sources = files(src).filter((f) => folderOf(f) !== 'index.ts')

t.test('every folder of src/ has a place in the layers', async (t) => {
  const folders = readdirSync(src).filter((f) => statSync(join(src, f)).isDirectory())
  t.same(folders.filter((f) => !(f in height)), [], 'folders without a layer')
})

t.test('imports between folders point downward', async (t) => {
  const upward: string[] = []
  for (const file of sources) {
    const from = folderOf(file)
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue
      const to = relative(src, join(dirname(file), spec)).split('/')[0]
      if (to === from || !(to in height)) continue
      if (height[to] > height[from]) upward.push(`${relative(src, file)} imports ${spec} (${from} → ${to})`)
    }
  }
  t.same(upward, [], 'imports from a higher layer')
})

t.test('rxjs only in src/stream, io-ts only in src/io and src/cli', async (t) => {
  const misplaced: string[] = []
  for (const file of sources) {
    const folder = folderOf(file)
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if ((spec === 'rxjs' || spec.startsWith('rxjs/')) && folder !== 'stream') misplaced.push(`${relative(src, file)}: ${spec}`)
      if ((spec === 'io-ts' || spec.startsWith('io-ts/')) && folder !== 'io' && folder !== 'cli') misplaced.push(`${relative(src, file)}: ${spec}`)
    }
  }
  t.same(misplaced, [])
})

t.test('only src/backend loads the native addon, and nothing uses Math.random', async (t) => {
  const found: string[] = []
  for (const file of sources) {
    const text = readFileSync(file, 'utf8')
    if (/createRequire|\.node['"]/.test(text) && folderOf(file) !== 'backend') found.push(`${relative(src, file)} loads a native module`)
    if (/Math\.random/.test(text)) found.push(`${relative(src, file)} uses Math.random`)
  }
  t.same(found, [])
})

t.test('the rules catch what they are about', async (t) => {
  t.same(importsOf("import { a } from './x.js'\nexport { b } from '../y.js'\n/** import { c } from '../z.js' */"), ['./x.js', '../y.js'])
})

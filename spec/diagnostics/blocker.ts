/** The CmdStan chains of spec/fixtures/arviz-reference/ and R posterior's reference values for them. */
import { readFileSync } from 'node:fs'

export const referenceDir = new URL('../fixtures/arviz-reference/', import.meta.url)

/** A CmdStan CSV chain by column: # lines are comments, the first other line is the header; columns ending in __ are dropped. */
export const readChain = (file: string): Map<string, number[]> => {
  const lines = readFileSync(new URL(file, referenceDir), 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  const header = lines[0].split(',')
  const rows = lines.slice(1).map((l) => l.split(',').map(Number))
  return new Map(header.flatMap((name, j) => (name.endsWith('__') ? [] : [[name, rows.map((r) => r[j])]])))
}

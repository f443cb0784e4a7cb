import t from 'tap'
import { version } from '../src/index.js'

t.test('the package root reports its version', async (t) => {
  t.match(version, /^\d+\.\d+\.\d+$/)
})

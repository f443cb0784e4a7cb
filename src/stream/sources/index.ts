/**
 * Sources of live records, one a file: each a pullable Observable of decoded records with their
 * positions and acknowledgements (record.ts says what every source shares).
 *
 * @module
 */
export { type SourceRecord, type Source, type DeadLetter, type SourceOptions } from './record.js'
export { fromAsyncIterable, type IndexPosition } from './async-iterable.js'
export { fromReadable, type ReadableSourceOptions } from './readable.js'
export { type LineOptions, type LinePosition } from './lines.js'
export { tailFile, type TailOptions, type TailEvent, type FilePosition, type FileIdentity } from './tail-file.js'
export { fromRedisStream, type RedisStreamOptions } from './redis.js'
export { type EntryPosition, type RedisEvent } from './redis-connection.js'

/**
 * Input and output at the edge: the safetensors format, saving and loading an energy's parameters,
 * training checkpoints, and the codecs live records are decoded with (`io.records`).
 *
 * @module
 */
export { type TensorDtype, type Tensor, type Safetensors, encode as encodeSafetensors, decode as decodeSafetensors } from './safetensors.js'
export { type DecodeOptions, type Loaded, parametersFormat, parametersVersion, encodeParameters, decodeParameters, save, load, writeAtomically } from './parameters.js'
export { type Checkpoint, type CheckpointMeta, type CheckpointState, type DataPosition, type EncodedCheckpoint, type SourceCheckpoint, checkpointFormat, checkpointVersion, encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint, sha256 } from './checkpoint.js'
export { pseudoFilesystem } from './pseudo-filesystems.js'
export * as records from './records.js'
export { type RecordCodec, type Rejection } from './records.js'

/**
 * Input and output at the edge: the safetensors format, saving and loading an energy's parameters, and
 * training checkpoints.
 *
 * @module
 */
export { type Dtype, type Tensor, type Safetensors, encode as encodeSafetensors, decode as decodeSafetensors } from './safetensors.js'
export { type DecodeOptions, type Loaded, parametersFormat, parametersVersion, encodeParameters, decodeParameters, save, load, writeAtomically } from './parameters.js'
export { type Checkpoint, type CheckpointMeta, type CheckpointState, type DataPosition, type EncodedCheckpoint, checkpointFormat, checkpointVersion, encodeCheckpoint, decodeCheckpoint, saveCheckpoint, loadCheckpoint, sha256 } from './checkpoint.js'

/**
 * Input and output at the edge: the safetensors format, and saving and loading an energy's parameters.
 *
 * @module
 */
export { type Dtype, type Tensor, type Safetensors, encode as encodeSafetensors, decode as decodeSafetensors } from './safetensors.js'
export { type DecodeOptions, type Loaded, parametersFormat, parametersVersion, encodeParameters, decodeParameters, save, load, writeAtomically } from './parameters.js'

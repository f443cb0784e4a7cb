// Draws for many consecutive streams at once: the same values as philox::draws (and src/rng's uniforms and
// normals), bit for bit, computed in SIMD lanes, one stream per lane. The native sampler loop gives chain
// c stream c and every chain of a step the same draw indices, so a block of chains is a block of lanes.
//
// Lane-wise code performs the scalar code's IEEE operations in the same order (+, −, ×, ÷, sqrt and floor
// are correctly rounded, so each lane rounds exactly as the scalar code does); exponents, mantissas and
// integer conversions are done with exact integer lane operations. No fused multiply-adds (the addon is
// compiled with -ffp-contract=off and no FMA intrinsic is used), no -ffast-math.
//
// The AVX-512 and AVX2 versions are compiled under target attributes and chosen at run time like the
// kernels (kernels.h: the instruction set in use, which HEATBATH_ISA may lower); elsewhere the scalar
// philox.h code runs.
#pragma once
#include <cstdint>

namespace hb {
namespace normals {

enum class Kind : int { Normal = 0, Uniform = 1, LogUniform = 2 };

// out[i·stride + j] = draw start + j of stream firstStream + i under seed, for i < streams and j < count:
// a standard normal, a uniform in (0, 1), or the log of that uniform by philox::log (the Metropolis test).
// Arguments are trusted: seed, streams and draw indices below 2^53, stride ≥ count.
void acrossStreams(Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride);

inline void normalsAcrossChains(uint64_t seed, uint64_t firstChain, int64_t chains, uint64_t start, int64_t count, double* out, int64_t stride) {
  acrossStreams(Kind::Normal, seed, firstChain, chains, start, count, out, stride);
}
inline void uniformsAcrossChains(uint64_t seed, uint64_t firstChain, int64_t chains, uint64_t start, int64_t count, double* out, int64_t stride) {
  acrossStreams(Kind::Uniform, seed, firstChain, chains, start, count, out, stride);
}
inline void logUniformsAcrossChains(uint64_t seed, uint64_t firstChain, int64_t chains, uint64_t start, int64_t count, double* out, int64_t stride) {
  acrossStreams(Kind::LogUniform, seed, firstChain, chains, start, count, out, stride);
}

// The same with a named implementation ("avx512", "avx2" or "generic"), for the tests; false when this
// machine or build lacks it.
bool acrossStreamsWith(const char* isa, Kind kind, uint64_t seed, uint64_t firstStream, int64_t streams, uint64_t start, int64_t count, double* out, int64_t stride);

// The implementation acrossStreams uses.
const char* isa();

}  // namespace normals
}  // namespace hb

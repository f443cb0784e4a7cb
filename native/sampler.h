// The native sampler loop: any flattened sampler program (src/sampler/program.ts, encoded by
// src/sampler/native.ts) run for K steps over every chain without returning to JavaScript. It follows the
// reference runner (src/sampler/reference.ts) instruction for instruction and draw for draw, so float64
// runs agree with it to rounding, and results never depend on the thread count.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor.h"

namespace hb {

// A schedule over steps: constant (a), or linear / geometric / cosine from a to b over `steps` steps.
struct SamplerSchedule {
  int kind = 0;  // 0 constant, 1 linear, 2 geometric, 3 cosine
  double a = 0, b = 0, steps = 1;
  double at(int64_t step) const;
};

enum SamplerOp : int { S_DRIFT, S_NOISE, S_CLAMP, S_MOMENTUM, S_KICK, S_MOVE, S_LEAPFROG, S_PROPOSE, S_ACCEPT, S_SKIP, S_OP_COUNT };

// One instruction; which fields mean what is listed per op in src/sampler/native.ts (`encodeProgram`).
struct SamplerInstruction {
  int op = 0;
  int64_t draw = 0;
  int flag = 0;            // noise: record the forward density; momentum: has friction; accept: correction
  double p1 = 0, p2 = 0;   // drift/accept: clip (0 none); clamp: low, high; momentum: friction; skip: period, length
  int noiseKind = 0;       // 0: σ = scale; 1: σ = √(2hT)
  SamplerSchedule A, B, C, D;
};

// Numbers per encoded instruction.
constexpr int SAMPLER_RECORD = 22;

struct SamplerProgram {
  std::vector<SamplerInstruction> instructions;
  int64_t drawsPerStep = 0;
};

// Decodes and checks an encoded program for configurations of `dimension` numbers.
bool decodeSampler(const double* data, size_t length, int64_t drawsPerStep, int64_t dimension, SamplerProgram& out, std::string& error);

// The chains' state, owned by JavaScript; row-major [chains × dimension] where it has a dimension.
template <class T>
struct SamplerState {
  T* x;
  T* p;
  T* energy;
  T* gradient;
  uint8_t* alive;
  double* proposed;
  double* accepted;
  int32_t* fresh;  // [0]: whether energy and gradient belong to x
};

struct SamplerRun {
  std::shared_ptr<const Executable> exe;
  // Optional: a tape with the same feeds whose only output is the gradient. Programs without a Metropolis
  // test evaluate it between snapshots (the energy is not needed there) and exe only to finish a run.
  std::shared_ptr<const Executable> gradientExe;
  std::vector<const void*> feeds;  // the tape's feeds in order; feeds[xFeed] is replaced by the state's x
  int xFeed = 0;
  int energyOutput = 0, gradientOutput = 1;
  int64_t chains = 0, dimension = 0;
  uint64_t seed = 0;
  int64_t from = 0, to = 0;
  int threads = 1;
  const volatile int32_t* cancel = nullptr;
};

// Runs steps from … to − 1, then makes energy and gradient current. False with `error` "cancelled" when the
// cancel flag was raised (between steps), or another message when the executor fails.
template <class T>
bool runSampler(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& state, std::string& error);

}  // namespace hb

// The native executor's C++ API: what the N-API entry points (addon.cc) and native sampler loops
// (sampler.cc, to come) call. JavaScript never reaches past addon.cc; native loops call this header
// directly and never cross into JavaScript.
//
// Usage from a native loop (no allocation after the first call):
//
//   std::string error;
//   std::shared_ptr<const hb::Executable> exe = hb::findExecutable(handle);   // a tape loaded from JS
//   hb::SessionLease<float> session(exe);                                     // a workspace for float32
//   const float* feeds[] = {x, W1, b1, ...};     // in the tape's feed order, sizes as the tape says
//   float* outputs[] = {energy, gradient};       // in the tape's output order
//   hb::RunOptions options;                      // threads, cancel flag
//   for (int step = 0; step < steps; step++) {
//     if (!session->run(feeds, outputs, options, error)) break;   // false: cancelled or out of memory
//     ... update x in place from gradient, draw noise with philox.h ...
//   }
//
// A Session may run on any thread but on one at a time; SessionLease takes one from (and returns it to)
// the executable's pool, so concurrent calls each get their own.
//
// Design (docs/native.md has the long form): the tape is analysed once. The batch is the leading extent
// B of the first input. An instruction is row-local when row i of its result depends only on row i of its
// batched operands (elementwise ops, x·W with W not batched, reductions and shape ops that keep axis 0);
// maximal groups of row-local instructions form segments that run block by block, a fixed number of rows
// per block, blocks spread over the threads. Everything else (reductions over the batch, Aᵀ·B with the
// batch contracted, parameter-only work) runs on whole arrays between segments, parallel inside its
// kernel over a fixed partition. Every element is computed by the same operations in the same order
// whatever the thread count or block size, so results are bitwise identical for any of them.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "program.h"

namespace hb {

struct RunOptions {
  int threads = 0;    // 0: chosen from the amount of work (up to the hardware threads)
  int blockRows = 0;  // 0: the plan's fixed choice; any value gives the same bits (tests vary it)
  const volatile int32_t* cancel = nullptr;  // checked between blocks and instructions; nonzero stops
  // ≥ 0: since this session's previous run only this feed changed (the other feeds are the same arrays
  // with the same contents), so work that depends on them alone, the packed matmul weights, is reused.
  // A sampler loop passes its x feed from its second step on. −1 (the default): nothing is reused.
  int onlyChangedFeed = -1;
  // > 0: only the first `rows` rows of the batch are wanted (a NUTS round evaluates the chains still
  // building, packed into the first rows). When rowsIndependent(), row segments run on those rows alone
  // and outputs are copied for them; otherwise every row is computed. Rows never change each other's bits.
  int64_t rows = 0;
};

struct Plan;
template <class T>
class Session;

// A validated, analysed tape; immutable and shared.
class Executable : public std::enable_shared_from_this<Executable> {
 public:
  // Decodes, validates and analyses an encoded tape; nullptr with `error` set when it is malformed.
  static std::shared_ptr<Executable> create(const double* encoded, size_t length, std::string& error);
  const Program& program() const { return program_; }
  const Plan& plan() const { return *plan_; }
  int64_t batch() const;  // B, or −1 when the tape has no batched input
  // Whether every output's row i depends on row i of the batched inputs alone (per-chain energies: no
  // value computed on whole arrays reads a batched input), so that the rows past RunOptions::rows may be
  // left out.
  bool rowsIndependent() const;
  ~Executable();

  std::unique_ptr<Session<float>> takeSession32() const;
  std::unique_ptr<Session<double>> takeSession64() const;
  void giveBack(std::unique_ptr<Session<float>> s) const;
  void giveBack(std::unique_ptr<Session<double>> s) const;

 private:
  Program program_;
  std::unique_ptr<Plan> plan_;
  mutable std::mutex lock_;
  mutable std::vector<std::unique_ptr<Session<float>>> idle32_;
  mutable std::vector<std::unique_ptr<Session<double>>> idle64_;
};

// Buffers for one dtype (float or double) and the code that runs the plan in them.
template <class T>
class Session {
 public:
  explicit Session(std::shared_ptr<const Executable> exe);
  // Runs the tape: feeds[i] has program().feeds[i].shape's size, outputs[i] program().outputs[i]'s.
  // Pointers are trusted (validate at the boundary). Returns false with `error` when cancelled ("cancelled")
  // or when the buffers cannot be allocated.
  bool run(const T* const* feeds, T* const* outputs, const RunOptions& options, std::string& error);
  ~Session();

 private:
  struct State;  // buffers, constants, packed weights (session.cc)
  struct Run;    // one run's work (session.cc)
  std::shared_ptr<const Executable> exe_;
  std::unique_ptr<State> state_;
};

// RAII: a session from the executable's pool, returned on destruction.
template <class T>
class SessionLease {
 public:
  explicit SessionLease(std::shared_ptr<const Executable> exe);
  ~SessionLease();
  Session<T>* operator->() { return session_.get(); }

 private:
  std::shared_ptr<const Executable> exe_;
  std::unique_ptr<Session<T>> session_;
};

// The process-wide cache of loaded tapes, keyed by the tape's hash; handles are small integers.
// `load` returns the existing handle when the same hash and encoding were loaded before.
int loadExecutable(const std::string& hash, const double* encoded, size_t length, std::string& error);
std::shared_ptr<const Executable> findExecutable(int handle);

}  // namespace hb

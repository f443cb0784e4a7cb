// The native sampler loop: any flattened sampler program (src/sampler/program.ts, encoded by
// src/sampler/native.ts) run for K steps over every chain without returning to JavaScript. It follows the
// reference runner (src/sampler/reference.ts) instruction for instruction and draw for draw, so float64
// runs agree with it to rounding, and results never depend on the thread count.
//
// Each instruction has one handler in the table of sampler_blocks.cc: its name, the fields of its record,
// and a decode that checks them and builds the instruction that runs. The addon reports that table
// (`samplerInstructions()`), and TypeScript encodes programs by name through it.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "executor.h"
#include "sampler_metric.h"

namespace hb {

// A schedule over steps: constant (a), or linear / geometric / cosine from a to b over `steps` steps.
struct SamplerSchedule {
  int kind = 0;  // an index into samplerScheduleKinds()
  double a = 0, b = 0, steps = 1;
  double at(int64_t step) const;
};

// The schedule kinds in code order, and the noise-scale kinds (σ given, or σ = √(2hT)).
const std::vector<std::string>& samplerScheduleKinds();
const std::vector<std::string>& samplerNoiseKinds();

// σ of a noise field: `first` itself (kind 0, a scale), or √(2·first·second) (kind 1: h and T).
struct SamplerNoise {
  int kind = 0;
  SamplerSchedule first, second;
  double at(int64_t step) const;
};

// What a record field holds, and how many numbers it takes: a number (1), one of a few names (1: its
// index), a schedule (4: kind, a, b, steps), a noise scale (9: kind, then two schedules).
enum class FieldKind { Number, Choice, Schedule, Noise };
int fieldWidth(FieldKind kind);
const char* fieldKindName(FieldKind kind);

struct SamplerField {
  SamplerField(std::string n, FieldKind k, std::vector<std::string> c = {}) : name(std::move(n)), kind(k), choices(std::move(c)) {}
  std::string name;
  FieldKind kind;
  std::vector<std::string> choices;  // a choice's names, in code order
  int offset = 0;                    // where its numbers start in the record (the op code is at 0)
};

// The NUTS sums a chain keeps (src/sampler/blocks/nuts-tree.ts's treeColumns): transitions, tree depth,
// leapfrog steps, divergences, maximum-depth hits.
constexpr int64_t TREE_COLUMNS = 5;

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
  double* trees;   // NUTS transitions' sums per chain [chains × TREE_COLUMNS]
  int32_t* fresh;  // [0]: whether energy and gradient belong to x
};

template <class T>
class SamplerLoop;

// The step being run and the index of its first draw, t·drawsPerStep.
struct SamplerStep {
  int64_t t;
  uint64_t base;
};

// One decoded instruction. `run` updates every chain of the loop at step `s`; `next` holds the index of
// the instruction after it on entry, and an instruction that jumps (skip) or runs its successor with
// itself (a drift fused with the noise after it) moves it on.
class SamplerInstruction {
 public:
  virtual ~SamplerInstruction() = default;
  virtual bool run(SamplerLoop<float>& loop, const SamplerStep& s, size_t& next, std::string& error) const = 0;
  virtual bool run(SamplerLoop<double>& loop, const SamplerStep& s, size_t& next, std::string& error) const = 0;
  // Called once the program is decoded, with the instruction after this one (or null).
  virtual void link(const SamplerInstruction* next) { (void)next; }
  // Whether a program holding it needs the energy at every step (a Metropolis test), not only ∇E.
  virtual bool needsEnergy() const { return false; }
  // Its handler's name (set by decodeSampler).
  std::string op;
};

struct SamplerProgram {
  std::vector<std::unique_ptr<SamplerInstruction>> instructions;
  int64_t drawsPerStep = 0;
  bool needsEnergy = false;
};

// A record being decoded: its fields read by name and checked as they are read. A failed check records
// the first error (naming the instruction and the field) and reads go on harmlessly; `done` then gives
// the instruction, or null.
class SamplerRecord {
 public:
  SamplerRecord(const double* data, const std::vector<SamplerField>& fields, std::string where, int64_t dimension, int64_t drawsPerStep);
  double number(const char* name);          // any finite number
  double nonNegative(const char* name);     // a finite number ≥ 0
  int64_t integer(const char* name, int64_t low, int64_t high);
  int choice(const char* name);             // the index of one of the field's choices
  SamplerSchedule schedule(const char* name);
  SamplerNoise noise(const char* name);
  // A mass matrix: the choice field `kind` and the number field `at`, its offset in the metric table
  // (which must hold its Σ and F there).
  SamplerMetric metric(const char* kind, const char* at);
  // A draw offset for `count` draws a step: even, and the range within the step's draws.
  int64_t draw(const char* name, int64_t count);
  int64_t dimension() const { return dimension_; }
  // Records an error about the instruction as a whole.
  void fail(const std::string& message);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  template <class I>
  std::unique_ptr<SamplerInstruction> done(std::unique_ptr<I> ins) {
    if (!ok()) return nullptr;
    return std::unique_ptr<SamplerInstruction>(std::move(ins));
  }

  // Program-wide facts the handlers keep: the index of this record and the program's length (a skip's
  // jump must land inside), and whether a Metropolis proposal is open (propose … accept).
  size_t index = 0, count = 0;
  bool* proposalOpen = nullptr;
  // The program's metric table (src/sampler/metric.ts), owned by the caller for the run.
  const double* metricTable = nullptr;
  size_t metricLength = 0;

 private:
  const double* at(const char* name, FieldKind kind);
  void failField(const char* name, const std::string& message);
  const double* data_;
  const std::vector<SamplerField>& fields_;
  std::string where_;
  int64_t dimension_, drawsPerStep_;
  std::string error_;
};

struct SamplerHandler {
  std::string name;
  std::vector<SamplerField> fields;  // offsets assigned by the table
  std::unique_ptr<SamplerInstruction> (*decode)(SamplerRecord& record);
};

// The handlers in code order (an op code is an index here), with their fields' offsets, and the record
// size: one more than the widest handler's fields.
const std::vector<SamplerHandler>& samplerHandlers();
int samplerRecordSize();

// The discrete blocks' handlers (sampler_discrete.cc), appended to the table.
std::vector<SamplerHandler> discreteHandlers();
// The no-U-turn sampler's handler (sampler_nuts.cc).
SamplerHandler nutsHandler();

// Decodes and checks an encoded program for configurations of `dimension` numbers, with its metric table.
bool decodeSampler(const double* data, size_t length, int64_t drawsPerStep, int64_t dimension, SamplerProgram& out, std::string& error,
                   const double* metric = nullptr, size_t metricLength = 0);

// Where a call records the chains at its snapshots: after every `every` steps from `from`, and at `to`.
// Slot k of each array holds `slotChains` chains (the whole set's), the call's block from chain `first` on,
// each as the state holds it once the snapshot's E and ∇E are current. A null proposed, accepted or trees is
// not recorded. every = 0: the call records nothing.
struct SamplerRecording {
  int64_t every = 0;
  int64_t slotChains = 0, first = 0;
  void* x = nullptr;
  void* energy = nullptr;
  void* gradient = nullptr;
  uint8_t* alive = nullptr;
  double* proposed = nullptr;
  double* accepted = nullptr;
  double* trees = nullptr;
};

struct SamplerRun {
  std::shared_ptr<const Executable> exe;
  // Optional: a tape with the same feeds whose only output is the gradient. Programs without a Metropolis
  // test evaluate it between snapshots (the energy is not needed there) and exe only to finish a run.
  std::shared_ptr<const Executable> gradientExe;
  std::vector<const void*> feeds;  // the tape's feeds in order; feeds[xFeed] is replaced by the state's x
  std::vector<int64_t> feedSizes;  // their lengths (what a discrete handler checks its parameters against)
  int xFeed = 0;
  int energyOutput = 0, gradientOutput = 1;
  int64_t chains = 0, dimension = 0;
  // The stream of the run's chain 0: a run may be one block of a larger set of chains, each chain keeping
  // its own Philox stream (its index in the whole set) whatever the block it is run in.
  uint64_t firstChain = 0;
  uint64_t seed = 0;
  int64_t from = 0, to = 0;
  int threads = 1;
  const volatile int32_t* cancel = nullptr;
  SamplerRecording recording;
};

// Runs steps from … to − 1, then makes energy and gradient current, recording the chains at each snapshot
// of the run's recording. False with `error` "cancelled" when the cancel flag was raised (between steps),
// or another message when the executor fails.
template <class T>
bool runSampler(const SamplerProgram& program, const SamplerRun& run, SamplerState<T>& state, std::string& error);

}  // namespace hb

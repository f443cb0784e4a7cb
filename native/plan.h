// The executor's plan of a tape (internal to the executor; executor.h is the public API): the tape
// rewritten (rewrite.cc), its values classified row-local or whole, its instructions grouped into
// row segments and whole steps (plan.cc), elementwise runs fused into groups and chains (fuse.cc), and
// buffers assigned by liveness. A session (session.cc) runs it.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "program.h"

namespace hb {

// Buffers of one workspace may total at most this many elements (a hostile tape cannot ask for more).
constexpr int64_t MAX_WORKSPACE = int64_t(1) << 28;
// Rows per task of a matmul outside segments, and elements per task of a large elementwise op.
constexpr int64_t MATMUL_ROWS = 64;
constexpr int64_t CHUNK = 1 << 15;

enum ValueKind { FEED, CONSTANT, TEMP, SCRATCH };  // SCRATCH: lives only in a fused group's tiles

struct Value {
  ValueKind kind;
  int index;  // feed or constant index, or buffer index for TEMP
  Shape shape;
  int64_t size;
  bool rows;  // row-local in the batch (its row i depends on row i of the batched inputs only)
};

struct Step {
  bool segment;                // a row-local segment (run block by block) or one whole instruction
  std::vector<int> instrs;     // indices into Plan::instrs
  int64_t blockRows = 0;
  std::vector<int> items;      // segment: an instruction index, or −(g + 1) for fused group g
};

// A fused group: consecutive elementwise instructions of a segment over one shape, run tile by tile (a
// few rows at a time) so that values used only inside the group never leave the L1 cache.
struct FusedOperand {
  enum Kind { SCRATCH_TILE, ROWS, SCALAR, ONE_ROW } kind;  // ONE_ROW: a row-shaped value read for every row
  int value;
  int scratch;
};
struct FusedOp {
  int instr;
  int nargs;
  FusedOperand args[2];
  int outScratch;  // −1: written to the value's buffer
  int outValue;
  // A chain (KernelTable::chain): on its first op, the number of ops in it (≥ 2); −1 on the ops it
  // covers after the first; 0 for an op run by itself.
  int chain = 0;
  // In a chain, before its last op: the value is also stored (ops outside the chain, or later steps of
  // it as a side operand, read it).
  bool tee = false;
};
struct Group {
  std::vector<FusedOp> ops;
  int64_t rowLen = 0, tileRows = 1;
  int scratchCount = 0;
};

struct PlannedInstruction {
  const Instruction* ins;
  std::vector<int> args;       // value ids
  std::vector<char> sliced;    // per arg, in a segment: read the block's rows (else the whole value)
  int out;                     // value id
  bool rows;
  int transposedFrom = -1;     // a matmul whose B is Wᵀ of a matrix: W's value id (packed from W directly)
  int productOf[2] = {-1, -1};  // a matmul whose A is u ⊙ v read only by it: u and v (multiplied as it loads them)
};

struct Plan {
  int64_t batch = -1;
  std::vector<Value> values;
  std::vector<PlannedInstruction> instrs;
  std::vector<Step> steps;
  std::vector<int64_t> buffers;  // sizes of the TEMP buffers (in elements)
  std::vector<int> outputs;      // value ids
  std::vector<Group> groups;
  std::deque<Instruction> rewritten;  // the instructions the plan runs (see rewrite.cc)
  double work = 0;               // rough operation count, for the default thread count
  std::vector<uint64_t> feedsOf;  // per value: bit f set when it depends on feed f (feeds past 63: all bits)
  int64_t epilogueRows = 24;     // rows of a matmul, then of the fused group after it, in turn
};

inline int64_t rowSize(const Value& v, int64_t batch) { return batch > 0 ? v.size / batch : 0; }

// Analyses a validated program once: the plan every session of it runs.
std::unique_ptr<Plan> analyse(const Program& prog);

// rewrite.cc: the program's instructions rewritten into `code` for the plan, each rewrite keeping every
// element's operations and their order (so the bits); `slots` grows by the fresh slots they use. An
// instruction with op −1 is an alias: its out slot holds the value of its args[0].
void rewrite(const Program& prog, std::deque<Instruction>& code, int& slots, int64_t batch);

// fuse.cc: elementwise instructions of each segment moved next to the run of their shape that can take
// them, then those runs fused into groups, and within groups into chains.
void hoistElementwise(Plan& p);
void fuse(Plan& p);

}  // namespace hb

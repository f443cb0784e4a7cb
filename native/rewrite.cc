// Rewrites of a tape before it is planned (plan.h, `rewrite`). Each keeps every element's operations and
// their order, so results keep their bits; what they save is passes over memory and transcendental work.
#include <algorithm>
#include <map>
#include <set>

#include "plan.h"

namespace hb {

namespace {

// A derivative of silu(x) = x·σ(x) needs σ(x) again: where a tape computes silu(v) and later sigmoid(v)
// of the same value, silu becomes σ(v) into a fresh slot and v·σ(v) (the same operations the silu kernel
// does, so the same bits), and the later sigmoid reads that slot instead of evaluating e^x a second time.
// op −1 marks such an alias (args[0] is the slot it stands for).
void shareSigmoid(const Program& prog, std::deque<Instruction>& out, int& slots) {
  using Key = std::pair<int, long>;  // a slot and how many times it had been written: one value
  std::vector<long> version(prog.slots.size(), 0);
  std::set<Key> sigmoidOf;
  for (const Instruction& ins : prog.instructions) {
    if (ins.op == SIGMOID) sigmoidOf.insert({ins.args[0], version[ins.args[0]]});
    version[ins.out]++;
  }
  std::fill(version.begin(), version.end(), 0);
  std::map<Key, int> held;  // value → the fresh slot holding its sigmoid
  for (const Instruction& ins : prog.instructions) {
    Key key{ins.args[0], version[ins.args[0]]};
    if (ins.op == SILU && sigmoidOf.count(key) && !held.count(key)) {
      int t = slots++;
      Instruction sigma = ins;
      sigma.op = SIGMOID;
      sigma.out = t;
      out.push_back(sigma);
      Instruction product = ins;
      product.op = MUL;
      product.args = {ins.args[0], t};
      product.argShapes = {ins.argShapes[0], ins.shape};
      out.push_back(product);
      held[key] = t;
    } else if (ins.op == SIGMOID && held.count(key)) {
      Instruction alias = ins;
      alias.op = -1;
      alias.args = {held[key]};
      out.push_back(alias);
    } else {
      out.push_back(ins);
    }
    version[ins.out]++;
  }
}

// A reshape that keeps the batch axis leading changes no element's place: its result becomes an alias of
// its operand (op −1, as in shareSigmoid), read in place by every consumer, each through its own argument
// shape, and no copy runs. Liveness follows, since aliases share the operand's value.
void aliasReshapes(std::deque<Instruction>& code, int64_t B) {
  if (B <= 0) return;
  for (Instruction& ins : code)
    if (ins.op == RESHAPE && !ins.shape.empty() && ins.shape[0] == B && !ins.argShapes[0].empty() && ins.argShapes[0][0] == B) ins.op = -1;
}

// Who produced each operand of the rewritten code and who reads each result, through the aliases (op −1)
// the rewrites leave: producer[i][j] is the instruction whose value operand j of i reads (−1: a feed or
// constant), readers[w] the (instruction, operand) pairs that read w's value, output[w] whether it is
// one of the program's outputs.
struct Dataflow {
  std::vector<std::vector<int>> producer;
  std::vector<std::vector<std::pair<int, int>>> readers;
  std::vector<char> output;
};

Dataflow dataflowOf(const Program& prog, const std::deque<Instruction>& code, int slots) {
  const size_t n = code.size();
  Dataflow d{std::vector<std::vector<int>>(n), std::vector<std::vector<std::pair<int, int>>>(n), std::vector<char>(n, 0)};
  std::vector<int> current(slots, -1);  // slot → the instruction whose value it holds
  for (size_t i = 0; i < n; i++) {
    const Instruction& ins = code[i];
    for (size_t j = 0; j < ins.args.size(); j++) {
      const int w = current[ins.args[j]];
      d.producer[i].push_back(w);
      if (w >= 0 && ins.op >= 0) d.readers[w].push_back({int(i), int(j)});
    }
    current[ins.out] = ins.op < 0 ? d.producer[i][0] : int(i);
  }
  for (const Output& o : prog.outputs)
    if (current[o.slot] >= 0) d.output[current[o.slot]] = 1;
  return d;
}

// m = x·W read only by z = m + b, with b a feed or constant of one row ([n] or [1, n]): the matmul takes b
// as a third operand and adds it as it stores its sums (KernelTable::gemm), and z becomes an alias of its
// result, so the pass that added the bias is gone. m + b is one rounding either way, so the bits are
// those of the separate add.
void biasIntoMatmul(const Program& prog, std::deque<Instruction>& code, int slots) {
  const size_t n = code.size();
  const Dataflow d = dataflowOf(prog, code, slots);
  std::vector<char> written(slots, 0);  // written by some instruction (not a feed or constant that stays)
  for (const Instruction& ins : code) written[ins.out] = 1;
  for (size_t j = 0; j < n; j++) {
    Instruction& add = code[j];
    if (add.op != ADD || add.shape.size() != 2) continue;
    for (int k = 0; k < 2; k++) {
      const int w = d.producer[j][k];
      if (w < 0 || code[w].op != MATMUL || code[w].args.size() != 2 || d.readers[w].size() != 1 || d.output[w] || code[w].shape != add.shape) continue;
      const int b = add.args[1 - k];
      const Shape& bs = add.argShapes[1 - k];
      const bool oneRow = (bs.size() == 1 && bs[0] == add.shape[1]) || (bs.size() == 2 && bs[0] == 1 && bs[1] == add.shape[1]);
      if (!oneRow || written[b] || add.argShapes[k] != add.shape) continue;
      code[w].args.push_back(b);
      code[w].argShapes.push_back(bs);
      const int mSlot = add.args[k];  // holds the matmul's value when the add runs
      add.op = -1;
      add.args = {mSlot};
      break;
    }
  }
}

// Values equal in every row of the batch (`ones·wᵀ` in the derivative of a sum through a linear layer:
// a broadcast of a value without the batch axis, then products and elementwise ops of such values) are
// computed once, as one row: their instructions get a leading extent of 1, and the elementwise ops that
// read them broadcast that row as they broadcast a bias. A full [B,…] pass written and read back per such
// value disappears; each element still comes from the same operations on the same operands (a matmul's
// sums do not depend on how many rows it is given), so the bits are unchanged. A value stays full when
// it is an output or something other than an elementwise op reads it.
void uniformRows(const Program& prog, std::deque<Instruction>& code, int slots, int64_t B) {
  if (B <= 1) return;
  const size_t n = code.size();
  const Dataflow d = dataflowOf(prog, code, slots);
  const auto& producer = d.producer;
  const auto& readers = d.readers;
  const auto& output = d.output;
  std::vector<char> uniform(n, 0);
  auto full = [&](const Shape& s, size_t rank) { return s.size() == rank && s[0] == B; };
  auto derives = [&](size_t i) {
    const Instruction& ins = code[i];
    const size_t rank = ins.shape.size();
    if (ins.op < 0 || rank == 0 || ins.shape[0] != B) return false;
    if (ins.op == BROADCAST) return ins.argShapes[0].size() < rank || ins.argShapes[0][0] == 1;
    if (ins.op == MATMUL || isUnary(ins.op)) return producer[i][0] >= 0 && uniform[producer[i][0]] != 0;
    if (!isBinary(ins.op)) return false;
    bool any = false;
    for (size_t j = 0; j < ins.args.size(); j++)
      if (full(ins.argShapes[j], rank)) {
        if (producer[i][j] < 0 || !uniform[producer[i][j]]) return false;
        any = true;
      }
    return any;
  };
  for (size_t i = 0; i < n; i++) uniform[i] = derives(i);
  // Demote until stable: a value read whole by anything but an elementwise op, or derived from a demoted one.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < n; i++) {
      if (!uniform[i]) continue;
      bool keep = !output[i] && derives(i);
      for (auto [c, j] : readers[i]) {
        const Instruction& r = code[c];
        // An elementwise op broadcasts the one row against another full operand; a uniform reader takes it whole.
        bool rowOperand = uniform[c] ? r.op != BROADCAST && (isBinary(r.op) || j == 0) : false;
        if (!uniform[c] && isBinary(r.op) && full(r.argShapes[j], r.shape.size()))
          for (size_t k = 0; k < r.args.size(); k++)
            rowOperand = rowOperand || (int(k) != j && full(r.argShapes[k], r.shape.size()) && (producer[c][k] < 0 || !uniform[producer[c][k]]));
        keep = keep && rowOperand;
      }
      if (!keep) {
        uniform[i] = 0;
        changed = true;
      }
    }
  }
  for (size_t i = 0; i < n; i++) {
    if (!uniform[i]) continue;
    code[i].shape[0] = 1;
    for (auto [c, j] : readers[i]) code[c].argShapes[j][0] = 1;
  }
}

}  // namespace

void rewrite(const Program& prog, std::deque<Instruction>& code, int& slots, int64_t batch) {
  shareSigmoid(prog, code, slots);
  uniformRows(prog, code, slots, batch);
  aliasReshapes(code, batch);
  biasIntoMatmul(prog, code, slots);
}

}  // namespace hb

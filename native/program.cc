#include "program.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace hb {

static const char* const OP_NAMES[OP_COUNT] = {
    "neg", "exp", "log", "sqrt", "square", "sin", "cos", "tanh", "sigmoid", "softplus", "silu", "relu", "abs", "sign", "pow",
    "add", "sub", "mul", "div", "matmul", "sum", "logsumexp", "reshape", "broadcast", "transpose", "slice", "concat"};

const char* opName(int op) { return op >= 0 && op < OP_COUNT ? OP_NAMES[op] : "?"; }

// Element counts are bounded (2^31, as in src/ir/shape.ts), so products never overflow int64.
static const int64_t MAX_ELEMENTS = int64_t(1) << 31;
static const int MAX_RANK = 16;

int64_t sizeOf(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string showShape(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); i++) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

namespace {

struct Fail {
  std::string message;
};

struct Reader {
  const double* data;
  size_t length;
  size_t at = 0;
  double number(const std::string& where) {
    if (at >= length) throw Fail{where + ": the encoding ends early (" + std::to_string(length) + " numbers)"};
    return data[at++];
  }
  int64_t integer(const std::string& where, int64_t lo, int64_t hi) {
    double v = number(where);
    if (!(v >= double(lo) && v <= double(hi)) || v != std::floor(v)) {
      std::ostringstream m;
      m << where << ": expected an integer in [" << lo << ", " << hi << "], got " << v;
      throw Fail{m.str()};
    }
    return int64_t(v);
  }
  Shape shape(const std::string& where) {
    int rank = int(integer(where + ".rank", 0, MAX_RANK));
    Shape s(rank);
    int64_t n = 1;
    for (int i = 0; i < rank; i++) {
      s[i] = integer(where + "[" + std::to_string(i) + "]", 0, MAX_ELEMENTS);
      n = s[i] == 0 ? 0 : std::min<int64_t>(n * s[i], MAX_ELEMENTS + 1);
    }
    if (n > MAX_ELEMENTS) throw Fail{where + ": shape " + showShape(s) + " has more than 2^31 elements"};
    return s;
  }
};

bool broadcastsTo(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  size_t off = to.size() - from.size();
  for (size_t i = 0; i < from.size(); i++)
    if (from[i] != 1 && from[i] != to[off + i]) return false;
  return true;
}

bool broadcastShapes(const Shape& a, const Shape& b, Shape& out) {
  size_t n = std::max(a.size(), b.size());
  out.assign(n, 0);
  for (size_t i = 0; i < n; i++) {
    int64_t da = i + a.size() >= n ? a[i + a.size() - n] : 1;
    int64_t db = i + b.size() >= n ? b[i + b.size() - n] : 1;
    if (da == db || db == 1) out[i] = da;
    else if (da == 1) out[i] = db;
    else return false;
  }
  return true;
}

// The output shape of an instruction by its op's rule (mirrors the shape rules in src/ir/ops).
Shape ruleShape(Instruction& ins, const std::string& p) {
  const auto& a = ins.argShapes;
  auto bad = [&](const std::string& why) -> Fail {
    std::string shapes;
    for (size_t i = 0; i < a.size(); i++) shapes += (i ? " and " : "") + showShape(a[i]);
    return Fail{p + ": ir." + opName(ins.op) + ": " + why + " (operand shapes " + shapes + ")"};
  };
  if (isUnary(ins.op)) return a[0];
  if (isBinary(ins.op)) {
    Shape s;
    if (!broadcastShapes(a[0], a[1], s)) throw bad("operands do not broadcast");
    return s;
  }
  switch (ins.op) {
    case MATMUL:
      if (a[0].size() != 2 || a[1].size() != 2) throw bad("operands must both be rank 2");
      if (a[0][1] != a[1][0]) throw bad("inner extents differ");
      return {a[0][0], a[1][1]};
    case SUM:
    case LOGSUMEXP: {
      Shape s;
      for (int ax : ins.axes)
        if (ax >= int(a[0].size())) throw bad("axis " + std::to_string(ax) + " is out of range");
      for (size_t i = 0; i < a[0].size(); i++) {
        bool reduced = std::find(ins.axes.begin(), ins.axes.end(), int(i)) != ins.axes.end();
        if (!reduced) s.push_back(a[0][i]);
        else if (ins.keepDims) s.push_back(1);
      }
      return s;
    }
    case RESHAPE:
      if (sizeOf(ins.shape) != sizeOf(a[0])) throw bad("cannot reshape to " + showShape(ins.shape));
      return ins.shape;
    case BROADCAST:
      if (!broadcastsTo(a[0], ins.shape)) throw bad("cannot broadcast to " + showShape(ins.shape));
      return ins.shape;
    case TRANSPOSE: {
      if (ins.perm.size() != a[0].size()) throw bad("perm does not match the rank");
      std::vector<int> sorted = ins.perm;
      std::sort(sorted.begin(), sorted.end());
      for (size_t i = 0; i < sorted.size(); i++)
        if (sorted[i] != int(i)) throw bad("perm is not a permutation");
      Shape s;
      for (int q : ins.perm) s.push_back(a[0][q]);
      return s;
    }
    case SLICE: {
      if (ins.axis >= int(a[0].size())) throw bad("axis " + std::to_string(ins.axis) + " is out of range");
      if (!(ins.start <= ins.end && ins.end <= a[0][ins.axis])) throw bad("range does not fit the axis");
      Shape s = a[0];
      s[ins.axis] = ins.end - ins.start;
      return s;
    }
    case CONCAT: {
      const Shape& first = a[0];
      if (ins.axis >= int(first.size())) throw bad("axis " + std::to_string(ins.axis) + " is out of range");
      int64_t total = 0;
      for (const Shape& s : a) {
        if (s.size() != first.size()) throw bad("operands must agree on every axis but the concat axis");
        for (size_t i = 0; i < s.size(); i++)
          if (int(i) != ins.axis && s[i] != first[i]) throw bad("operands must agree on every axis but the concat axis");
        total += s[ins.axis];
      }
      Shape s = first;
      s[ins.axis] = total;
      if (sizeOf(s) > MAX_ELEMENTS) throw bad("the result has more than 2^31 elements");
      return s;
    }
  }
  throw bad("unknown op");
}

void decode(Reader& r, Program& prog) {
  if (r.number("tape.magic") != 1213486160.0) throw Fail{"tape: not an encoded heatbath tape (bad magic number)"};
  if (r.number("tape.version") != 1.0) throw Fail{"tape.version: expected 1"};
  int nSlots = int(r.integer("tape.slots.length", 0, 1 << 20));
  prog.slots.resize(nSlots);
  for (int i = 0; i < nSlots; i++) prog.slots[i] = r.integer("tape.slots[" + std::to_string(i) + "]", 0, MAX_ELEMENTS);
  std::vector<char> written(nSlots, 0), pinned;
  std::vector<Shape> held(nSlots);
  auto fits = [&](int slot, const Shape& s, const std::string& p) {
    if (sizeOf(s) > prog.slots[slot])
      throw Fail{p + ": shape " + showShape(s) + " needs " + std::to_string(sizeOf(s)) + " elements; slot " + std::to_string(slot) + " has " + std::to_string(prog.slots[slot])};
  };
  int nFeeds = int(r.integer("tape.feeds.length", 0, 1 << 20));
  for (int i = 0; i < nFeeds; i++) {
    std::string p = "tape.feeds[" + std::to_string(i) + "]";
    Feed f;
    f.slot = int(r.integer(p + ".slot", 0, int64_t(nSlots) - 1));
    f.input = r.integer(p + ".kind", 0, 1) == 0;
    f.shape = r.shape(p + ".shape");
    fits(f.slot, f.shape, p);
    if (written[f.slot]) throw Fail{p + ".slot: slot " + std::to_string(f.slot) + " is already taken"};
    written[f.slot] = 1;
    held[f.slot] = f.shape;
    prog.feeds.push_back(std::move(f));
  }
  int nConstants = int(r.integer("tape.constants.length", 0, 1 << 20));
  for (int i = 0; i < nConstants; i++) {
    std::string p = "tape.constants[" + std::to_string(i) + "]";
    Constant c;
    c.slot = int(r.integer(p + ".slot", 0, int64_t(nSlots) - 1));
    c.shape = r.shape(p + ".shape");
    fits(c.slot, c.shape, p);
    int64_t n = sizeOf(c.shape);
    if (int64_t(r.length - r.at) < n) throw Fail{p + ".value: the encoding ends early"};
    c.value.assign(r.data + r.at, r.data + r.at + n);
    r.at += n;
    if (written[c.slot]) throw Fail{p + ".slot: slot " + std::to_string(c.slot) + " is already taken"};
    written[c.slot] = 1;
    held[c.slot] = c.shape;
    prog.constants.push_back(std::move(c));
  }
  pinned = written;
  int nInstructions = int(r.integer("tape.instructions.length", 0, 1 << 24));
  for (int i = 0; i < nInstructions; i++) {
    std::string p = "tape.instructions[" + std::to_string(i) + "]";
    Instruction ins;
    ins.op = int(r.integer(p + ".op", 0, OP_COUNT - 1));
    int arity = ins.op == CONCAT ? -1 : isBinary(ins.op) || ins.op == MATMUL ? 2 : 1;
    int nArgs = int(r.integer(p + ".args.length", 1, 1 << 16));
    if (arity > 0 && nArgs != arity) throw Fail{p + ".args: '" + opName(ins.op) + "' takes " + std::to_string(arity) + " operand(s), got " + std::to_string(nArgs)};
    for (int j = 0; j < nArgs; j++) ins.args.push_back(int(r.integer(p + ".args[" + std::to_string(j) + "]", 0, int64_t(nSlots) - 1)));
    for (int j = 0; j < nArgs; j++) {
      std::string q = p + ".argShapes[" + std::to_string(j) + "]";
      Shape s = r.shape(q);
      int a = ins.args[j];
      if (!written[a]) throw Fail{p + ".args[" + std::to_string(j) + "]: slot " + std::to_string(a) + " is read before it is written"};
      if (held[a] != s) throw Fail{q + ": slot " + std::to_string(a) + " holds " + showShape(held[a]) + ", not " + showShape(s)};
      ins.argShapes.push_back(std::move(s));
    }
    ins.out = int(r.integer(p + ".out", 0, int64_t(nSlots) - 1));
    ins.shape = r.shape(p + ".shape");
    int nAttrs = int(r.integer(p + ".attrs.length", 0, MAX_RANK + 1));
    std::vector<double> attrs;
    for (int j = 0; j < nAttrs; j++) attrs.push_back(r.number(p + ".attrs"));
    auto attrInt = [&](int j, int64_t hi) -> int {
      if (j >= int(attrs.size())) throw Fail{p + ".attrs: too few attributes for '" + opName(ins.op) + "'"};
      double v = attrs[j];
      if (!(v >= 0 && v <= double(hi)) || v != std::floor(v)) throw Fail{p + ".attrs[" + std::to_string(j) + "]: expected an integer in [0, " + std::to_string(hi) + "]"};
      return int(v);
    };
    size_t expected = 0;
    if (ins.op == POW) {
      expected = 1;
      if (attrs.size() != 1 || !std::isfinite(attrs[0])) throw Fail{p + ".attrs: pow needs one finite exponent"};
      ins.exponent = attrs[0];
    } else if (ins.op == SUM || ins.op == LOGSUMEXP) {
      expected = attrs.size();
      ins.keepDims = attrInt(0, 1) == 1;
      for (size_t j = 1; j < attrs.size(); j++) {
        int ax = attrInt(int(j), MAX_RANK);
        if (!ins.axes.empty() && ax <= ins.axes.back()) throw Fail{p + ".attrs: axes must be sorted and distinct"};
        ins.axes.push_back(ax);
      }
    } else if (ins.op == TRANSPOSE) {
      expected = attrs.size();
      for (size_t j = 0; j < attrs.size(); j++) ins.perm.push_back(attrInt(int(j), MAX_RANK));
    } else if (ins.op == SLICE) {
      expected = 3;
      ins.axis = attrInt(0, MAX_RANK);
      ins.start = attrInt(1, MAX_ELEMENTS);
      ins.end = attrInt(2, MAX_ELEMENTS);
    } else if (ins.op == CONCAT) {
      expected = 1;
      ins.axis = attrInt(0, MAX_RANK);
    }
    if (attrs.size() != expected) throw Fail{p + ".attrs: '" + std::string(opName(ins.op)) + "' takes " + std::to_string(expected) + " attribute number(s), got " + std::to_string(attrs.size())};
    Shape rule = ruleShape(ins, p);
    if (rule != ins.shape) throw Fail{p + ".shape: '" + std::string(opName(ins.op)) + "' gives " + showShape(rule) + ", not " + showShape(ins.shape)};
    if (pinned[ins.out]) throw Fail{p + ".out: slot " + std::to_string(ins.out) + " holds a feed or constant and must not be overwritten"};
    if (std::find(ins.args.begin(), ins.args.end(), ins.out) != ins.args.end()) throw Fail{p + ".out: slot " + std::to_string(ins.out) + " is both read and written by one instruction"};
    fits(ins.out, ins.shape, p);
    written[ins.out] = 1;
    held[ins.out] = ins.shape;
    prog.instructions.push_back(std::move(ins));
  }
  int nOutputs = int(r.integer("tape.outputs.length", 0, 1 << 20));
  for (int i = 0; i < nOutputs; i++) {
    std::string p = "tape.outputs[" + std::to_string(i) + "]";
    Output o;
    o.slot = int(r.integer(p + ".slot", 0, int64_t(nSlots) - 1));
    o.shape = r.shape(p + ".shape");
    if (!written[o.slot]) throw Fail{p + ".slot: slot " + std::to_string(o.slot) + " is never written"};
    if (held[o.slot] != o.shape) throw Fail{p + ".shape: slot " + std::to_string(o.slot) + " holds " + showShape(held[o.slot]) + ", not " + showShape(o.shape)};
    prog.outputs.push_back(std::move(o));
  }
  if (r.at != r.length) throw Fail{"tape: " + std::to_string(r.length - r.at) + " numbers left over after the outputs"};
}

}  // namespace

bool decodeProgram(const double* data, size_t length, Program& out, std::string& error) {
  Reader r{data, length};
  try {
    decode(r, out);
    return true;
  } catch (const Fail& f) {
    error = f.message;
    return false;
  }
}

}  // namespace hb

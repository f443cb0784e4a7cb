#include "program.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace hb {

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


// ---------------------------------------------------------------- shape rules (mirror src/ir/ops)

struct ShapeRule {
  const Instruction& ins;
  const std::string& at;
  Fail bad(const std::string& why) const {
    std::string shapes;
    for (size_t i = 0; i < ins.argShapes.size(); i++) shapes += (i ? " and " : "") + showShape(ins.argShapes[i]);
    return Fail{at + ": ir." + opName(ins.op) + ": " + why + " (operand shapes " + shapes + ")"};
  }
  void axisInRange(int axis, const Shape& s) const {
    if (axis >= int(s.size())) throw bad("axis " + std::to_string(axis) + " is out of range");
  }

  Shape binary() const {
    Shape s;
    if (!broadcastShapes(ins.argShapes[0], ins.argShapes[1], s)) throw bad("operands do not broadcast");
    return s;
  }
  Shape matmul() const {
    const Shape &a = ins.argShapes[0], &b = ins.argShapes[1];
    if (a.size() != 2 || b.size() != 2) throw bad("operands must both be rank 2");
    if (a[1] != b[0]) throw bad("inner extents differ");
    return {a[0], b[1]};
  }
  Shape reduction() const {
    const Shape& x = ins.argShapes[0];
    for (int ax : ins.axes) axisInRange(ax, x);
    Shape s;
    for (size_t i = 0; i < x.size(); i++) {
      bool reduced = std::find(ins.axes.begin(), ins.axes.end(), int(i)) != ins.axes.end();
      if (!reduced) s.push_back(x[i]);
      else if (ins.keepDims) s.push_back(1);
    }
    return s;
  }
  Shape transpose() const {
    const Shape& x = ins.argShapes[0];
    if (ins.perm.size() != x.size()) throw bad("perm does not match the rank");
    std::vector<int> sorted = ins.perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); i++)
      if (sorted[i] != int(i)) throw bad("perm is not a permutation");
    Shape s;
    for (int q : ins.perm) s.push_back(x[q]);
    return s;
  }
  Shape slice() const {
    const Shape& x = ins.argShapes[0];
    axisInRange(ins.axis, x);
    if (!(ins.start <= ins.end && ins.end <= x[ins.axis])) throw bad("range does not fit the axis");
    Shape s = x;
    s[ins.axis] = ins.end - ins.start;
    return s;
  }
  Shape concat() const {
    const Shape& first = ins.argShapes[0];
    axisInRange(ins.axis, first);
    int64_t total = 0;
    for (const Shape& s : ins.argShapes) {
      bool agree = s.size() == first.size();
      for (size_t i = 0; agree && i < s.size(); i++) agree = int(i) == ins.axis || s[i] == first[i];
      if (!agree) throw bad("operands must agree on every axis but the concat axis");
      total += s[ins.axis];
    }
    Shape s = first;
    s[ins.axis] = total;
    if (sizeOf(s) > MAX_ELEMENTS) throw bad("the result has more than 2^31 elements");
    return s;
  }

  // The output shape by the op's rule.
  Shape operator()() const {
    const Shape& x = ins.argShapes[0];
    switch (ins.op) {
      case MATMUL: return matmul();
      case SUM:
      case LOGSUMEXP: return reduction();
      case RESHAPE:
        if (sizeOf(ins.shape) != sizeOf(x)) throw bad("cannot reshape to " + showShape(ins.shape));
        return ins.shape;
      case BROADCAST:
        if (!broadcastsTo(x, ins.shape)) throw bad("cannot broadcast to " + showShape(ins.shape));
        return ins.shape;
      case TRANSPOSE: return transpose();
      case SLICE: return slice();
      case CONCAT: return concat();
    }
    if (isUnary(ins.op)) return x;
    if (isBinary(ins.op)) return binary();
    throw bad("unknown op");
  }
};

// ---------------------------------------------------------------- attributes

// An instruction's attribute numbers, read in order and checked as they are read.
struct Attributes {
  const std::vector<double>& values;
  const std::string& at;
  size_t next = 0;

  double take() {
    if (next >= values.size()) throw Fail{at + ".attrs: the attributes end early"};
    return values[next++];
  }
  double number() {
    const size_t j = next;
    const double v = take();
    if (!std::isfinite(v)) throw Fail{at + ".attrs[" + std::to_string(j) + "]: expected a finite number, got " + std::to_string(v)};
    return v;
  }
  int index(int64_t hi) {
    const size_t j = next;
    const double v = take();
    if (!(v >= 0 && v <= double(hi)) || v != std::floor(v))
      throw Fail{at + ".attrs[" + std::to_string(j) + "]: expected an integer in [0, " + std::to_string(hi) + "], got " + std::to_string(v)};
    return int(v);
  }
  std::vector<int> indices(int64_t hi) {
    std::vector<int> r;
    while (next < values.size()) r.push_back(index(hi));
    return r;
  }
};

// One reader per attribute name of OP_TRAITS: its encoded form and the field it fills.
struct AttributeReader {
  const char* name;
  const char* form;  // see attributeForm
  void (*read)(Attributes& a, Instruction& ins);
};

const AttributeReader READERS[] = {
    {"exponent", "number", [](Attributes& a, Instruction& ins) { ins.exponent = a.number(); }},
    {"keepDims", "flag", [](Attributes& a, Instruction& ins) { ins.keepDims = a.index(1) == 1; }},
    {"axes", "indices", [](Attributes& a, Instruction& ins) {
       ins.axes = a.indices(MAX_RANK);
       for (size_t j = 1; j < ins.axes.size(); j++)
         if (ins.axes[j] <= ins.axes[j - 1]) throw Fail{a.at + ".attrs: axes must be sorted and distinct"};
     }},
    {"perm", "indices", [](Attributes& a, Instruction& ins) { ins.perm = a.indices(MAX_RANK); }},
    {"axis", "index", [](Attributes& a, Instruction& ins) { ins.axis = a.index(MAX_RANK); }},
    {"start", "index", [](Attributes& a, Instruction& ins) { ins.start = a.index(MAX_ELEMENTS); }},
    {"end", "index", [](Attributes& a, Instruction& ins) { ins.end = a.index(MAX_ELEMENTS); }},
};

const AttributeReader* readerOf(const char* name) {
  for (const AttributeReader& r : READERS)
    if (std::strcmp(r.name, name) == 0) return &r;
  return nullptr;
}

// Fills the instruction's attributes from its numbers as its op's entry in OP_TRAITS lists them: a
// fixed count, or at least all but the last when the last takes the rest of the numbers.
void readAttributes(const std::vector<double>& values, Instruction& ins, const std::string& at) {
  const OpTraits& op = traitsOf(ins.op);
  Attributes a{values, at};
  size_t count = 0;
  bool rest = false;
  for (const char* name : op.attributes) {
    if (name == nullptr) break;
    const AttributeReader* r = readerOf(name);
    if (r == nullptr) throw Fail{at + ".attrs: the decoder has no reader for attribute '" + name + "' of '" + op.name + "'"};
    rest = std::strcmp(r->form, "indices") == 0;
    count++;
    r->read(a, ins);
  }
  if (a.next != values.size() || (!rest && values.size() != count))
    throw Fail{at + ".attrs: '" + op.name + "' takes " + std::to_string(count) + " attribute number(s), got " + std::to_string(values.size())};
}

// ---------------------------------------------------------------- the tape

// Decodes the sections in order, keeping per slot whether it is written and the shape it holds, and
// which slots hold feeds and constants (never to be overwritten).
struct Decoder {
  Reader& r;
  Program& prog;
  std::vector<char> written, pinned;
  std::vector<Shape> held;

  int slot(const std::string& at) { return int(r.integer(at, 0, int64_t(prog.slots.size()) - 1)); }
  void fits(int s, const Shape& shape, const std::string& at) const {
    if (sizeOf(shape) > prog.slots[s])
      throw Fail{at + ": shape " + showShape(shape) + " needs " + std::to_string(sizeOf(shape)) + " elements; slot " + std::to_string(s) + " has " + std::to_string(prog.slots[s])};
  }
  void take(int s, const Shape& shape, const std::string& at) {
    fits(s, shape, at);
    if (written[s]) throw Fail{at + ".slot: slot " + std::to_string(s) + " is already taken"};
    written[s] = 1;
    held[s] = shape;
  }

  void header() {
    if (r.number("tape.magic") != 1213486160.0) throw Fail{"tape: not an encoded heatbath tape (bad magic number)"};
    if (r.number("tape.version") != 1.0) throw Fail{"tape.version: expected 1"};
    int n = int(r.integer("tape.slots.length", 0, 1 << 20));
    prog.slots.resize(n);
    for (int i = 0; i < n; i++) prog.slots[i] = r.integer("tape.slots[" + std::to_string(i) + "]", 0, MAX_ELEMENTS);
    written.assign(n, 0);
    held.assign(n, {});
  }
  // Each item of a section: its count (at most `max`), then f(path of item i) for each.
  template <class F>
  void section(const char* name, int64_t max, F f) {
    int n = int(r.integer(std::string("tape.") + name + ".length", 0, max));
    for (int i = 0; i < n; i++) f(std::string("tape.") + name + "[" + std::to_string(i) + "]");
  }
  void feeds() {
    section("feeds", 1 << 20, [&](const std::string& p) {
      Feed f;
      f.slot = slot(p + ".slot");
      f.input = r.integer(p + ".kind", 0, 1) == 0;
      f.shape = r.shape(p + ".shape");
      take(f.slot, f.shape, p);
      prog.feeds.push_back(std::move(f));
    });
  }
  void constants() {
    section("constants", 1 << 20, [&](const std::string& p) {
      Constant c;
      c.slot = slot(p + ".slot");
      c.shape = r.shape(p + ".shape");
      take(c.slot, c.shape, p);
      int64_t size = sizeOf(c.shape);
      if (int64_t(r.length - r.at) < size) throw Fail{p + ".value: the encoding ends early"};
      c.value.assign(r.data + r.at, r.data + r.at + size);
      r.at += size;
      prog.constants.push_back(std::move(c));
    });
    pinned = written;
  }
  void operands(Instruction& ins, const std::string& p) {
    const OpTraits& op = traitsOf(ins.op);
    int n = int(r.integer(p + ".args.length", 1, 1 << 16));
    if (op.arity != VARIADIC && n != op.arity)
      throw Fail{p + ".args: '" + op.name + "' takes " + std::to_string(op.arity) + " operand(s), got " + std::to_string(n)};
    for (int j = 0; j < n; j++) ins.args.push_back(slot(p + ".args[" + std::to_string(j) + "]"));
    for (int j = 0; j < n; j++) {
      std::string q = p + ".argShapes[" + std::to_string(j) + "]";
      Shape s = r.shape(q);
      int a = ins.args[j];
      if (!written[a]) throw Fail{p + ".args[" + std::to_string(j) + "]: slot " + std::to_string(a) + " is read before it is written"};
      if (held[a] != s) throw Fail{q + ": slot " + std::to_string(a) + " holds " + showShape(held[a]) + ", not " + showShape(s)};
      ins.argShapes.push_back(std::move(s));
    }
  }
  void instruction(const std::string& p) {
    Instruction ins;
    ins.op = int(r.integer(p + ".op", 0, OP_COUNT - 1));
    operands(ins, p);
    ins.out = slot(p + ".out");
    ins.shape = r.shape(p + ".shape");
    int nAttrs = int(r.integer(p + ".attrs.length", 0, MAX_RANK + 1));
    std::vector<double> attrs;
    for (int j = 0; j < nAttrs; j++) attrs.push_back(r.number(p + ".attrs"));
    readAttributes(attrs, ins, p);
    Shape rule = ShapeRule{ins, p}();
    if (rule != ins.shape) throw Fail{p + ".shape: '" + std::string(opName(ins.op)) + "' gives " + showShape(rule) + ", not " + showShape(ins.shape)};
    if (pinned[ins.out]) throw Fail{p + ".out: slot " + std::to_string(ins.out) + " holds a feed or constant and must not be overwritten"};
    if (std::find(ins.args.begin(), ins.args.end(), ins.out) != ins.args.end()) throw Fail{p + ".out: slot " + std::to_string(ins.out) + " is both read and written by one instruction"};
    fits(ins.out, ins.shape, p);
    written[ins.out] = 1;
    held[ins.out] = ins.shape;
    prog.instructions.push_back(std::move(ins));
  }
  void instructions() {
    section("instructions", 1 << 24, [&](const std::string& p) { instruction(p); });
  }
  void outputs() {
    section("outputs", 1 << 20, [&](const std::string& p) {
      Output o;
      o.slot = slot(p + ".slot");
      o.shape = r.shape(p + ".shape");
      if (!written[o.slot]) throw Fail{p + ".slot: slot " + std::to_string(o.slot) + " is never written"};
      if (held[o.slot] != o.shape) throw Fail{p + ".shape: slot " + std::to_string(o.slot) + " holds " + showShape(held[o.slot]) + ", not " + showShape(o.shape)};
      prog.outputs.push_back(std::move(o));
    });
    if (r.at != r.length) throw Fail{"tape: " + std::to_string(r.length - r.at) + " numbers left over after the outputs"};
  }
};

}  // namespace

const char* attributeForm(const char* name) {
  const AttributeReader* r = readerOf(name);
  return r == nullptr ? nullptr : r->form;
}

bool decodeProgram(const double* data, size_t length, Program& out, std::string& error) {
  Reader r{data, length};
  Decoder d{r, out, {}, {}, {}};
  try {
    d.header();
    d.feeds();
    d.constants();
    d.instructions();
    d.outputs();
    return true;
  } catch (const Fail& f) {
    error = f.message;
    return false;
  }
}

}  // namespace hb

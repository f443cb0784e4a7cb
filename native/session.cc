// Running a plan (executor.h, Session): per run the feeds are bound to their values and matmul weights
// packed where they changed; then the plan's steps run in order, a whole step parallel inside its kernel,
// a row segment block by block across the threads, fused groups tile by tile within a block.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <thread>
#include <type_traits>

#include "executor.h"
#include "kernels.h"
#include "plan.h"
#include "pool.h"
#include "shaped.h"

namespace hb {

template <class T>
struct Session<T>::State {
  bool ready = false;
  std::vector<std::vector<T>> buffers;
  std::vector<std::vector<T>> constants;
  std::vector<std::vector<T>> packed;  // per instruction (matmul only)
  std::vector<char> packedOnce;        // per instruction: packed by an earlier run of this session
  std::vector<const T*> pointers;      // per value, for the current run
  // Per value packed from: its contents when last packed (empty until then), and whether this run found
  // them unchanged (−1: not yet looked at in this run).
  std::vector<std::vector<T>> packedFrom;
  std::vector<signed char> unchanged;
  std::vector<int> looked;  // the values whose `unchanged` this run set

  // The buffers, constants and packed panels, once per session; false when they cannot be allocated.
  bool allocate(const Plan& p, const Program& prog, int nr) {
    try {
      buffers.resize(p.buffers.size());
      for (size_t b = 0; b < p.buffers.size(); b++) buffers[b].assign(std::max<int64_t>(p.buffers[b], 1), T(0));
      for (const Constant& c : prog.constants) constants.emplace_back(c.value.begin(), c.value.end());
      packed.resize(p.instrs.size());
      packedOnce.assign(p.instrs.size(), 0);
      for (size_t i = 0; i < p.instrs.size(); i++) {
        const Instruction& ins = *p.instrs[i].ins;
        if (ins.op == MATMUL) packed[i].assign(std::max<int64_t>(packedSize(ins.argShapes[1][0], ins.argShapes[1][1], nr), 1), T(0));
      }
      pointers.assign(p.values.size(), nullptr);
      packedFrom.resize(p.values.size());
      unchanged.assign(p.values.size(), -1);
    } catch (const std::bad_alloc&) {
      buffers.clear();
      constants.clear();
      packed.clear();
      return false;
    }
    ready = true;
    return true;
  }

  // Each value's memory for this run: a feed's array, a constant's copy, a buffer (scratch values: none).
  void bind(const Plan& p, const T* const* feeds) {
    for (size_t v = 0; v < p.values.size(); v++) {
      const Value& val = p.values[v];
      pointers[v] = val.kind == FEED ? feeds[val.index] : val.kind == CONSTANT ? constants[val.index].data() : val.kind == TEMP ? buffers[val.index].data() : nullptr;
    }
    for (int v : looked) unchanged[v] = -1;
    looked.clear();
  }
};

namespace {

// Read once: glibc answers hardware_concurrency by reading sysfs, a system call per query.
int hardwareThreads() {
  static const int hardware = int(std::max(1u, std::thread::hardware_concurrency()));
  return hardware;
}

// How a segment's B rows are split into tasks: blocks of blockRows, except that on several threads the
// last blocks are halved (each still a multiple of 12 rows when the block is of 24), so the thread that
// finishes first waits for at most half a block. Rows never depend on the split, so neither do the bits.
struct BlockSplit {
  int64_t B, blockRows, half, headTasks, headRows;
  int tasks;

  BlockSplit(int64_t batch, int64_t planned, const RunOptions& options, int threads) : B(batch) {
    blockRows = options.blockRows > 0 ? options.blockRows : planned;
    // Task indices are ints: a huge batch in tiny blocks gets larger blocks (the same bits either way).
    blockRows = std::max<int64_t>(blockRows, (B + (int64_t(1) << 30) - 1) >> 30);
    half = threads > 1 && options.blockRows <= 0 && blockRows % 24 == 0 ? blockRows / 2 : blockRows;
    headTasks = half < blockRows ? std::max<int64_t>(0, B - int64_t(threads) * blockRows) / blockRows : 0;
    headRows = headTasks * blockRows;
    tasks = int(headTasks + (B - headRows + half - 1) / half);
  }
  // The first row and the row count of task t.
  void rows(int t, int64_t& r0, int64_t& nb) const {
    r0 = t < headTasks ? t * blockRows : headRows + (t - headTasks) * half;
    nb = std::min(t < headTasks ? blockRows : half, B - r0);
  }
};

// A segment's two ways over its rows. Blocks: each thread takes whole blocks of rows through every item
// (small weights: everything stays in the core's caches). Shared: chunks of rows, item by item, each
// product's columns shared by the threads and every other item split by rows; the weights then pass
// through the caches once a chunk rather than once a block, and few rows still keep every thread busy.
// Neither changes a bit (a product's sums, and every row-wise item, are the same whatever the split).
// HEATBATH_SEGMENTS=blocks|shared forces one (for tests; the default chooses per segment).
int forcedSegments() {
  static const int forced = [] {
    const char* v = std::getenv("HEATBATH_SEGMENTS");
    return v == nullptr ? -1 : std::strcmp(v, "shared") == 0 ? 1 : std::strcmp(v, "blocks") == 0 ? 0 : -1;
  }();
  return forced;
}
// Packed weights beyond which a segment shares its products: blocks of 24 rows stream every weight once a
// block (12 flops a byte), which L2 and a share of L3 keep up with but memory does not (measured at 2 threads:
// blocks 1.6× faster with 2.3 MiB of weights, shared 1.3–2.6× faster with 32 MiB).
constexpr int64_t SHARED_WEIGHT_BYTES = int64_t(8) << 20;
// Rows of a shared segment's chunk: each weight pass serves this many rows.
constexpr int64_t SHARED_ROWS = 192;
// Rows a thread below which a segment whose weights outgrow a core's L2 shares its products: with 64
// chains on two threads, blocks of 12–24 rows pass every weight through each core once a block, and shared
// products (each thread half the columns of all 64 rows) were 1.08–1.13× faster at 784→512, 2→512,
// 64→512 and 3072→128 (2–14 MiB of weights); with 128 chains blocks were 1.13× faster at 784→512, with
// 256 even; with weights that stay in L2 (2→128, 64→128: 131 and 193 KiB) blocks were 1.1× faster at 64
// chains (A/B pairs, two threads, 2026-11-30).
constexpr int64_t SHARED_BELOW = 64;
constexpr int64_t SHARED_BELOW_BYTES = int64_t(1) << 20;

template <class T>
typename ChainStep<T>::Kind chainKindOf(const FusedOperand& f) {
  return f.kind == FusedOperand::ONE_ROW ? ChainStep<T>::ROW : f.kind == FusedOperand::SCALAR ? ChainStep<T>::SCALAR : ChainStep<T>::ELEMENTS;
}

}  // namespace

// One run of a session: what it reads (the plan, the kernels, the options) and the work of its steps.
template <class T>
struct Session<T>::Run {
  const Plan& p;
  const Program& prog;
  const KernelTable<T>& K;
  State& st;
  const RunOptions& options;
  const int threads;
  Pool& pool;
  const int64_t rows;  // the batch rows wanted (RunOptions::rows where the outputs allow it)

  T* ptr(int v) const { return const_cast<T*>(st.pointers[v]); }
  bool cancelled() const { return options.cancel != nullptr && *options.cancel != 0; }

  // ---- packing matmul weights

  // Whether `source` holds bitwise the values it was last packed from (a model evaluated again with the
  // same weights). Repacking unchanged weights costs more than the pass itself on two threads: the
  // writes invalidate the lines the other core read them through. The comparison is made once per
  // source per run, before any pack of this run updates the copy.
  bool unchangedSince(int source) {
    signed char& known = st.unchanged[source];
    if (known >= 0) return known == 1;
    const T* now = ptr(source);
    const size_t n = size_t(p.values[source].size);
    std::vector<T>& was = st.packedFrom[source];
    known = was.size() == n && std::memcmp(was.data(), now, sizeof(T) * n) == 0;
    st.looked.push_back(source);
    if (!known) {
      try {
        was.assign(now, now + n);
      } catch (const std::bad_alloc&) {
        std::vector<T>().swap(was);  // no copy: packed again next run
      }
    }
    return known == 1;
  }
  // Whether matmul i must pack its B on this run: not when the caller promised that B's feeds are
  // unchanged, nor when B's values are those it was last packed from.
  bool needsPack(int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const int source = pi.transposedFrom >= 0 ? pi.transposedFrom : pi.args[1];
    const int changed = options.onlyChangedFeed;
    if (changed >= 0 && st.packedOnce[i] && !(p.feedsOf[source] & (changed < 63 ? uint64_t(1) << changed : ~uint64_t(0)))) return false;
    const bool same = unchangedSince(source);
    return !(st.packedOnce[i] && same);
  }
  void pack(int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const Shape& bs = pi.ins->argShapes[1];
    if (!needsPack(i)) return;
    st.packedOnce[i] = 1;
    if (pi.transposedFrom >= 0) K.packB(bs[0], bs[1], ptr(pi.transposedFrom), 1, bs[0], st.packed[i].data());
    else K.packB(bs[0], bs[1], ptr(pi.args[1]), bs[1], 1, st.packed[i].data());
  }

  // ---- fused groups

  // Where a fused op's operand or result is on the tile at row0: a scratch tile, the tile's rows of a
  // value, or the whole value (a scalar or one row read for every row).
  const T* operandOf(const Group& g, const FusedOperand& f, T* scratch, int64_t tileElements, int64_t row0) const {
    switch (f.kind) {
      case FusedOperand::SCRATCH_TILE: return scratch + f.scratch * tileElements;
      case FusedOperand::ROWS: return ptr(f.value) + row0 * g.rowLen;
      default: return ptr(f.value);
    }
  }
  T* resultOf(const Group& g, const FusedOp& op, T* scratch, int64_t tileElements, int64_t row0) const {
    return op.outScratch >= 0 ? scratch + op.outScratch * tileElements : ptr(op.outValue) + row0 * g.rowLen;
  }

  // Ops o … o + chain − 1 of a group, one chain kernel call on a tile of len elements.
  void runChain(const Group& g, size_t o, T* scratch, int64_t tileElements, int64_t row0, int64_t len) {
    thread_local std::vector<ChainStep<T>> steps;
    const int count = g.ops[o].chain;
    steps.resize(size_t(count) + 1);
    const FusedOp& first = g.ops[o];
    steps[0] = {0, chainKindOf<T>(first.args[0]), true, operandOf(g, first.args[0], scratch, tileElements, row0)};
    for (int k = 0; k < count; k++) {
      const FusedOp& op = g.ops[o + size_t(k)];
      const Instruction& ins = *p.instrs[op.instr].ins;
      ChainStep<T>& step = steps[size_t(k) + 1];
      if (op.nargs == 1) {
        step = {ins.op, ChainStep<T>::NONE, true, nullptr};
        step.p = ins.exponent;
      } else {
        // The running value is operand 0 of the first op, and the previous op's value in the others.
        const int acc = k == 0 ? 0 : op.args[0].value == g.ops[o + size_t(k) - 1].outValue ? 0 : 1;
        const FusedOperand& side = op.args[1 - acc];
        step = {ins.op, chainKindOf<T>(side), acc == 0, operandOf(g, side, scratch, tileElements, row0)};
      }
      if (op.tee) step.tee = resultOf(g, op, scratch, tileElements, row0);
    }
    T* y = resultOf(g, g.ops[o + size_t(count) - 1], scratch, tileElements, row0);
    K.chain(steps.data(), count + 1, y, len, g.rowLen);
  }

  // A fused op run by itself on a tile of `rows` rows; a row-shaped operand, read for every row, row by row.
  void runFusedOp(const Group& g, const FusedOp& op, T* scratch, int64_t tileElements, int64_t row0, int64_t rows) {
    const Instruction& ins = *p.instrs[op.instr].ins;
    const int64_t len = rows * g.rowLen;
    const T* a[2];
    bool oneRow[2] = {false, false}, scalar[2] = {false, false};
    for (int j = 0; j < op.nargs; j++) {
      a[j] = operandOf(g, op.args[j], scratch, tileElements, row0);
      scalar[j] = op.args[j].kind == FusedOperand::SCALAR;
      oneRow[j] = op.args[j].kind == FusedOperand::ONE_ROW;
    }
    T* y = resultOf(g, op, scratch, tileElements, row0);
    if (op.nargs == 1) return K.unary(ins.op, ins.exponent, a[0], y, len);
    if (!oneRow[0] && !oneRow[1] && !(scalar[0] && scalar[1])) return K.binary(ins.op, a[0], a[1], y, len, scalar[1] ? 1 : scalar[0] ? 2 : 0);
    int mode = scalar[1] ? 1 : scalar[0] ? 2 : 0;
    for (int64_t r = 0; r < rows; r++) {
      const T* ra = oneRow[0] || scalar[0] ? a[0] : a[0] + r * g.rowLen;
      const T* rb = oneRow[1] || scalar[1] ? a[1] : a[1] + r * g.rowLen;
      if (scalar[0] && scalar[1])
        for (int64_t k = 0; k < g.rowLen; k++) K.binary(ins.op, ra, rb, y + r * g.rowLen + k, 1, 0);
      else
        K.binary(ins.op, ra, rb, y + r * g.rowLen, g.rowLen, mode);
    }
  }

  // A fused group on rows r0 … r0+nb−1, a tile of rows at a time; scratch tiles are per thread.
  void runGroup(const Group& g, int64_t r0, int64_t nb) {
    thread_local std::vector<T> scratch;
    const int64_t tileElements = g.tileRows * g.rowLen;
    if (scratch.size() < size_t(g.scratchCount * tileElements)) scratch.resize(g.scratchCount * tileElements);
    for (int64_t t0 = 0; t0 < nb; t0 += g.tileRows) {
      const int64_t rows = std::min(g.tileRows, nb - t0), row0 = r0 + t0;
      for (size_t o = 0; o < g.ops.size(); o++) {
        const FusedOp& op = g.ops[o];
        if (op.chain > 0) runChain(g, o, scratch.data(), tileElements, row0, rows * g.rowLen);
        else if (op.chain == 0) runFusedOp(g, op, scratch.data(), tileElements, row0, rows);
      }
    }
  }

  // ---- whole steps

  // One instruction on whole values: a matmul over fixed tiles of rows, a large elementwise op over
  // fixed chunks, anything else in one call.
  void wholeStep(int i) {
    const PlannedInstruction& pi = p.instrs[i];
    const Instruction& ins = *pi.ins;
    T* y = ptr(pi.out);
    // The calling thread's list; the tasks below run on other threads too, so they read it through a pointer.
    thread_local std::vector<const T*> argList;
    argList.clear();
    for (int a : pi.args) argList.push_back(ptr(a));
    const T* const* args = argList.data();
    int64_t n = sizeOf(ins.shape);
    if (ins.op == MATMUL) {
      pack(i);
      const int64_t m = ins.shape[0];
      const int tasks = int((m + MATMUL_ROWS - 1) / MATMUL_ROWS);
      // Too few tiles of rows for the threads (a parameter gradient's H rows): the columns are shared.
      if (tasks < 2 * threads && columnsShared(i)) return shareColumns(i, 0, m);
      pool.run(tasks, threads, [&](int t) { matmulRows(i, t * MATMUL_ROWS, std::min(MATMUL_ROWS, m - t * MATMUL_ROWS)); });
    } else if ((isUnary(ins.op) || (isBinary(ins.op) && ins.argShapes[0] == ins.argShapes[1])) && n > 2 * CHUNK) {
      int tasks = int((n + CHUNK - 1) / CHUNK);
      pool.run(tasks, threads, [&](int t) {
        int64_t o = t * CHUNK, len = std::min(CHUNK, n - o);
        if (isUnary(ins.op)) K.unary(ins.op, ins.exponent, args[0] + o, y + o, len);
        else K.binary(ins.op, args[0] + o, args[1] + o, y + o, len, 0);
      });
    } else {
      executeShaped<T>(K, ins, args, ins.argShapes.data(), y, ins.shape);
    }
  }

  // ---- row segments

  // Rows row0 … row0+rows−1 of matmul i in a segment: A by rows, B packed, the bias (if folded in) and
  // u ⊙ v (if folded in) as they load.
  void matmulRows(int i, int64_t row0, int64_t rows, int64_t j0 = 0, int64_t j1 = -1) {
    const PlannedInstruction& pi = p.instrs[i];
    const int64_t kk = pi.ins->argShapes[0][1], cols = pi.ins->shape[1];
    if (j1 < 0) j1 = cols;
    const T* bias = pi.args.size() > 2 ? ptr(pi.args[2]) : nullptr;
    T* y = ptr(pi.out) + row0 * cols;
    if (pi.productOf[0] >= 0)
      K.gemmProduct(rows, cols, kk, ptr(pi.productOf[0]) + row0 * kk, ptr(pi.productOf[1]) + row0 * kk, kk, st.packed[i].data(), y, cols, bias, j0, j1);
    else
      K.gemm(rows, cols, kk, ptr(pi.args[0]) + row0 * kk, kk, st.packed[i].data(), y, cols, bias, j0, j1);
  }

  // Instruction i (not a matmul) on rows r0 … r0+nb−1: sliced operands and the result as those rows.
  void rowsOf(int i, int64_t r0, int64_t nb) {
    // Per-thread operand lists, reused from call to call so that a run allocates nothing once warm.
    thread_local std::vector<const T*> argList;
    thread_local std::vector<Shape> shapeList;
    thread_local Shape ys;
    const PlannedInstruction& pi = p.instrs[i];
    const Instruction& ins = *pi.ins;
    const int64_t B = p.batch;
    size_t na = pi.args.size();
    if (argList.size() < na) argList.resize(na);
    if (shapeList.size() < na) shapeList.resize(na);
    const T** ap = argList.data();
    Shape* sp = shapeList.data();
    for (size_t j = 0; j < na; j++) {
      const Value& v = p.values[pi.args[j]];
      sp[j] = ins.argShapes[j];
      ap[j] = ptr(pi.args[j]);
      if (pi.sliced[j]) {
        ap[j] += r0 * rowSize(v, B);
        sp[j][0] = nb;
      }
    }
    ys = ins.shape;
    ys[0] = nb;
    T* y = ptr(pi.out) + r0 * rowSize(p.values[pi.out], B);
    executeShaped<T>(K, ins, ap, sp, y, ys);
  }

  // One block of a segment: its items in order on rows r0 … r0+nb−1.
  void runBlock(const Step& step, int64_t r0, int64_t nb) {
    for (size_t k = 0; k < step.items.size(); k++) {
      const int item = step.items[k];
      if (item < 0) {
        runGroup(p.groups[-item - 1], r0, nb);
      } else if (p.instrs[item].ins->op != MATMUL) {
        rowsOf(item, r0, nb);
      } else if (k + 1 < step.items.size() && step.items[k + 1] < 0) {
        // A matmul and the fused group after it (bias, activation, a derivative's products) run
        // interleaved, a few rows of each in turn: the group reads the matmul's rows while they are in
        // L1, not after the whole block's output went out to L2. Both are row by row (the matmul's sums
        // do not depend on the rows it is given), so the bits are those of running them apart.
        const Group& g = p.groups[-step.items[k + 1] - 1];
        for (int64_t s0 = 0; s0 < nb; s0 += p.epilogueRows) {
          const int64_t sn = std::min(p.epilogueRows, nb - s0);
          matmulRows(item, r0 + s0, sn);
          runGroup(g, r0 + s0, sn);
        }
        k++;
      } else {
        matmulRows(item, r0, nb);
      }
    }
  }

  // One item of a segment on rows r0 … r0+nb−1.
  void runItem(int item, int64_t r0, int64_t nb) {
    if (item < 0) runGroup(p.groups[-item - 1], r0, nb);
    else if (p.instrs[item].ins->op == MATMUL) matmulRows(item, r0, nb);
    else rowsOf(item, r0, nb);
  }

  // Whether a product's columns are shared: two panels or more (a narrower one goes by rows).
  bool columnsShared(int item) const { return item >= 0 && p.instrs[item].ins->op == MATMUL && p.instrs[item].ins->shape[1] >= 2 * K.nr; }

  // Rows r0 … r0+nb−1 of product i, its panels of columns shared by the threads.
  void shareColumns(int i, int64_t r0, int64_t nb) {
    const int64_t cols = p.instrs[i].ins->shape[1], panels = (cols + K.nr - 1) / K.nr;
    const int tasks = int(std::min<int64_t>(threads, panels));
    pool.run(tasks, threads, [&](int t) { matmulRows(i, r0, nb, panels * t / tasks * K.nr, std::min(cols, panels * (t + 1) / tasks * K.nr)); });
  }

  // The shared way (see forcedSegments): chunks of rows, each item spread over the threads.
  bool sharedSegment(const Step& step) {
    const int64_t chunk = options.blockRows > 0 ? options.blockRows : std::max(step.blockRows, SHARED_ROWS);
    for (int64_t r0 = 0; r0 < rows; r0 += chunk) {
      if (cancelled()) return false;
      const int64_t nb = std::min(chunk, rows - r0);
      for (int item : step.items) {
        if (columnsShared(item)) {
          shareColumns(item, r0, nb);
        } else {
          const int tasks = int(std::min<int64_t>(threads, nb));
          pool.run(tasks, threads, [&](int t) { runItem(item, r0 + nb * t / tasks, nb * (t + 1) / tasks - nb * t / tasks); });
        }
      }
    }
    return true;
  }

  // Whether a segment goes the shared way: its weights outgrow the caches, or its rows are too few to
  // give every thread blocks of its own (fewer than two blocks a thread, or under SHARED_BELOW rows a
  // thread when the weights outgrow L2).
  bool shared(const Step& step, int tasks) const {
    if (forcedSegments() >= 0) return forcedSegments() == 1;
    int64_t weights = 0;
    for (int i : step.instrs)
      if (p.instrs[i].ins->op == MATMUL) weights += int64_t(st.packed[i].size() * sizeof(T));
    const bool few = threads > 1 && (tasks < 2 * threads || (rows < SHARED_BELOW * threads && weights > SHARED_BELOW_BYTES));
    return weights > 0 && (weights > SHARED_WEIGHT_BYTES || few);
  }

  // A row segment, its blocks spread over the threads or its products shared by them; false when cancelled.
  bool segment(const Step& step) {
    for (int i : step.instrs)
      if (p.instrs[i].ins->op == MATMUL) pack(i);
    const BlockSplit split(rows, step.blockRows, options, threads);
    if (shared(step, split.tasks)) return sharedSegment(step);
    std::atomic<bool> stopped{false};
    pool.run(split.tasks, threads, [&](int t) {
      if (stopped || cancelled()) {
        stopped = true;
        return;
      }
      int64_t r0, nb;
      split.rows(t, r0, nb);
      runBlock(step, r0, nb);
    });
    return !(stopped || cancelled());
  }

  // The plan's steps in order; false when cancelled (checked before each step and between blocks).
  bool runSteps(std::string& error) {
    for (const Step& step : p.steps) {
      bool stopped = cancelled();
      if (!stopped && step.segment) stopped = !segment(step);
      else if (!stopped) wholeStep(step.instrs[0]);
      if (stopped) {
        error = "cancelled";
        return false;
      }
    }
    return true;
  }
};

template <class T>
Session<T>::Session(std::shared_ptr<const Executable> exe) : exe_(std::move(exe)), state_(new State()) {}
template <class T>
Session<T>::~Session() = default;

template <class T>
bool Session<T>::run(const T* const* feeds, T* const* outputs, const RunOptions& options, std::string& error) {
  const Plan& p = exe_->plan();
  const Program& prog = exe_->program();
  const KernelTable<T>& K = kernels<T>();
  State& st = *state_;
  if (!st.ready && !st.allocate(p, prog, K.nr)) {
    error = "out of memory allocating the executor's buffers";
    return false;
  }
  st.bind(p, feeds);
  const int threads = options.threads > 0 ? options.threads : p.work > 4e5 ? hardwareThreads() : 1;
  const bool partial = options.rows > 0 && options.rows < p.batch && exe_->rowsIndependent();
  const int64_t rows = partial ? options.rows : p.batch;
  Run r{p, prog, K, st, options, threads, Pool::shared(), rows};
  if (!r.runSteps(error)) return false;
  for (size_t o = 0; o < p.outputs.size(); o++) {
    const int64_t n = sizeOf(prog.outputs[o].shape);
    const int64_t wanted = partial ? rows * rowSize(p.values[size_t(p.outputs[o])], p.batch) : n;
    if (wanted) std::memcpy(outputs[o], st.pointers[p.outputs[o]], sizeof(T) * wanted);
  }
  return true;
}

template class Session<float>;
template class Session<double>;

template <class T>
SessionLease<T>::SessionLease(std::shared_ptr<const Executable> exe) : exe_(std::move(exe)) {
  if constexpr (std::is_same<T, float>::value) session_ = exe_->takeSession32();
  else session_ = exe_->takeSession64();
  if (!session_) session_.reset(new Session<T>(exe_));
}
template <class T>
SessionLease<T>::~SessionLease() {
  exe_->giveBack(std::move(session_));
}
template class SessionLease<float>;
template class SessionLease<double>;

}  // namespace hb

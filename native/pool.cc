#include "pool.h"

namespace hb {

namespace {
// Before sleeping, a worker (or the caller waiting for workers) polls for about 20–40 µs: a sampler
// evaluates and updates its chains in several short parallel regions per step, and a wake-up through the
// condition variable costs as much as such a region. Bounded, so that waiting threads still give the
// cores back when other processes share them.
const int SPINS = 2000;
inline void pause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}
}  // namespace

Pool& Pool::shared() {
  static Pool* pool = new Pool();  // never destroyed: workers may outlive static destruction order
  return *pool;
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> g(m_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void Pool::ensureWorkers(int n) {
  while (int(workers_.size()) < n) {
    int index = int(workers_.size());
    workers_.emplace_back([this, index] { workerLoop(index); });
  }
}

void Pool::drain() {
  for (;;) {
    int t = next_.fetch_add(1, std::memory_order_relaxed);
    if (t >= tasks_) return;
    (*fn_)(t);
  }
}

void Pool::workerLoop(int index) {
  long seen = 0;
  for (;;) {
    for (int i = 0; i < SPINS && published_.load(std::memory_order_acquire) == seen; i++) pause();
    {
      std::unique_lock<std::mutex> g(m_);
      wake_.wait(g, [&] { return stop_ || (generation_ != seen && index < active_); });
      if (stop_) return;
      seen = generation_;
    }
    drain();
    {
      std::lock_guard<std::mutex> g(m_);
      finished_++;
      finishedCount_.store(finished_, std::memory_order_release);
    }
    done_.notify_one();
  }
}

void Pool::run(int tasks, int threads, const std::function<void(int)>& fn) {
  if (tasks <= 0) return;
  int helpers = std::min(threads, tasks) - 1;
  if (helpers <= 0) {
    for (int t = 0; t < tasks; t++) fn(t);
    return;
  }
  std::lock_guard<std::mutex> serial(runLock_);
  {
    std::lock_guard<std::mutex> g(m_);
    ensureWorkers(helpers);
    fn_ = &fn;
    tasks_ = tasks;
    next_.store(0);
    active_ = helpers;
    finished_ = 0;
    finishedCount_.store(0, std::memory_order_relaxed);
    generation_++;
    published_.store(generation_, std::memory_order_release);
  }
  wake_.notify_all();
  drain();
  for (int i = 0; i < SPINS && finishedCount_.load(std::memory_order_acquire) < helpers; i++) pause();
  std::unique_lock<std::mutex> g(m_);
  done_.wait(g, [&] { return finished_ == active_; });
  active_ = 0;
  fn_ = nullptr;
}

}  // namespace hb

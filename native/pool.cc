#include "pool.h"

namespace hb {

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
    generation_++;
  }
  wake_.notify_all();
  drain();
  std::unique_lock<std::mutex> g(m_);
  done_.wait(g, [&] { return finished_ == active_; });
  active_ = 0;
  fn_ = nullptr;
}

}  // namespace hb

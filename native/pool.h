// A small thread pool with blocking waits: idle workers poll briefly, then sleep on a condition variable
// (spinning without bound collapses when other processes share the cores). Work is a fixed list of
// tasks; threads take the next task from an atomic counter, so which thread runs a task never changes
// what the task computes.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hb {

class Pool {
 public:
  static Pool& shared();
  // Runs fn(0) … fn(tasks − 1) on up to `threads` threads (the caller is one of them) and returns when
  // all are done. Calls from different threads are serialised.
  void run(int tasks, int threads, const std::function<void(int)>& fn);
  ~Pool();

 private:
  void ensureWorkers(int n);
  void workerLoop(int index);
  void drain();

  std::mutex runLock_;  // one parallel region at a time
  std::mutex m_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* fn_ = nullptr;
  int tasks_ = 0;
  int active_ = 0;       // workers invited to the current job
  int finished_ = 0;     // of those, how many have finished
  long generation_ = 0;
  std::atomic<int> next_{0};
  std::atomic<long> published_{0};    // generation_, readable without the lock (for polling)
  std::atomic<int> finishedCount_{0};  // finished_, likewise
  bool stop_ = false;
};

}  // namespace hb

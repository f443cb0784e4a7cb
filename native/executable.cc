// The executable (a decoded, validated and analysed tape, shared and immutable), its pool of idle
// sessions, and the process-wide cache of loaded tapes (executor.h).
#include <cstring>

#include "executor.h"
#include "plan.h"

namespace hb {

std::shared_ptr<Executable> Executable::create(const double* encoded, size_t length, std::string& error) {
  auto exe = std::shared_ptr<Executable>(new Executable());
  if (!decodeProgram(encoded, length, exe->program_, error)) return nullptr;
  exe->plan_ = analyse(exe->program_);
  int64_t total = 0;
  for (int64_t b : exe->plan_->buffers) total += b;
  for (const Constant& c : exe->program_.constants) total += sizeOf(c.shape);
  if (total > MAX_WORKSPACE) {
    error = "tape: needs " + std::to_string(total) + " elements of buffers; the limit is " + std::to_string(MAX_WORKSPACE);
    return nullptr;
  }
  return exe;
}

Executable::~Executable() = default;
int64_t Executable::batch() const { return plan_->batch; }

// Row-local outputs are not enough: x·C is row-local while C = XᵀX reads every row. So no whole value
// (one computed on whole arrays) may depend on a batched feed.
bool Executable::rowsIndependent() const {
  const Plan& p = *plan_;
  if (p.batch <= 0) return false;
  for (int v : p.outputs)
    if (!p.values[size_t(v)].rows) return false;
  uint64_t batched = 0;
  for (size_t v = 0; v < p.values.size(); v++)
    if (p.values[v].kind == FEED && p.values[v].rows) batched |= p.feedsOf[v];
  for (size_t v = 0; v < p.values.size(); v++)
    if (!p.values[v].rows && (p.feedsOf[v] & batched)) return false;
  return true;
}

namespace {
// A session from an idle list (null when it is empty), and one given back to it (at most four are kept).
template <class S>
std::unique_ptr<S> takeIdle(std::mutex& lock, std::vector<std::unique_ptr<S>>& idle) {
  std::lock_guard<std::mutex> g(lock);
  if (idle.empty()) return nullptr;
  auto s = std::move(idle.back());
  idle.pop_back();
  return s;
}
template <class S>
void keepIdle(std::mutex& lock, std::vector<std::unique_ptr<S>>& idle, std::unique_ptr<S> s) {
  std::lock_guard<std::mutex> g(lock);
  if (idle.size() < 4) idle.push_back(std::move(s));
}
}  // namespace

std::unique_ptr<Session<float>> Executable::takeSession32() const { return takeIdle(lock_, idle32_); }
std::unique_ptr<Session<double>> Executable::takeSession64() const { return takeIdle(lock_, idle64_); }
void Executable::giveBack(std::unique_ptr<Session<float>> s) const { keepIdle(lock_, idle32_, std::move(s)); }
void Executable::giveBack(std::unique_ptr<Session<double>> s) const { keepIdle(lock_, idle64_, std::move(s)); }

// The cache: loaded tapes by handle, each kept with its hash and encoding to find it again.

namespace {
struct Entry {
  std::string hash;
  std::vector<double> encoded;
  std::shared_ptr<const Executable> exe;
};
std::mutex cacheLock;
std::vector<Entry> cache;  // handle = index
}  // namespace

int loadExecutable(const std::string& hash, const double* encoded, size_t length, std::string& error) {
  {
    std::lock_guard<std::mutex> g(cacheLock);
    for (size_t i = 0; i < cache.size(); i++)
      if (cache[i].hash == hash && cache[i].encoded.size() == length && std::memcmp(cache[i].encoded.data(), encoded, length * sizeof(double)) == 0) return int(i);
  }
  auto exe = Executable::create(encoded, length, error);
  if (!exe) return -1;
  std::lock_guard<std::mutex> g(cacheLock);
  cache.push_back({hash, std::vector<double>(encoded, encoded + length), exe});
  return int(cache.size()) - 1;
}

std::shared_ptr<const Executable> findExecutable(int handle) {
  std::lock_guard<std::mutex> g(cacheLock);
  if (handle < 0 || handle >= int(cache.size())) return nullptr;
  return cache[handle].exe;
}

}  // namespace hb

#include "cli/serve_pool.h"

#include <string>

namespace mie::cli {
namespace {
thread_local bool on_overflow_thread = false;
}  // namespace

BoundedPool::BoundedPool(size_t workers) {
  for (size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { run(false); });
  overflow_ = std::thread([this] {
    on_overflow_thread = true;
    run(true);
  });
}

BoundedPool::~BoundedPool() { shutdown(); }

bool BoundedPool::overflowing() { return on_overflow_thread; }

void BoundedPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A worker free for every connection already waiting: it is served; else answered 503.
    if (idle_ > jobs_.size()) jobs_.push_back(std::move(fn));
    else overflow_jobs_.push_back(std::move(fn));
  }
  cv_.notify_all();
}

void BoundedPool::run(bool overflow) {
  for (;;) {
    std::function<void()> fn;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!overflow) ++idle_;
      auto& q = overflow ? overflow_jobs_ : jobs_;
      cv_.wait(lock, [&] { return stop_ || !q.empty(); });
      if (!overflow) --idle_;
      if (q.empty()) return;  // stopping, nothing left
      fn = std::move(q.front());
      q.pop_front();
    }
    fn();
  }
}

void BoundedPool::shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  overflow_.join();
}

RequestLimiter::Slot::Slot(RequestLimiter& l) : l_(l) {
  std::unique_lock<std::mutex> lock(l_.mu_);
  if (l_.running_ < l_.max_running_ && l_.waiters_.empty()) {
    ++l_.running_;
    return;
  }
  if (l_.waiters_.size() >= static_cast<size_t>(l_.max_waiting_))
    throw Busy("server busy: " + std::to_string(l_.running_) + " requests running and " +
               std::to_string(l_.waiters_.size()) + " waiting (--threads, --queue); retry later");
  // First come, first served: each waiter sleeps on its own condition, woken alone when it is next.
  std::condition_variable mine;
  l_.waiters_.push_back(&mine);
  mine.wait(lock, [&] { return l_.waiters_.front() == &mine && l_.running_ < l_.max_running_; });
  l_.waiters_.pop_front();
  ++l_.running_;
  if (l_.running_ < l_.max_running_ && !l_.waiters_.empty()) l_.waiters_.front()->notify_one();
}

RequestLimiter::Slot::~Slot() {
  std::lock_guard<std::mutex> lock(l_.mu_);
  --l_.running_;
  if (!l_.waiters_.empty()) l_.waiters_.front()->notify_one();
}

int RequestLimiter::waiting() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(waiters_.size());
}

int RequestLimiter::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

}  // namespace mie::cli

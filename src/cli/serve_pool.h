// cli/serve_pool.h — bounded work for `mie serve`: a connection pool that never keeps a backlog,
// and a limiter that lets `threads` requests compute while at most `queue` wait, served in order.
//
//   RequestLimiter limiter(2, 64);
//   svr.new_task_queue = [&] { return new BoundedPool(2 + 64); };
//   if (BoundedPool::overflowing()) -> answer 503 (this connection found every worker busy)
//   RequestLimiter::Slot slot(limiter);   // waits its turn, or throws Busy when the queue is full
//
// A connection arriving when every worker holds one is not queued: one overflow thread answers
// each of its requests 503 (Retry-After, Connection: close) at once, so the work waiting is bounded
// by the workers. Thread safety: all members may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <httplib.h>

namespace mie::cli {

class BoundedPool : public httplib::TaskQueue {
 public:
  explicit BoundedPool(size_t workers);
  ~BoundedPool() override;
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;
  static bool overflowing();  // true on the overflow thread: answer 503

 private:
  void run(bool overflow);
  std::vector<std::thread> workers_;
  std::thread overflow_;
  std::deque<std::function<void()>> jobs_, overflow_jobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t idle_ = 0;
  bool stop_ = false;
};

class RequestLimiter {
 public:
  struct Busy : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  RequestLimiter(int running, int waiting) : max_running_(running), max_waiting_(waiting) {}
  class Slot {  // held while the request computes
   public:
    explicit Slot(RequestLimiter& l);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    RequestLimiter& l_;
  };
  int waiting() const;
  int running() const;

 private:
  int max_running_, max_waiting_, running_ = 0;
  std::deque<std::condition_variable*> waiters_;  // in arrival order; each wakes alone
  mutable std::mutex mu_;
};

}  // namespace mie::cli

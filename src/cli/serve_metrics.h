// cli/serve_metrics.h — what `mie serve` counts and logs: one JSON access-log line per request on
// stderr, and GET /metrics in Prometheus' text format (requests by route and status, a latency
// histogram per route, requests in flight, the model's name).
//
//   ServeMetrics m("models/gmner.mie");
//   const long id = m.start();                      // when a request reaches the router
//   m.finish(id, "POST", "/predict", 200, 0.012, bytes_in, bytes_out, posts);   // after its answer
//   res.set_content(m.prometheus(), "text/plain; version=0.0.4");
//
// Routes outside the known ones count as "other", so clients cannot grow the label set.
// Thread safety: every member may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <ostream>
#include <string>
#include <tuple>

namespace mie::cli {

class ServeMetrics {
 public:
  ServeMetrics(std::string model, std::ostream& log);
  long start();  // a new request id; one more in flight
  void finish(long id, const std::string& method, const std::string& path, int status, double seconds, size_t bytes_in,
              size_t bytes_out, long items);
  std::string prometheus() const;
  int in_flight() const { return in_flight_.load(); }

  static constexpr std::array<double, 12> kBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

 private:
  struct Histogram {
    std::array<long, kBuckets.size()> le{};  // cumulative counts are made when printed
    long count = 0;
    double sum = 0;
  };
  std::string model_;
  std::ostream& log_;
  std::atomic<long> next_id_{0};
  std::atomic<int> in_flight_{0};
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, long> requests_;  // (method, route, status)
  std::map<std::string, Histogram> latency_;                            // by route
};

// The route label of a request path: itself when the server has it, else "other".
std::string route_label(const std::string& path);

}  // namespace mie::cli

#include "cli/serve_metrics.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

namespace mie::cli {

std::string route_label(const std::string& path) {
  for (const char* r : {"/", "/predict", "/detect", "/health", "/metrics"})
    if (path == r) return path;
  return "other";
}

ServeMetrics::ServeMetrics(std::string model, std::ostream& log) : model_(std::move(model)), log_(log) {}

long ServeMetrics::start() {
  ++in_flight_;
  return ++next_id_;
}

namespace {
std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  std::ostringstream s;
  s << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S") << '.' << std::setw(3) << std::setfill('0') << ms << 'Z';
  return s.str();
}
}  // namespace

void ServeMetrics::finish(long id, const std::string& method, const std::string& path, int status, double seconds,
                          size_t bytes_in, size_t bytes_out, long items) {
  --in_flight_;
  const std::string route = route_label(path);
  const nlohmann::json line{{"time", utc_now()}, {"id", id},          {"method", method},
                            {"route", route},    {"status", status},  {"ms", std::round(seconds * 1e5) / 100},
                            {"bytes_in", bytes_in}, {"bytes_out", bytes_out}, {"items", items}};
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[route];
  for (size_t b = 0; b < kBuckets.size(); ++b)
    if (seconds <= kBuckets[b]) {
      ++h.le[b];
      break;
    }
  ++h.count;
  h.sum += seconds;
  log_ << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

std::string ServeMetrics::prometheus() const {
  const std::string model = nlohmann::json(model_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::ostringstream s;
  s << "# HELP mie_model_info The model file this server answers with.\n# TYPE mie_model_info gauge\n"
    << "mie_model_info{model=" << model << "} 1\n";
  s << "# HELP mie_requests_in_flight Requests being answered now.\n# TYPE mie_requests_in_flight gauge\n"
    << "mie_requests_in_flight " << in_flight_.load() << "\n";
  std::lock_guard<std::mutex> lock(mu_);
  s << "# HELP mie_requests_total Requests answered, by method, route and status.\n# TYPE mie_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    s << "mie_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status << "\"} " << n
      << "\n";
  }
  s << "# HELP mie_request_seconds Time from routing to answer, by route.\n# TYPE mie_request_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    long cum = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cum += h.le[b];
      s << "mie_request_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[b] << "\"} " << cum << "\n";
    }
    s << "mie_request_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
      << "mie_request_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
      << "mie_request_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  return s.str();
}

}  // namespace mie::cli

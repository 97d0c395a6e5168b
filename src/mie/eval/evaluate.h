// mie/eval/evaluate.h — one evaluation request, scored: what `mie eval`, the Python package and
// the tests all call, so that they report the same numbers.
//
//   mie::eval::Request r{.task = "gmner", .gold = "dev.txt", .xml = "xml/", .pred = "pred.jsonl"};
//   nlohmann::json j = mie::eval::evaluate_json(r);   // the object `mie eval --json` prints
//
// Tasks: gmner, fmnerg (gold + xml), mner, mre, jmere (docs/metrics.md). Errors: mie::Error /
// mie::ParseError naming the file and line. Thread safety: pure functions of their files.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "mie/eval/tally.h"

namespace mie::eval {

struct Request {
  std::string task;     // gmner, mner, fmnerg, mre or jmere
  std::string gold;     // the benchmark's native gold file
  std::string xml;      // VOC xml directory (gmner, fmnerg)
  std::string pred;     // mie JSONL (CoNLL too for mner; {"id","relation","score"} lines for mre)
  std::string regions;  // VinVL candidates directory: candidate mode (gmner, fmnerg)
  int top_k = 16;       // candidates kept per image in candidate mode
  int bootstrap = 0;    // > 0: 95% confidence intervals from this many resamples of the posts
  uint64_t seed = 1;    // of the bootstrap
};

// The scores of one request.
Evaluation evaluate(const Request& r);
// Scores plus the bootstrap intervals when r.bootstrap > 0, as one JSON object (report.h's to_json).
nlohmann::json evaluate_json(const Request& r);

}  // namespace mie::eval

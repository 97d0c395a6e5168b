// mie/pipeline/relation_threshold.h — the relation stage's threshold, chosen end to end on dev.
//
//   mie::ModelFile mf = ...;                       // ner (+ ground) + relation sections
//   auto gold = mie::io::mnre_as_posts(mie::io::read_mnre("mnre/val.txt"));
//   mie::pipeline::RelationThreshold t = mie::pipeline::calibrate_relation_threshold(mf, gold, 2);
//   mie::pipeline::set_relation_threshold(mf, t, "mnre/val.txt");   // header "post_threshold"
//
// The pipeline runs once over the gold posts' tokens (no image: the relation stage reads none)
// with every non-None relation kept; each threshold 0, 0.05, ..., 0.95 then keeps the relations
// scored at or above it, scored by eval::score_jmere's directed triple F1 (docs/metrics.md). The
// best one wins (the lowest on ties).
// Thread safety: free functions; `threads` workers over the posts.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mie/core/model_file.h"
#include "mie/core/post.h"

namespace mie::pipeline {

struct RelationThreshold {
  float threshold = 0;
  double p = 0, r = 0, f1 = 0;     // directed triple scores at `threshold` (percent)
  nlohmann::json sweep;            // [{"threshold", "p", "r", "f1"}, ...]
};

// Throws mie::Error when the model has no "ner" or no "relation" section.
RelationThreshold calibrate_relation_threshold(const ModelFile& mf, const std::vector<Post>& gold, int threads);
// Writes t into the relation section's header ("post_threshold", "post_calibration").
void set_relation_threshold(ModelFile& mf, const RelationThreshold& t, const std::string& dev_name);

}  // namespace mie::pipeline

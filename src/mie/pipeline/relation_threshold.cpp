#include "mie/pipeline/relation_threshold.h"

#include <cmath>

#include "mie/core/error.h"
#include "mie/eval/jmere.h"
#include "mie/ner/tagger.h"
#include "mie/pipeline/pipeline.h"
#include "mie/relation/classifier.h"

namespace mie::pipeline {

RelationThreshold calibrate_relation_threshold(const ModelFile& mf, const std::vector<Post>& gold, int threads) {
  if (!mf.find_section(ner::kNerSection) || !mf.find_section(relation::kSectionName))
    throw Error(mf.path() + ": the relation threshold is chosen end to end: the model needs a ner and a relation stage");
  Options opt;
  opt.relation_threshold = 0;  // every non-None relation, with its score
  const Pipeline pipe = Pipeline::from_model(mf, opt);
  std::vector<Post> all;
  all.reserve(gold.size());
  for (const Post& g : gold) {
    Post p;
    p.id = g.id;
    p.tokens = g.tokens;
    all.push_back(std::move(p));
  }
  run_parallel(pipe, all, threads);
  RelationThreshold best;
  best.f1 = -1;
  best.sweep = nlohmann::json::array();
  for (int k = 0; k < 20; ++k) {
    const float t = 0.05f * static_cast<float>(k);
    std::vector<Post> kept = all;
    for (Post& p : kept) std::erase_if(p.relations, [t](const Relation& r) { return r.score < t; });
    const auto total = eval::score_jmere(gold, kept).at("jmere_triple").total();
    best.sweep.push_back({{"threshold", std::round(t * 100) / 100}, {"p", total.p}, {"r", total.r}, {"f1", total.f1}});
    if (total.f1 > best.f1) best = RelationThreshold{t, total.p, total.r, total.f1, best.sweep};  // later points go on
  }
  return best;
}

void set_relation_threshold(ModelFile& mf, const RelationThreshold& t, const std::string& dev_name) {
  ModelSection s = mf.section(relation::kSectionName);
  s.header["post_threshold"] = t.threshold;
  s.header["post_calibration"] = {{"dev", dev_name}, {"metric", "jmere_triple F1 (directed)"},
                                  {"p", t.p}, {"r", t.r}, {"f1", t.f1}, {"sweep", t.sweep}};
  mf.set_section(std::move(s));
}

}  // namespace mie::pipeline

#include "mie/eval/align.h"

#include <unordered_map>

#include "mie/core/error.h"

namespace mie::eval {

void check_post(const Post& p, const std::string& what) {
  const int n = static_cast<int>(p.tokens.size());
  for (size_t i = 0; i < p.entities.size(); ++i) {
    const Entity& e = p.entities[i];
    if (e.start < 0 || e.end <= e.start || e.end > n)
      throw Error(what + ": post " + p.id + ": entity " + std::to_string(i) + " has span [" +
                  std::to_string(e.start) + "," + std::to_string(e.end) + ") outside its " +
                  std::to_string(n) + " tokens");
  }
  const int m = static_cast<int>(p.entities.size());
  for (size_t i = 0; i < p.relations.size(); ++i) {
    const Relation& r = p.relations[i];
    if (r.head < 0 || r.head >= m || r.tail < 0 || r.tail >= m)
      throw Error(what + ": post " + p.id + ": relation " + std::to_string(i) +
                  " points at a missing entity (head " + std::to_string(r.head) + ", tail " +
                  std::to_string(r.tail) + ", " + std::to_string(m) + " entities)");
  }
}

std::vector<Post> align_predictions(const std::vector<Post>& gold, const std::vector<Post>& pred,
                                    const std::string& pred_name) {
  std::unordered_map<std::string, size_t> index;
  index.reserve(gold.size());
  for (size_t i = 0; i < gold.size(); ++i) {
    if (!index.emplace(gold[i].id, i).second)
      throw Error("gold has two posts with id '" + gold[i].id + "'; cannot match predictions by id");
  }
  std::vector<Post> out(gold.size());
  std::vector<char> seen(gold.size(), 0);
  for (const Post& p : pred) {
    auto it = index.find(p.id);
    if (it == index.end())
      throw Error(pred_name + ": prediction for id '" + p.id + "', which is not in the gold file");
    const size_t g = it->second;
    if (seen[g]) throw Error(pred_name + ": two predictions for id '" + p.id + "'");
    seen[g] = 1;
    if (!p.tokens.empty() && p.tokens != gold[g].tokens)
      throw Error(pred_name + ": post " + p.id + ": tokens differ from the gold tokens (" +
                  std::to_string(p.tokens.size()) + " vs " + std::to_string(gold[g].tokens.size()) +
                  " tokens); spans would not be comparable");
    out[g] = p;
    out[g].tokens = gold[g].tokens;
    check_post(out[g], pred_name);
  }
  for (size_t g = 0; g < gold.size(); ++g) {
    if (seen[g]) continue;
    out[g].id = gold[g].id;
    out[g].tokens = gold[g].tokens;
  }
  return out;
}

std::vector<const Entity*> unique_spans(const std::vector<Entity>& entities) {
  std::vector<const Entity*> out;
  out.reserve(entities.size());
  for (const Entity& e : entities) {
    bool replaced = false;
    for (auto& q : out) {
      if (q->start == e.start && q->end == e.end) {
        q = &e;
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(&e);
  }
  return out;
}

}  // namespace mie::eval

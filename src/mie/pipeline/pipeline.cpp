#include "mie/pipeline/pipeline.h"

#include <mutex>
#include <thread>

#include "mie/core/blas_kernels.h"
#include "mie/core/error.h"
#include "mie/core/heap.h"
#include "mie/grounding/grounder.h"
#include "mie/ner/tagger.h"
#include "mie/relation/classifier.h"
#include "mie/text/tokenizer.h"
#include "mie/typing/typer.h"

namespace mie::pipeline {

const std::vector<StageEntry>& stage_table() {
  static const std::vector<StageEntry> table = {
      {ner::kNerSection, load_ner_stage, 1},
      {typing::kFineSection, load_fine_stage, 1},
      {grounding::kGroundSection, load_ground_stage, 1},
      {relation::kSectionName, load_relation_stage, 1},
  };
  return table;
}

bool gmner_entity_types(const nlohmann::json& ner_header) {
  if (!ner_header.contains("entity_types")) return false;
  const auto& t = ner_header["entity_types"];
  if (!ner_header.contains("fine_tree"))
    throw Error("NER section: \"entity_types\" is only for a fine-type tagger (one with a \"fine_tree\")");
  if (t != "fmnerg" && t != "gmner") throw Error("NER section: entity_types " + t.dump() + " is not \"fmnerg\" or \"gmner\"");
  return t == "gmner";
}

grounding::GroundRuntime ground_runtime(const Options& o) {
  grounding::GroundRuntime rt;
  rt.sources = o.detectors;
  rt.text_size = o.text_size;
  rt.face_size = o.face_size;
  rt.vinvl_dir = o.vinvl_dir;
  rt.vinvl_top_k = o.vinvl_top_k;
  rt.images_dir = o.images_dir;
  return rt;
}

Pipeline Pipeline::from_model(const ModelFile& mf, const Options& options) {
  setup_process();
  Pipeline p;
  for (const auto& name : mf.stage_order()) {
    const StageEntry* entry = nullptr;
    for (const auto& e : stage_table())
      if (name == e.section) entry = &e;
    if (!entry) throw Error(mf.path() + ": model stage '" + name + "' is not supported by this mie build (" MIE_VERSION_STRING ")");
    const ModelSection& section = mf.section(name);
    const nlohmann::json version = section.header.value("version", nlohmann::json(1));  // files before versions: 1
    if (!version.is_number_integer() || version.get<int>() < 1 || version.get<int>() > entry->version)
      throw Error(mf.path() + ": section '" + name + "' has version " + version.dump() + "; this mie build (" MIE_VERSION_STRING
                  ") reads version " + std::to_string(entry->version) + " at most");
    try {
      p.stages_.push_back(entry->load(section, options));
    } catch (const Error& e) {
      throw Error(mf.path() + ": " + e.what());
    }
  }
  if (p.stages_.empty()) throw Error(mf.path() + ": model file has no stages");
  return p;
}

void Pipeline::run(std::vector<Post>& posts) const {
  for (Post& p : posts)
    if (p.tokens.empty() && !p.text.empty()) {
      p.tokens = text::tokenize(p.text);
      p.text.clear();
    }
  for (const auto& s : stages_) s->predict(posts);
}

void Pipeline::warm_up() const {
  for (const auto& s : stages_) s->warm_up();
}

std::vector<std::string> Pipeline::stage_names() const {
  std::vector<std::string> n;
  for (const auto& s : stages_) n.push_back(s->name());
  return n;
}

const Stage* Pipeline::stage(const std::string& name) const {
  for (const auto& s : stages_)
    if (s->name() == name) return s.get();
  return nullptr;
}

void run_parallel(const Pipeline& pipe, std::vector<Post>& posts, int threads) {
  if (threads <= 1 || posts.size() < 2) {
    pipe.run(posts);
    return;
  }
  const size_t per = (posts.size() + static_cast<size_t>(threads) - 1) / static_cast<size_t>(threads);
  std::vector<std::vector<Post>> parts;
  for (size_t s = 0; s < posts.size(); s += per)
    parts.emplace_back(std::make_move_iterator(posts.begin() + static_cast<std::ptrdiff_t>(s)),
                       std::make_move_iterator(posts.begin() + static_cast<std::ptrdiff_t>(std::min(posts.size(), s + per))));
  std::vector<std::exception_ptr> errors(parts.size());
  std::vector<std::thread> pool;
  for (size_t i = 0; i < parts.size(); ++i)
    pool.emplace_back([&, i] {
      try {
        pipe.run(parts[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : pool) t.join();
  posts.clear();
  for (auto& p : parts) posts.insert(posts.end(), std::make_move_iterator(p.begin()), std::make_move_iterator(p.end()));
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

const ProcessSetup& setup_process() {
  static std::once_flag once;
  static ProcessSetup setup;
  std::call_once(once, [] {
    const BlasKernels k = use_cpu_blas_kernels();  // before the first torch matrix product
    keep_freed_heap();
    setup.blas_before = k.before;
    setup.blas_now = k.now;
  });
  return setup;
}

}  // namespace mie::pipeline

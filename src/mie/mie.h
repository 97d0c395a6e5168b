// mie/mie.h — mie as a library: grounded entities, fine types and relations from a post.
//
//   #include <mie/mie.h>
//
//   mie::Options opt;                                      // detectors, sizes, threads
//   opt.threads = 2;
//   const mie::Model model = mie::Model::load("models/gmner.mie", opt);   // once; share it
//   mie::Post post = mie::make_post("Messi scores again for Barcelona",
//                                   "/usr/share/doc/opencv-doc/examples/data/messi5.jpg");
//   post = model.predict(post);
//   for (const mie::Entity& e : post.entities)            // span, type, fine type, score, boxes
//     std::cout << mie::span_text(post, e) << " " << e.type << " " << e.groundable << "\n";
//   for (const mie::Relation& r : post.relations)         // head/tail index post.entities
//     std::cout << r.head << " " << r.label << " " << r.tail << " " << r.score << "\n";
//   std::cout << mie::to_jsonl(post) << "\n";              // the line `mie predict` writes
//
// Posts: make_post() tokenizes raw text with mie's tweet tokenizer; a Post built by hand may carry
// `tokens`, or only `text` (predict() then tokenizes it). An image is a path (relative paths
// resolve under Options::images_dir) or encoded bytes in memory (image_from_bytes). parse_post()
// reads the JSON input format of `mie predict` and `mie serve` ({"id", "text" | "tokens", "image",
// "caption", "knowledge"}).
//
// What a model does is the list of stages its file carries, run in the file's order (stages()):
// "ner" (entities with coarse types; fine types when trained with them), "fine" (FMNERG fine
// types), "ground" (groundable flag, score and box of each entity, from the image's detectors),
// "relation" (relations between the post's entities, labels of MNRE, scores over a threshold
// calibrated on dev). docs/library.md describes each field.
//
// Errors: every function throws mie::Error (mie::ParseError for malformed input, naming the file
// and line) for a bad model file, a missing or corrupt image, or malformed input; nothing else is
// thrown for bad input.
//
// Thread safety: a loaded Model is immutable. Any number of threads may call predict() on one
// Model at once; each call keeps its own state (image analyses, buffers). Model is a cheap handle
// (shared ownership): copies share the loaded weights.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mie/core/error.h"
#include "mie/core/post.h"
#include "mie/version.h"

namespace mie {

// What a model does at run time beyond its weights: chosen when loading, fixed afterwards.
struct Options {
  int threads = 1;                            // predict(vector): posts split over this many threads
  std::string images_dir;                     // relative image paths resolve under it
  std::string detectors = "face,object,text,image";  // grounding region proposers (any subset)
  int text_size = 736;                        // text detector's long side (multiple of 32)
  int face_size = 640;                        // face detector's largest side
  std::string vinvl_dir;                      // ground on VinVL <image>.npz regions instead
  int vinvl_top_k = 16;                       // VinVL regions kept per image
  float relation_threshold = -1;              // < 0: the model's threshold calibrated on dev
};

class Model {
 public:
  // Reads a model file (mie train ..., mie ensemble). Throws mie::Error naming the file, the
  // section and the reason (not a mie file, unknown stage or version, bad options).
  static Model load(const std::string& path, const Options& options = {});

  // One post: entities, types, boxes and relations filled in (gold ones in the input are
  // replaced). Runs on the calling thread.
  Post predict(Post post) const;
  // A batch, in place, on Options::threads threads; each image is analysed once per call.
  void predict(std::vector<Post>& posts) const;

  // Loads what the first prediction would (the grounding detectors), so that their errors show
  // now and the first call is not slower.
  void warm_up() const;

  std::vector<std::string> stages() const;     // in the order they run
  bool has_stage(const std::string& name) const;
  // The post context the entity stage was trained to read ("caption", "knowledge"): posts without
  // it are tagged from their text alone.
  std::vector<std::string> context() const;
  const std::string& path() const;
  const Options& options() const;

  struct Impl;

 private:
  explicit Model(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

// A post from raw text (tokenized as `mie predict --text` does) and an optional image path.
Post make_post(const std::string& text, const std::string& image_path = "", const std::string& id = "1");
// An image held in memory (JPEG or PNG bytes); `name` stands for it in the output and in errors.
ImageRef image_from_bytes(std::vector<uint8_t> bytes, const std::string& name = "the image bytes");
// One post of the JSON input format; a missing "id" becomes default_id. Throws mie::Error
// (the message only: add the file and line).
Post parse_post(const std::string& json, const std::string& default_id = "1");
// mie's tweet tokenizer (what make_post and predict use for raw text).
std::vector<std::string> tokenize(const std::string& text);
// The mie JSONL line of a predicted post (no newline): what `mie predict` and `mie serve` write.
std::string to_jsonl(const Post& post);

}  // namespace mie

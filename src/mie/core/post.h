// mie/core/post.h — the one in-memory post that every stage reads and writes.
//
//   mie::Post p;
//   p.id = "575705";
//   p.tokens = {"Webber", "MS", "wins"};
//   p.entities.push_back({.start = 0, .end = 2, .type = "PER"});
//   p.entities[0].boxes.push_back({10, 20, 110, 220});
//   std::string s = mie::span_text(p, p.entities[0]);   // "Webber MS"
//
// Thread safety: plain values; no shared state. Copy freely, share read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mie {

// Axis-aligned box in image pixels, x1,y1 top-left and x2,y2 bottom-right (exclusive-free,
// continuous coordinates: IoU uses no +1).
struct Box {
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  float width() const { return x2 > x1 ? x2 - x1 : 0.f; }
  float height() const { return y2 > y1 ? y2 - y1 : 0.f; }
  float area() const { return width() * height(); }
  bool operator==(const Box&) const = default;
};

// Continuous IoU (no +1), 0 when either box is empty.
float iou(const Box& a, const Box& b);

// A text entity: tokens [start, end) of its post.
struct Entity {
  int start = 0;
  int end = 0;                 // half-open
  std::string type;            // coarse type: PER, LOC, ORG, OTHER (GMNER) or FMNERG's 8 coarse types
  std::string fine_type;       // FMNERG fine type, "" when unknown
  float score = 1.f;            // confidence: the NER stage's CRF marginal probability of span + type
  bool groundable = false;     // the entity is visible in the image
  float groundable_score = -1; // the grounding stage's probability of that; < 0: not computed
  std::vector<Box> boxes;      // gold boxes, or the predicted box (usually one)
  int region = -1;             // candidate-mode prediction: index into the post's candidates, -1 = none
  // The NER stage's log-probability of each of its entity types for this span, the rest of its tag
  // path fixed (ner::Tagger; fine types for an FMNERG fine tagger); empty when not computed. A later
  // stage may re-type the entity with it (typing::Typer fuses it with its own scores). Not written
  // to JSONL.
  std::vector<std::pair<std::string, float>> type_logprobs;
  bool operator==(const Entity&) const = default;
};

// A relation between two entities of the same post (indices into Post::entities).
struct Relation {
  int head = 0;
  int tail = 0;
  std::string label;
  float score = 1.f;
  bool operator==(const Relation&) const = default;
};

// An image by path, or held in memory (`data`: encoded JPEG/PNG bytes; `path` then only names it).
struct ImageRef {
  std::string path;
  int width = 0;
  int height = 0;
  std::shared_ptr<const std::vector<uint8_t>> data;
  bool operator==(const ImageRef&) const = default;
};

struct Post {
  std::string id;                       // IMGID for the Twitter benchmarks
  std::vector<std::string> tokens;
  std::optional<ImageRef> image;
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  std::string caption;                  // optional context (image caption)
  std::string knowledge;                // optional context (LLM-written knowledge)
  std::string text;                     // raw input text when tokens are not given yet ("" otherwise)
  bool operator==(const Post&) const = default;
};

// Tokens [e.start, e.end) joined by single spaces (the GMNER XML <name> convention).
std::string span_text(const Post& p, const Entity& e);
std::string join(const std::vector<std::string>& tokens, int start, int end, const std::string& sep = " ");

}  // namespace mie

// mie/kg/graph.h — mie predictions as a knowledge graph: RDF (N-Triples, Turtle, JSON-LD) and the
// CSV files of Neo4j's `neo4j-admin database import` (docs/kg.md has the model and its rules).
//
//   mie::kg::GraphOptions opt;                          // base IRI, image base
//   std::ofstream out("pred.ttl");
//   mie::kg::RdfWriter w(out, mie::kg::RdfFormat::kTurtle, opt);
//   for (const mie::Post& p : posts) w.add(p);          // streams: nothing but entity keys is kept
//   w.finish();                                         // closes the document; returns triples written
//
// The graph: each post a schema:SocialMediaPosting (text, image); each mention a mie:Mention (span,
// text, type, fine type, scores) linked to its post; each box a mie:ImageRegion named by a W3C Media
// Fragments IRI <image#xywh=x,y,w,h>; mentions of one normalised name and coarse type, in any post,
// denote one entity node (schema:Person, Organization, Place or Thing) that lists its mentions;
// each relation an asserted triple between entities plus an rdf:Statement reifying it with its
// score, post and mentions (RDF 1.1 has no statement-level annotation; rdflib reads no RDF-star).
// Thread safety: a writer belongs to one thread; the free functions are pure.
#pragma once

#include <ostream>
#include <string>
#include <unordered_map>

#include "mie/core/post.h"

namespace mie::kg {

inline constexpr const char* kMie = "https://mie.invalid/ns/";          // mie's vocabulary (docs/kg/mie.ttl)
inline constexpr const char* kMieFine = "https://mie.invalid/ns/fine/";  // the 51 FMNERG fine types
inline constexpr const char* kMieRel = "https://mie.invalid/ns/rel/";    // MNRE labels, leading "/" dropped
inline constexpr const char* kSchema = "https://schema.org/";

struct GraphOptions {
  std::string base = "https://mie.invalid/data/";  // posts, mentions, entities: base + "post/ID", ...
  std::string image_base;                          // relative image paths: image_base + path ("" = base + "image/")
};

// The IRIs of the graph's nodes.
std::string post_iri(const GraphOptions& o, const Post& p);
std::string image_iri(const GraphOptions& o, const std::string& path);  // "" for an uploaded image
std::string region_iri(const std::string& image, const Box& b);         // image#xywh=x,y,w,h (pixels)
std::string entity_iri(const GraphOptions& o, const std::string& type, const std::string& name);
std::string relation_property(const std::string& label);                // "/per/org/member_of" -> mierel:per/org/member_of
std::string schema_class(const std::string& type);                      // PER -> schema:Person, ...

// The rule that merges mentions into entities: ASCII letters lowercased, a leading '#' or '@'
// dropped, runs of blanks collapsed, punctuation at either end trimmed. "@Messi ." -> "messi".
std::string normalise_name(const std::string& surface);

// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash).
std::string iri_escape(const std::string& s, bool keep_slash = false);

// An object of a triple: an IRI, or a literal with an XSD datatype ("" = xsd:string).
struct Term {
  bool iri = false;
  std::string value, datatype;
};

enum class RdfFormat { kNTriples, kTurtle, kJsonLd };
RdfFormat parse_rdf_format(const std::string& name);  // nt, ttl, jsonld; throws mie::Error

class RdfWriter {
 public:
  RdfWriter(std::ostream& out, RdfFormat format, GraphOptions options = {});
  void add(const Post& post);
  long finish();  // ends the document; the number of triples written
  long triples() const { return triples_; }

 private:
  void triple(const std::string& s, const std::string& p, const Term& o);
  void close_subject();
  std::string term_text(const std::string& iri) const;  // Turtle: prefixed where it can be
  std::ostream& out_;
  RdfFormat format_;
  GraphOptions opt_;
  std::string subject_;  // Turtle and JSON-LD group consecutive triples of one subject
  std::string last_predicate_;
  bool first_node_ = true;
  long triples_ = 0;
  std::unordered_map<std::string, bool> entities_;  // entity IRIs already typed and named
};

}  // namespace mie::kg

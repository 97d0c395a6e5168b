#include "mie/kg/graph.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "mie/core/error.h"

namespace mie::kg {
namespace {

constexpr const char* kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr const char* kXsd = "http://www.w3.org/2001/XMLSchema#";

struct Prefix {
  const char* name;
  const char* iri;
};
constexpr Prefix kPrefixes[] = {{"rdf", kRdf},     {"xsd", kXsd},       {"schema", kSchema},
                                {"mie", kMie},     {"miefine", kMieFine}, {"mierel", kMieRel}};

std::string rdf(const char* local) { return std::string(kRdf) + local; }
std::string mie(const char* local) { return std::string(kMie) + local; }
std::string schema(const char* local) { return std::string(kSchema) + local; }

Term iri(std::string v) { return Term{true, std::move(v), ""}; }
Term str(std::string v) { return Term{false, std::move(v), ""}; }
Term integer(long v) { return Term{false, std::to_string(v), std::string(kXsd) + "integer"}; }
Term boolean(bool v) { return Term{false, v ? "true" : "false", std::string(kXsd) + "boolean"}; }
Term real(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";  // an xsd:double lexical form
  return Term{false, s, std::string(kXsd) + "double"};
}

// N-Triples / Turtle string escapes; invalid UTF-8 is the caller's (mie's readers refuse it).
std::string quoted(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\\': o += "\\\\"; break;
      case '"': o += "\\\""; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

bool plain_local(const std::string& s) {  // a Turtle local name we can write unescaped
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (unsigned char c : s)
    if (!(std::isalnum(c) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

std::string iri_escape(const std::string& s, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      o += static_cast<char>(c);
    } else {
      o += '%';
      o += hex[c >> 4];
      o += hex[c & 15];
    }
  }
  return o;
}

std::string normalise_name(const std::string& surface) {
  std::string s;
  for (unsigned char c : surface) {
    const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (blank) {
      if (!s.empty() && s.back() != ' ') s += ' ';
    } else {
      s += static_cast<char>(c < 0x80 ? std::tolower(c) : c);
    }
  }
  const std::string punct = " .,;:!?'\"()[]{}";
  size_t a = s.find_first_not_of(punct), b = s.find_last_not_of(punct);
  if (a == std::string::npos) return "";
  s = s.substr(a, b - a + 1);
  if (s[0] == '#' || s[0] == '@') s = s.substr(1);
  return s;
}

std::string post_iri(const GraphOptions& o, const Post& p) { return o.base + "post/" + iri_escape(p.id); }

std::string image_iri(const GraphOptions& o, const std::string& path) {
  if (path.empty() || path == "upload") return "";
  if (path[0] == '/') return "file://" + iri_escape(path, true);
  return (o.image_base.empty() ? o.base + "image/" : o.image_base) + iri_escape(path, true);
}

std::string region_iri(const std::string& image, const Box& b) {
  const long x = std::lround(b.x1), y = std::lround(b.y1);
  const long w = std::max(0L, std::lround(b.x2) - x), h = std::max(0L, std::lround(b.y2) - y);
  return image + "#xywh=" + std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(w) + "," +
         std::to_string(h);
}

std::string entity_iri(const GraphOptions& o, const std::string& type, const std::string& name) {
  return o.base + "entity/" + iri_escape(type) + "/" + iri_escape(normalise_name(name));
}

std::string relation_property(const std::string& label) {
  return std::string(kMieRel) + iri_escape(label.rfind('/', 0) == 0 ? label.substr(1) : label, true);
}

std::string schema_class(const std::string& type) {
  if (type == "PER" || type == "person") return schema("Person");
  if (type == "ORG" || type == "organization") return schema("Organization");
  if (type == "LOC" || type == "location") return schema("Place");
  return schema("Thing");
}

RdfFormat parse_rdf_format(const std::string& name) {
  if (name == "nt") return RdfFormat::kNTriples;
  if (name == "ttl") return RdfFormat::kTurtle;
  if (name == "jsonld") return RdfFormat::kJsonLd;
  throw Error("unknown RDF format '" + name + "' (nt, ttl, jsonld)");
}

RdfWriter::RdfWriter(std::ostream& out, RdfFormat format, GraphOptions options)
    : out_(out), format_(format), opt_(std::move(options)) {
  if (format_ == RdfFormat::kTurtle)
    for (const auto& p : kPrefixes) out_ << "@prefix " << p.name << ": <" << p.iri << "> .\n";
  if (format_ == RdfFormat::kTurtle) out_ << "\n";
  if (format_ == RdfFormat::kJsonLd) out_ << "[";
}

std::string RdfWriter::term_text(const std::string& i) const {
  if (format_ == RdfFormat::kTurtle) {
    if (i == rdf("type")) return "a";
    for (const auto& p : kPrefixes) {
      const std::string ns = p.iri;
      if (i.size() > ns.size() && i.compare(0, ns.size(), ns) == 0 && plain_local(i.substr(ns.size())))
        return std::string(p.name) + ":" + i.substr(ns.size());
    }
  }
  return "<" + i + ">";
}

void RdfWriter::close_subject() {
  if (subject_.empty()) return;
  if (format_ == RdfFormat::kTurtle) out_ << " .\n";
  if (format_ == RdfFormat::kJsonLd) out_ << "]}";
  subject_.clear();
  last_predicate_.clear();
}

void RdfWriter::triple(const std::string& s, const std::string& p, const Term& o) {
  ++triples_;
  if (format_ == RdfFormat::kNTriples) {
    out_ << '<' << s << "> <" << p << "> ";
    if (o.iri) out_ << '<' << o.value << '>';
    else out_ << quoted(o.value) << (o.datatype.empty() ? "" : "^^<" + o.datatype + ">");
    out_ << " .\n";
    return;
  }
  if (format_ == RdfFormat::kTurtle) {
    if (s != subject_) {
      close_subject();
      out_ << term_text(s) << ' ' << term_text(p) << ' ';
    } else if (p != last_predicate_) {
      out_ << " ;\n    " << term_text(p) << ' ';
    } else {
      out_ << ", ";
    }
    if (o.iri) out_ << term_text(o.value);
    else out_ << quoted(o.value) << (o.datatype.empty() ? "" : "^^" + term_text(o.datatype));
    subject_ = s;
    last_predicate_ = p;
    return;
  }
  // JSON-LD, expanded form: one node object per run of triples with one subject.
  const nlohmann::json obj = o.iri ? nlohmann::json{{"@id", o.value}}
                                   : o.datatype.empty() ? nlohmann::json{{"@value", o.value}}
                                                        : nlohmann::json{{"@value", o.value}, {"@type", o.datatype}};
  const std::string text = obj.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto key = [](const std::string& k) { return nlohmann::json(k).dump(); };
  if (s != subject_) {
    close_subject();
    out_ << (first_node_ ? "\n" : ",\n") << "{\"@id\": " << key(s) << ", " << key(p) << ": [" << text;
    first_node_ = false;
  } else if (p != last_predicate_) {
    out_ << "], " << key(p) << ": [" << text;
  } else {
    out_ << ", " << text;
  }
  subject_ = s;
  last_predicate_ = p;
}

void RdfWriter::add(const Post& post) {
  const std::string P = post_iri(opt_, post);
  std::string text;
  for (size_t i = 0; i < post.tokens.size(); ++i) text += (i ? " " : "") + post.tokens[i];
  const std::string img = post.image ? image_iri(opt_, post.image->path) : "";
  triple(P, rdf("type"), iri(schema("SocialMediaPosting")));
  triple(P, schema("identifier"), str(post.id));
  triple(P, schema("text"), str(text));
  if (!img.empty()) triple(P, schema("image"), iri(img));
  if (!img.empty()) {
    triple(img, rdf("type"), iri(schema("ImageObject")));
    if (post.image->width > 0) triple(img, schema("width"), integer(post.image->width));
    if (post.image->height > 0) triple(img, schema("height"), integer(post.image->height));
  }
  std::vector<std::string> mentions, entities;
  for (size_t k = 0; k < post.entities.size(); ++k) {
    const Entity& e = post.entities[k];
    const std::string M = P + "/m" + std::to_string(k);
    const std::string surface = span_text(post, e);
    const std::string E = entity_iri(opt_, e.type, surface);
    mentions.push_back(M);
    entities.push_back(E);
    triple(M, rdf("type"), iri(mie("Mention")));
    triple(M, mie("inPost"), iri(P));
    triple(M, mie("start"), integer(e.start));
    triple(M, mie("end"), integer(e.end));
    triple(M, mie("text"), str(surface));
    triple(M, mie("type"), str(e.type));
    if (!e.fine_type.empty()) triple(M, mie("fineType"), iri(std::string(kMieFine) + iri_escape(e.fine_type)));
    triple(M, mie("score"), real(e.score));
    triple(M, mie("groundable"), boolean(e.groundable));
    if (e.groundable_score >= 0) triple(M, mie("groundableScore"), real(e.groundable_score));
    triple(M, mie("denotes"), iri(E));
    std::vector<std::string> regions;
    if (!img.empty())
      for (const Box& b : e.boxes) regions.push_back(region_iri(img, b));
    for (const auto& R : regions) triple(M, mie("region"), iri(R));
    for (size_t r = 0; r < regions.size(); ++r) {
      triple(regions[r], rdf("type"), iri(mie("ImageRegion")));
      triple(regions[r], mie("regionOf"), iri(img));
    }
    if (!entities_.count(E)) {
      entities_[E] = true;
      triple(E, rdf("type"), iri(schema_class(e.type)));
      triple(E, rdf("type"), iri(mie("Entity")));
      triple(E, schema("name"), str(surface));
      triple(E, mie("type"), str(e.type));
    }
    triple(E, mie("mention"), iri(M));
  }
  for (size_t k = 0; k < post.relations.size(); ++k) {
    const Relation& r = post.relations[k];
    if (r.head < 0 || r.tail < 0 || r.head >= static_cast<int>(entities.size()) ||
        r.tail >= static_cast<int>(entities.size()))
      throw Error("post " + post.id + ": relation " + std::to_string(k) + " names an entity it does not have");
    const std::string S = P + "/r" + std::to_string(k), prop = relation_property(r.label);
    const std::string &h = entities[static_cast<size_t>(r.head)], &t = entities[static_cast<size_t>(r.tail)];
    triple(h, prop, iri(t));
    triple(S, rdf("type"), iri(rdf("Statement")));
    triple(S, rdf("subject"), iri(h));
    triple(S, rdf("predicate"), iri(prop));
    triple(S, rdf("object"), iri(t));
    triple(S, mie("label"), str(r.label));
    triple(S, mie("score"), real(r.score));
    triple(S, mie("inPost"), iri(P));
    triple(S, mie("headMention"), iri(mentions[static_cast<size_t>(r.head)]));
    triple(S, mie("tailMention"), iri(mentions[static_cast<size_t>(r.tail)]));
  }
}

long RdfWriter::finish() {
  close_subject();
  if (format_ == RdfFormat::kJsonLd) out_ << "\n]\n";
  out_.flush();
  return triples_;
}

}  // namespace mie::kg

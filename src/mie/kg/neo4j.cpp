#include "mie/kg/neo4j.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <vector>

#include "mie/core/error.h"

namespace mie::kg {
namespace {

std::string q(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

const char* label_of(const std::string& schema_iri) {
  if (schema_iri == std::string(kSchema) + "Person") return "Person";
  if (schema_iri == std::string(kSchema) + "Organization") return "Organization";
  if (schema_iri == std::string(kSchema) + "Place") return "Place";
  return "Thing";
}

}  // namespace

std::string neo4j_type(const std::string& label) {
  std::string t;
  for (unsigned char c : label.rfind('/', 0) == 0 ? label.substr(1) : label)
    t += std::isalnum(c) ? static_cast<char>(std::toupper(c)) : '_';
  return t.empty() ? "RELATED" : t;
}

std::ofstream& Neo4jWriter::open(std::ofstream& f, const std::string& name, const std::string& header) {
  const std::string path = dir_ + "/" + name;
  f.open(path, std::ios::binary | std::ios::trunc);
  if (!f) throw Error(path + ": cannot write");
  f << header << '\n';
  return f;
}

Neo4jWriter::Neo4jWriter(const std::string& dir, GraphOptions options) : dir_(dir), opt_(std::move(options)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_)) throw Error(dir_ + ": cannot create the output directory");
  open(posts_, "posts.csv", "id:ID(Post),identifier,text,image");
  open(mentions_, "mentions.csv",
       "id:ID(Mention),text,type,fineType,start:int,end:int,score:double,groundable:boolean,groundableScore:double");
  open(entities_, "entities.csv", "id:ID(Entity),name,type,:LABEL");
  open(regions_, "regions.csv", "id:ID(Region),image,x:int,y:int,w:int,h:int");
  open(in_post_, "in_post.csv", ":START_ID(Mention),:END_ID(Post),:TYPE");
  open(denotes_, "denotes.csv", ":START_ID(Mention),:END_ID(Entity),:TYPE");
  open(grounded_, "grounded_in.csv", ":START_ID(Mention),:END_ID(Region),:TYPE");
  open(relations_, "relations.csv", ":START_ID(Entity),:END_ID(Entity),:TYPE,label,score:double,post");
}

void Neo4jWriter::add(const Post& post) {
  const std::string P = post_iri(opt_, post);
  std::string text;
  for (size_t i = 0; i < post.tokens.size(); ++i) text += (i ? " " : "") + post.tokens[i];
  const std::string img = post.image ? image_iri(opt_, post.image->path) : "";
  posts_ << q(P) << ',' << q(post.id) << ',' << q(text) << ',' << q(img) << '\n';
  ++rows_;
  std::vector<std::string> entities;
  for (size_t k = 0; k < post.entities.size(); ++k) {
    const Entity& e = post.entities[k];
    const std::string M = P + "/m" + std::to_string(k), surface = span_text(post, e);
    const std::string E = entity_iri(opt_, e.type, surface);
    entities.push_back(E);
    mentions_ << q(M) << ',' << q(surface) << ',' << q(e.type) << ',' << q(e.fine_type) << ',' << e.start << ','
              << e.end << ',' << num(e.score) << ',' << (e.groundable ? "true" : "false") << ','
              << (e.groundable_score >= 0 ? num(e.groundable_score) : "") << '\n';
    in_post_ << q(M) << ',' << q(P) << ",IN_POST\n";
    denotes_ << q(M) << ',' << q(E) << ",DENOTES\n";
    rows_ += 3;
    if (seen_entities_.insert(E).second) {
      entities_ << q(E) << ',' << q(surface) << ',' << q(e.type) << ",Entity;" << label_of(schema_class(e.type)) << '\n';
      ++rows_;
    }
    if (img.empty()) continue;
    for (const Box& b : e.boxes) {
      const std::string R = region_iri(img, b);
      if (seen_regions_.insert(R).second) {
        const long x = std::lround(b.x1), y = std::lround(b.y1);
        regions_ << q(R) << ',' << q(img) << ',' << x << ',' << y << ',' << std::max(0L, std::lround(b.x2) - x) << ','
                 << std::max(0L, std::lround(b.y2) - y) << '\n';
        ++rows_;
      }
      grounded_ << q(M) << ',' << q(R) << ",GROUNDED_IN\n";
      ++rows_;
    }
  }
  for (size_t k = 0; k < post.relations.size(); ++k) {
    const Relation& r = post.relations[k];
    if (r.head < 0 || r.tail < 0 || r.head >= static_cast<int>(entities.size()) ||
        r.tail >= static_cast<int>(entities.size()))
      throw Error("post " + post.id + ": relation " + std::to_string(k) + " names an entity it does not have");
    relations_ << q(entities[static_cast<size_t>(r.head)]) << ',' << q(entities[static_cast<size_t>(r.tail)]) << ','
               << neo4j_type(r.label) << ',' << q(r.label) << ',' << num(r.score) << ',' << q(P) << '\n';
    ++rows_;
  }
}

long Neo4jWriter::finish() {
  for (std::ofstream* f : {&posts_, &mentions_, &entities_, &regions_, &in_post_, &denotes_, &grounded_, &relations_})
    if (!f->flush()) throw Error(dir_ + ": cannot write the CSV files (disk full?)");
  std::ofstream sh(dir_ + "/import.sh", std::ios::trunc);
  sh << "#!/bin/sh\n# Imports these files into an empty Neo4j 5 database (default: neo4j), from this directory.\n"
     << "neo4j-admin database import full --overwrite-destination \\\n"
     << "  --nodes=Post=posts.csv --nodes=Mention=mentions.csv --nodes=entities.csv --nodes=Region=regions.csv \\\n"
     << "  --relationships=in_post.csv --relationships=denotes.csv --relationships=grounded_in.csv \\\n"
     << "  --relationships=relations.csv \"${1:-neo4j}\"\n";
  if (!sh.flush()) throw Error(dir_ + "/import.sh: cannot write");
  std::filesystem::permissions(dir_ + "/import.sh", std::filesystem::perms::owner_exec | std::filesystem::perms::group_exec,
                               std::filesystem::perm_options::add);
  return rows_;
}

}  // namespace mie::kg

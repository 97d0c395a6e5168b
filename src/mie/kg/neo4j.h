// mie/kg/neo4j.h — the graph of kg/graph.h as the CSV files of `neo4j-admin database import full`
// (Neo4j 5; header fields NAME:TYPE, :ID(space), :LABEL, :START_ID(space), :END_ID(space), :TYPE).
//
//   mie::kg::Neo4jWriter w("out/", opt);      // creates the directory and its 8 files
//   for (const mie::Post& p : posts) w.add(p);
//   w.finish();                               // writes out/import.sh: the neo4j-admin command
//
// Nodes: posts.csv (:Post), mentions.csv (:Mention), entities.csv (:Entity + Person,
// Organization, Place or Thing), regions.csv (:Region). Relationships: IN_POST (mention -> post),
// DENOTES (mention -> entity), GROUNDED_IN (mention -> region), and one per MNRE label between
// entities (PER_ORG_MEMBER_OF, ...; score and post as properties). IDs are the RDF export's IRIs.
// Every field is quoted; quotes inside are doubled. Thread safety: one thread per writer.
#pragma once

#include <fstream>
#include <string>
#include <unordered_set>

#include "mie/core/post.h"
#include "mie/kg/graph.h"

namespace mie::kg {

class Neo4jWriter {
 public:
  Neo4jWriter(const std::string& dir, GraphOptions options = {});
  void add(const Post& post);
  long finish();  // nodes + relationships written

 private:
  std::ofstream& open(std::ofstream& f, const std::string& name, const std::string& header);
  std::string dir_;
  GraphOptions opt_;
  std::ofstream posts_, mentions_, entities_, regions_, in_post_, denotes_, grounded_, relations_;
  std::unordered_set<std::string> seen_entities_, seen_regions_;
  long rows_ = 0;
};

// "/per/org/member_of" -> "PER_ORG_MEMBER_OF" (a Neo4j relationship type).
std::string neo4j_type(const std::string& label);

}  // namespace mie::kg

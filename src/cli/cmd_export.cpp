// mie export — predictions (mie JSONL) as a knowledge graph: RDF or Neo4j import CSV (docs/kg.md).
//
//   mie export --format ttl --pred pred.jsonl -o graph.ttl
//   mie export --format neo4j --pred pred.jsonl -o neo4j/      # then neo4j/import.sh
//   mie predict ... | mie export --format nt --pred - -o -
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "mie/core/error.h"
#include "mie/core/progress.h"
#include "mie/io/jsonl.h"
#include "mie/kg/graph.h"
#include "mie/kg/neo4j.h"

namespace {

struct Opts {
  std::string format = "ttl", pred = "-", out = "-";
  mie::kg::GraphOptions graph;
};

// Calls `f` with each post of a prediction JSONL stream; errors name the file and line.
template <class F>
long each_post(std::istream& in, const std::string& name, F f) {
  std::string line;
  long n = 0, posts = 0;
  auto* file = dynamic_cast<std::ifstream*>(&in);
  mie::Progress bar("export", file ? mie::Progress::file_size(name) : 0);
  while (std::getline(in, line)) {
    ++n;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    mie::Post p;
    try {
      p = mie::io::post_from_json(nlohmann::json::parse(line));
    } catch (const std::exception& e) {
      throw mie::ParseError(name, n, e.what());
    }
    try {
      f(p);
    } catch (const mie::Error& e) {
      throw mie::ParseError(name, n, e.what());
    }
    if (++posts % 256 == 0 && file) bar.update(static_cast<uint64_t>(posts), *file);
    else if (posts % 256 == 0) bar.update(static_cast<uint64_t>(posts));
  }
  bar.finish();
  if (in.bad()) throw mie::Error(name + ": read error");
  return posts;
}

int run(const Opts& o) {
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string name = o.pred == "-" ? "<stdin>" : o.pred;
  if (o.pred != "-") {
    file.open(o.pred, std::ios::binary);
    if (!file) throw mie::Error(o.pred + ": cannot open the predictions file");
    in = &file;
  }
  const auto t0 = std::chrono::steady_clock::now();
  long posts = 0, items = 0;
  std::string unit = "triples";
  if (o.format == "neo4j") {
    if (o.out == "-") throw mie::Error("--format neo4j writes a directory of CSV files: give -o DIR");
    mie::kg::Neo4jWriter w(o.out, o.graph);
    posts = each_post(*in, name, [&](const mie::Post& p) { w.add(p); });
    items = w.finish();
    unit = "CSV rows";
  } else {
    const mie::kg::RdfFormat format = mie::kg::parse_rdf_format(o.format);
    std::ofstream out_file;
    std::ostream* out = &std::cout;
    if (o.out != "-") {
      out_file.open(o.out, std::ios::binary | std::ios::trunc);
      if (!out_file) throw mie::Error(o.out + ": cannot write");
      out = &out_file;
    }
    mie::kg::RdfWriter w(*out, format, o.graph);
    posts = each_post(*in, name, [&](const mie::Post& p) { w.add(p); });
    items = w.finish();
    if (!*out) throw mie::Error((o.out == "-" ? std::string("stdout") : o.out) + ": write failed (disk full?)");
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << "export: " << posts << " posts, " << items << " " << unit << " in " << s << " s ("
            << (s > 0 ? static_cast<long>(items / s) : 0) << " " << unit << "/s)\n";
  return 0;
}

mie::cli::Registrar reg("export", "Write predictions as a knowledge graph: RDF (ttl, nt, jsonld) or Neo4j import CSV (docs/kg.md)",
                        [](CLI::App& app) {
  auto o = std::make_shared<Opts>();
  app.add_option("--format", o->format, "ttl, nt, jsonld (RDF) or neo4j (CSV files of neo4j-admin database import)")
      ->check(CLI::IsMember({"ttl", "nt", "jsonld", "neo4j"}))
      ->capture_default_str();
  app.add_option("--pred", o->pred, "Predictions: mie JSONL (mie predict's output); - reads stdin")->capture_default_str();
  app.add_option("-o,--output", o->out, "Output file (- for stdout), or directory for neo4j")->capture_default_str();
  app.add_option("--base", o->graph.base, "Base IRI of posts, mentions and entities")->capture_default_str();
  app.add_option("--image-base", o->graph.image_base,
                 "IRI prefix of relative image paths (default: BASE/image/; absolute paths become file: IRIs)");
  return [o]() -> int { return run(*o); };
});

}  // namespace

// mie/report/report.h — one self-contained HTML file to look at predictions: each post's image
// (embedded, resized) with predicted boxes (and gold boxes, dashed), its text with entity spans,
// and every error marked; with gold, a summary on top whose numbers are mie eval's (the same
// library call) and plots drawn as inline SVG: per-type P/R/F1, groundable confusion, entity
// score reliability, IoU of predicted vs gold boxes. Filters (errors only, type, post id) and lazy
// rendering keep thousands of posts responsive. The page runs offline: no network, no CDN.
//
//   mie::report::Options o{.pred = "pred.jsonl", .gold = "dev.txt", .xml = "xml/", .images = "img/"};
//   std::ofstream out("report.html");
//   mie::report::write_html(o, out);
//
// Errors classify each predicted entity against the gold one with its span: spurious (no gold
// span), wrong type, wrong groundable, wrong box (IoU < 0.5 with every gold box); a gold entity
// without a predicted span is missed. Thread safety: pure function of its files.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace mie::report {

struct Options {
  std::string pred;            // mie JSONL (mie predict's output)
  std::string gold, xml;       // optional: GMNER CoNLL + VOC xml directory (gmner), or CoNLL alone (mner)
  std::string images;          // root of relative image paths ("" = as written)
  int image_size = 320;        // longest side of the embedded images, pixels
  std::string title = "mie report";
};

// The report's data: {"title", "task", "summary" (mie eval --json or null), "stats", "posts": [...]}.
nlohmann::json report_data(const Options& o);
void write_html(const Options& o, std::ostream& out);

}  // namespace mie::report

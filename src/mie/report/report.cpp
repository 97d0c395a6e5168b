#include "mie/report/report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "mie/core/error.h"
#include "mie/core/progress.h"
#include "mie/eval/align.h"
#include "mie/eval/evaluate.h"
#include "mie/eval/inputs.h"
#include "mie/io/jsonl.h"
#include "mie/report/page.h"
#include "mie/vision/image.h"

namespace mie::report {
namespace {

using nlohmann::json;

std::string base64(const std::vector<uint8_t>& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string o;
  o.reserve((in.size() + 2) / 3 * 4);
  for (size_t i = 0; i < in.size(); i += 3) {
    const uint32_t n = (uint32_t(in[i]) << 16) | (i + 1 < in.size() ? uint32_t(in[i + 1]) << 8 : 0) |
                       (i + 2 < in.size() ? uint32_t(in[i + 2]) : 0);
    o += t[(n >> 18) & 63];
    o += t[(n >> 12) & 63];
    o += i + 1 < in.size() ? t[(n >> 6) & 63] : '=';
    o += i + 2 < in.size() ? t[n & 63] : '=';
  }
  return o;
}

// The post's image as a JPEG data URL, its longest side at most `size`; {"error"} when unreadable.
json embed_image(const ImageRef& ref, const Options& o) {
  namespace fs = std::filesystem;
  std::string path = ref.path;
  if (!o.images.empty() && !path.empty() && fs::path(path).is_relative()) path = (fs::path(o.images) / path).string();
  try {
    cv::Mat bgr = vision::load_image(path);
    const double s = std::min(1.0, double(o.image_size) / std::max(bgr.cols, bgr.rows));
    cv::Mat small;
    if (s < 1) cv::resize(bgr, small, cv::Size(std::max(1, int(bgr.cols * s)), std::max(1, int(bgr.rows * s))), 0, 0, cv::INTER_AREA);
    else small = bgr;
    std::vector<uint8_t> jpg;
    cv::imencode(".jpg", small, jpg, {cv::IMWRITE_JPEG_QUALITY, 82});
    return {{"src", "data:image/jpeg;base64," + base64(jpg)}, {"w", bgr.cols}, {"h", bgr.rows}};
  } catch (const Error& e) {
    return {{"error", e.what()}};
  }
}

json entity_json(const Entity& e) {
  json b = json::array();
  for (const Box& x : e.boxes) b.push_back({x.x1, x.y1, x.x2, x.y2});
  json j{{"start", e.start}, {"end", e.end}, {"type", e.type}, {"score", e.score}, {"groundable", e.groundable}, {"boxes", b}};
  if (!e.fine_type.empty()) j["fine"] = e.fine_type;
  if (e.groundable_score >= 0) j["gs"] = e.groundable_score;
  return j;
}

float best_iou(const Entity& p, const Entity& g) {
  float best = 0;
  for (const Box& a : p.boxes)
    for (const Box& b : g.boxes) best = std::max(best, iou(a, b));
  return best;
}

struct Stats {
  long conf[2][2] = {{0, 0}, {0, 0}};  // [gold groundable][pred groundable], matched entities
  long rel_n[10] = {}, rel_ok[10] = {};
  double rel_sum[10] = {};
  long iou_bins[10] = {};
};

// Marks each predicted and gold entity of one post; fills the plots' counts.
void mark_errors(const Post& gold, const Post& pred, json& pj, json& gj, Stats& st, bool boxes) {
  std::map<std::pair<int, int>, size_t> gold_at;
  for (size_t i = 0; i < gold.entities.size(); ++i) gold_at[{gold.entities[i].start, gold.entities[i].end}] = i;
  std::vector<bool> found(gold.entities.size(), false);
  for (size_t k = 0; k < pred.entities.size(); ++k) {
    const Entity& p = pred.entities[k];
    std::string err;
    const auto it = gold_at.find({p.start, p.end});
    const int bin = std::clamp(int(p.score * 10), 0, 9);
    bool right = false;
    if (it == gold_at.end()) {
      err = "spurious";
    } else {
      const Entity& g = gold.entities[it->second];
      found[it->second] = true;
      if (g.type != p.type) {
        err = "wrong type";
      } else {
        right = true;
        if (boxes) {
          ++st.conf[g.groundable][p.groundable];
          if (g.groundable != p.groundable) err = "wrong groundable";
          else if (g.groundable && !p.boxes.empty()) {
            const float v = best_iou(p, g);
            ++st.iou_bins[std::clamp(int(v * 10), 0, 9)];
            if (v < 0.5f) err = "wrong box";
          }
        }
      }
    }
    ++st.rel_n[bin];
    st.rel_sum[bin] += p.score;
    st.rel_ok[bin] += right;
    if (!err.empty()) pj[k]["err"] = err;
  }
  for (size_t i = 0; i < gold.entities.size(); ++i)
    if (!found[i]) gj[i]["err"] = "missed";
}

}  // namespace

json report_data(const Options& o) {
  std::vector<Post> pred = io::read_jsonl(o.pred);
  json out{{"title", o.title}, {"task", nullptr}, {"summary", nullptr}, {"stats", nullptr}};
  std::vector<Post> gold;
  const bool with_gold = !o.gold.empty();
  const std::string task = o.xml.empty() ? "mner" : "gmner";
  if (with_gold) {
    gold = eval::load_gold(task, o.gold, o.xml);
    pred = eval::align_predictions(gold, pred, o.pred);
    out["task"] = task;
    out["summary"] = eval::evaluate_json(eval::Request{.task = task, .gold = o.gold, .xml = o.xml, .pred = o.pred});
  }
  Stats st;
  json posts = json::array();
  Progress bar("report", pred.size());
  for (size_t i = 0; i < pred.size(); ++i) {
    bar.update(i);
    const Post& p = pred[i];
    json pj = json::array(), gj = json::array();
    for (const Entity& e : p.entities) pj.push_back(entity_json(e));
    if (with_gold)
      for (const Entity& e : gold[i].entities) gj.push_back(entity_json(e));
    if (with_gold) mark_errors(gold[i], p, pj, gj, st, task == "gmner");
    long errors = 0;
    for (const auto* list : {&pj, &gj})
      for (const auto& e : *list) errors += e.contains("err");
    json post{{"id", with_gold ? gold[i].id : p.id}, {"tokens", with_gold ? gold[i].tokens : p.tokens},
              {"pred", pj}, {"gold", with_gold ? gj : json(nullptr)}, {"errors", errors}};
    if (p.image && !p.image->path.empty() && !p.image->data) post["image"] = embed_image(*p.image, o);
    json rel = json::array();
    for (const Relation& r : p.relations) rel.push_back({{"head", r.head}, {"tail", r.tail}, {"label", r.label}, {"score", r.score}});
    post["relations"] = rel;
    posts.push_back(std::move(post));
  }
  bar.finish();
  if (with_gold) {
    json rel = json::array();
    for (int b = 0; b < 10; ++b)
      rel.push_back({{"lo", b / 10.0}, {"hi", (b + 1) / 10.0}, {"n", st.rel_n[b]},
                     {"mean_score", st.rel_n[b] ? st.rel_sum[b] / st.rel_n[b] : 0.0},
                     {"accuracy", st.rel_n[b] ? double(st.rel_ok[b]) / st.rel_n[b] : 0.0}});
    out["stats"] = {{"groundable_confusion", {{st.conf[1][1], st.conf[1][0]}, {st.conf[0][1], st.conf[0][0]}}},
                    {"reliability", rel},
                    {"iou", std::vector<long>(st.iou_bins, st.iou_bins + 10)}};
  }
  out["posts"] = std::move(posts);
  return out;
}

void write_html(const Options& o, std::ostream& out) {
  std::string data = report_data(o).dump(-1, ' ', false, json::error_handler_t::replace);
  for (size_t at = 0; (at = data.find("</", at)) != std::string::npos; at += 3) data.replace(at, 2, "<\\/");  // stay in the <script>
  const std::string page = kReportHtml;
  const std::string mark = "/*MIE_REPORT_DATA*/null";
  const size_t at = page.find(mark);
  if (at == std::string::npos) throw Error("report template without its data mark (build error)");
  out << page.substr(0, at) << data << page.substr(at + mark.size());
  if (!out) throw Error("cannot write the report (disk full?)");
}

}  // namespace mie::report

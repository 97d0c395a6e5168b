#include "mie/relation/schema.h"

#include <algorithm>
#include <cctype>

namespace mie::relation {

const std::vector<std::string>& arg_type_names() {
  static const std::vector<std::string> n = {"per", "org", "loc", "misc"};
  return n;
}

int arg_type_index(std::string_view name) {
  const auto& n = arg_type_names();
  for (size_t i = 0; i < n.size(); ++i)
    if (n[i] == name) return static_cast<int>(i);
  return -1;
}

LabelSignature label_signature(std::string_view label) {
  LabelSignature s;
  if (label.size() < 2 || label[0] != '/') return s;
  const size_t a = label.find('/', 1);
  if (a == std::string_view::npos) return s;
  const size_t b = label.find('/', a + 1);
  if (b == std::string_view::npos) return s;
  const int h = arg_type_index(label.substr(1, a - 1));
  const int t = arg_type_index(label.substr(a + 1, b - a - 1));
  if (h < 0 || t < 0) return s;
  return {h, t};
}

int arg_type_from_ner(std::string_view ner_type) {
  std::string t(ner_type);
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t == "per" || t == "person") return kPer;
  if (t == "org" || t == "organization") return kOrg;
  if (t == "loc" || t == "location" || t == "building" || t == "gpe") return kLoc;
  if (t == "other" || t == "misc" || t == "event" || t == "art" || t == "product") return kMisc;
  return -1;
}

bool compatible(const LabelSignature& sig, int head_type, int tail_type) {
  if (sig.head >= 0 && head_type >= 0 && sig.head != head_type) return false;
  if (sig.tail >= 0 && tail_type >= 0 && sig.tail != tail_type) return false;
  return true;
}

const std::vector<std::string>& mnre_labels() {
  static const std::vector<std::string> l = {
      "/loc/loc/contain",         "/misc/loc/held_on",          "/misc/misc/part_of",
      "/org/loc/locate_at",       "/org/org/alternate_names",   "/org/org/subsidiary",
      "/per/loc/place_of_birth",  "/per/loc/place_of_residence", "/per/misc/awarded",
      "/per/misc/nationality",    "/per/misc/present_in",       "/per/misc/race",
      "/per/misc/religion",       "/per/org/member_of",         "/per/per/alternate_names",
      "/per/per/alumi",           "/per/per/charges",           "/per/per/couple",
      "/per/per/neighbor",        "/per/per/parent",            "/per/per/peer",
      "/per/per/siblings",        kNoneLabel};
  return l;
}

}  // namespace mie::relation

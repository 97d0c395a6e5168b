#include "mie/typing/wordnet.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/text/features.h"

namespace mie::typing {

namespace {

// WordNet 3.0 lexicographer files (lexnames(5WN)), by number.
const char* const kLexNames[] = {
    "adj.all",          "adj.pert",       "adv.all",           "noun.Tops",         "noun.act",
    "noun.animal",      "noun.artifact",  "noun.attribute",    "noun.body",         "noun.cognition",
    "noun.communication", "noun.event",   "noun.feeling",      "noun.food",         "noun.group",
    "noun.location",    "noun.motive",    "noun.object",       "noun.person",       "noun.phenomenon",
    "noun.plant",       "noun.possession", "noun.process",     "noun.quantity",     "noun.relation",
    "noun.shape",       "noun.state",     "noun.substance",    "noun.time",         "verb.body",
    "verb.change",      "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
    "verb.contact",     "verb.creation",  "verb.emotion",      "verb.motion",       "verb.perception",
    "verb.possession",  "verb.social",    "verb.stative",      "verb.weather",      "adj.ppl"};
constexpr int kNumLex = sizeof(kLexNames) / sizeof(kLexNames[0]);

std::string lower_ascii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string norm_lemma(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == ' ') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_capitalised(const std::vector<std::string>& toks) {
  for (const auto& t : toks) {
    std::string_view v = t;
    while (!v.empty() && (v[0] == '@' || v[0] == '#')) v.remove_prefix(1);
    if (!v.empty() && std::isupper(static_cast<unsigned char>(v[0]))) return true;
  }
  return false;
}

}  // namespace

std::string default_wordnet_dir() {
  if (const char* e = std::getenv("WNSEARCHDIR"); e && *e) return e;
  return "/usr/share/wordnet";
}

WordNet WordNet::load(const std::string& dir) {
  WordNet wn;
  const std::string data_path = dir + "/data.noun";
  std::ifstream data = mie::open_file(data_path, "WordNet data file (install Debian wordnet-base or set WNSEARCHDIR)");
  std::vector<std::pair<std::vector<uint32_t>, std::vector<uint32_t>>> ptrs;  // hyper, inst offsets
  std::string line;
  long line_no = 0;
  while (std::getline(data, line)) {
    ++line_no;
    if (line.empty() || line[0] == ' ') continue;  // licence header
    std::istringstream ss(line);
    Synset s;
    std::string off, lex, pos, wcnt_hex;
    if (!(ss >> off >> lex >> pos >> wcnt_hex)) throw ParseError(data_path, line_no, "truncated synset line");
    char* end = nullptr;
    s.offset = static_cast<uint32_t>(std::strtoul(off.c_str(), &end, 10));
    if (*end) throw ParseError(data_path, line_no, "bad synset offset '" + off + "'");
    int lexnum = std::atoi(lex.c_str());
    if (lexnum < 0 || lexnum >= kNumLex) throw ParseError(data_path, line_no, "bad lexicographer file " + lex);
    s.lexfile = static_cast<uint8_t>(lexnum);
    long wcnt = std::strtol(wcnt_hex.c_str(), &end, 16);
    if (*end || wcnt <= 0) throw ParseError(data_path, line_no, "bad word count '" + wcnt_hex + "'");
    for (long i = 0; i < wcnt; ++i) {
      std::string w, lexid;
      if (!(ss >> w >> lexid)) throw ParseError(data_path, line_no, "truncated word list");
      if (i == 0) {
        auto paren = w.find('(');  // adjective markers like "(a)" never occur in nouns, but be safe
        s.lemma = lower_ascii(w.substr(0, paren));
      }
    }
    int pcnt = 0;
    if (!(ss >> pcnt)) throw ParseError(data_path, line_no, "missing pointer count");
    std::vector<uint32_t> hyper, inst;
    for (int i = 0; i < pcnt; ++i) {
      std::string sym, target, tpos, st;
      if (!(ss >> sym >> target >> tpos >> st)) throw ParseError(data_path, line_no, "truncated pointer list");
      if (tpos != "n") continue;
      uint32_t t = static_cast<uint32_t>(std::strtoul(target.c_str(), nullptr, 10));
      if (sym == "@") hyper.push_back(t);
      else if (sym == "@i") inst.push_back(t);
    }
    s.is_instance = !inst.empty();
    wn.by_offset_[s.offset] = static_cast<int>(wn.synsets_.size());
    wn.synsets_.push_back(std::move(s));
    ptrs.emplace_back(std::move(hyper), std::move(inst));
  }
  if (wn.synsets_.empty()) throw Error(data_path + ": no synsets found");
  for (size_t i = 0; i < wn.synsets_.size(); ++i) {
    for (uint32_t t : ptrs[i].first)
      if (int k = wn.find_synset(t); k >= 0) wn.synsets_[i].hyper.push_back(k);
    for (uint32_t t : ptrs[i].second)
      if (int k = wn.find_synset(t); k >= 0) wn.synsets_[i].inst.push_back(k);
  }

  const std::string index_path = dir + "/index.noun";
  std::ifstream index = mie::open_file(index_path, "WordNet index file");
  line_no = 0;
  while (std::getline(index, line)) {
    ++line_no;
    if (line.empty() || line[0] == ' ') continue;
    std::istringstream ss(line);
    std::string lemma, pos;
    int synset_cnt = 0, p_cnt = 0;
    if (!(ss >> lemma >> pos >> synset_cnt >> p_cnt)) throw ParseError(index_path, line_no, "truncated index line");
    std::string tok;
    for (int i = 0; i < p_cnt; ++i) ss >> tok;
    int sense_cnt = 0, tagged = 0;
    if (!(ss >> sense_cnt >> tagged)) throw ParseError(index_path, line_no, "missing sense counts");
    std::vector<uint32_t> offs;
    for (int i = 0; i < synset_cnt; ++i) {
      if (!(ss >> tok)) throw ParseError(index_path, line_no, "fewer synset offsets than announced");
      offs.push_back(static_cast<uint32_t>(std::strtoul(tok.c_str(), nullptr, 10)));
    }
    wn.index_[lemma] = std::move(offs);
  }
  if (wn.index_.empty()) throw Error(index_path + ": no lemmas found");
  return wn;
}

int WordNet::find_synset(uint32_t offset) const {
  auto it = by_offset_.find(offset);
  return it == by_offset_.end() ? -1 : it->second;
}

std::vector<uint32_t> WordNet::senses(std::string_view lemma) const {
  auto it = index_.find(norm_lemma(lemma));
  return it == index_.end() ? std::vector<uint32_t>{} : it->second;
}

std::string WordNet::match(const std::vector<std::string>& tokens) const {
  std::vector<std::string> toks;
  for (const auto& t : tokens) {
    std::string k = text::lookup_key(t);
    if (k == "@" || k == "#" || k.empty()) continue;
    toks.push_back(k);
  }
  if (toks.empty()) return "";
  if (toks.back().size() > 2 && toks.back().ends_with("'s")) toks.back().resize(toks.back().size() - 2);
  auto joined = [](const std::vector<std::string>& v, size_t from) {
    std::string s;
    for (size_t i = from; i < v.size(); ++i) s += (i > from ? "_" : "") + v[i];
    return s;
  };
  std::vector<std::string> tries = {joined(toks, 0)};
  if (toks.size() > 1) tries.push_back(toks.back());
  for (const auto& base : std::vector<std::string>(tries)) {
    if (base.size() > 3 && base.back() == 's') tries.push_back(base.substr(0, base.size() - 1));
  }
  for (const auto& t : tries)
    if (index_.count(t)) return t;
  return "";
}

std::vector<Hypernym> WordNet::hypernyms(const std::vector<std::string>& tokens, const WordNetOptions& opt) const {
  std::vector<Hypernym> out;
  std::string lemma = match(tokens);
  if (lemma.empty()) return out;
  const auto& offs = index_.at(lemma);
  std::vector<int> chosen;
  bool want_instances = is_capitalised(tokens);
  if (want_instances)
    for (uint32_t o : offs)
      if (int k = find_synset(o); k >= 0 && synsets_[k].is_instance && static_cast<int>(chosen.size()) < opt.max_senses)
        chosen.push_back(k);
  if (chosen.empty())
    for (uint32_t o : offs)
      if (int k = find_synset(o); k >= 0 && static_cast<int>(chosen.size()) < opt.max_senses) chosen.push_back(k);
  std::set<std::pair<int, bool>> seen;
  for (int k : chosen) {
    const bool inst = synsets_[k].is_instance;
    std::vector<int> frontier = inst ? synsets_[k].inst : synsets_[k].hyper;
    for (int d = 1; d <= opt.depth && !frontier.empty(); ++d) {
      std::vector<int> next;
      for (int h : frontier) {
        if (!seen.insert({h, inst}).second) continue;
        out.push_back({synsets_[h].offset, synsets_[h].lemma, d, inst});
        for (int g : synsets_[h].hyper) next.push_back(g);
        for (int g : synsets_[h].inst) next.push_back(g);
      }
      frontier = std::move(next);
    }
  }
  return out;
}

std::vector<std::string> WordNet::features(const std::vector<std::string>& tokens, const WordNetOptions& opt) const {
  std::vector<std::string> f;
  std::string lemma = match(tokens);
  if (lemma.empty()) return {"wn:none"};
  std::set<std::string> lex;
  int used = 0;
  bool want_instances = is_capitalised(tokens);
  bool any_inst = false;
  for (uint32_t o : index_.at(lemma))
    if (int k = find_synset(o); k >= 0 && synsets_[k].is_instance) any_inst = true;
  for (uint32_t o : index_.at(lemma)) {
    int k = find_synset(o);
    if (k < 0 || used >= opt.max_senses) continue;
    if (want_instances && any_inst && !synsets_[k].is_instance) continue;
    lex.insert(kLexNames[synsets_[k].lexfile]);
    ++used;
  }
  for (const auto& l : lex) f.push_back("lex:" + l);
  for (const auto& h : hypernyms(tokens, opt))
  {
    char off[16];
    std::snprintf(off, sizeof off, "%08u", h.offset);
    f.push_back(std::string(h.instance ? "i:" : "c:") + h.lemma + "." + off);
  }
  f.push_back(any_inst ? "wn:instance" : "wn:common");
  return f;
}

std::string WordNet::synset_lemma(uint32_t offset) const {
  int k = find_synset(offset);
  if (k < 0) throw Error("WordNet: unknown synset offset " + std::to_string(offset));
  return synsets_[k].lemma;
}

std::string WordNet::lexname(uint32_t offset) const {
  int k = find_synset(offset);
  if (k < 0) throw Error("WordNet: unknown synset offset " + std::to_string(offset));
  return kLexNames[synsets_[k].lexfile];
}

}  // namespace mie::typing

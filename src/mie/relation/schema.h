// mie/relation/schema.h — relation labels and the argument types their names encode.
//
//   auto sig = mie::relation::label_signature("/per/org/member_of");   // {head=kPer, tail=kOrg}
//   int t = mie::relation::arg_type_from_ner("PER");                    // kPer
//   bool ok = mie::relation::compatible(sig, kPer, -1);                 // -1 = unknown type
//
// MNRE labels are "/<head type>/<tail type>/<name>" with types per, org, loc, misc; "None" means
// no relation. Labels of other schemes (MORE, JMERE) simply have no signature ({-1, -1}).
// Thread safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mie::relation {

inline constexpr const char* kNoneLabel = "None";
enum ArgType : int { kPer = 0, kOrg = 1, kLoc = 2, kMisc = 3, kNumArgTypes = 4 };

const std::vector<std::string>& arg_type_names();  // {"per","org","loc","misc"}
int arg_type_index(std::string_view name);          // "per" -> kPer, else -1

struct LabelSignature {
  int head = -1, tail = -1;  // ArgType, -1 = any
};
LabelSignature label_signature(std::string_view label);

// NER / FMNERG coarse types -> ArgType: PER/person -> per, ORG/organization -> org,
// LOC/location/building -> loc, OTHER/MISC/event/art/product/other -> misc, else -1.
int arg_type_from_ner(std::string_view ner_type);

// True when the label's signature allows the (possibly unknown, -1) argument types.
bool compatible(const LabelSignature& sig, int head_type, int tail_type);

// The 23 MNRE v2 labels ("None" last).
const std::vector<std::string>& mnre_labels();

}  // namespace mie::relation

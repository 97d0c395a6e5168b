// mie/grounding/test_util.h — helpers shared by the grounding unit tests (not part of the library).
//
//   mie::Entity e = mie::grounding::test::ent(0, 2, "PER");   // tokens [0, 2), type PER
#pragma once

#include "mie/core/post.h"

namespace mie::grounding::test {

inline Entity ent(int start, int end, const char* type) {
  Entity x;
  x.start = start;
  x.end = end;
  x.type = type;
  return x;
}

}  // namespace mie::grounding::test

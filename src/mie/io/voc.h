// mie/io/voc.h — Pascal VOC XML boxes (GMNER's xml/<id>.xml).
//
//   auto ann = mie::io::read_voc("../shared/data/gmner/xml/1953977.xml");
//   mie::io::VocAttachStats st = mie::io::attach_voc_boxes(posts, "../shared/data/gmner/xml");
//   if (st.unmatched_objects) std::cerr << st.unmatched_objects << " XML objects match no entity\n";
//
// <name> equals the entity's tokens joined by single spaces. Several objects with one name are
// several gold boxes of that entity, and every mention with that name shares them. A post whose
// image has no XML file has no groundable entity. attach_voc_boxes sets Entity::boxes,
// Entity::groundable and Post::image (path "<id>.jpg", size from <size>; posts without XML
// get the path with size 0x0 unless they already have an image). Objects whose name matches no
// entity of the post are never dropped silently: they are counted (and listed) in the stats,
// and a one-line warning goes to stderr when `warn` is true.
// Coordinates are taken as given (no +1/-1 shifts). read_voc throws mie::ParseError on
// malformed XML, a missing <bndbox> coordinate or non-numeric values.
// Thread safety: free functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mie/core/post.h"

namespace mie::io {

struct VocObject {
  std::string name;
  Box box;
};

struct VocAnnotation {
  std::string filename;
  int width = 0;
  int height = 0;
  std::vector<VocObject> objects;
};

struct VocAttachStats {
  long posts_with_xml = 0;
  long objects = 0;
  long groundable_entities = 0;                 // entities that received at least one box
  long unmatched_objects = 0;                   // objects whose name matches no entity
  std::vector<std::string> unmatched;           // "<id>: <name>" for each unmatched object
};

VocAnnotation read_voc(const std::string& path);  // throws mie::ParseError
VocAttachStats attach_voc_boxes(std::vector<Post>& posts, const std::string& xml_dir, bool warn = true);

}  // namespace mie::io

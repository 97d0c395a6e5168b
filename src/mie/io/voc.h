// mie/io/voc.h — Pascal VOC XML boxes (GMNER's xml/<id>.xml).
//
//   auto ann = mie::io::read_voc("../shared/data/gmner/xml/1953977.xml");
//   mie::io::attach_voc_boxes(posts, "../shared/data/gmner/xml");
//
// <name> equals the entity's tokens joined by single spaces. Several objects with one name are
// several gold boxes of that entity, and every mention with that name shares them. A post whose
// image has no XML file has no groundable entity. attach_voc_boxes sets Entity::boxes,
// Entity::groundable and Post::image (path "<id>.jpg", size from <size>).
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

VocAnnotation read_voc(const std::string& path);  // throws mie::ParseError
void attach_voc_boxes(std::vector<Post>& posts, const std::string& xml_dir);

}  // namespace mie::io

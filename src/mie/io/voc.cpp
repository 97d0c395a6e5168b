#include "mie/io/voc.h"

#include <pugixml.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>

#include "mie/core/files.h"
#include "mie/core/error.h"
#include "mie/core/paths.h"
#include "mie/io/lines.h"

namespace mie::io {
namespace {

// 1-based line of a byte offset in the file, for error messages.
long line_of(const std::string& text, ptrdiff_t offset) {
  long line = 1;
  for (ptrdiff_t i = 0; i < offset && i < static_cast<ptrdiff_t>(text.size()); ++i) line += text[i] == '\n';
  return line;
}

float number(const pugi::xml_node& parent, const char* child, const std::string& path, const std::string& text) {
  pugi::xml_node n = parent.child(child);
  const long line = line_of(text, parent.offset_debug());
  if (!n) throw ParseError(path, line, std::string("missing <") + child + ">");
  std::string v(strip(n.child_value()));
  char* end = nullptr;
  float f = std::strtof(v.c_str(), &end);
  if (v.empty() || *end != '\0') throw ParseError(path, line_of(text, n.offset_debug()), std::string("<") + child + "> is not a number: '" + v + "'");
  return f;
}

}  // namespace

VocAnnotation read_voc(const std::string& path) {
  std::ifstream in = mie::open_file(path, "VOC xml file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  pugi::xml_document doc;
  pugi::xml_parse_result r = doc.load_buffer(text.data(), text.size());
  if (!r) throw ParseError(path, line_of(text, r.offset), std::string("XML error: ") + r.description());
  pugi::xml_node root = doc.child("annotation");
  if (!root) throw ParseError(path, 0, "no <annotation> root element");
  VocAnnotation a;
  a.filename = strip(root.child_value("filename"));
  if (pugi::xml_node size = root.child("size")) {
    a.width = static_cast<int>(number(size, "width", path, text));
    a.height = static_cast<int>(number(size, "height", path, text));
  }
  for (pugi::xml_node o : root.children("object")) {
    VocObject obj;
    obj.name = strip(o.child_value("name"));
    if (obj.name.empty()) throw ParseError(path, line_of(text, o.offset_debug()), "<object> without <name>");
    if (find_invalid_utf8(obj.name) != std::string::npos)
      throw ParseError(path, line_of(text, o.offset_debug()), "invalid UTF-8 in <name>");
    pugi::xml_node b = o.child("bndbox");
    if (!b) throw ParseError(path, line_of(text, o.offset_debug()), "<object> '" + obj.name + "' without <bndbox>");
    obj.box = {number(b, "xmin", path, text), number(b, "ymin", path, text), number(b, "xmax", path, text),
               number(b, "ymax", path, text)};
    a.objects.push_back(std::move(obj));
  }
  return a;
}

VocAttachStats attach_voc_boxes(std::vector<Post>& posts, const std::string& xml_dir, bool warn) {
  VocAttachStats st;
  for (Post& p : posts) {
    for (Entity& e : p.entities) {
      e.boxes.clear();
      e.groundable = false;
    }
    const std::string xml = xml_dir + "/" + p.id + ".xml";
    if (p.id.empty() || !file_exists(xml)) {
      if (!p.image && !p.id.empty()) p.image = ImageRef{p.id + ".jpg", 0, 0};
      continue;
    }
    VocAnnotation a = read_voc(xml);
    ++st.posts_with_xml;
    p.image = ImageRef{p.id + ".jpg", a.width, a.height};
    for (const VocObject& o : a.objects) {
      ++st.objects;
      bool matched = false;
      for (Entity& e : p.entities) {
        if (span_text(p, e) != o.name) continue;
        e.boxes.push_back(o.box);
        e.groundable = true;
        matched = true;
      }
      if (!matched) {
        ++st.unmatched_objects;
        st.unmatched.push_back(p.id + ": " + o.name);
      }
    }
    for (const Entity& e : p.entities) st.groundable_entities += e.groundable;
  }
  if (warn && st.unmatched_objects > 0)
    std::cerr << "mie: " << st.unmatched_objects << " of " << st.objects << " XML objects in " << xml_dir
              << " match no entity name (first: " << st.unmatched.front() << ")\n";
  return st;
}

}  // namespace mie::io

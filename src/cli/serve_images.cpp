#include "cli/serve_images.h"

#include <stdlib.h>

#include <fstream>

#include "mie/core/error.h"

namespace mie::cli {

namespace fs = std::filesystem;

namespace {
const std::string kUploadInMessages = "the uploaded image";
}  // namespace

ImageRoot::ImageRoot(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  root_ = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(root_, ec)) throw Error(dir + ": --images is not a directory");
}

std::string ImageRoot::resolve(const std::string& name) const {
  if (root_.empty())
    throw Error("image \"" + name + "\": this server takes no image paths (started without --images); upload the image");
  const Error refused("image \"" + name + "\" is not available on this server: name a file under its image directory, or upload the image");
  if (name.empty() || name.find('\0') != std::string::npos) throw refused;
  std::error_code ec;
  const fs::path p(name);
  const fs::path real = fs::canonical(p.is_absolute() ? p : root_ / p, ec);
  if (ec) throw refused;
  const fs::path rel = real.lexically_relative(root_);
  if (rel.empty() || *rel.begin() == ".." || !fs::is_regular_file(real, ec)) throw refused;
  return real.string();
}

UploadDir::UploadDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/mie-serve-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw Error("cannot create a directory for uploads from " + tmpl);
  dir_ = tmpl;
}

UploadDir::~UploadDir() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::shared_ptr<const std::string> UploadDir::write(const std::string& bytes) {
  std::shared_ptr<const std::string> path(new std::string((dir_ / ("upload-" + std::to_string(next_++))).string()),
                                          [](const std::string* p) {
                                            std::error_code ec;
                                            fs::remove(*p, ec);
                                            delete p;
                                          });
  std::ofstream out(*path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) throw Error("cannot store the uploaded image (disk full?)");
  return path;
}

std::string RequestImages::shown(std::string text) const {
  for (const auto& [server, client] : names_) {
    const std::string& as = upload && server == *upload ? kUploadInMessages : client;
    for (size_t at = 0; !server.empty() && (at = text.find(server, at)) != std::string::npos; at += as.size())
      text.replace(at, server.size(), as);
  }
  return text;
}

const std::string* RequestImages::client_name(const std::string& server_path) const {
  for (const auto& [server, client] : names_)
    if (server == server_path) return &client;
  return nullptr;
}

}  // namespace mie::cli

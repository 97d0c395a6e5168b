// cli/serve_images.h — the images a `mie serve` request may use: uploads, stored in a scratch
// directory for the request's lifetime, and paths, confined to the server's --images directory.
//
//   ImageRoot root(o.ground.images_dir);       // "" : the server takes uploads only
//   std::string real = root.resolve("a/1.jpg"); // the real path, or Error (the same for refused and missing)
//   RequestImages names;                        // per request: server paths -> what the client sees
//   names.add(real, "a/1.jpg"); names.shown(error_message);
//
// A path names a file under the root after symlinks and ".." are resolved; anything else (an
// absolute path elsewhere, an escape, a missing or non-regular file) answers one message that
// names neither the server's directories nor whether the file exists.
// Thread safety: ImageRoot is immutable; UploadDir::write may be called from any thread;
// RequestImages belongs to one request.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mie::cli {

class ImageRoot {
 public:
  explicit ImageRoot(const std::string& dir);  // throws Error when dir is given but not a directory
  std::string resolve(const std::string& name) const;
  bool accepts_paths() const { return !root_.empty(); }

 private:
  std::filesystem::path root_;  // canonical; empty when paths are refused
};

// A scratch directory for uploaded images, removed with everything in it when the server stops.
class UploadDir {
 public:
  UploadDir();
  ~UploadDir();
  UploadDir(const UploadDir&) = delete;
  UploadDir& operator=(const UploadDir&) = delete;
  // Writes one upload to a new file; the file is removed when the returned handle goes.
  std::shared_ptr<const std::string> write(const std::string& bytes);

 private:
  std::filesystem::path dir_;
  std::atomic<long> next_{0};
};

// The server-side names of one request's images and what the client is shown instead: its own
// path, or "the uploaded image" / "upload" for an upload.
class RequestImages {
 public:
  void add(std::string server_path, std::string client_name) { names_.emplace_back(std::move(server_path), std::move(client_name)); }
  std::string shown(std::string text) const;             // every server path replaced
  const std::string* client_name(const std::string& server_path) const;
  std::shared_ptr<const std::string> upload;             // keeps the uploaded file alive

 private:
  std::vector<std::pair<std::string, std::string>> names_;
};

}  // namespace mie::cli

#include "mie/core/files.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "mie/core/error.h"

namespace mie {

std::ifstream open_file(const std::string& path, const std::string& what) {
  const std::string prefix = path + ": cannot open " + what + ": ";
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (st.type() == std::filesystem::file_type::not_found) throw Error(prefix + "no such file");
  if (st.type() == std::filesystem::file_type::directory) throw Error(prefix + "is a directory");
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(prefix + (errno ? std::strerror(errno) : "unreadable"));
  return in;
}

}  // namespace mie

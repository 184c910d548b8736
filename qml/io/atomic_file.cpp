#include "qml/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, int error) {
  throw DatasetError("cannot write " + path.string() + ": " + std::strerror(error));
}

}  // namespace

unsigned current_umask() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Umask:", 0) != 0) continue;
    try {
      return static_cast<unsigned>(std::stoul(line.substr(6), nullptr, 8));
    } catch (...) {
      break;
    }
  }
  return 022;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  std::string temp = path.string() + ".tmp-XXXXXX";
  const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (fd < 0) fail(path, errno);
  ::fchmod(fd, static_cast<mode_t>(0666 & ~current_umask()));  // mkostemp makes 0600
  std::size_t done = 0;
  int error = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = n < 0 ? errno : EIO;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && std::rename(temp.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    fail(path, error);
  }
}

}  // namespace qmlsim::qml

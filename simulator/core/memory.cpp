#include "simulator/core/memory.hpp"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "simulator/core/errors.hpp"

namespace qmlsim {
namespace {

std::optional<std::uint64_t> meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  std::uint64_t value = 0;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return value * 1024;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> read_number(const char* path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return std::stoull(text);
  } catch (...) {
    return std::nullopt;
  }
}

// Room left under the cgroup's limit (v2, then v1). v1 reports "no limit" as a huge number.
std::optional<std::uint64_t> cgroup_available() {
  auto limit = read_number("/sys/fs/cgroup/memory.max");
  auto usage = read_number("/sys/fs/cgroup/memory.current");
  if (!limit) {
    limit = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    usage = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    if (limit && *limit >= (std::uint64_t{1} << 60)) limit.reset();
  }
  if (!limit) return std::nullopt;
  const std::uint64_t used = usage.value_or(0);
  return *limit > used ? *limit - used : 0;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  std::optional<std::uint64_t> avail = meminfo_available();
  if (auto cg = cgroup_available()) avail = avail ? std::min(*avail, *cg) : *cg;
  if (!avail) {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    avail = pages > 0 && page > 0 ? static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page)
                                  : std::numeric_limits<std::uint64_t>::max();
  }
  return *avail;
}

std::string format_bytes(std::uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

namespace {

// "16.0 MiB", or "16.0 MiB (16777216 bytes)" when the rounded figures of a refusal would read the
// same ("need 16.0 MiB; 16.0 MiB allowed").
std::pair<std::string, std::string> refusal_figures(std::uint64_t need, std::uint64_t have) {
  std::string a = format_bytes(need), b = format_bytes(have);
  if (a == b && need >= 1024) {
    a += " (" + std::to_string(need) + " bytes)";
    b += " (" + std::to_string(have) + " bytes)";
  }
  return {a, b};
}

}  // namespace

void ensure_memory(std::uint64_t bytes, const std::string& what, const MemoryLimit& limit) {
  // Reading /proc and the cgroup costs microseconds, far more than a small state: requests this
  // small are not worth refusing (an allocation failure still reports a ResourceError).
  if (!limit.max_bytes && bytes <= kUncheckedBytes) return;
  if (!limit.max_bytes) {
    const std::uint64_t avail = available_memory_bytes();
    if (bytes <= avail) return;
    const auto [need, have] = refusal_figures(bytes, avail);
    throw ResourceError(what + " need " + need + "; " + have + " available");
  }
  const std::uint64_t cap = *limit.max_bytes;
  const std::uint64_t left = cap > limit.held_bytes ? cap - limit.held_bytes : 0;
  if (bytes <= left) return;
  const auto [need, have] = refusal_figures(bytes, left);
  if (limit.held_bytes == 0) throw ResourceError(what + " need " + need + "; " + have + " allowed by the memory limit");
  throw ResourceError(what + " need " + need + "; " + have + " left of the " + format_bytes(cap) + " memory limit");
}

std::uint64_t parse_memory_size(const std::string& text) {
  std::size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (...) {
    throw InvalidArgument("invalid memory size '" + text + "': expected a number with an optional unit (K, M, G, T)");
  }
  std::string unit = text.substr(pos);
  for (auto& ch : unit) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  double scale = 1;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "K" || unit == "KB" || unit == "KIB") scale = 1024.0;
  else if (unit == "M" || unit == "MB" || unit == "MIB") scale = 1024.0 * 1024;
  else if (unit == "G" || unit == "GB" || unit == "GIB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "T" || unit == "TB" || unit == "TIB") scale = 1024.0 * 1024 * 1024 * 1024;
  else throw InvalidArgument("invalid memory size '" + text + "': unknown unit '" + text.substr(pos) + "' (use K, M, G or T)");
  if (!std::isfinite(value) || value <= 0 || value * scale > 1.8e19)
    throw InvalidArgument("invalid memory size '" + text + "': must be positive");
  return static_cast<std::uint64_t>(value * scale);
}

}  // namespace qmlsim

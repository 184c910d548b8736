#include "cli/bandwidth.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <string>

#include "simulator/core/parallel.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::cli {
namespace {

constexpr std::uint64_t kLineBytes = 64;

// "32768K", "1M", "512" (bytes) as sysfs writes cache sizes; 0 when unreadable.
std::uint64_t parse_sysfs_size(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return 0;
  std::uint64_t scale = 1;
  switch (text.back()) {
    case 'K': scale = std::uint64_t{1} << 10; break;
    case 'M': scale = std::uint64_t{1} << 20; break;
    case 'G': scale = std::uint64_t{1} << 30; break;
    default: break;
  }
  if (scale != 1) text.pop_back();
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return 0;
  try {
    return std::stoull(text) * scale;
  } catch (...) {
    return 0;
  }
}

std::string read_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The size of the highest-level data or unified cache listed for CPU 0; 0 if none is readable.
std::uint64_t sysfs_cache_bytes() {
  std::error_code ec;
  const std::filesystem::path dir = "/sys/devices/system/cpu/cpu0/cache";
  int best_level = 0;
  std::uint64_t best_size = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) continue;
    const std::string type = read_line(entry.path() / "type");
    if (type != "Data" && type != "Unified") continue;
    int level = 0;
    try {
      level = std::stoi(read_line(entry.path() / "level"));
    } catch (...) {
      continue;
    }
    const std::uint64_t size = parse_sysfs_size(read_line(entry.path() / "size"));
    if (size > 0 && level > best_level) {
      best_level = level;
      best_size = size;
    }
  }
  return best_size;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One in-place read-and-write sweep. The affine map has the fixed point 2, so the values stay
// bounded however many sweeps run; a multiply-add on each double is far below the memory time,
// and the loop vectorises (no aliasing: the constants are locals).
void sweep(double* x, Index n, int threads) {
  parallel_for(n, kBlock, Parallelism{threads, 0}, [x](Index begin, Index end) {
    for (Index i = begin; i < end; ++i) x[i] = 0.5 * x[i] + 1.0;
  });
}

struct FreeAligned {
  void operator()(double* p) const noexcept { ::operator delete[](p, std::align_val_t{kLineBytes}); }
};

}  // namespace

std::uint64_t last_level_cache_bytes() {
  if (const std::uint64_t bytes = sysfs_cache_bytes(); bytes > 0) return bytes;
#if defined(_SC_LEVEL3_CACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  for (const int name : {_SC_LEVEL3_CACHE_SIZE, _SC_LEVEL2_CACHE_SIZE})
    if (const long bytes = ::sysconf(name); bytes > 0) return static_cast<std::uint64_t>(bytes);
#endif
  return kFallbackCacheBytes;
}

std::uint64_t default_sweep_bytes(std::uint64_t cache_bytes, const MemoryLimit& memory) {
  const std::uint64_t preferred = std::max(4 * cache_bytes, kMinSweepBytes);
  try {
    ensure_memory(preferred, "memory-bandwidth sweeps", memory);
    return preferred;
  } catch (const ResourceError&) {
    // Twice the cache still measures memory, not cache; if even that is refused, say so.
    const std::uint64_t fallback = 2 * cache_bytes;
    ensure_memory(fallback, "memory-bandwidth sweeps", memory);
    return fallback;
  }
}

std::vector<BandwidthMeasurement> measure_bandwidth(std::span<const int> thread_counts, std::uint64_t array_bytes,
                                                    int sweeps, const MemoryLimit& memory) {
  check_positive(sweeps, "bandwidth sweeps");
  int max_threads = 1;
  for (const int t : thread_counts) {
    check_positive(t, "bandwidth thread count");
    max_threads = std::max(max_threads, t);
  }
  std::vector<BandwidthMeasurement> results;
  if (thread_counts.empty()) return results;

  const std::uint64_t bytes = std::max(array_bytes / kLineBytes, std::uint64_t{1}) * kLineBytes;
  ensure_memory(bytes, "memory-bandwidth sweeps", memory);
  const auto n = static_cast<Index>(bytes / sizeof(double));
  std::unique_ptr<double[], FreeAligned> data(
      static_cast<double*>(::operator new[](bytes, std::align_val_t{kLineBytes}, std::nothrow)));
  if (!data) throw ResourceError("memory-bandwidth sweeps: cannot allocate " + format_bytes(bytes));
  double* x = data.get();
  // First touch with the widest split, so each page is mapped by a thread that sweeps it.
  parallel_for(n, kBlock, Parallelism{max_threads, 0}, [x](Index begin, Index end) {
    std::fill(x + begin, x + end, 2.0);
  });

  std::map<int, BandwidthMeasurement> measured;  // one measurement per distinct thread count
  std::vector<double> seconds(static_cast<std::size_t>(sweeps));
  for (const int threads : thread_counts) {
    if (measured.count(threads)) {
      results.push_back(measured[threads]);
      continue;
    }
    sweep(x, n, threads);  // warm-up: wakes the threads, settles the clock
    for (double& s : seconds) {
      const auto start = std::chrono::steady_clock::now();
      sweep(x, n, threads);
      s = seconds_since(start);
    }
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t k = sorted.size();
    // A tiny (test) array may sweep faster than the clock ticks: keep the rate finite.
    const double median =
        std::max(k % 2 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]), 1e-9);
    const BandwidthMeasurement m{threads, bytes, median, 2.0 * static_cast<double>(bytes) / median};
    measured[threads] = m;
    results.push_back(m);
  }
  // Read the array back once, so that no compiler may treat the sweeps as dead stores.
  volatile double sink = x[0] + x[n - 1];
  (void)sink;
  return results;
}

}  // namespace qmlsim::cli

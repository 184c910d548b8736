#pragma once
/// Memory bandwidth as `qmlsim bench` measures it: an in-place read-and-write sweep
/// x[i] = 0.5 * x[i] + 1 over an array of doubles larger than the last-level cache, the access
/// pattern of a gate pass over a state vector. Bandwidth = 2 x array bytes / median sweep time.
///
/// The sweep runs through qmlsim::parallel_for with Parallelism{threads, 0}, so it uses exactly
/// `threads` threads with the kernels' own split of the range; the array is first touched with
/// the same split (at the largest thread count measured), so its pages sit where those threads
/// run. Nothing here keeps global state.
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/core/memory.hpp"

namespace qmlsim::cli {

/// Bytes of the last-level (highest-level data or unified) cache of CPU 0: from
/// /sys/devices/system/cpu/cpu0/cache/index*/ (level, type, size), else
/// sysconf(_SC_LEVEL3_CACHE_SIZE) / _SC_LEVEL2_CACHE_SIZE, else kFallbackCacheBytes. The sysfs
/// value comes first because some virtual machines report a far larger L3 through sysconf.
[[nodiscard]] std::uint64_t last_level_cache_bytes();

/// The cache size assumed when the machine does not tell.
inline constexpr std::uint64_t kFallbackCacheBytes = std::uint64_t{64} << 20;
/// The smallest default sweep array, so that a small reported cache still gives a DRAM figure.
inline constexpr std::uint64_t kMinSweepBytes = std::uint64_t{256} << 20;

/// The sweep array size to use when none is given: max(4 x cache, kMinSweepBytes) if the memory
/// guard allows it under `memory`, else 2 x cache (still beyond the cache). Throws ResourceError
/// (from qmlsim::ensure_memory) when even that does not fit.
[[nodiscard]] std::uint64_t default_sweep_bytes(std::uint64_t cache_bytes, const MemoryLimit& memory = {});

/// The result for one thread count.
struct BandwidthMeasurement {
  int threads = 1;
  std::uint64_t array_bytes = 0;
  double seconds_median = 0.0;    // one sweep (reads and writes the array once)
  double bytes_per_second = 0.0;  // 2 x array_bytes / seconds_median
};

/// Measures the bandwidth at each of `thread_counts` (each >= 1; repeats are measured once) on
/// one array of `array_bytes` bytes (rounded down to whole 64-byte lines, at least one line),
/// allocated once and released on return: per thread count one untimed warm-up sweep, then
/// `sweeps` timed sweeps (median). Results follow the order of `thread_counts`.
/// Cost: (sweeps + 1) x 2 x array_bytes of memory traffic per distinct thread count.
/// Throws InvalidArgument for a thread count < 1 or sweeps < 1, ResourceError when the memory
/// guard refuses the array under `memory` or the allocation fails.
[[nodiscard]] std::vector<BandwidthMeasurement> measure_bandwidth(std::span<const int> thread_counts,
                                                                  std::uint64_t array_bytes, int sweeps = 7,
                                                                  const MemoryLimit& memory = {});

}  // namespace qmlsim::cli

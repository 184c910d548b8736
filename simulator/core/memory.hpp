#pragma once
/// Memory guard: every operation counts the vectors it will allocate and asks here first, so a
/// request too large for the machine is refused with a ResourceError instead of being killed.
#include <cstdint>
#include <optional>
#include <string>

namespace qmlsim {

/// A cap on the memory one request may use. Unset: what the machine has available now.
///
/// A request that allocates in steps (a state vector, then scratch that reads it) checks each
/// later step against remaining_after(what it already holds): with a cap, the cap bounds the
/// request's total; without one, the live reading of available memory already counts what the
/// earlier steps wrote.
struct MemoryLimit {
  std::optional<std::uint64_t> max_bytes;
  /// Bytes of this request already held, counted against max_bytes (ignored without a cap).
  std::uint64_t held_bytes = 0;

  /// The same cap with `bytes` more already held.
  [[nodiscard]] MemoryLimit remaining_after(std::uint64_t bytes) const noexcept {
    return MemoryLimit{max_bytes, held_bytes + bytes};
  }
};

/// Requests up to this size skip the look-up of available memory unless a limit is set.
inline constexpr std::uint64_t kUncheckedBytes = std::uint64_t{32} << 20;

/// Bytes available to this process now: min(MemAvailable from /proc/meminfo, the cgroup's
/// memory.max - memory.current). Falls back to the physical memory size if neither is readable.
[[nodiscard]] std::uint64_t available_memory_bytes();

/// "16.0 GiB", "512.0 MiB", "3.0 KiB", "12 B".
[[nodiscard]] std::string format_bytes(std::uint64_t bytes);

/// Throws ResourceError when `bytes` exceeds what the limit leaves: "<what> need X; Y available"
/// (available_memory_bytes()), "...; Y allowed by the memory limit" (a cap), "...; Y left of the
/// Z memory limit" (a cap with bytes already held). Without a cap, requests of at most
/// kUncheckedBytes pass unchecked. Allocates nothing.
void ensure_memory(std::uint64_t bytes, const std::string& what, const MemoryLimit& limit = {});

/// Parses "12G", "512MiB", "1.5GB", "1000000" (bytes) into bytes; throws InvalidArgument.
[[nodiscard]] std::uint64_t parse_memory_size(const std::string& text);

}  // namespace qmlsim

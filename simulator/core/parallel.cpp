#include "simulator/core/parallel.hpp"

#include <sched.h>

#include <cmath>
#include <fstream>
#include <string>

namespace qmlsim {
namespace {

int affinity_cpus() noexcept {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  const int n = CPU_COUNT(&set);
  return n > 0 ? n : 1;
}

// cgroup v2 "cpu.max" holds "max 100000" or "<quota> <period>"; v1 splits them in two files.
int cgroup_cpu_limit() noexcept {
  try {
    std::ifstream v2("/sys/fs/cgroup/cpu.max");
    std::string quota;
    double period = 0;
    if (v2 >> quota >> period) {
      if (quota == "max" || period <= 0) return 0;
      return static_cast<int>(std::ceil(std::stod(quota) / period));
    }
    std::ifstream q1("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), p1("/sys/fs/cgroup/cpu/cpu.cfs_period_us");
    double q = 0;
    if (q1 >> q && p1 >> period && q > 0 && period > 0) return static_cast<int>(std::ceil(q / period));
  } catch (...) {
  }
  return 0;
}

}  // namespace

int default_thread_count() noexcept {
  // Computed once and never changed: an immutable process-wide fact, not mutable state.
  static const int count = [] {
    int n = affinity_cpus();
    const int limit = cgroup_cpu_limit();
    if (limit > 0) n = std::min(n, limit);
    return std::max(n, 1);
  }();
  return count;
}

bool in_parallel_region() noexcept {
#if defined(QMLSIM_HAVE_OPENMP)
  return omp_in_parallel() != 0;
#else
  return false;
#endif
}

}  // namespace qmlsim

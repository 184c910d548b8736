#include "simulator/core/parallel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <vector>

namespace qmlsim {
namespace {

TEST(ParallelTest, DefaultThreadCountIsPositive) { EXPECT_GE(default_thread_count(), 1); }

TEST(ParallelTest, ResolveThreadsHonoursThresholdAndRequest) {
  EXPECT_EQ(resolve_threads(Parallelism{4, 100}, 99), 1);
  EXPECT_EQ(resolve_threads(Parallelism{4, 100}, 100), 4);
  EXPECT_EQ(resolve_threads(Parallelism{4, 0}, 3), 3);  // never more threads than items
  EXPECT_EQ(resolve_threads(Parallelism::serial(), Index{1} << 30), 1);
}

TEST(ParallelTest, SplitRangeCoversEverythingInBlockMultiples) {
  for (Index n : {Index{1}, Index{63}, Index{64}, Index{1000}, Index{4097}}) {
    for (int parts = 1; parts <= 5; ++parts) {
      Index expected_begin = 0;
      for (int p = 0; p < parts; ++p) {
        const auto [b, e] = detail::split_range(n, 64, p, parts);
        EXPECT_EQ(b, expected_begin);
        EXPECT_LE(b, e);
        if (e != n) {
          EXPECT_EQ(e % 64, 0U);
        }
        expected_begin = e;
      }
      EXPECT_EQ(expected_begin, n);
    }
  }
}

TEST(ParallelTest, ParallelForVisitsEachItemOnce) {
  const Index n = 100'003;
  std::vector<int> hits(n, 0);
  parallel_for(n, kBlock, Parallelism{2, 0}, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i) ++hits[i];
  });
  for (Index i = 0; i < n; ++i) ASSERT_EQ(hits[i], 1) << i;
}

TEST(ParallelTest, ParallelForRunsOnTwoThreadsAboveThreshold) {
  std::atomic<int> calls{0};
  parallel_for(Index{1} << 16, kBlock, Parallelism{2, 0}, [&](Index, Index) noexcept { ++calls; });
#if defined(QMLSIM_HAVE_OPENMP)
  EXPECT_EQ(calls.load(), 2);
#else
  EXPECT_EQ(calls.load(), 1);
#endif
}

TEST(ParallelTest, NestedCallsRunSerially) {
  std::atomic<int> inner_calls{0};
  parallel_for(2, 1, Parallelism{2, 0}, [&](Index b, Index e) noexcept {
    for (Index i = b; i < e; ++i)
      parallel_for(Index{1} << 16, kBlock, Parallelism{2, 0}, [&](Index, Index) noexcept { ++inner_calls; });
  });
  EXPECT_EQ(inner_calls.load(), 2);  // one serial call per outer item
}

double ill_conditioned(Index i) { return std::sin(static_cast<double>(i)) * std::pow(10.0, static_cast<double>(i % 17) - 8); }

TEST(ParallelTest, SumIsBitIdenticalOnAnyThreadCount) {
  const Index n = (Index{1} << 20) + 12345;
  auto body = [](Index b, Index e) noexcept {
    double s = 0;
    for (Index i = b; i < e; ++i) s += ill_conditioned(i);
    return s;
  };
  const double serial = parallel_sum(n, Parallelism::serial(), body);
  for (int t : {1, 2, 3, 4}) {
    const double par = parallel_sum(n, Parallelism{t, 0}, body);
    EXPECT_EQ(par, serial) << t << " threads";  // exact, not approximate
  }
  // And the value is right (against a long-double reference).
  long double ref = 0;
  for (Index i = 0; i < n; ++i) ref += ill_conditioned(i);
  EXPECT_NEAR(serial, static_cast<double>(ref), 1e-12 * std::abs(static_cast<double>(ref)));
}

TEST(ParallelTest, VectorSumsAreBitIdenticalOnAnyThreadCount) {
  const Index n = Index{1} << 18;
  auto body = [](Index b, Index e, double* acc) noexcept {
    for (Index i = b; i < e; ++i) {
      acc[0] += ill_conditioned(i);
      acc[1] += ill_conditioned(i + 7) * 3;
      acc[2] += 1.0;
    }
  };
  double serial[3], two[3];
  parallel_sums(n, 3, serial, Parallelism::serial(), body);
  parallel_sums(n, 3, two, Parallelism{2, 0}, body);
  for (int j = 0; j < 3; ++j) EXPECT_EQ(serial[j], two[j]);
  EXPECT_EQ(serial[2], static_cast<double>(n));
}

}  // namespace
}  // namespace qmlsim

#include "cli/bandwidth.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "simulator/core/errors.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// The level-3 cache size as sysfs states it, read here independently ("32768K"); 0 if absent.
std::uint64_t sysfs_level3_bytes() {
  for (int i = 0; i < 8; ++i) {
    const std::filesystem::path dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i);
    std::ifstream level(dir / "level"), size(dir / "size");
    int l = 0;
    std::string s;
    if (!(level >> l) || !(size >> s) || l != 3 || s.empty()) continue;
    const char unit = s.back();
    const std::uint64_t number = std::stoull(s);
    return unit == 'K' ? number << 10 : unit == 'M' ? number << 20 : number;
  }
  return 0;
}

TEST(BandwidthTest, LastLevelCacheComesFromSysfs) {
  const std::uint64_t expected = sysfs_level3_bytes();
  if (expected == 0) GTEST_SKIP() << "no level-3 cache listed in sysfs";
  EXPECT_EQ(last_level_cache_bytes(), expected);
}

TEST(BandwidthTest, DefaultSweepIsFourCachesOrAtLeast256MiB) {
  const MemoryLimit roomy{std::uint64_t{64} << 30};
  EXPECT_EQ(default_sweep_bytes(32 * kMiB, roomy), 256 * kMiB);
  EXPECT_EQ(default_sweep_bytes(128 * kMiB, roomy), 512 * kMiB);
  EXPECT_EQ(default_sweep_bytes(1 * kMiB, roomy), kMinSweepBytes);
}

TEST(BandwidthTest, DefaultSweepFallsBackToTwoCachesUnderALimit) {
  EXPECT_EQ(default_sweep_bytes(32 * kMiB, MemoryLimit{100 * kMiB}), 64 * kMiB);
  try {
    (void)default_sweep_bytes(32 * kMiB, MemoryLimit{10 * kMiB});
    ADD_FAILURE() << "no exception";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("memory-bandwidth sweeps need 64.0 MiB"));
  }
}

TEST(BandwidthTest, OneMeasurementPerDistinctThreadCountInRequestOrder) {
  const std::vector<int> threads = {2, 1, 2};
  const auto m = measure_bandwidth(threads, kMiB, 3);
  ASSERT_EQ(m.size(), 3U);
  EXPECT_EQ(m[0].threads, 2);
  EXPECT_EQ(m[1].threads, 1);
  EXPECT_EQ(m[2].threads, 2);
  // The repeated count reuses the first measurement instead of sweeping again.
  EXPECT_EQ(m[2].seconds_median, m[0].seconds_median);
  for (const auto& x : m) {
    EXPECT_EQ(x.array_bytes, kMiB);
    EXPECT_GT(x.seconds_median, 0.0);
    EXPECT_DOUBLE_EQ(x.bytes_per_second, 2.0 * static_cast<double>(kMiB) / x.seconds_median);
  }
}

TEST(BandwidthTest, ArrayIsWholeCacheLines) {
  const std::vector<int> one = {1};
  EXPECT_EQ(measure_bandwidth(one, 1000, 1)[0].array_bytes, 960U);
  EXPECT_EQ(measure_bandwidth(one, 10, 1)[0].array_bytes, 64U);
  EXPECT_TRUE(measure_bandwidth({}, kMiB, 1).empty());
}

TEST(BandwidthTest, BadArgumentsAndMemoryLimitAreTyped) {
  const std::vector<int> zero = {1, 0}, one = {1};
  EXPECT_THROW((void)measure_bandwidth(zero, kMiB, 1), InvalidArgument);
  EXPECT_THROW((void)measure_bandwidth(one, kMiB, 0), InvalidArgument);
  EXPECT_THROW((void)measure_bandwidth(one, kMiB, 1, MemoryLimit{kMiB / 2}), ResourceError);
}

}  // namespace
}  // namespace qmlsim::cli

#include "simulator/core/memory.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simulator/core/errors.hpp"
#include "simulator/core/state_vector.hpp"

namespace qmlsim {
namespace {

using ::testing::HasSubstr;

TEST(MemoryTest, AvailableMemoryIsPlausible) {
  const auto avail = available_memory_bytes();
  EXPECT_GT(avail, std::uint64_t{16} << 20);  // this machine has far more than 16 MiB free
}

TEST(MemoryTest, FormatBytes) {
  EXPECT_EQ(format_bytes(12), "12 B");
  EXPECT_EQ(format_bytes(3 * 1024), "3.0 KiB");
  EXPECT_EQ(format_bytes(std::uint64_t{16} << 30), "16.0 GiB");
  EXPECT_EQ(format_bytes(std::uint64_t{11} << 30 | std::uint64_t{205} << 20), "11.2 GiB");
}

TEST(MemoryTest, ParseMemorySize) {
  EXPECT_EQ(parse_memory_size("1000"), 1000U);
  EXPECT_EQ(parse_memory_size("12G"), std::uint64_t{12} << 30);
  EXPECT_EQ(parse_memory_size("512MiB"), std::uint64_t{512} << 20);
  EXPECT_EQ(parse_memory_size("1.5gb"), std::uint64_t{3} << 29);
  EXPECT_THROW((void)parse_memory_size("lots"), InvalidArgument);
  EXPECT_THROW((void)parse_memory_size("12X"), InvalidArgument);
  EXPECT_THROW((void)parse_memory_size("-1G"), InvalidArgument);
}

TEST(MemoryTest, EnsureMemoryUsesOverride) {
  EXPECT_NO_THROW(ensure_memory(100, "a test", MemoryLimit{200}));
  try {
    ensure_memory(std::uint64_t{16} << 30, "30 qubits", MemoryLimit{std::uint64_t{11} << 30});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("30 qubits need 16.0 GiB; 11.0 GiB allowed"));
  }
}

TEST(MemoryTest, StateVectorRefusesBeforeAllocating) {
  // 40 qubits of complex double are 16 TiB: refused from the guard's arithmetic, not by the kernel.
  try {
    StateVector<double> s(40);
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("40 qubits need 16.0 TiB"));
    EXPECT_THAT(e.what(), HasSubstr("available"));
  }
  // The override caps what a request may use: 20 qubits (16 MiB) do not fit in 1 MiB.
  EXPECT_THROW(StateVector<double>(20, {}, MemoryLimit{std::uint64_t{1} << 20}), ResourceError);
  EXPECT_NO_THROW(StateVector<float>(16, {}, MemoryLimit{std::uint64_t{1} << 20}));  // 512 KiB
}

TEST(MemoryTest, EnsureStateMemoryCountsEveryVector) {
  const MemoryLimit limit{std::uint64_t{3} << 20};  // 3 MiB
  EXPECT_NO_THROW(ensure_state_memory(17, sizeof(double), 1, limit));  // 2 MiB
  try {
    ensure_state_memory(17, sizeof(double), 3, limit, "gradient");
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("17 qubits (gradient) with 3 state vectors need 6.0 MiB; 3.0 MiB allowed"));
  }
}

}  // namespace
}  // namespace qmlsim

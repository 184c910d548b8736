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

TEST(MemoryTest, RemainingAfterCountsWhatTheRequestHolds) {
  const MemoryLimit cap{100};
  const MemoryLimit left = cap.remaining_after(60);
  EXPECT_NO_THROW(ensure_memory(40, "scratch", left));
  try {
    ensure_memory(41, "scratch", left);
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("scratch need 41 B; 40 B left of the 100 B memory limit"));
  }
  // Holding more than the cap leaves nothing, not a wrapped-around huge budget.
  EXPECT_THROW(ensure_memory(1, "scratch", cap.remaining_after(60).remaining_after(60)), ResourceError);
  // Without a cap the live reading already counts what is held: nothing is subtracted twice.
  EXPECT_FALSE(MemoryLimit{}.remaining_after(std::uint64_t{1} << 40).max_bytes.has_value());
  EXPECT_NO_THROW(ensure_memory(std::uint64_t{1} << 20, "1 MiB", MemoryLimit{}.remaining_after(std::uint64_t{1} << 40)));
}

TEST(MemoryTest, RefusalShowsBytesWhenTheRoundedFiguresAgree) {
  try {  // 20 qubits of complex double against a cap one byte short: both round to 16.0 MiB
    ensure_state_memory(20, sizeof(double), 1, MemoryLimit{(std::uint64_t{16} << 20) - 1});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("20 qubits need 16.0 MiB (16777216 bytes); 16.0 MiB (16777215 bytes) allowed "
                                    "by the memory limit"));
  }
  EXPECT_NO_THROW(ensure_state_memory(20, sizeof(double), 1, MemoryLimit{std::uint64_t{16} << 20}));
}

// The sizes on a 24 GiB machine, as arithmetic against a 24 GiB cap (nothing allocated):
// 30 qubits in double and 31 in single are 16 GiB each and fit; 31 in double is 32 GiB.
TEST(MemoryTest, TwentyFourGibFitsThirtyQubitsDoubleAndThirtyOneSingle) {
  const MemoryLimit machine{std::uint64_t{24} << 30};
  EXPECT_EQ(state_bytes(30, sizeof(double)), std::uint64_t{16} << 30);
  EXPECT_EQ(state_bytes(31, sizeof(float)), std::uint64_t{16} << 30);
  EXPECT_NO_THROW(ensure_state_memory(30, sizeof(double), 1, machine));
  EXPECT_NO_THROW(ensure_state_memory(31, sizeof(float), 1, machine));
  try {
    ensure_state_memory(31, sizeof(double), 1, machine);
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("31 qubits need 32.0 GiB; 24.0 GiB allowed by the memory limit"));
  }
}

// With the machine's real available memory: ensure_state_memory() only reads /proc, so it is safe
// to ask for 32 GiB; the constructor is tried only where the guard is sure to refuse.
TEST(MemoryTest, ThirtyOneQubitsDoubleRefusedByTheRealAvailableMemory) {
  const std::uint64_t need = state_bytes(31, sizeof(double));
  if (available_memory_bytes() >= need) GTEST_SKIP() << "this machine has 32 GiB available";
  try {
    ensure_state_memory(31, sizeof(double), 1, MemoryLimit{});
    FAIL() << "expected ResourceError";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("31 qubits need 32.0 GiB; "));
    EXPECT_THAT(e.what(), HasSubstr(" available"));
  }
  if (available_memory_bytes() < need / 4 * 3) {  // a margin: memory freed meanwhile cannot matter
    EXPECT_THROW(StateVector<double>(31), ResourceError);
  }
}

}  // namespace
}  // namespace qmlsim

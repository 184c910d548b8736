#include "cli/bench_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/options.hpp"
#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/qasm/qasm.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

TEST(BenchCommandTest, SummarizeTimingsTakesMedianMinMax) {
  const auto odd = summarize_timings({3.0, 1.0, 2.0});
  EXPECT_EQ(odd.median, 2.0);
  EXPECT_EQ(odd.min, 1.0);
  EXPECT_EQ(odd.max, 3.0);
  const auto even = summarize_timings({4.0, 1.0, 3.0, 2.0});
  EXPECT_EQ(even.median, 2.5);
  EXPECT_EQ(even.min, 1.0);
  EXPECT_EQ(even.max, 4.0);
  const auto one = summarize_timings({0.25});
  EXPECT_EQ(one.median, 0.25);
  EXPECT_THROW((void)summarize_timings({}), std::invalid_argument);
}

TEST(BenchCommandTest, CsvHasOneRowPerQubitAndThreadCount) {
  std::ostringstream out;
  bench_command({"--qubits", "3,5", "--threads", "1,2", "--repeats", "2", "--depth", "3", "--format", "csv"}, out);
  const auto lines = split(out.str(), '\n');
  ASSERT_EQ(lines.size(), 5U) << out.str();
  EXPECT_EQ(lines[0],
            "circuit,qubits,threads,precision,gates,seconds_median,seconds_min,seconds_max,ns_per_gate,"
            "amplitudes_per_s");
  const std::vector<std::pair<int, int>> expected = {{3, 1}, {3, 2}, {5, 1}, {5, 2}};
  for (std::size_t r = 0; r < expected.size(); ++r) {
    const auto f = split(lines[r + 1], ',');
    ASSERT_EQ(f.size(), 10U) << lines[r + 1];
    const auto [n, t] = expected[r];
    EXPECT_EQ(f[0], "layers");
    EXPECT_EQ(std::stoi(f[1]), n);
    EXPECT_EQ(std::stoi(f[2]), t);
    EXPECT_EQ(f[3], "double");
    const auto gates = library::layered(n, 3).num_gates();
    EXPECT_EQ(std::stoul(f[4]), gates);
    const double median = std::stod(f[5]), min = std::stod(f[6]), max = std::stod(f[7]);
    EXPECT_LE(min, median);
    EXPECT_LE(median, max);
    EXPECT_GT(min, 0.0);
    EXPECT_DOUBLE_EQ(std::stod(f[8]), median * 1e9 / static_cast<double>(gates));
    EXPECT_DOUBLE_EQ(std::stod(f[9]), static_cast<double>(gates) * std::ldexp(1.0, n) / median);
  }
}

TEST(BenchCommandTest, JsonRowsFollowTheRequest) {
  std::ostringstream out;
  bench_command({"--circuit", "qft", "--qubits", "2:6:2", "--threads", "1", "--repeats", "1", "--precision",
                 "single", "--format", "json"},
                out);
  const auto j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j.size(), 3U);
  std::vector<int> qubits;
  for (const auto& row : j) {
    qubits.push_back(row["qubits"].get<int>());
    EXPECT_EQ(row["circuit"], "qft");
    EXPECT_EQ(row["precision"], "single");
    EXPECT_EQ(row["threads"], 1);
    EXPECT_EQ(row["gates"], library::qft(row["qubits"].get<int>()).num_gates());
  }
  EXPECT_THAT(qubits, ElementsAre(2, 4, 6));
}

TEST(BenchCommandTest, DefaultThreadCountIsResolved) {
  std::ostringstream out;
  bench_command({"--qubits", "3", "--repeats", "1", "--format", "json"}, out);
  const auto j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j.size(), 1U);
  EXPECT_EQ(j[0]["threads"], default_thread_count());
  EXPECT_EQ(j[0]["circuit"], "layers");
  EXPECT_EQ(j[0]["gates"], library::layered(3, 10).num_gates());  // default depth 10
}

TEST(BenchCommandTest, ErrorsAreTyped) {
  std::ostringstream out;
  EXPECT_THROW(bench_command({"--repeats", "0"}, out), UsageError);
  EXPECT_THROW(bench_command({"--qubits", "0:3"}, out), UsageError);
  EXPECT_THROW(bench_command({"--threads", "-1"}, out), UsageError);
  EXPECT_THROW(bench_command({"--precision", "half"}, out), UsageError);
  EXPECT_THROW(bench_command({"--qubit", "3"}, out), po::error);
  EXPECT_THROW(bench_command({"--circuit", "nope", "--qubits", "3"}, out), InvalidArgument);
  EXPECT_THROW(bench_command({"--qubits", "12", "--max-memory", "4K"}, out), ResourceError);
  EXPECT_TRUE(out.str().empty());
}

TEST(BenchCommandTest, HelpPrintsUsage) {
  std::ostringstream out;
  bench_command({"-h"}, out);
  EXPECT_EQ(out.str().rfind("Usage: qmlsim bench", 0), 0U);
}

// A circuit file in the temporary directory, removed when it goes out of scope.
class TempQasm {
 public:
  explicit TempQasm(const std::string& contents)
      : path_((std::filesystem::temp_directory_path() /
               ("qmlsim_bench_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) + ".qasm"))
                  .string()) {
    std::ofstream(path_) << contents;
  }
  TempQasm(const TempQasm&) = delete;
  TempQasm& operator=(const TempQasm&) = delete;
  ~TempQasm() { std::remove(path_.c_str()); }
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

TEST(BenchCommandTest, CircuitFileRunsAtItsOwnSize) {
  const TempQasm file(R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] a;
qubit[3] q;
bit[3] c;
h q[0];
rx(a) q[1];
cx q[0], q[2];
c = measure q;
)");
  std::ostringstream out;
  bench_command({"--circuit", file.path(), "--repeats", "1", "--threads", "1,2", "--format", "json"}, out);
  const auto j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j.size(), 2U);
  for (const auto& row : j) {
    EXPECT_EQ(row["circuit"], file.path());
    EXPECT_EQ(row["qubits"], 3);
    EXPECT_EQ(row["gates"], qasm::parse_file(file.path()).circuit.num_gates());
  }
  EXPECT_THROW(bench_command({"--circuit", file.path(), "--qubits", "4"}, out), UsageError);
  EXPECT_THROW(bench_command({"--circuit", file.path(), "--depth", "2"}, out), UsageError);
}

TEST(BenchCommandTest, CircuitFileWithMidCircuitMeasurementIsRefused) {
  const TempQasm file(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
creg c[1];
measure q[0] -> c[0];
x q[0];
)");
  std::ostringstream out;
  try {
    bench_command({"--circuit", file.path(), "--repeats", "1"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("qubit 0 is measured and then used by x"));
  }
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace qmlsim::cli

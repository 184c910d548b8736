#include "cli/bench_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/options.hpp"
#include "cli/plot.hpp"
#include "qml/eval/gradient_variance.hpp"
#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/qasm/qasm.hpp"

#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace fs = std::filesystem;

// A small sweep array keeps every test fast; it measures the cache, which the tests do not mind.
const std::vector<std::string> kSmallSweep = {"--bandwidth-array", "256K"};

// The keys of the issue's specification, in its order.
const std::vector<std::string> kSpecKeys = {
    "circuit", "qubits", "threads", "precision", "fusion", "gates", "passes", "seconds_median", "seconds_min",
    "seconds_max", "ns_per_gate", "gb_per_s", "bandwidth_gb_per_s", "limit_s", "ratio_to_limit"};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, sep);) parts.push_back(part);
  return parts;
}

std::vector<std::string> with_small_sweep(std::vector<std::string> args) {
  args.insert(args.end(), kSmallSweep.begin(), kSmallSweep.end());
  return args;
}

// bench --format json with a small sweep array, parsed with the key order kept.
nlohmann::ordered_json bench_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  std::ostringstream out;
  bench_command(with_small_sweep(std::move(args)), out);
  return nlohmann::ordered_json::parse(out.str());
}

double amplitude_bytes(const std::string& precision) { return precision == "single" ? 8.0 : 16.0; }

// Hand count of the passes of ghz(n), unfused: h and the cx chain cx(c, c+1), c = 0..n-2. A cx
// whose control c lies above the cache-line bits (line_bits = log2(64 / amplitude bytes))
// touches half of the lines.
double ghz_passes(int n, int line_bits) {
  double passes = 1.0;
  for (int c = 0; c + 1 < n; ++c) passes += c < line_bits ? 1.0 : 0.5;
  return passes;
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

TEST(BenchCommandTest, JsonRowsHaveExactlyTheSpecifiedKeysInOrder) {
  const auto j = bench_json({"--qubits", "3,4", "--threads", "1,2", "--repeats", "1", "--depth", "2"});
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 4U);
  for (const auto& row : j) {
    std::vector<std::string> keys;
    for (const auto& item : row.items()) keys.push_back(item.key());
    EXPECT_THAT(keys, ElementsAreArray(kSpecKeys));
    EXPECT_TRUE(row["circuit"].is_string());
    EXPECT_TRUE(row["fusion"].is_string());
    EXPECT_TRUE(row["qubits"].is_number_integer());
    EXPECT_TRUE(row["threads"].is_number_integer());
    EXPECT_TRUE(row["gates"].is_number_integer());
    for (const char* key : {"passes", "seconds_median", "seconds_min", "seconds_max", "ns_per_gate", "gb_per_s",
                            "bandwidth_gb_per_s", "limit_s", "ratio_to_limit"})
      EXPECT_TRUE(row[key].is_number()) << key;
  }
  EXPECT_THAT(std::vector<std::string>(std::begin(kBenchColumns), std::end(kBenchColumns)),
              ElementsAreArray(kSpecKeys));
}

TEST(BenchCommandTest, DerivedColumnsFollowFromTheRow) {
  const auto j = bench_json({"--circuit", "qft", "--qubits", "3:5", "--threads", "1,2", "--repeats", "2",
                             "--precision", "double,single", "--fusion", "off,auto"});
  ASSERT_EQ(j.size(), 3U * 2 * 2 * 2);
  for (const auto& row : j) {
    const int n = row["qubits"];
    const double state_bytes = std::ldexp(amplitude_bytes(row["precision"]), n);
    const double passes = row["passes"], median = row["seconds_median"], bandwidth = row["bandwidth_gb_per_s"];
    const double gates = row["gates"];
    EXPECT_EQ(row["gates"], library::qft(n).num_gates());
    EXPECT_LE(row["seconds_min"].get<double>(), median);
    EXPECT_LE(median, row["seconds_max"].get<double>());
    EXPECT_GT(row["seconds_min"].get<double>(), 0.0);
    EXPECT_GT(bandwidth, 0.0);
    EXPECT_GT(passes, 0.0);
    EXPECT_LE(passes, gates);  // no gate makes more than one pass
    const double limit = passes * 2.0 * state_bytes / (bandwidth * 1e9);
    EXPECT_NEAR(row["limit_s"].get<double>(), limit, 1e-12 * limit);
    EXPECT_NEAR(row["ratio_to_limit"].get<double>(), median / limit, 1e-12 * median / limit);
    const double gb = passes * 2.0 * state_bytes / median / 1e9;
    EXPECT_NEAR(row["gb_per_s"].get<double>(), gb, 1e-12 * gb);
    EXPECT_NEAR(row["ns_per_gate"].get<double>(), median * 1e9 / gates, 1e-12 * median * 1e9 / gates);
  }
}

TEST(BenchCommandTest, BandwidthIsMeasuredOncePerThreadCount) {
  const auto j = bench_json({"--circuit", "ghz", "--qubits", "2:4", "--threads", "1,2", "--repeats", "1",
                             "--fusion", "off,auto"});
  std::map<int, double> bandwidth;
  for (const auto& row : j) {
    const auto [it, inserted] = bandwidth.try_emplace(row["threads"].get<int>(), row["bandwidth_gb_per_s"]);
    if (!inserted) {
      EXPECT_EQ(it->second, row["bandwidth_gb_per_s"].get<double>());
    }
  }
  EXPECT_EQ(bandwidth.size(), 2U);
}

TEST(BenchCommandTest, GhzPassesMatchTheHandCount) {
  // double: 16-byte amplitudes, 4 per line (line bits 0, 1); single: 8 per line (bits 0..2).
  const auto j = bench_json({"--circuit", "ghz", "--qubits", "2,3,6,9", "--threads", "1", "--repeats", "1",
                             "--precision", "double,single", "--fusion", "off"});
  ASSERT_EQ(j.size(), 8U);
  for (const auto& row : j) {
    const int n = row["qubits"];
    const bool single = row["precision"] == "single";
    EXPECT_EQ(row["fusion"], "off");
    EXPECT_EQ(row["gates"], n);
    EXPECT_DOUBLE_EQ(row["passes"].get<double>(), ghz_passes(n, single ? 3 : 2)) << n << row["precision"];
  }
  EXPECT_DOUBLE_EQ(ghz_passes(6, 2), 4.5);  // h, cx(0,1), cx(1,2) full; cx(2,3), cx(3,4), cx(4,5) half
}

// A circuit file in the temporary directory, removed when it goes out of scope.
class TempQasm {
 public:
  explicit TempQasm(const std::string& contents)
      : path_((fs::temp_directory_path() /
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

TEST(BenchCommandTest, ControlsAboveTheCacheLineCountByTheLinesTouched) {
  const TempQasm file(R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
h q[0];
x q[3];
cx q[2], q[0];
cx q[0], q[3];
swap q[2], q[3];
ccx q[2], q[3], q[1];
)");
  const auto j = bench_json({"--circuit", file.path(), "--threads", "1", "--repeats", "1", "--precision",
                             "double,single", "--fusion", "off"});
  ASSERT_EQ(j.size(), 2U);
  // double (line bits 0, 1): h 1, x 1, cx with control 2: 1/2, cx with control 0: 1,
  // swap of 2 and 3 (both above): 1/2, ccx with controls 2 and 3: 1/4.
  EXPECT_EQ(j[0]["precision"], "double");
  EXPECT_DOUBLE_EQ(j[0]["passes"].get<double>(), 1 + 1 + 0.5 + 1 + 0.5 + 0.25);
  // single (line bits 0..2): only qubit 3 lies above; the ccx keeps half of its lines.
  EXPECT_EQ(j[1]["precision"], "single");
  EXPECT_DOUBLE_EQ(j[1]["passes"].get<double>(), 1 + 1 + 1 + 1 + 1 + 0.5);
  EXPECT_EQ(j[0]["gates"], 6);
}

TEST(BenchCommandTest, FusionColumnShowsTheBlockSizeUsed) {
  const auto j = bench_json({"--circuit", "layers", "--qubits", "6", "--depth", "4", "--threads", "1", "--repeats",
                             "1", "--fusion", "off,auto,2,5"});
  ASSERT_EQ(j.size(), 4U);
  EXPECT_EQ(j[0]["fusion"], "off");
  const std::vector<std::pair<std::string, int>> requested = {{"auto", 5}, {"2", 2}, {"5", 5}};
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const std::string label = j[i + 1]["fusion"];
    const auto& [prefix, max_k] = requested[i];
    ASSERT_THAT(label, StartsWith(prefix + ":"));
    const std::string used = label.substr(prefix.size() + 1);
    if (used != "off") {
      const int k = std::stoi(used);
      EXPECT_GE(k, 1) << label;
      EXPECT_LE(k, max_k) << label;
      // A fused program makes no more passes than the gate-by-gate one.
      EXPECT_LE(j[i + 1]["passes"].get<double>(), j[0]["passes"].get<double>()) << label;
    } else {
      EXPECT_EQ(j[i + 1]["passes"], j[0]["passes"]) << label;
    }
  }
}

TEST(BenchCommandTest, BadFusionValuesAreUsageErrorsNamingTheValidOnes) {
  std::ostringstream out;
  for (const char* bad : {"1", "6", "0", "-3", "+3", "4.0", "fast", "", "auto,", "AUTO", "off,9", "123"}) {
    try {
      bench_command(with_small_sweep({"--qubits", "3", "--repeats", "1", "--fusion", bad}), out);
      ADD_FAILURE() << "no exception for --fusion '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), std::string("invalid value '") + bad +
                                           "' for --fusion: expected auto, off or a block size from 2 to 5 "
                                           "(qubits), or a comma-separated list");
    }
  }
  EXPECT_TRUE(out.str().empty());
}

TEST(BenchCommandTest, SinglePrecisionRow) {
  const auto j = bench_json({"--circuit", "qft", "--qubits", "5", "--threads", "1", "--repeats", "1",
                             "--precision", "single"});
  ASSERT_EQ(j.size(), 1U);
  EXPECT_EQ(j[0]["precision"], "single");
  const double state_bytes = 32 * 8.0;
  const double limit = j[0]["passes"].get<double>() * 2 * state_bytes / (j[0]["bandwidth_gb_per_s"].get<double>() * 1e9);
  EXPECT_NEAR(j[0]["limit_s"].get<double>(), limit, 1e-12 * limit);
}

TEST(BenchCommandTest, CsvHasOneRowPerQubitAndThreadCount) {
  std::ostringstream out;
  bench_command(with_small_sweep({"--qubits", "3,5", "--threads", "1,2", "--repeats", "2", "--depth", "3",
                                  "--format", "csv"}),
                out);
  const auto lines = split(out.str(), '\n');
  ASSERT_EQ(lines.size(), 5U) << out.str();
  EXPECT_THAT(split(lines[0], ','), ElementsAreArray(kSpecKeys));
  const std::vector<std::pair<int, int>> expected = {{3, 1}, {3, 2}, {5, 1}, {5, 2}};
  for (std::size_t r = 0; r < expected.size(); ++r) {
    const auto f = split(lines[r + 1], ',');
    ASSERT_EQ(f.size(), 15U) << lines[r + 1];
    const auto [n, t] = expected[r];
    EXPECT_EQ(f[0], "layers");
    EXPECT_EQ(std::stoi(f[1]), n);
    EXPECT_EQ(std::stoi(f[2]), t);
    EXPECT_EQ(f[3], "double");
    EXPECT_THAT(f[4], StartsWith("auto:"));  // the default
    EXPECT_EQ(std::stoul(f[5]), library::layered(n, 3).num_gates());
    const double passes = std::stod(f[6]), median = std::stod(f[7]), bandwidth = std::stod(f[12]);
    EXPECT_LE(std::stod(f[8]), median);
    EXPECT_LE(median, std::stod(f[9]));
    const double limit = passes * 2 * std::ldexp(16.0, n) / (bandwidth * 1e9);
    EXPECT_NEAR(std::stod(f[13]), limit, 1e-12 * limit);
    EXPECT_NEAR(std::stod(f[14]), median / limit, 1e-12 * median / limit);
  }
}

TEST(BenchCommandTest, TableHasTheColumnsAsHeader) {
  std::ostringstream out;
  bench_command(with_small_sweep({"--circuit", "ghz", "--qubits", "3,4", "--threads", "1", "--repeats", "1"}), out);
  const auto lines = split(out.str(), '\n');
  ASSERT_EQ(lines.size(), 3U) << out.str();
  std::istringstream header(lines[0]);
  std::vector<std::string> words;
  for (std::string w; header >> w;) words.push_back(w);
  EXPECT_THAT(words, ElementsAreArray(kSpecKeys));
  EXPECT_THAT(lines[1], StartsWith("ghz "));
  EXPECT_THAT(lines[2], StartsWith("ghz "));
}

TEST(BenchCommandTest, DefaultThreadCountIsResolved) {
  const auto j = bench_json({"--qubits", "3", "--repeats", "1"});
  ASSERT_EQ(j.size(), 1U);
  EXPECT_EQ(j[0]["threads"], default_thread_count());
  EXPECT_EQ(j[0]["circuit"], "layers");
  EXPECT_EQ(j[0]["precision"], "double");
  EXPECT_THAT(j[0]["fusion"].get<std::string>(), StartsWith("auto:"));
  EXPECT_EQ(j[0]["gates"], library::layered(3, 10).num_gates());  // default depth 10
}

TEST(BenchCommandTest, JsonRowsFollowTheRequest) {
  const auto j = bench_json({"--circuit", "qft", "--qubits", "2:6:2", "--threads", "1", "--repeats", "1"});
  ASSERT_EQ(j.size(), 3U);
  std::vector<int> qubits;
  for (const auto& row : j) qubits.push_back(row["qubits"].get<int>());
  EXPECT_THAT(qubits, ElementsAre(2, 4, 6));
}

TEST(BenchCommandTest, ErrorsAreTyped) {
  std::ostringstream out;
  EXPECT_THROW(bench_command({"--repeats", "0"}, out), UsageError);
  EXPECT_THROW(bench_command({"--qubits", "0:3"}, out), UsageError);
  EXPECT_THROW(bench_command({"--threads", "-1"}, out), UsageError);
  EXPECT_THROW(bench_command({"--precision", "half"}, out), UsageError);
  EXPECT_THROW(bench_command({"--precision", "double,"}, out), UsageError);
  EXPECT_THROW(bench_command({"--bandwidth-array", "lots"}, out), UsageError);
  EXPECT_THROW(bench_command({"--plot", ""}, out), UsageError);
  EXPECT_THROW(bench_command({"--qubit", "3"}, out), po::error);
  EXPECT_THROW(bench_command({"--circuit", "nope", "--qubits", "3"}, out), InvalidArgument);
  EXPECT_THROW(bench_command({"--qubits", "12", "--max-memory", "4K"}, out), ResourceError);
  // The sweep array counts against --max-memory too.
  try {
    bench_command({"--qubits", "3", "--max-memory", "1M", "--bandwidth-array", "2M"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const ResourceError& e) {
    EXPECT_EQ(std::string(e.what()),
              "memory-bandwidth sweeps need 2.0 MiB; 1.0 MiB allowed by the memory limit (--bandwidth-array SIZE "
              "sets a smaller sweep array)");
  }
  EXPECT_THROW(bench_command(with_small_sweep({"--qubits", "3", "--plot", "/nonexistent-dir/x.png"}), out),
               InvalidArgument);
  EXPECT_TRUE(out.str().empty());
}

TEST(BenchCommandTest, HelpExplainsEveryColumn) {
  std::ostringstream out;
  bench_command({"-h"}, out);
  EXPECT_EQ(out.str().rfind("Usage: qmlsim bench", 0), 0U);
  for (const auto& key : kSpecKeys) EXPECT_THAT(out.str(), HasSubstr(key));
  for (const char* option : {"--fusion", "--plot", "--bandwidth-array", "--precision"})
    EXPECT_THAT(out.str(), HasSubstr(option));
  EXPECT_THAT(out.str(), HasSubstr("seconds_median / limit_s"));
  EXPECT_THAT(out.str(), HasSubstr("auto:off"));
  EXPECT_THAT(out.str(), HasSubstr("gnuplot-nox"));
}

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
  const auto j = bench_json({"--circuit", file.path(), "--repeats", "1", "--threads", "1,2"});
  ASSERT_EQ(j.size(), 2U);
  for (const auto& row : j) {
    EXPECT_EQ(row["circuit"], file.path());
    EXPECT_EQ(row["qubits"], 3);
    EXPECT_EQ(row["gates"], qasm::parse_file(file.path()).circuit.num_gates());
  }
  std::ostringstream out;
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
    EXPECT_THAT(e.what(), HasSubstr("qubit 0 is measured and then used by x"));
  }
  EXPECT_TRUE(out.str().empty());
}

// ---- --plot ----

using testing::is_png;
using testing::read_file;
using testing::ScopedPath;
using testing::TempDir;

const std::vector<std::string> kPlotRun = {"--circuit", "ghz", "--qubits", "3:5", "--threads", "1,2",
                                           "--repeats", "1", "--fusion", "off,auto", "--format", "csv"};

TEST(BenchCommandTest, PlotWritesAPngNextToNoTemporaryFile) {
  const char* path = std::getenv("PATH");
  if (!path || !find_executable("gnuplot", path)) GTEST_SKIP() << "gnuplot not on PATH";
  const TempDir dir;
  const std::string target = (dir.path() / "scaling.png").string();
  std::vector<std::string> args = with_small_sweep(kPlotRun);
  args.insert(args.end(), {"--plot", target});
  std::ostringstream out;
  bench_command(args, out);
  EXPECT_EQ(split(out.str(), '\n').size(), 1U + 3 * 2 * 2);  // the table is written as without --plot
  std::ifstream png(target, std::ios::binary);
  char head[8] = {};
  ASSERT_TRUE(png.read(head, 8));
  EXPECT_EQ(std::string(head, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"scaling.png"});
}

TEST(BenchCommandTest, PlotWithoutGnuplotWritesTheTableThenFails) {
  const TempDir empty, dir;
  const std::string target = (dir.path() / "scaling.png").string();
  std::vector<std::string> args = with_small_sweep(kPlotRun);
  args.insert(args.end(), {"--plot", target});
  std::ostringstream out;
  {
    const ScopedPath no_gnuplot(empty.path().string());
    try {
      bench_command(args, out);
      ADD_FAILURE() << "no exception";
    } catch (const ResultWrittenError& e) {
      EXPECT_STREQ(e.what(), "--plot needs gnuplot, not found on PATH; install the Debian package gnuplot-nox");
    }
  }
  const auto lines = split(out.str(), '\n');
  ASSERT_EQ(lines.size(), 1U + 3 * 2 * 2) << out.str();
  EXPECT_THAT(split(lines[0], ','), ElementsAreArray(kSpecKeys));
  EXPECT_TRUE(dir.entries().empty());
}

// ---- --workload gradient-variance ----

const std::vector<std::string> kGradientVarianceRun = {"--workload", "gradient-variance", "--qubits", "2,4", "--layers",
                                                       "3", "--samples", "20", "--seed", "7"};

nlohmann::ordered_json gradient_variance_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  std::ostringstream out;
  bench_command(args, out);
  return nlohmann::ordered_json::parse(out.str());
}

TEST(BenchCommandTest, GradientVarianceRowsAreTheLibrarysNumbers) {
  const auto j = gradient_variance_json(kGradientVarianceRun);
  ASSERT_EQ(j.size(), 2U);
  qml::GradientVarianceOptions o;
  o.qubits = {2, 4};
  o.layers = 3;
  o.samples = 20;
  o.seed = 7;
  const auto points = qml::gradient_variance(o);
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<std::string> keys;
    for (const auto& [key, value] : j[i].items()) keys.push_back(key);
    EXPECT_THAT(keys, ElementsAreArray(kGradientVarianceColumns));
    EXPECT_EQ(j[i]["ansatz"], qml::default_gradient_variance_ansatz().text());
    EXPECT_EQ(j[i]["qubits"], points[i].qubits);
    EXPECT_EQ(j[i]["layers"], 3);
    EXPECT_EQ(j[i]["weights"], points[i].weights);
    EXPECT_EQ(j[i]["samples"], 20);
    EXPECT_EQ(j[i]["variance_global"].get<double>(), points[i].variance_global);
    EXPECT_EQ(j[i]["variance_local"].get<double>(), points[i].variance_local);
    EXPECT_EQ(j[i]["mean_global"].get<double>(), points[i].mean_global);
    EXPECT_EQ(j[i]["mean_local"].get<double>(), points[i].mean_local);
    EXPECT_GE(j[i]["seconds"].get<double>(), 0.0);
  }
  // Another ansatz and the default qubit counts 2:10:2.
  const auto ra = gradient_variance_json({"--workload", "gradient-variance", "--ansatz", "real-amplitudes",
                                          "--layers", "1", "--samples", "4"});
  ASSERT_EQ(ra.size(), 5U);
  EXPECT_EQ(ra[0]["ansatz"], "real-amplitudes");
  EXPECT_EQ(ra[4]["qubits"], 10);
  EXPECT_EQ(ra[4]["weights"], 20);
}

TEST(BenchCommandTest, GradientVarianceOptionErrors) {
  std::ostringstream out;
  const auto usage = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--workload", "gradient-variance", "--qubits", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    try {
      bench_command(args, out);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(no UsageError)");
  };
  EXPECT_THAT(usage({"--samples", "1"}), HasSubstr("--samples"));
  EXPECT_THAT(usage({"--layers", "0"}), HasSubstr("--layers"));
  EXPECT_EQ(usage({"--depth", "3"}), "--depth does not apply to --workload gradient-variance");
  EXPECT_EQ(usage({"--fusion", "off"}), "--fusion does not apply to --workload gradient-variance");
  EXPECT_THAT(usage({"--threads", "1,2"}), HasSubstr("takes one count"));
  EXPECT_EQ(usage({"--ansatz", "real-amplitudes:reps=2"}),
            "--ansatz real-amplitudes:reps=2: give the depth with --layers, not in the spec");
  EXPECT_THAT(usage({"--ansatz", "dir/w.qasm"}), HasSubstr("not a circuit file"));
  EXPECT_THROW(bench_command({"--workload", "gradient-variance", "--qubits", "2", "--ansatz", "nope"}, out),
               InvalidArgument);
  EXPECT_THROW(bench_command({"--workload", "gradients"}, out), UsageError);
  EXPECT_THROW(bench_command({"--samples", "5", "--qubits", "3"}, out), UsageError);  // circuit workload
  EXPECT_THROW(bench_command({"--workload", "gradient-variance", "--qubits", "2", "--plot", "/nonexistent-dir/v.png"}, out),
               InvalidArgument);
  EXPECT_TRUE(out.str().empty());
  bench_command({"--help"}, out);
  for (const char* column : kGradientVarianceColumns) EXPECT_THAT(out.str(), HasSubstr(column));
  EXPECT_THAT(out.str(), HasSubstr("--workload gradient-variance"));
}

TEST(BenchCommandTest, GradientVariancePlot) {
  const TempDir dir;
  const std::string target = (dir.path() / "variance.png").string();
  std::vector<std::string> args = kGradientVarianceRun;
  args.insert(args.end(), {"--plot", target, "--format", "csv"});
  std::ostringstream out;
  const char* path = std::getenv("PATH");
  if (path && find_executable("gnuplot", path)) {
    bench_command(args, out);
    std::ifstream png(target, std::ios::binary);
    char head[8] = {};
    ASSERT_TRUE(png.read(head, 8));
    EXPECT_EQ(std::string(head, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"variance.png"});
    fs::remove(target);
    out.str("");
  }
  const TempDir empty;
  const ScopedPath no_gnuplot(empty.path().string());
  EXPECT_THROW(bench_command(args, out), ResultWrittenError);
  EXPECT_EQ(split(out.str(), '\n').size(), 3U);  // the table first
  EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace qmlsim::cli

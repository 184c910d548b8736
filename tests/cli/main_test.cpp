// End-to-end tests of the qmlsim binary (path: QMLSIM_BINARY): exit codes, streams, formats.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "simulator/circuit/library.hpp"
#include "simulator/qasm/qasm.hpp"
#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using qmlsim::testing::Invocation;

// `qmlsim <args>` in a fresh temporary directory (tests/support/invoke.hpp); paths are absolute.
Invocation qmlsim(const std::string& args) {
  const qmlsim::testing::TempDir dir;
  return qmlsim::testing::run_qmlsim(dir, args);
}

// bench's memory-bandwidth sweep over a small array (the default is at least 256 MiB): fast.
const std::string kSmallSweep = " --bandwidth-array 256K";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(MainTest, TopLevelHelpListsTheCommands) {
  for (const char* args : {"--help", "-h", "help", ""}) {
    const auto r = qmlsim(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_THAT(r.out, StartsWith("Usage: qmlsim <command>")) << args;
    EXPECT_THAT(r.out, HasSubstr("\n  run  "));
    EXPECT_THAT(r.out, HasSubstr("\n  bench  "));
    EXPECT_EQ(r.err, "");
  }
}

TEST(MainTest, EverySubcommandHasHelp) {
  for (const std::string command : {"run", "bench"}) {
    for (const std::string& args : {command + " --help", command + " -h", "help " + command}) {
      const auto r = qmlsim(args);
      EXPECT_EQ(r.exit_code, 0) << args;
      EXPECT_THAT(r.out, StartsWith("Usage: qmlsim " + command)) << args;
      EXPECT_THAT(r.out, HasSubstr("--format")) << args;
      EXPECT_EQ(r.err, "") << args;
    }
  }
}

// "qmlsim X.Y.Z\n" with decimal X, Y, Z. (No std::regex: GCC 12 warns inside it under sanitizers.)
bool is_version_line(const std::string& text) {
  const std::string prefix = "qmlsim ";
  if (text.rfind(prefix, 0) != 0 || text.empty() || text.back() != '\n') return false;
  int parts = 0;
  bool digits = false;
  for (std::size_t i = prefix.size(); i + 1 < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i]))) {
      digits = true;
    } else if (text[i] == '.' && digits) {
      ++parts;
      digits = false;
    } else {
      return false;
    }
  }
  return parts == 2 && digits;
}

TEST(MainTest, VersionPrintsNameAndVersion) {
  const auto r = qmlsim("--version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(is_version_line(r.out)) << r.out;
  EXPECT_EQ(qmlsim("-V").out, r.out);
}

TEST(MainTest, UnknownCommandIsAUsageError) {
  const auto r = qmlsim("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim: error: unknown command 'frobnicate'"));
  EXPECT_THAT(r.err, HasSubstr("Try 'qmlsim --help'."));
  EXPECT_EQ(qmlsim("--frobnicate").exit_code, 2);
  EXPECT_EQ(qmlsim("help frobnicate").exit_code, 2);
}

TEST(MainTest, BadOptionIsAUsageErrorNamingTheCommand) {
  const auto r = qmlsim("run --circuit ghz --qubits 3 --bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: "));
  EXPECT_THAT(r.err, HasSubstr("--bogus"));
  EXPECT_THAT(r.err, HasSubstr("Try 'qmlsim run --help'."));
}

TEST(MainTest, BadOptionValuesAreUsageErrors) {
  for (const char* args : {"run --circuit ghz --qubits abc", "run --circuit ghz --qubits 3 --format xml",
                           "run --circuit ghz --qubits 3 --threads", "run --circuit ghz",
                           "run --circuit ghz --qubits 3 x", "bench --qubits 5:2", "bench --threads 1,two",
                           "bench --repeats 0"}) {
    const auto r = qmlsim(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(r.out, "") << args;
    EXPECT_THAT(r.err, StartsWith("qmlsim " + std::string(args).substr(0, std::string(args).find(' ')) + ": error: "))
        << args;
  }
}

TEST(MainTest, RunGhzJsonGivesHalfOn000And111) {
  const auto r = qmlsim("run --circuit ghz --qubits 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["circuit"], "ghz");
  EXPECT_EQ(j["num_qubits"], 3);
  const auto& outcomes = j["outcomes"];
  ASSERT_EQ(outcomes.size(), 2U);  // zero-probability outcomes are not listed
  EXPECT_EQ(outcomes[0]["bitstring"], "000");
  EXPECT_EQ(outcomes[1]["bitstring"], "111");
  double total = 0;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const double p = outcomes[i]["probability"].get<double>();
    EXPECT_NEAR(p, i < 2 ? 0.5 : 0.0, 1e-14) << outcomes[i]["bitstring"];
    total += p;
  }
  EXPECT_NEAR(total, 1.0, 1e-14);
}

TEST(MainTest, RunShotsAreSeededAndOnlyHitGhzOutcomes) {
  const std::string args = "run --circuit ghz --qubits 3 --shots 1000 --seed 7 --format json";
  const auto first = qmlsim(args), second = qmlsim(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto a = nlohmann::json::parse(first.out), b = nlohmann::json::parse(second.out);
  std::uint64_t total = 0;
  for (const auto& [bits, count] : a["counts"].items()) {
    EXPECT_TRUE(bits == "000" || bits == "111") << bits;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 1000U);
  EXPECT_EQ(a["counts"], b["counts"]);
  EXPECT_EQ(a["outcomes"], b["outcomes"]);
  // Same except the measured time: identical output apart from "seconds".
  auto a_no_time = a, b_no_time = b;
  a_no_time.erase("seconds");
  b_no_time.erase("seconds");
  EXPECT_EQ(a_no_time, b_no_time);
}

TEST(MainTest, RunTooLargeExitsBadInputWithoutOutput) {
  const auto r = qmlsim("run --circuit ghz --qubits 40");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: 40 qubits need "));
  EXPECT_THAT(r.err, Not(HasSubstr("Try ")));
}

TEST(MainTest, UnknownCircuitExitsBadInputListingNames) {
  const auto r = qmlsim("run --circuit bell --qubits 3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: "));
  for (const auto& name : qmlsim::library::names()) EXPECT_THAT(r.err, HasSubstr(name));
}

TEST(MainTest, BenchCsvHasHeaderAndTwoRowsPerThreadCount) {
  const auto r = qmlsim("bench --qubits 4:6:2 --repeats 2 --threads 1,2 --format csv" + kSmallSweep);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5U) << r.out;
  EXPECT_THAT(lines[0], StartsWith("circuit,qubits,threads,"));
  int per_thread[3] = {0, 0, 0};
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream row(lines[i]);
    std::string circuit, qubits, threads;
    std::getline(row, circuit, ',');
    std::getline(row, qubits, ',');
    std::getline(row, threads, ',');
    EXPECT_EQ(circuit, "layers");
    EXPECT_TRUE(qubits == "4" || qubits == "6") << lines[i];
    ++per_thread[std::stoi(threads)];
  }
  EXPECT_EQ(per_thread[1], 2);
  EXPECT_EQ(per_thread[2], 2);
}

TEST(MainTest, BenchDefaultThreadsGivesOneRowPerQubitCount) {
  const auto r = qmlsim("bench --qubits 4:6:2 --repeats 2 --format csv" + kSmallSweep);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines_of(r.out).size(), 3U) << r.out;
}

// A circuit file in a temporary directory, removed with it.
class TempCircuit {
 public:
  TempCircuit(const std::string& name, const std::string& contents) {
    std::string pattern = (std::filesystem::temp_directory_path() / "qmlsim_main_test_XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    path_ = (dir_ / name).string();
    std::ofstream(path_, std::ios::binary) << contents;
  }
  TempCircuit(const TempCircuit&) = delete;
  TempCircuit& operator=(const TempCircuit&) = delete;
  ~TempCircuit() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  [[nodiscard]] const std::string& path() const { return path_; }
  // Another file next to the circuit.
  [[nodiscard]] std::string add(const std::string& name, const std::string& contents) const {
    const std::string p = (dir_ / name).string();
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }

 private:
  std::filesystem::path dir_;
  std::string path_;
};

constexpr const char* kInputsCircuit = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta0;
input float[64] theta1;
qubit[2] q;
ry(theta0) q[0];
ry(theta1) q[1];
)";

TEST(MainTest, RunFileParameterErrorsExitBadInput) {
  const TempCircuit c("ansatz.qasm", kInputsCircuit);
  const auto unknown = qmlsim("run " + c.path() + " --param theta0=1 --param theta1=2 --param thta1=3");
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err, "qmlsim run: error: --param thta1=3: unknown input 'thta1' (did you mean 'theta1'?); the "
                         "inputs of " + c.path() + " are: theta0, theta1\n");
  const auto missing = qmlsim("run " + c.path());
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("2 inputs have no value: theta0, theta1"));
  const std::string bad_json = c.add("p.json", "{\"theta0\": 1,\n \"theta1\": oops}");
  const auto malformed = qmlsim("run " + c.path() + " --params " + bad_json);
  EXPECT_EQ(malformed.exit_code, 3);
  EXPECT_THAT(malformed.err, StartsWith("qmlsim run: error: " + bad_json + ": invalid JSON: parse error at line 2"));
  const std::string text_json = c.add("q.json", R"({"theta0": 1, "theta1": "2"})");
  const auto not_number = qmlsim("run " + c.path() + " --params " + text_json);
  EXPECT_EQ(not_number.exit_code, 3);
  EXPECT_EQ(not_number.err, "qmlsim run: error: " + text_json + ": key 'theta1': expected a number, got string\n");
  // A malformed --param word is a usage error.
  const auto usage = qmlsim("run " + c.path() + " --param theta0");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("invalid value 'theta0' for --param: expected NAME=VALUE"));
}

TEST(MainTest, RunFileParamOverridesParams) {
  const TempCircuit c("ansatz.qasm", kInputsCircuit);
  const std::string params = c.add("p.json", R"({"theta0": 3.141592653589793, "theta1": 0})");
  // theta0 = pi flips qubit 0: |01>; --param theta0=0 overrides it: |00>.
  const auto from_file = qmlsim("run " + c.path() + " --params " + params + " --output probs --top 1 --format json");
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_THAT(from_file.out, StartsWith("{\"num_qubits\": 2, \"probabilities\": {\"01\": "));
  const auto overridden =
      qmlsim("run " + c.path() + " --params " + params + " --param theta0=0 --output probs --top 1 --format json");
  ASSERT_EQ(overridden.exit_code, 0) << overridden.err;
  EXPECT_EQ(overridden.out, "{\"num_qubits\": 2, \"probabilities\": {\"00\": 1.0}}\n");
}

TEST(MainTest, RunFileParseErrorGivesPosition) {
  const TempCircuit c("broken.qasm", "OPENQASM 2.0;\nqreg q[1];\nh q[0]\n");
  const auto r = qmlsim("run " + c.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("qmlsim run: error: " + c.path() + ":"));
  EXPECT_EQ(qmlsim("run /nonexistent/circuit.qasm").exit_code, 3);
}

TEST(MainTest, RunCountsDependOnlyOnTheSeed) {
  const TempCircuit c("mixed.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q[0];
ry(0.7) q[1];
cx q[0], q[2];
measure q -> c;
)");
  const std::string args = "run " + c.path() + " --output counts --shots 500 --format json --seed ";
  const auto a = qmlsim(args + "5"), b = qmlsim(args + "5"), other = qmlsim(args + "6");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, other.out);
  EXPECT_EQ(qmlsim(args + "5 --threads 1").out, qmlsim(args + "5 --threads 2").out);
  EXPECT_EQ(qmlsim(args + "5 --threads 2").out, a.out);
}

TEST(MainTest, RunThreadCountDoesNotChangeLargeCounts) {
  // 16 qubits: above the parallel threshold, so two threads split every gate and the sampling.
  const std::string args = "run --circuit layers --qubits 16 --depth 2 --output counts --shots 2000 --format json";
  const auto one = qmlsim(args + " --threads 1"), two = qmlsim(args + " --threads 2");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
}

TEST(MainTest, BenchAcceptsACircuitFile) {
  const TempCircuit c("ansatz.qasm", kInputsCircuit);
  const auto r = qmlsim("bench --circuit " + c.path() + " --repeats 1 --threads 1 --fusion off --format csv" +
                        kSmallSweep);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2U) << r.out;
  const auto gates = qmlsim::qasm::parse_file(c.path()).circuit.num_gates();
  // 2 qubits, 1 thread, double, fusion off
  EXPECT_THAT(lines[1], StartsWith(c.path() + ",2,1,double,off," + std::to_string(gates) + ","));
  EXPECT_EQ(qmlsim("bench --circuit " + c.path() + " --qubits 3").exit_code, 2);
}

TEST(MainTest, BenchPlotWithoutGnuplotPrintsTheTableThenExitsBadInput) {
  const TempCircuit c("unused.qasm", "");  // its directory holds no gnuplot: the test's PATH
  const std::string dir = std::filesystem::path(c.path()).parent_path().string();
  const std::string target = dir + "/scaling.png";
  const std::string old_path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  ::setenv("PATH", dir.c_str(), 1);  // std::system runs /bin/sh and the binary by absolute path
  const auto r = qmlsim("bench --circuit ghz --qubits 3,4 --threads 1 --repeats 1 --format csv --plot '" + target +
                        "'" + kSmallSweep);
  ::setenv("PATH", old_path.c_str(), 1);
  EXPECT_EQ(r.exit_code, 3);
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 3U) << r.out;  // the table is complete
  EXPECT_THAT(lines[0], StartsWith("circuit,qubits,threads,precision,fusion,gates,passes,"));
  EXPECT_EQ(r.err,
            "qmlsim bench: error: --plot needs gnuplot, not found on PATH; install the Debian package gnuplot-nox\n");
  EXPECT_FALSE(std::filesystem::exists(target));
}

}  // namespace

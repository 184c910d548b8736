// `qmlsim run FILE.qasm` in-process: register keys, parameters, mid-circuit measurement.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/options.hpp"
#include "cli/run_command.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A temporary directory, removed with its files when it goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "qmlsim_run_file_XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  // Writes `name` with `contents`; returns its path.
  std::string write(const std::string& name, const std::string& contents) const {
    const auto file = path_ / name;
    std::ofstream(file, std::ios::binary) << contents;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

std::string run_text(const std::vector<std::string>& args) {
  std::ostringstream out;
  run_command(args, out);
  return out.str();
}

nlohmann::ordered_json run_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  return nlohmann::ordered_json::parse(run_text(args));
}

// The message of the InvalidArgument that run_command(args) throws, or a marker.
std::string bad_input(const std::vector<std::string>& args) {
  std::ostringstream out;
  try {
    run_command(args, out);
  } catch (const InvalidArgument& e) {
    EXPECT_TRUE(out.str().empty());
    return e.what();
  }
  return "<no InvalidArgument>";
}

constexpr const char* kTwoRegisters = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[2];
creg d[1];
x q[0];
x q[2];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> d[0];
)";

// Qubit 0 is measured, then flipped: a mid-circuit measurement.
constexpr const char* kMidCircuit = R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
measure q[0] -> c[0];
x q[0];
measure q[0] -> c[1];
)";

// ry(x) on qubit 0, rx(y) on qubit 1: P(qubit 0 = 1) = sin^2(x/2), P(qubit 1 = 1) = sin^2(y/2).
constexpr const char* kTwoInputs = R"(OPENQASM 3.0;
include "stdgates.inc";
input float[64] x;
input float[64] y;
qubit[2] q;
ry(x) q[0];
rx(y) q[1];
)";

// The four probabilities of ry(x) (x) rx(y) on |00>, index = q0 + 2 q1.
std::vector<double> product_probabilities(double x, double y) {
  const double p0 = std::pow(std::sin(x / 2), 2), p1 = std::pow(std::sin(y / 2), 2);
  return {(1 - p0) * (1 - p1), p0 * (1 - p1), (1 - p0) * p1, p0 * p1};
}

void expect_probabilities(const nlohmann::ordered_json& j, const std::vector<double>& expected) {
  ASSERT_EQ(j["probabilities"].size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(j["probabilities"][i].get<double>(), expected[i], 1e-14) << i;
}

TEST(RunFileTest, CountKeysFollowQiskitWithTwoRegisters) {
  const TempDir dir;
  const std::string file = dir.write("two.qasm", kTwoRegisters);
  // c = 01 (c[0] = 1), d = 1: "d c" = "1 01".
  const auto counts = run_json({file, "--output", "counts", "--shots", "50"});
  EXPECT_EQ(counts["counts"], nlohmann::ordered_json::parse(R"({"1 01": 50})"));
  const auto summary = run_json({file});
  EXPECT_EQ(summary["circuit"], file);
  EXPECT_EQ(summary["num_qubits"], 3);
  EXPECT_EQ(summary["num_clbits"], 3);
  EXPECT_EQ(summary["method"], "statevector");
  ASSERT_EQ(summary["outcomes"].size(), 1U);
  EXPECT_EQ(summary["outcomes"][0]["bitstring"], "1 01");
  EXPECT_NEAR(summary["outcomes"][0]["probability"].get<double>(), 1.0, 1e-15);
  // probs ignores the terminal measurements: basis state |101> over the qubits.
  const auto probs = run_json({file, "--output", "probs", "--top", "1"});
  EXPECT_EQ(probs["probabilities"].begin().key(), "101");
}

TEST(RunFileTest, RegistersSplitARandomOutcome) {
  const TempDir dir;
  // c[0] random, c[1] = 0, d[0] = 1: keys "1 00" and "1 01", about half each.
  const std::string file = dir.write("half.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
creg d[1];
h q[0];
x q[1];
measure q[0] -> c[0];
measure q[1] -> d[0];
)");
  const auto j = run_json({file, "--output", "counts", "--shots", "1000", "--seed", "4"});
  ASSERT_EQ(j["counts"].size(), 2U);
  const auto a = j["counts"]["1 00"].get<double>(), b = j["counts"]["1 01"].get<double>();
  EXPECT_EQ(a + b, 1000);
  EXPECT_NEAR(a, 500, 80);  // 5 standard deviations of Binomial(1000, 1/2)
  // The summary's exact outcomes use the same keys.
  const auto s = run_json({file});
  ASSERT_EQ(s["outcomes"].size(), 2U);
  EXPECT_EQ(s["outcomes"][0]["bitstring"], "1 00");
  EXPECT_EQ(s["outcomes"][1]["bitstring"], "1 01");
  EXPECT_NEAR(s["outcomes"][0]["probability"].get<double>(), 0.5, 1e-15);
}

TEST(RunFileTest, MidCircuitMeasurementIsRefusedByExactOutputs) {
  const TempDir dir;
  const std::string file = dir.write("mid.qasm", kMidCircuit);
  for (const std::string output : {"probs", "state"}) {
    const std::string message = bad_input({file, "--output", output});
    EXPECT_THAT(message, StartsWith(file + ": --output " + output + " needs the state before measurement"));
    EXPECT_THAT(message, HasSubstr("mid-circuit measurement"));
    EXPECT_THAT(message, HasSubstr("qubit 0 is measured and then used by x"));
    EXPECT_THAT(message, HasSubstr("use --output counts"));
  }
  EXPECT_THAT(bad_input({file, "--output", "expectation", "--observable", "Z0"}),
              HasSubstr("--output expectation needs the state before measurement"));
  // counts run it shot by shot: c[1] is always the flip of c[0], so only "10" and "01".
  const auto j = run_json({file, "--output", "counts", "--shots", "400", "--seed", "2"});
  std::uint64_t total = 0;
  for (const auto& [key, count] : j["counts"].items()) {
    EXPECT_TRUE(key == "10" || key == "01") << key;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 400U);
  // The summary samples too (1024 shots by default) and says so.
  const auto s = run_json({file});
  EXPECT_EQ(s["method"], "trajectories");
  EXPECT_EQ(s["shots"], 1024);
  ASSERT_EQ(s["outcomes"].size(), 2U);
  EXPECT_EQ(s["outcomes"][0]["count"].get<std::uint64_t>() + s["outcomes"][1]["count"].get<std::uint64_t>(), 1024U);
  EXPECT_NEAR(s["outcomes"][0]["frequency"].get<double>() + s["outcomes"][1]["frequency"].get<double>(), 1.0, 1e-15);
}

TEST(RunFileTest, ResetAndIfAreRefusedByProbs) {
  const TempDir dir;
  const std::string reset = dir.write("reset.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
x q[0];
reset q[0];
)");
  EXPECT_THAT(bad_input({reset, "--output", "probs"}), HasSubstr("reset on qubit 0"));
  const std::string conditioned = dir.write("if.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[1];
x q[0];
measure q[0] -> c[0];
if (c == 1) x q[1];
)");
  EXPECT_THAT(bad_input({conditioned, "--output", "state"}), HasSubstr("is conditioned on classical bits (if)"));
  // Shot by shot, the if always fires: outcomes over c only ("1").
  EXPECT_EQ(run_json({conditioned, "--output", "counts", "--shots", "10"})["counts"],
            nlohmann::ordered_json::parse(R"({"1": 10})"));
}

TEST(RunFileTest, ResetWithoutMeasurementIsReadOutOverTheQubits) {
  const TempDir dir;
  // Qubit 1 is 1; qubit 0 is reset to 0: every shot reads 10.
  const std::string file = dir.write("reset.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
x q[1];
h q[0];
reset q[0];
)");
  EXPECT_EQ(run_json({file, "--output", "counts", "--shots", "20"})["counts"],
            nlohmann::ordered_json::parse(R"({"10": 20})"));
  const auto s = run_json({file, "--shots", "20"});
  EXPECT_EQ(s["method"], "trajectories");
  EXPECT_EQ(s["outcomes"][0]["bitstring"], "10");
  EXPECT_EQ(s["outcomes"][0]["count"], 20);
}

TEST(RunFileTest, ParamsFileAndParamOverride) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  const std::string params = dir.write("p.json", R"({"x": 1.0, "y": 2.0})");
  expect_probabilities(run_json({file, "--params", params, "--output", "probs"}), product_probabilities(1.0, 2.0));
  // --param overrides the file; a later --param overrides an earlier one.
  expect_probabilities(run_json({file, "--params", params, "--param", "x=0.3", "--output", "probs"}),
                       product_probabilities(0.3, 2.0));
  expect_probabilities(run_json({"--param", "y=-1", "--param", "x=0.5", "--param", "y=2.5", file, "--output", "probs"}),
                       product_probabilities(0.5, 2.5));
  // The summary shows the bound values.
  const auto s = run_json({file, "--params", params, "--param", "x=0.3"});
  EXPECT_EQ(s["parameters"], 2);
  EXPECT_EQ(s["inputs"], nlohmann::ordered_json::parse(R"({"x": 0.3, "y": 2.0})"));
  EXPECT_THAT(run_text({file, "--params", params}), HasSubstr("\ninputs      x=1, y=2\n"));
}

TEST(RunFileTest, ParameterErrorsNameTheInputs) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  EXPECT_EQ(bad_input({file, "--param", "z=1", "--param", "y=1"}),
            "--param z=1: unknown input 'z'; the inputs of " + file + " are: x, y");
  EXPECT_EQ(bad_input({file}), file + ": 2 inputs have no value: x, y; give values with --param NAME=VALUE or "
                                      "--params FILE.json");
  EXPECT_EQ(bad_input({file, "--param", "y=1"}), file + ": 1 input has no value: x; give values with --param "
                                                         "NAME=VALUE or --params FILE.json");
  const std::string unknown = dir.write("unknown.json", R"({"x": 1, "y": 2, "yy": 3})");
  EXPECT_THAT(bad_input({file, "--params", unknown}),
              StartsWith(unknown + ": unknown input 'yy' (did you mean 'y'?)"));
  const std::string malformed = dir.write("bad.json", R"({"x": 1, "y": })");
  EXPECT_THAT(bad_input({file, "--params", malformed}), StartsWith(malformed + ": invalid JSON: parse error"));
  const std::string text = dir.write("text.json", R"({"x": 1, "y": "2"})");
  EXPECT_EQ(bad_input({file, "--params", text}), text + ": key 'y': expected a number, got string");
  EXPECT_THAT(bad_input({file, "--params", dir.write("missing.json", "") + ".nope"}), HasSubstr("cannot open"));
  // A file without inputs accepts no values.
  const std::string plain = dir.write("two.qasm", kTwoRegisters);
  EXPECT_EQ(bad_input({plain, "--param", "x=1"}),
            "--param x=1: unknown input 'x'; " + plain + " declares no inputs");
}

TEST(RunFileTest, FileErrorsAreBadInput) {
  const TempDir dir;
  std::ostringstream out;
  // A parse error carries the position (ParseError, exit 3).
  const std::string broken = dir.write("broken.qasm", "OPENQASM 2.0;\nqreg q[2];\nfoo q[0];\n");
  try {
    run_command({broken}, out);
    ADD_FAILURE() << "no exception";
  } catch (const ParseError& e) {
    EXPECT_THAT(e.what(), StartsWith(broken + ":3:"));
  }
  EXPECT_THROW(run_command({dir.write("x", "") + "/none.qasm"}, out), Error);
  EXPECT_TRUE(out.str().empty());
  // An observable on a qubit the file lacks.
  EXPECT_EQ(bad_input({dir.write("inputs.qasm", kTwoInputs), "--param", "x=1", "--param", "y=1", "--output",
                       "expectation", "--observable", "Z0 Z2"}),
            "observable 'Z0 Z2' acts on qubit 2 but " + dir.write("inputs.qasm", kTwoInputs) + " has 2 qubits");
}

TEST(RunFileTest, ExpectationOfABoundFile) {
  const TempDir dir;
  const std::string file = dir.write("inputs.qasm", kTwoInputs);
  // <Z0> = cos x, <Z1> = cos y, <Z0 Z1> = cos x cos y for ry(x) (x) rx(y).
  const auto j = run_json({file, "--param", "x=0.4", "--param", "y=1.1", "--output", "expectation", "--observable",
                           "Z0 + 2*Z1 - Z0 Z1"});
  EXPECT_NEAR(j["expectation"].get<double>(), std::cos(0.4) + 2 * std::cos(1.1) - std::cos(0.4) * std::cos(1.1),
              1e-14);
}

}  // namespace
}  // namespace qmlsim::cli

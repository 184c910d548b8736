#include "cli/run_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <type_traits>

#include "cli/options.hpp"
#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/sampling.hpp"
#include "simulator/execution/simulator.hpp"
#include "simulator/observables/pauli.hpp"
#include "cli/output.hpp"
#include "tests/support/random_state.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;

// Reference: all basis states sorted by probability (descending), ties by index (ascending).
std::vector<Index> sorted_indices(const std::vector<double>& p) {
  std::vector<Index> idx(p.size());
  std::iota(idx.begin(), idx.end(), Index{0});
  std::stable_sort(idx.begin(), idx.end(), [&](Index a, Index b) { return p[a] > p[b]; });
  return idx;
}

nlohmann::json run_json(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--format", "json"});
  run_command(all, out);
  return nlohmann::json::parse(out.str());
}

TEST(RunCommandTest, GhzJsonHasTwoHalfOutcomes) {
  const auto j = run_json({"--circuit", "ghz", "--qubits", "4", "--top", "3"});
  EXPECT_EQ(j["circuit"], "ghz");
  EXPECT_EQ(j["num_qubits"], 4);
  EXPECT_EQ(j["gates"], library::ghz(4).num_gates());
  EXPECT_EQ(j["parameters"], 0);
  EXPECT_EQ(j["precision"], "double");
  EXPECT_GE(j["seconds"].get<double>(), 0.0);
  ASSERT_EQ(j["outcomes"].size(), 2U);  // zero-probability outcomes are left out despite --top 3
  EXPECT_EQ(j["outcomes"][0]["bitstring"], "0000");
  EXPECT_EQ(j["outcomes"][1]["bitstring"], "1111");
  EXPECT_NEAR(j["outcomes"][0]["probability"].get<double>(), 0.5, 1e-14);
  EXPECT_NEAR(j["outcomes"][1]["probability"].get<double>(), 0.5, 1e-14);
  EXPECT_FALSE(j.contains("counts"));
}

TEST(RunCommandTest, LayersUsesSeededAnglesInRange) {
  // Reference: the same circuit bound to angles drawn as documented, run by the Simulator.
  const std::uint64_t seed = 5;
  const Circuit c = library::layered(3, 2);
  Rng rng(seed);
  std::vector<double> theta;
  for (int i = 0; i < c.num_parameters(); ++i) theta.push_back((2 * rng.uniform() - 1) * kPi);
  const std::vector<double> p = Simulator().run(c, theta).probabilities();
  const std::vector<Index> order = sorted_indices(p);

  const auto j = run_json({"--circuit", "layers", "--qubits", "3", "--depth", "2", "--seed", "5", "--top", "8"});
  EXPECT_EQ(j["parameters"], c.num_parameters());
  ASSERT_EQ(j["outcomes"].size(), 8U);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(j["outcomes"][i]["bitstring"], to_bitstring(order[i], 3));
    EXPECT_NEAR(j["outcomes"][i]["probability"].get<double>(), p[order[i]], 1e-13);
  }
}

TEST(RunCommandTest, ShotsMatchSimulatorSample) {
  const Circuit c = library::layered(4, 1);
  Rng rng(3);
  std::vector<double> theta;
  for (int i = 0; i < c.num_parameters(); ++i) theta.push_back((2 * rng.uniform() - 1) * kPi);
  const Counts expected = Simulator().sample(c, theta, 500, 3);

  const auto j = run_json({"--circuit", "layers", "--qubits", "4", "--shots", "500", "--seed", "3"});
  EXPECT_EQ(j["shots"], 500);
  ASSERT_TRUE(j["counts"].is_object());
  EXPECT_EQ(j["counts"].size(), expected.size());
  for (const auto& [index, count] : expected) EXPECT_EQ(j["counts"][to_bitstring(index, 4)], count);
  for (const auto& o : j["outcomes"]) {  // each shown outcome carries its sampled count
    const Index index = from_bitstring(o["bitstring"].get<std::string>());
    EXPECT_EQ(o["count"].get<std::uint64_t>(), expected.count(index) ? expected.at(index) : 0U);
  }
}

TEST(RunCommandTest, SinglePrecisionAgreesWithDouble) {
  const auto d = run_json({"--circuit", "qft", "--qubits", "5", "--top", "4"});
  const auto s = run_json({"--circuit", "qft", "--qubits", "5", "--top", "4", "--precision", "single"});
  EXPECT_EQ(s["precision"], "single");
  for (std::size_t i = 0; i < 4; ++i)  // QFT of |0>: uniform 1/32 everywhere
    EXPECT_NEAR(s["outcomes"][i]["probability"].get<double>(), d["outcomes"][i]["probability"].get<double>(), 1e-6);
  EXPECT_NEAR(d["outcomes"][0]["probability"].get<double>(), 1.0 / 32, 1e-14);
}

TEST(RunCommandTest, CsvRepeatsSummaryOnEveryOutcomeRow) {
  std::ostringstream out;
  run_command({"--circuit", "ghz", "--qubits", "2", "--format", "csv", "--top", "2"}, out);
  std::istringstream in(out.str());
  std::string header, row1, row2, extra;
  std::getline(in, header);
  std::getline(in, row1);
  std::getline(in, row2);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header,
            "circuit,num_qubits,num_clbits,gates,parameters,method,precision,threads,seed,seconds,bitstring,"
            "probability");
  EXPECT_EQ(row1.rfind("ghz,2,0,2,0,statevector,double,", 0), 0U) << row1;
  EXPECT_THAT(row1, HasSubstr(",00,0.5"));
  EXPECT_THAT(row2, HasSubstr(",11,0.5"));
}

TEST(RunCommandTest, TableShowsSummaryThenOutcomes) {
  std::ostringstream out;
  run_command({"--circuit", "ghz", "--qubits", "3", "--top", "2", "--shots", "10"}, out);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("circuit     ghz\nnum_qubits  3\nnum_clbits  0\n", 0), 0U) << text;
  EXPECT_THAT(text, HasSubstr("\n\nbitstring  probability  count\n000"));
}

TEST(RunCommandTest, HelpPrintsUsage) {
  std::ostringstream out;
  run_command({"--help"}, out);
  EXPECT_EQ(out.str().rfind("Usage: qmlsim run", 0), 0U);
  EXPECT_THAT(out.str(), HasSubstr("--circuit"));
  for (const char* text : {"  gradient ", "--method", "--wrt", "--fd-step", "--fd-order", "adjoint", "shift", "fd"})
    EXPECT_THAT(out.str(), HasSubstr(text));
}

TEST(RunCommandTest, BadCommandLinesAreUsageErrors) {
  std::ostringstream out;
  EXPECT_THROW(run_command({"--qubits", "3"}, out), UsageError);            // no --circuit or FILE
  EXPECT_THROW(run_command({"--circuit", "ghz"}, out), UsageError);         // no --qubits
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "0"}, out), UsageError);
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "41"}, out), UsageError);
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "3", "--shots", "0"}, out), UsageError);
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "3", "--format", "yaml"}, out), UsageError);
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "3", "--depth", "-1"}, out), UsageError);
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "3", "--bogus"}, out), po::error);
  EXPECT_TRUE(out.str().empty());
}

TEST(RunCommandTest, BadInputIsALibraryError) {
  std::ostringstream out;
  try {
    run_command({"--circuit", "nope", "--qubits", "3"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    for (const auto& name : library::names()) EXPECT_THAT(e.what(), HasSubstr(name));
  }
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "40"}, out), ResourceError);
  try {  // 10 qubits of complex double need 16 KiB
    run_command({"--circuit", "ghz", "--qubits", "10", "--max-memory", "8K"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const ResourceError& e) {
    EXPECT_THAT(e.what(), HasSubstr("need 16.0 KiB"));
  }
  // Single precision halves the state: 8 KiB, all of the cap, and expectation needs nothing more.
  EXPECT_NO_THROW(run_command({"--circuit", "ghz", "--qubits", "10", "--max-memory", "8K", "--precision", "single",
                               "--output", "expectation", "--observable", "Z0"},
                              out));
}

// ---- memory: the state and its scratch together within --max-memory ----

// 20 qubits of complex double: 16 MiB.
constexpr std::uint64_t kState20 = std::uint64_t{16} << 20;

std::vector<std::string> ghz20(std::uint64_t max_memory, std::vector<std::string> more) {
  std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "20", "--max-memory", std::to_string(max_memory)};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::string resource_error_of(const std::vector<std::string>& args) {
  std::ostringstream out;
  try {
    run_command(args, out);
  } catch (const ResourceError& e) {
    EXPECT_EQ(out.str(), "") << "nothing is printed before the refusal";
    return e.what();
  }
  ADD_FAILURE() << "no ResourceError";
  return "";
}

TEST(RunCommandTest, MaxMemoryJustBelowTheStateIsRefusedInEveryMode) {
  const std::vector<std::vector<std::string>> modes = {
      {}, {"--output", "probs"}, {"--output", "state", "--top", "4"}, {"--output", "counts", "--shots", "10"},
      {"--output", "expectation", "--observable", "Z0"}};
  for (const auto& mode : modes) {
    EXPECT_THAT(resource_error_of(ghz20(kState20 - 1, mode)),
                HasSubstr("20 qubits need 16.0 MiB (16777216 bytes); 16.0 MiB (16777215 bytes) allowed"))
        << (mode.empty() ? "summary" : mode[1]);
  }
}

// 16 qubits of complex double: 1 MiB.
constexpr std::uint64_t kState16 = std::uint64_t{1} << 20;

std::vector<std::string> ghz16(std::uint64_t max_memory, std::vector<std::string> more) {
  std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "16", "--max-memory", std::to_string(max_memory)};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(RunCommandTest, ForwardRunsNeedOnlyTheStateAndTheirSmallScratch) {
  // Exactly the state: expectation and the full probs listing (streamed) need nothing more.
  EXPECT_NEAR(run_json(ghz16(kState16, {"--output", "expectation", "--observable", "Z0 Z15"}))["expectation"], 1.0,
              1e-15);
  std::ostringstream probs;  // 12 qubits: 64 KiB of state, 4096 rows
  run_command({"--circuit", "ghz", "--qubits", "12", "--max-memory", "64K", "--output", "probs", "--format", "csv"},
              probs);
  const std::string text = probs.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4096 + 1);
  // Counts: the state plus the sampling scratch, to the byte.
  const std::uint64_t counts_need = kState16 + sample_scratch_bytes(16, 1000);
  const auto counts = run_json(ghz16(counts_need, {"--output", "counts", "--shots", "1000"}))["counts"];
  EXPECT_EQ(counts["0000000000000000"].get<int>() + counts["1111111111111111"].get<int>(), 1000);
  EXPECT_THAT(resource_error_of(ghz16(counts_need - 1, {"--output", "counts", "--shots", "1000"})),
              HasSubstr("1000 shots need "));
  // --top K: K pairs ranked and K outcomes returned, 32 bytes each.
  const std::uint64_t top_need = kState16 + 1000 * 32;
  EXPECT_EQ(run_json(ghz16(top_need, {"--output", "probs", "--top", "1000"}))["probabilities"].size(), 1000U);
  EXPECT_THAT(resource_error_of(ghz16(top_need - 1, {"--output", "state", "--top", "1000"})),
              HasSubstr("the 1000 most likely outcomes need 31.2 KiB (32000 bytes); 31.2 KiB (31999 bytes) left of "
                        "the 1.0 MiB memory limit"));
  // The summary keeps its 8 best (16 bytes each).
  EXPECT_NO_THROW((void)run_json(ghz16(kState16 + 8 * 16, {})));
  EXPECT_THAT(resource_error_of(ghz16(kState16 + 8 * 16 - 1, {})), HasSubstr("the 8 most likely outcomes need 128 B"));
}

TEST(RunCommandTest, ExpectationShotEstimateInARotatedBasisIsRefusedBeforeTheRun) {
  // X needs a rotated copy: two states, checked before simulating; Z needs none.
  EXPECT_THAT(resource_error_of(ghz16(2 * kState16 - 1, {"--output", "expectation", "--observable", "X0 X1",
                                                         "--shots", "100"})),
              HasSubstr("16 qubits (the shot estimate) with 2 state vectors need 2.0 MiB"));
  EXPECT_NO_THROW((void)run_json(ghz16(kState16 + sample_scratch_bytes(16, 100),
                                       {"--output", "expectation", "--observable", "Z0", "--shots", "100"})));
  // The rotated copy and the sampling scratch count together.
  EXPECT_NO_THROW((void)run_json(ghz16(2 * kState16 + sample_scratch_bytes(16, 100),
                                       {"--output", "expectation", "--observable", "X0 X1", "--shots", "100"})));
  EXPECT_THAT(resource_error_of(ghz16(2 * kState16 + sample_scratch_bytes(16, 100) - 1,
                                      {"--output", "expectation", "--observable", "X0 X1", "--shots", "100"})),
              HasSubstr("100 shots need"));
}

TEST(RunCommandTest, ThirtyOneQubitsInDoubleAreRefusedOnA24GibMachine) {
  // --max-memory 24G stands in for this machine's memory: refused before anything is allocated.
  for (const std::vector<std::string>& mode :
       {std::vector<std::string>{}, {"--output", "counts", "--shots", "1000"},
        {"--output", "expectation", "--observable", "Z0"}, {"--output", "probs", "--top", "5"}}) {
    std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "31", "--max-memory", "24G"};
    args.insert(args.end(), mode.begin(), mode.end());
    EXPECT_THAT(resource_error_of(args), HasSubstr("31 qubits need 32.0 GiB; 24.0 GiB allowed by the memory limit"));
  }
}

#if defined(QMLSIM_BINARY)
// The binary's exit code and message for a state that does not fit (exit 3, nothing on stdout).
TEST(RunCommandTest, TooLittleMemoryExitsWithCodeThreeAndSaysHowMuch) {
  const std::string err = ::testing::TempDir() + "qmlsim_run_memory_err.txt";
  const std::string out = ::testing::TempDir() + "qmlsim_run_memory_out.txt";
  const auto run = [&](const std::string& args) {
    const std::string command = std::string("'") + QMLSIM_BINARY + "' run " + args + " >'" + out + "' 2>'" + err + "'";
    const int status = std::system(command.c_str());
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const auto read = [](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(run("--circuit ghz --qubits 20 --max-memory 16777215 --output counts"), 3);
  EXPECT_EQ(read(out), "");
  EXPECT_EQ(read(err),
            "qmlsim run: error: 20 qubits need 16.0 MiB (16777216 bytes); 16.0 MiB (16777215 bytes) allowed by the "
            "memory limit\n");
  EXPECT_EQ(run("--circuit ghz --qubits 31 --max-memory 24G --output expectation --observable Z0"), 3);
  EXPECT_EQ(read(err), "qmlsim run: error: 31 qubits need 32.0 GiB; 24.0 GiB allowed by the memory limit\n");
  EXPECT_EQ(run("--circuit ghz --qubits 20 --max-memory 16777216 --output expectation --observable Z0"), 0);
  std::remove(err.c_str());
  std::remove(out.c_str());
}
#endif


// ---- output modes (standard circuits; files are in run_file_test.cpp) ----

std::string run_text(const std::vector<std::string>& args) {
  std::ostringstream out;
  run_command(args, out);
  return out.str();
}

nlohmann::ordered_json run_json_line(const std::vector<std::string>& args) {
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--format", "json"});
  const std::string text = run_text(all);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "one line expected: " << text;
  return nlohmann::ordered_json::parse(text);
}

std::vector<std::string> keys_of(const nlohmann::ordered_json& j) {
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  return keys;
}

std::vector<double> layered_theta(const Circuit& c, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> theta;
  for (int i = 0; i < c.num_parameters(); ++i) theta.push_back((2 * rng.uniform() - 1) * kPi);
  return theta;
}

TEST(RunCommandTest, ProbsJsonHasExactlyTheDocumentedShape) {
  const auto j = run_json_line({"--circuit", "ghz", "--qubits", "3", "--output", "probs"});
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"num_qubits", "probabilities"}));
  EXPECT_EQ(j["num_qubits"], 3);
  ASSERT_TRUE(j["probabilities"].is_array());
  ASSERT_EQ(j["probabilities"].size(), 8U);
  for (std::size_t i = 0; i < 8; ++i)
    EXPECT_NEAR(j["probabilities"][i].get<double>(), (i == 0 || i == 7) ? 0.5 : 0.0, 1e-15) << i;
  // Exact text: {"num_qubits": 3, "probabilities": [p, 0.0, ...]} on one line.
  const std::string text = run_text({"--circuit", "ghz", "--qubits", "1", "--output", "probs", "--format", "json"});
  EXPECT_EQ(text, "{\"num_qubits\": 1, \"probabilities\": [" + json_number(j["probabilities"][0].get<double>()) +
                      ", " + json_number(j["probabilities"][0].get<double>()) + "]}\n");
}

TEST(RunCommandTest, ProbsJsonRoundTripsEveryProbabilityBitExactly) {
  const Circuit c = library::layered(4, 2);
  const auto state = Simulator().run(c, layered_theta(c, 9));
  const auto j = run_json_line({"--circuit", "layers", "--qubits", "4", "--depth", "2", "--seed", "9", "--output",
                                "probs"});
  ASSERT_EQ(j["probabilities"].size(), 16U);
  double total = 0;
  for (Index i = 0; i < 16; ++i) {
    const double expected = std::norm(state[i]);
    EXPECT_EQ(j["probabilities"][i].get<double>(), expected) << i;
    total += expected;
  }
  EXPECT_NEAR(total, 1.0, 1e-13);
}

TEST(RunCommandTest, ProbsTopIsABitstringMapMostLikelyFirst) {
  const Circuit c = library::layered(3, 2);
  const std::vector<double> p = Simulator().run(c, layered_theta(c, 5)).probabilities();
  const std::vector<Index> order = sorted_indices(p);
  const auto j = run_json_line(
      {"--circuit", "layers", "--qubits", "3", "--depth", "2", "--seed", "5", "--output", "probs", "--top", "3"});
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"num_qubits", "probabilities"}));
  ASSERT_TRUE(j["probabilities"].is_object());
  std::vector<std::string> expected_keys;
  for (std::size_t k = 0; k < 3; ++k) expected_keys.push_back(to_bitstring(order[k], 3));
  EXPECT_EQ(keys_of(j["probabilities"]), expected_keys);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_NEAR(j["probabilities"][expected_keys[k]].get<double>(), p[order[k]], 1e-15);
  // --top 0 gives an empty map; --top beyond 2^n gives every state.
  EXPECT_TRUE(run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "probs", "--top", "0"})["probabilities"]
                  .empty());
  EXPECT_EQ(run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "probs", "--top", "9"})["probabilities"]
                .size(),
            4U);
}

TEST(RunCommandTest, ProbsCsvAndTableHaveOneRowPerBasisState) {
  const std::string half = format_exact(std::norm(Simulator().run(library::ghz(2))[0]));
  EXPECT_EQ(run_text({"--circuit", "ghz", "--qubits", "2", "--output", "probs", "--format", "csv"}),
            "index,bitstring,probability\n0,00," + half + "\n1,01,0\n2,10,0\n3,11," + half + "\n");
  EXPECT_EQ(run_text({"--circuit", "ghz", "--qubits", "2", "--output", "probs"}),
            "index  bitstring  probability\n"
            "    0  00                 0.5\n"
            "    1  01                   0\n"
            "    2  10                   0\n"
            "    3  11                 0.5\n");
  EXPECT_EQ(run_text({"--circuit", "ghz", "--qubits", "2", "--output", "probs", "--format", "csv", "--top", "1"}),
            "index,bitstring,probability\n0,00," + half + "\n");
}

TEST(RunCommandTest, StateJsonListsAmplitudesAsPairs) {
  // QFT of |0>: every amplitude 1/sqrt(8), real.
  const auto j = run_json_line({"--circuit", "qft", "--qubits", "3", "--output", "state"});
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"num_qubits", "amplitudes"}));
  ASSERT_EQ(j["amplitudes"].size(), 8U);
  for (const auto& a : j["amplitudes"]) {
    ASSERT_EQ(a.size(), 2U);
    EXPECT_NEAR(a[0].get<double>(), 1 / std::sqrt(8.0), 1e-15);
    EXPECT_NEAR(a[1].get<double>(), 0.0, 1e-15);
  }
  // Complex amplitudes round-trip bit-exactly.
  const Circuit c = library::layered(3, 1);
  const auto state = Simulator().run(c, layered_theta(c, 4));
  const auto k = run_json_line({"--circuit", "layers", "--qubits", "3", "--seed", "4", "--output", "state"});
  for (Index i = 0; i < 8; ++i) {
    EXPECT_EQ(k["amplitudes"][i][0].get<double>(), state[i].real());
    EXPECT_EQ(k["amplitudes"][i][1].get<double>(), state[i].imag());
  }
  const auto top = run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "state", "--top", "2"});
  EXPECT_EQ(keys_of(top["amplitudes"]), (std::vector<std::string>{"00", "11"}));
  EXPECT_NEAR(top["amplitudes"]["11"][0].get<double>(), 1 / std::sqrt(2.0), 1e-15);
}

TEST(RunCommandTest, StateCsvHasRealAndImaginaryColumns) {
  const std::string text = run_text({"--circuit", "qft", "--qubits", "1", "--output", "state", "--format", "csv"});
  const std::string a = format_exact(Simulator().run(library::qft(1))[0].real());
  EXPECT_EQ(text, "index,bitstring,re,im\n0,0," + a + ",0\n1,1," + a + ",0\n");
  EXPECT_NEAR(std::stod(a), 1 / std::sqrt(2.0), 1e-15);
}

TEST(RunCommandTest, CountsAreSeededAndSumToShots) {
  const std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "3", "--output", "counts", "--shots", "2000",
                                         "--seed", "7"};
  const auto a = run_json_line(args), b = run_json_line(args);
  EXPECT_EQ(a, b);
  EXPECT_EQ(keys_of(a), (std::vector<std::string>{"shots", "counts"}));
  EXPECT_EQ(a["shots"], 2000);
  std::uint64_t total = 0;
  for (const auto& [key, count] : a["counts"].items()) {
    EXPECT_TRUE(key == "000" || key == "111") << key;
    total += count.get<std::uint64_t>();
  }
  EXPECT_EQ(total, 2000U);
  // Binomial(2000, 1/2): within 5 standard deviations (22.4) of 1000.
  EXPECT_NEAR(a["counts"]["000"].get<double>(), 1000, 112);
  auto other = args;
  other.pop_back();
  other.emplace_back("8");
  EXPECT_NE(run_json_line(other)["counts"], a["counts"]);
  // Matches Simulator::sample with the same seed.
  const Counts expected = Simulator().sample(library::ghz(3), {}, 2000, 7);
  for (const auto& [index, count] : expected) EXPECT_EQ(a["counts"][to_bitstring(index, 3)], count);
}

TEST(RunCommandTest, CountsDoNotDependOnTheThreadCount) {
  // 15 qubits: above the parallel threshold, so two threads really split the work.
  std::vector<std::string> args = {"--circuit", "layers", "--qubits", "15", "--output", "counts", "--shots", "3000",
                                   "--seed", "3", "--threads", "1"};
  const auto one = run_json_line(args);
  args.pop_back();  // (not args.back() = "2": GCC 12 warns falsely, -Wrestrict)
  args.emplace_back("2");
  EXPECT_EQ(run_json_line(args), one);
}

TEST(RunCommandTest, CountsTableIsMostFrequentFirst) {
  const std::string text =
      run_text({"--circuit", "ghz", "--qubits", "2", "--output", "counts", "--shots", "100", "--seed", "1"});
  const auto j = run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "counts", "--shots", "100", "--seed",
                                "1", "--top", "1"});
  ASSERT_EQ(j["counts"].size(), 1U);
  const std::string first = j["counts"].begin().key();
  const auto n = j["counts"].begin().value().get<std::uint64_t>();
  EXPECT_GE(n, 50U);
  const std::string second = first == "00" ? "11" : "00";
  // "bitstring  count" header, the most frequent first, counts right-aligned under "count".
  const auto line = [](const std::string& key, std::uint64_t count) {
    const std::string number = std::to_string(count);
    return key + std::string(9 - key.size() + 2 + 5 - number.size(), ' ') + number + "\n";
  };
  EXPECT_EQ(text, "bitstring  count\n" + line(first, n) + line(second, 100 - n));
}

TEST(RunCommandTest, ExpectationIsExactOnBell) {
  const auto value = [](const std::string& observable) {
    return run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "expectation", "--observable", observable});
  };
  const auto zz = value("Z0 Z1");
  EXPECT_EQ(keys_of(zz), (std::vector<std::string>{"observable", "expectation"}));
  EXPECT_EQ(zz["observable"], "Z0 Z1");
  EXPECT_NEAR(zz["expectation"].get<double>(), 1.0, 1e-14);
  EXPECT_NEAR(value("X0 X1")["expectation"].get<double>(), 1.0, 1e-14);
  EXPECT_NEAR(value("Y0*Y1")["expectation"].get<double>(), -1.0, 1e-14);
  EXPECT_NEAR(value("Z0")["expectation"].get<double>(), 0.0, 1e-14);
  EXPECT_NEAR(value("0.5*Z0 Z1 - 2*Y0 Y1 + 3")["expectation"].get<double>(), 5.5, 1e-13);
  EXPECT_EQ(value("0.5*z0*z1")["observable"], "0.5*Z0 Z1");  // printed in canonical form
}

TEST(RunCommandTest, ExpectationWithShotsIsWithinFourStandardErrors) {
  const std::string observable = "Z0 Z1 + 0.5*X2 - 0.3*Y0 X1 + 0.2";
  const Circuit c = library::layered(3, 2);
  const double exact = expectation(PauliSum::parse(observable), Simulator().run(c, layered_theta(c, 2)));
  {  // --seed draws both the angles and the shots of a standard circuit
    const auto j = run_json_line({"--circuit", "layers", "--qubits", "3", "--depth", "2", "--seed", "2",
                                  "--output", "expectation", "--observable", observable, "--shots", "4000"});
    EXPECT_EQ(keys_of(j),
              (std::vector<std::string>{"observable", "expectation", "estimate", "standard_error", "shots"}));
    EXPECT_NEAR(j["expectation"].get<double>(), exact, 1e-13);
    EXPECT_EQ(j["shots"], 4000);
    const double se = j["standard_error"].get<double>();
    EXPECT_GT(se, 0.0);
    EXPECT_LT(std::abs(j["estimate"].get<double>() - exact), 4 * se);
  }
}

TEST(RunCommandTest, ExpectationTableAndCsv) {
  const std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "2", "--output", "expectation",
                                         "--observable", "Z0 Z1"};
  auto csv = args;
  csv.insert(csv.end(), {"--format", "csv"});
  EXPECT_EQ(run_text(csv).rfind("observable,expectation\nZ0 Z1,", 0), 0U);
  EXPECT_EQ(run_text(args).rfind("observable   Z0 Z1\nexpectation  ", 0), 0U) << run_text(args);
}

TEST(RunCommandTest, SummaryWithShotsCountsEveryOutcome) {
  const auto j = run_json({"--circuit", "ghz", "--qubits", "2", "--shots", "300", "--seed", "5"});
  EXPECT_EQ(j["method"], "statevector");
  EXPECT_EQ(j["shots"], 300);
  std::uint64_t total = 0;
  for (const auto& [key, count] : j["counts"].items()) total += count.get<std::uint64_t>();
  EXPECT_EQ(total, 300U);
  const auto counts_mode = run_json_line({"--circuit", "ghz", "--qubits", "2", "--output", "counts", "--shots", "300",
                                          "--seed", "5"});
  EXPECT_EQ(j["counts"], counts_mode["counts"]);  // the summary samples the same way
}

// The UsageError message run_command throws for args (nothing may have been printed first).
std::string usage(const std::vector<std::string>& args) {
  std::ostringstream out;
  try {
    run_command(args, out);
  } catch (const UsageError& e) {
    EXPECT_TRUE(out.str().empty());
    return std::string(e.what());
  }
  return std::string("<no usage error>");
}

TEST(RunCommandTest, OptionCombinationsAreChecked) {
  const std::vector<std::string> ghz = {"--circuit", "ghz", "--qubits", "2"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = ghz;
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  EXPECT_THAT(usage({}), HasSubstr("missing the circuit: give FILE.qasm or --circuit NAME"));
  EXPECT_EQ(usage(with({"c.qasm"})), "give either a circuit FILE or --circuit, not both");
  EXPECT_THAT(usage(with({"--param", "x=1"})), HasSubstr("--param and --params bind the inputs of a circuit FILE"));
  EXPECT_THAT(usage(with({"--params", "p.json"})), HasSubstr("--param and --params"));
  EXPECT_THAT(usage(with({"--output", "expectation"})), HasSubstr("--output expectation needs --observable"));
  EXPECT_EQ(usage(with({"--observable", "Z0"})), "--observable applies to --output expectation and gradient");
  EXPECT_THAT(usage(with({"--output", "probs", "--shots", "5"})), HasSubstr("--shots does not apply to --output probs"));
  EXPECT_THAT(usage(with({"--output", "state", "--shots", "5"})), HasSubstr("--shots does not apply to --output state"));
  EXPECT_THAT(usage(with({"--output", "expectation", "--observable", "Z0", "--top", "2"})),
              HasSubstr("--top does not apply"));
  EXPECT_THAT(usage(with({"--output", "expectation", "--observable", "Z0", "--shots", "1"})),
              HasSubstr("invalid value '1' for --shots"));
  EXPECT_EQ(usage(with({"--output", "histogram"})),
            "invalid value 'histogram' for --output: expected summary, probs, state, counts, expectation or "
            "gradient");
  EXPECT_EQ(usage({"c.qasm", "--param", "x"}), "invalid value 'x' for --param: expected NAME=VALUE");
  EXPECT_EQ(usage({"c.qasm", "--qubits", "3"}), "--qubits applies to --circuit; a circuit file fixes its own size");
  EXPECT_EQ(usage({"c.qasm", "--depth", "1"}), "--depth applies to --circuit; a circuit file fixes its own size");
  EXPECT_EQ(usage({"a.qasm", "b.qasm"}), "unexpected argument 'b.qasm'");
}

TEST(RunCommandTest, ObservableErrorsAreBadInput) {
  std::ostringstream out;
  try {
    run_command({"--circuit", "ghz", "--qubits", "2", "--output", "expectation", "--observable", "Z0 X2"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "observable 'Z0 X2' acts on qubit 2 but ghz has 2 qubits");
  }
  EXPECT_THROW(run_command({"--circuit", "ghz", "--qubits", "2", "--output", "expectation", "--observable", "Z0 +"},
                           out),
               InvalidArgument);
  EXPECT_TRUE(out.str().empty());
}

TEST(RunCommandTest, SinglePrecisionProbsAgreeWithDouble) {
  const auto d = run_json_line({"--circuit", "layers", "--qubits", "4", "--output", "probs"});
  const auto s = run_json_line({"--circuit", "layers", "--qubits", "4", "--output", "probs", "--precision", "single"});
  for (std::size_t i = 0; i < 16; ++i)
    EXPECT_NEAR(s["probabilities"][i].get<double>(), d["probabilities"][i].get<double>(), 1e-6);
}

// ---- gradient (standard circuits; files, analytic values and the binary are in run_file_test.cpp) ----

constexpr const char* kGradientObservable = "Z0 Z1 + 0.5*X2 - 0.3*Y1 + 0.2*X0 Z2";

// <H> of library::layered(3, 2) at theta, from the Simulator's final state.
double layered_expectation(const Circuit& c, const std::vector<double>& theta) {
  return expectation(PauliSum::parse(kGradientObservable), Simulator().run(c, theta));
}

// The reference gradient: the five-point stencil with h = 1e-3 on Simulator runs (independent of
// every gradient method; truncation ~h^4 and rounding ~1e-13 leave it good to ~1e-11).
std::vector<double> reference_gradient(const Circuit& c, const std::vector<double>& theta) {
  const double h = 1e-3;
  std::vector<double> g;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const auto at = [&](double dt) {
      std::vector<double> moved = theta;
      moved[i] += dt;
      return layered_expectation(c, moved);
    };
    g.push_back((-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h));
  }
  return g;
}

std::vector<std::string> layered_gradient_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--circuit", "layers", "--qubits", "3", "--depth", "2", "--seed", "4",
                                   "--output", "gradient", "--observable", kGradientObservable};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<double> gradient_values(const nlohmann::ordered_json& j) {
  std::vector<double> g;
  for (const auto& item : j["gradient"].items()) g.push_back(item.value().get<double>());
  return g;
}

TEST(RunCommandTest, GradientMethodsMatchAnIndependentReference) {
  const Circuit c = library::layered(3, 2);
  const std::vector<double> theta = layered_theta(c, 4);
  const std::vector<double> reference = reference_gradient(c, theta);
  ASSERT_EQ(reference.size(), static_cast<std::size_t>(c.num_parameters()));

  const auto adjoint = run_json_line(layered_gradient_args({}));
  EXPECT_EQ(keys_of(adjoint),
            (std::vector<std::string>{"expectation", "gradient", "observable", "method", "evaluations"}));
  EXPECT_EQ(adjoint["method"], "adjoint");
  EXPECT_EQ(adjoint["observable"], PauliSum::parse(kGradientObservable).to_string());
  EXPECT_GT(adjoint["evaluations"].get<std::uint64_t>(), 0U);
  EXPECT_NEAR(adjoint["expectation"].get<double>(), layered_expectation(c, theta), 1e-13);
  std::vector<std::string> names;
  for (int i = 0; i < c.num_parameters(); ++i) names.push_back("theta" + std::to_string(i));
  EXPECT_EQ(keys_of(adjoint["gradient"]), names);  // parameter order
  const std::vector<double> g_adjoint = gradient_values(adjoint);
  for (std::size_t i = 0; i < reference.size(); ++i) EXPECT_NEAR(g_adjoint[i], reference[i], 1e-9) << names[i];

  const auto shift = run_json_line(layered_gradient_args({"--method", "shift"}));
  EXPECT_EQ(shift["method"], "shift");
  EXPECT_EQ(keys_of(shift["gradient"]), names);
  EXPECT_NEAR(shift["expectation"].get<double>(), adjoint["expectation"].get<double>(), 1e-13);
  const std::vector<double> g_shift = gradient_values(shift);
  for (std::size_t i = 0; i < reference.size(); ++i) EXPECT_NEAR(g_shift[i], g_adjoint[i], 1e-10) << names[i];
  // Every parameter is an rx or rz angle: two runs each, plus the unshifted one.
  EXPECT_EQ(shift["evaluations"].get<std::uint64_t>(), 2 * reference.size() + 1);

  const auto fd = run_json_line(layered_gradient_args({"--method", "fd"}));
  EXPECT_EQ(keys_of(fd), (std::vector<std::string>{"expectation", "gradient", "observable", "method", "fd_step",
                                                    "fd_order", "evaluations"}));
  EXPECT_EQ(fd["fd_step"].get<double>(), 1e-5);
  EXPECT_EQ(fd["fd_order"], 2);
  const std::vector<double> g_fd = gradient_values(fd);
  for (std::size_t i = 0; i < reference.size(); ++i) EXPECT_NEAR(g_fd[i], g_adjoint[i], 1e-6) << names[i];

  const auto fd4 = run_json_line(layered_gradient_args({"--method", "fd", "--fd-order", "4", "--fd-step", "1e-3"}));
  EXPECT_EQ(fd4["fd_step"].get<double>(), 1e-3);
  EXPECT_EQ(fd4["fd_order"], 4);
  const std::vector<double> g_fd4 = gradient_values(fd4);
  for (std::size_t i = 0; i < reference.size(); ++i) EXPECT_NEAR(g_fd4[i], reference[i], 1e-10) << names[i];
}

TEST(RunCommandTest, GradientWrtSelectsParametersInTheGivenOrder) {
  const auto all = run_json_line(layered_gradient_args({}));
  for (const std::string method : {"adjoint", "shift", "fd"}) {
    SCOPED_TRACE(method);
    const auto some = run_json_line(layered_gradient_args({"--method", method, "--wrt", "theta5, theta1", "--wrt",
                                                           "theta3"}));
    EXPECT_EQ(keys_of(some["gradient"]), (std::vector<std::string>{"theta5", "theta1", "theta3"}));
    for (const char* name : {"theta5", "theta1", "theta3"})
      EXPECT_NEAR(some["gradient"][name].get<double>(), all["gradient"][name].get<double>(), 1e-6) << name;
  }
  // An unknown name depends on the circuit: bad input, with the valid names.
  std::ostringstream out;
  try {
    run_command(layered_gradient_args({"--wrt", "theta1,thet4"}), out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_EQ(std::string(e.what()),
              "--wrt thet4: unknown parameter 'thet4' (did you mean 'theta4'?); the parameters of layers are theta0 "
              "to theta" + std::to_string(library::layered(3, 2).num_parameters() - 1));
  }
  try {
    run_command({"--circuit", "ghz", "--qubits", "2", "--output", "gradient", "--observable", "Z0", "--wrt", "a"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "--wrt a: unknown parameter 'a'; ghz has no parameters");
  }
  EXPECT_TRUE(out.str().empty());
}

TEST(RunCommandTest, GradientWithShotsIsWithinFiveStandardErrorsAndSeeded) {
  const Circuit c = library::layered(3, 2);
  const std::vector<double> theta = layered_theta(c, 4);
  const std::vector<double> reference = reference_gradient(c, theta);
  const auto args = layered_gradient_args({"--method", "shift", "--shots", "3000"});
  const auto j = run_json_line(args);
  EXPECT_EQ(keys_of(j), (std::vector<std::string>{"expectation", "gradient", "standard_error", "observable",
                                                   "expectation_standard_error", "method", "shots", "seed",
                                                   "evaluations"}));
  EXPECT_EQ(j["shots"], 3000);
  EXPECT_EQ(j["seed"], 4);
  const double value_se = j["expectation_standard_error"].get<double>();
  EXPECT_GT(value_se, 0.0);
  EXPECT_LT(std::abs(j["expectation"].get<double>() - layered_expectation(c, theta)), 5 * value_se);
  EXPECT_EQ(keys_of(j["standard_error"]), keys_of(j["gradient"]));
  const std::vector<double> g = gradient_values(j);
  ASSERT_EQ(g.size(), reference.size());
  std::size_t i = 0;
  for (const auto& item : j["standard_error"].items()) {
    const double se = item.value().get<double>();
    EXPECT_GT(se, 0.0) << item.key();
    EXPECT_LT(std::abs(g[i] - reference[i]), 5 * se) << item.key();
    ++i;
  }
  // The same seed gives the same estimate, bit for bit (other seeds: run_file_test.cpp, where
  // --seed does not also move the angles).
  EXPECT_EQ(run_json_line(args), j);
}

TEST(RunCommandTest, GradientDoesNotDependOnTheThreadCount) {
  // 14 qubits: above the parallel threshold, so two threads really split the sweep.
  std::vector<std::string> args = {"--circuit", "layers", "--qubits", "14", "--output", "gradient", "--observable",
                                   "Z0 Z13 + 0.5*X7", "--threads", "1"};
  const auto one = run_json_line(args);
  args.pop_back();
  args.emplace_back("2");
  const auto two = run_json_line(args);
  EXPECT_EQ(two["expectation"], one["expectation"]);
  EXPECT_EQ(two["gradient"], one["gradient"]);
}

TEST(RunCommandTest, GradientOfACircuitWithoutParametersIsEmpty) {
  const std::vector<std::string> args = {"--circuit", "ghz", "--qubits", "2", "--output", "gradient",
                                         "--observable", "Z0 Z1"};
  const auto j = run_json_line(args);
  EXPECT_NEAR(j["expectation"].get<double>(), 1.0, 1e-14);
  ASSERT_TRUE(j["gradient"].is_object());
  EXPECT_TRUE(j["gradient"].empty());
  const std::string text = run_text(args);
  EXPECT_THAT(text, HasSubstr("\n\nparameter  value  derivative\n"));
  EXPECT_EQ(text.substr(text.size() - 30), "\nparameter  value  derivative\n");
}

TEST(RunCommandTest, GradientTableAndCsvLayout) {
  const auto j = run_json_line(layered_gradient_args({"--wrt", "theta0,theta2"}));
  const std::string text = run_text(layered_gradient_args({"--wrt", "theta0,theta2"}));
  const std::string observable = j["observable"].get<std::string>();
  EXPECT_EQ(text.rfind("observable   " + observable + "\nexpectation  " +
                           format_short(j["expectation"].get<double>()) + "\nmethod       adjoint\nevaluations  ",
                       0),
            0U)
      << text;
  EXPECT_THAT(text, HasSubstr("\n\nparameter "));
  EXPECT_THAT(text, HasSubstr("value  derivative\ntheta0 "));
  EXPECT_THAT(text, HasSubstr(format_short(j["gradient"]["theta2"].get<double>()) + "\n"));

  const std::string csv = run_text(layered_gradient_args({"--wrt", "theta0,theta2", "--format", "csv"}));
  std::istringstream in(csv);
  std::string header, row0, row2, extra;
  std::getline(in, header);
  std::getline(in, row0);
  std::getline(in, row2);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header, "observable,expectation,method,evaluations,parameter,value,derivative");
  const Circuit c = library::layered(3, 2);
  const std::vector<double> theta = layered_theta(c, 4);
  const std::string prefix = csv_field(observable) + "," + format_exact(j["expectation"].get<double>()) + ",adjoint,";
  EXPECT_EQ(row0.rfind(prefix, 0), 0U) << row0;
  EXPECT_THAT(row0, ::testing::EndsWith(",theta0," + format_exact(theta[0]) + "," +
                                        format_exact(j["gradient"]["theta0"].get<double>())));
  EXPECT_THAT(row2, ::testing::EndsWith(",theta2," + format_exact(theta[2]) + "," +
                                        format_exact(j["gradient"]["theta2"].get<double>())));

  // With shots: the standard errors as a last column.
  const std::string sampled =
      run_text(layered_gradient_args({"--wrt", "theta1", "--method", "shift", "--shots", "100", "--format", "csv"}));
  EXPECT_EQ(sampled.rfind("observable,expectation,expectation_standard_error,method,shots,seed,evaluations,"
                          "parameter,value,derivative,standard_error\n",
                          0),
            0U)
      << sampled;
}

TEST(RunCommandTest, GradientOptionCombinationsAreChecked) {
  const auto grad = [](std::vector<std::string> extra) {
    std::vector<std::string> all = {"--circuit", "layers", "--qubits", "2", "--output", "gradient"};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  EXPECT_EQ(usage(grad({})), "--output gradient needs --observable, e.g. \"0.5*Z0 Z1 + X2\"");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--top", "2"})), "--top does not apply to --output gradient");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--method", "exact"})),
            "invalid value 'exact' for --method: expected adjoint, shift or fd");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--shots", "100"})),
            "--shots does not apply to --method adjoint; the shot estimate of a gradient is --method shift --shots N");
  EXPECT_THAT(usage(grad({"--observable", "Z0", "--method", "fd", "--shots", "100"})),
              HasSubstr("--shots does not apply to --method fd"));
  EXPECT_THAT(usage(grad({"--observable", "Z0", "--method", "shift", "--shots", "1"})),
              HasSubstr("invalid value '1' for --shots"));
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--fd-step", "1e-3"})), "--fd-step applies to --method fd");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--method", "shift", "--fd-order", "4"})),
            "--fd-order applies to --method fd");
  for (const std::string step : {"0", "-1e-5", "abc", "inf", "1e-5x", ""})
    EXPECT_EQ(usage(grad({"--observable", "Z0", "--method", "fd", "--fd-step", step})),
              "invalid value '" + step + "' for --fd-step: expected a positive number, e.g. 1e-5");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--method", "fd", "--fd-order", "3"})),
            "invalid value '3' for --fd-order: expected 2 or 4");
  EXPECT_THAT(usage(grad({"--observable", "Z0", "--method", "fd", "--fd-order", "6"})),
              HasSubstr("invalid value '6' for --fd-order"));
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--wrt", "theta0,,theta1"})),
            "invalid value 'theta0,,theta1' for --wrt: expected NAME[,NAME...]");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--wrt", "theta0", "--wrt", "theta1,theta0"})),
            "invalid value 'theta1,theta0' for --wrt: 'theta0' is given twice");
  EXPECT_EQ(usage(grad({"--observable", "Z0", "--precision", "single"})),
            "--output gradient computes in double precision; --precision single does not apply");
  const std::vector<std::string> expectation = {"--circuit", "ghz", "--qubits", "2", "--output", "expectation",
                                                "--observable", "Z0"};
  for (const char* option : {"--method", "--wrt", "--fd-step", "--fd-order"}) {
    auto args = expectation;
    args.insert(args.end(), {option, "2"});
    EXPECT_EQ(usage(args), std::string(option) + " applies to --output gradient");
  }
  EXPECT_EQ(usage({"--circuit", "ghz", "--qubits", "2", "--method", "adjoint"}),
            "--method applies to --output gradient");
  // An explicit default is fine where it applies.
  std::ostringstream out;
  EXPECT_NO_THROW(run_command(grad({"--observable", "Z0", "--method", "adjoint", "--precision", "double"}), out));
}

TEST(RunCommandTest, GradientObservableErrorsAreBadInput) {
  std::ostringstream out;
  try {
    run_command({"--circuit", "layers", "--qubits", "2", "--output", "gradient", "--observable", "Z0 X2"}, out);
    ADD_FAILURE() << "no exception";
  } catch (const InvalidArgument& e) {
    EXPECT_STREQ(e.what(), "observable 'Z0 X2' acts on qubit 2 but layers has 2 qubits");
  }
  EXPECT_THROW(run_command({"--circuit", "layers", "--qubits", "2", "--output", "gradient", "--observable", "Q0"}, out),
               InvalidArgument);
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace qmlsim::cli

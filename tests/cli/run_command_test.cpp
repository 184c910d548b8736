#include "cli/run_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <type_traits>

#include "cli/options.hpp"
#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/simulator.hpp"
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

// |a_i|^2 in double precision (StateVector<float>::probabilities() rounds to float).
template <class R>
std::vector<double> probabilities_in_double(const StateVector<R>& state) {
  std::vector<double> p;
  for (const auto& a : state.amplitudes()) p.push_back(std::norm(std::complex<double>(a.real(), a.imag())));
  return p;
}

template <class R>
void expect_top_matches_sort(const StateVector<R>& state, std::size_t k) {
  const std::vector<double> p = probabilities_in_double(state);
  const std::vector<Index> order = sorted_indices(p);
  const auto top = top_outcomes(state, k);
  ASSERT_EQ(top.size(), std::min<std::size_t>(k, p.size()));
  for (std::size_t i = 0; i < top.size(); ++i) {
    EXPECT_EQ(top[i].index, order[i]) << "rank " << i;
    EXPECT_NEAR(top[i].probability, p[order[i]], 1e-15);
    if constexpr (std::is_same_v<R, float>) {  // and within float rounding of the state's own
      EXPECT_NEAR(top[i].probability, state.probability(order[i]), 1e-6);
    }
  }
}

nlohmann::json run_json(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::vector<std::string> all = args;
  all.insert(all.end(), {"--format", "json"});
  run_command(all, out);
  return nlohmann::json::parse(out.str());
}

TEST(RunCommandTest, TopOutcomesMatchFullSortOnRandomStates) {
  Rng rng(11);
  for (int n : {1, 3, 6}) {
    const auto amps = testing::random_state(n, rng);
    const auto state = testing::make_state<double>(amps, Parallelism::serial());
    for (std::size_t k : {std::size_t{1}, std::size_t{3}, std::size_t{8}, std::size_t{1000}})
      expect_top_matches_sort(state, k);
    expect_top_matches_sort(testing::make_state<float>(amps, Parallelism::serial()), 5);
  }
}

TEST(RunCommandTest, TopOutcomesBreakTiesByIndex) {
  // Uniform superposition: every probability equal, so the order is by index.
  const auto state = Simulator().run(Circuit(4).h(0).h(1).h(2).h(3));
  const auto top = top_outcomes(state, 5);
  ASSERT_EQ(top.size(), 5U);
  for (std::size_t i = 0; i < top.size(); ++i) EXPECT_EQ(top[i].index, i);
  expect_top_matches_sort(Simulator().run(library::ghz(5)), 32);  // two at 0.5, then zeros by index
  EXPECT_TRUE(top_outcomes(state, 0).empty());
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
  EXPECT_EQ(header, "circuit,num_qubits,gates,parameters,precision,threads,seed,seconds,bitstring,probability");
  EXPECT_EQ(row1.rfind("ghz,2,2,0,double,", 0), 0U) << row1;
  EXPECT_THAT(row1, HasSubstr(",00,0.5"));
  EXPECT_THAT(row2, HasSubstr(",11,0.5"));
}

TEST(RunCommandTest, TableShowsSummaryThenOutcomes) {
  std::ostringstream out;
  run_command({"--circuit", "ghz", "--qubits", "3", "--top", "2", "--shots", "10"}, out);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("circuit     ghz\nnum_qubits  3\n", 0), 0U) << text;
  EXPECT_THAT(text, HasSubstr("\n\nbitstring  probability  count\n000"));
}

TEST(RunCommandTest, HelpPrintsUsage) {
  std::ostringstream out;
  run_command({"--help"}, out);
  EXPECT_EQ(out.str().rfind("Usage: qmlsim run", 0), 0U);
  EXPECT_THAT(out.str(), HasSubstr("--circuit"));
}

TEST(RunCommandTest, BadCommandLinesAreUsageErrors) {
  std::ostringstream out;
  EXPECT_THROW(run_command({"--qubits", "3"}, out), UsageError);            // no --circuit
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
  EXPECT_NO_THROW(
      run_command({"--circuit", "ghz", "--qubits", "10", "--max-memory", "8K", "--precision", "single"}, out));
}

}  // namespace
}  // namespace qmlsim::cli

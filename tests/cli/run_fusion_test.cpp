#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "cli/run_command.hpp"

// `qmlsim run --fusion auto|off|K`: the fusion setting of the final-state run and of the
// gradient's forward run changes the time only, never the results beyond rounding.

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;

nlohmann::json run_json(std::vector<std::string> args) {
  std::ostringstream out;
  args.insert(args.end(), {"--format", "json"});
  run_command(args, out);
  return nlohmann::json::parse(out.str());
}

TEST(RunFusionTest, EverySettingGivesTheSameExpectationAndGradient) {
  // 12 qubits: auto fuses (from 10 qubits on), 2..5 force blocks, off runs gate by gate.
  const std::vector<std::string> circuit = {"--circuit", "layers", "--qubits", "12", "--depth", "3",
                                            "--observable", "Z0 + 0.5*X3 Y7 - Z11", "--threads", "1"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = circuit;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_json(args);
  };
  const nlohmann::json e_off = with({"--output", "expectation", "--fusion", "off"});
  const nlohmann::json g_off = with({"--output", "gradient", "--fusion", "off"});
  ASSERT_EQ(g_off["gradient"].size(), 72U);
  for (const char* fusion : {"auto", "2", "3", "4", "5"}) {
    SCOPED_TRACE(fusion);
    const nlohmann::json e = with({"--output", "expectation", "--fusion", fusion});
    EXPECT_NEAR(e["expectation"].get<double>(), e_off["expectation"].get<double>(), 1e-12);
    const nlohmann::json g = with({"--output", "gradient", "--fusion", fusion});
    EXPECT_NEAR(g["expectation"].get<double>(), g_off["expectation"].get<double>(), 1e-12);
    for (const auto& [name, value] : g_off["gradient"].items())
      EXPECT_NEAR(g["gradient"][name].get<double>(), value.get<double>(), 1e-12) << name;
  }
}

TEST(RunFusionTest, BadValuesAreUsageErrors) {
  for (const char* bad : {"1", "6", "0", "x", "33", ""}) {
    SCOPED_TRACE(bad);
    std::ostringstream out;
    try {
      run_command({"--circuit", "ghz", "--qubits", "3", "--fusion", bad}, out);
      ADD_FAILURE() << "no UsageError";
    } catch (const UsageError& e) {
      EXPECT_THAT(e.what(), HasSubstr("for --fusion: expected auto, off or a block size from 2 to 5 (qubits)"));
    }
  }
}

}  // namespace
}  // namespace qmlsim::cli

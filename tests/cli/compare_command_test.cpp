#include "cli/compare_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/compare_options.hpp"
#include "cli/options.hpp"
#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::run_qmlsim;
using qmlsim::testing::TempDir;

// The UsageError message of `qmlsim compare <args>`, or "(no UsageError)".
std::string compare_usage_error(const std::vector<std::string>& args) {
  std::ostringstream out;
  try {
    compare_command(args, out);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no UsageError)";
}

TEST(CompareCommandTest, UnknownModelNamesTheValidOnes) {
  const std::string m = compare_usage_error({"--models", "qsvc,svm"});
  EXPECT_THAT(m, HasSubstr("unknown model 'svm' (valid: qsvc"));
  EXPECT_THAT(m, HasSubstr("svm-rbf"));
}

TEST(CompareCommandTest, ModelListTakesParametersAfterEachName) {
  const std::vector<qml::ModelConfig> models = parse_model_list("qsvc:C=10,feature_map=zz:reps=2,svm-rbf,logreg:C=0.1");
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].name, "qsvc:C=10,feature_map=zz:reps=2");
  EXPECT_EQ(models[0].type, "qsvc");
  ASSERT_EQ(models[0].params.size(), 2u);
  EXPECT_EQ(models[0].params[1], (std::pair<std::string, std::string>{"feature_map", "zz:reps=2"}));
  EXPECT_EQ(models[1].name, "svm-rbf");
  EXPECT_TRUE(models[1].params.empty());
  EXPECT_EQ(models[2].params[0].second, "0.1");
}

TEST(CompareCommandTest, ModelListRefusesDuplicatesEmptyItemsAndOrphanParameters) {
  EXPECT_THAT(compare_usage_error({"--models", "qsvc,qsvc"}), HasSubstr("model 'qsvc' appears twice"));
  EXPECT_THAT(compare_usage_error({"--models", "qsvc,,logreg"}), HasSubstr("empty item"));
  EXPECT_THAT(compare_usage_error({"--models", "C=1,qsvc"}), HasSubstr("parameter 'C=1' before any model"));
  EXPECT_THAT(compare_usage_error({"--models", "svm-rbf:c=1"}), HasSubstr("unknown parameter 'c' (valid: C, gamma"));
}

TEST(CompareCommandTest, BadOptionValuesAreUsageErrors) {
  EXPECT_THAT(compare_usage_error({"--folds", "1"}), HasSubstr("invalid value '1' for --folds"));
  EXPECT_THAT(compare_usage_error({"--folds", "five"}), HasSubstr("expected an integer"));
  EXPECT_THAT(compare_usage_error({"--format", "xml"}), HasSubstr("expected table, csv or json"));
  EXPECT_THAT(compare_usage_error({"--search", "random"}), HasSubstr("expected none or grid"));
  EXPECT_THAT(compare_usage_error({"--sweep-features", "8:2"}), HasSubstr("stop 2 is below start 8"));
  EXPECT_THAT(compare_usage_error({"--sweep-features", "2:x"}), HasSubstr("'x' is not an integer"));
  EXPECT_THAT(compare_usage_error({"--sweep-features", "2:8:2"}), HasSubstr("6 features, but the data has 4"));
  EXPECT_THAT(compare_usage_error({"--preprocess", "scale"}), HasSubstr("--preprocess"));
  EXPECT_THAT(compare_usage_error({"--models", "qsvc,svr-rbf"}), HasSubstr("mix classifiers (qsvc) and regressors (svr-rbf)"));
}

TEST(CompareCommandTest, MissingFilesFailBeforeTheRun) {
  const TempDir dir;
  const auto missing = run_qmlsim(dir, "compare --dataset missing.csv");
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("missing.csv"));
  EXPECT_TRUE(missing.out.empty());
  const auto plot = run_qmlsim(dir, "compare --plot nowhere/compare.png");
  EXPECT_EQ(plot.exit_code, 3);
  EXPECT_THAT(plot.err, HasSubstr("directory nowhere does not exist"));
  const auto usage = run_qmlsim(dir, "compare --models svm");
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("qmlsim compare: error: --models: unknown model 'svm'"));
}

TEST(CompareCommandTest, ConfigErrorsNameTheFileAndTheJsonPointer) {
  const TempDir dir;
  const auto error_of = [&](const std::string& json) -> std::string {
    const std::string file = dir.write("config.json", json);
    try {
      (void)read_compare_config(file);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_THAT(error_of(R"({"models": [{"type": "qsvc", "parms": {}}]})"),
              HasSubstr("config.json: /models/0/parms: unknown key (valid: name, type, params, grid)"));
  EXPECT_THAT(error_of(R"({"models": [{"type": "svm"}]})"), HasSubstr("/models/0/type: unknown model 'svm' (valid:"));
  EXPECT_THAT(error_of(R"({"models": [{"name": "a"}]})"), HasSubstr("/models/0/type: missing"));
  EXPECT_THAT(error_of(R"({"models": [{"type": "qsvc", "params": {"C": [1]}}]})"),
              HasSubstr("/models/0/params/C: expected a string, number or boolean"));
  EXPECT_THAT(error_of(R"({"models": [{"type": "qsvc"}, {"type": "qsvc"}]})"), HasSubstr("/models/1/name: model 'qsvc' appears twice"));
  EXPECT_THAT(error_of(R"({"models": [{"type": "svm-rbf", "grid": {"C": []}}]})"),
              HasSubstr("/models/0/grid/C: expected a non-empty array"));
  EXPECT_THAT(error_of(R"({"folds": 1})"), HasSubstr("/folds: expected an integer in [2, 1000]"));
  EXPECT_THAT(error_of(R"({"search": "random"})"), HasSubstr("/search: expected \"grid\" or \"none\""));
  EXPECT_THAT(error_of(R"({"fold": 5})"), HasSubstr("/fold: unknown key"));
  EXPECT_THAT(error_of("{\"folds\": 5,\n  \"seed\": }"), HasSubstr("config.json:2:"));
  EXPECT_THAT(error_of("{}"), "(no error)");
}

TEST(CompareCommandTest, ConfigGivesModelsParametersGridsAndSettings) {
  const TempDir dir;
  const std::string file = dir.write("c.json", R"({"models": [{"name": "deep", "type": "qsvc", "params": {"C": 10, "reps": 2},
      "grid": {"C": [0.1, 1, "10"]}}, {"type": "svm-rbf"}], "folds": 4, "search": "grid", "seed": 7,
      "importance": true, "sweep_features": [2, 3]})");
  const CompareConfig c = read_compare_config(file);
  ASSERT_EQ(c.models.size(), 2u);
  EXPECT_EQ(c.models[0].name, "deep");
  EXPECT_EQ(c.models[0].params, (std::vector<std::pair<std::string, std::string>>{{"C", "10"}, {"reps", "2"}}));
  EXPECT_EQ(c.models[1].name, "svm-rbf");
  ASSERT_EQ(c.grids.at("deep").size(), 1u);
  EXPECT_EQ(c.grids.at("deep")[0].values, (std::vector<std::string>{"0.1", "1", "10"}));
  EXPECT_EQ(c.folds, 4);
  EXPECT_EQ(c.search, true);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.sweep_features, (std::vector<int>{2, 3}));
  // Options given on the command line win over the file; --models and the file's models exclude each other.
  CompareText t;
  const po::options_description desc = describe_compare(t);
  const po::variables_map vm = parse_command_line({"--config", file, "--folds", "3"}, desc);
  const CompareRequest r = compare_request(t, vm);
  EXPECT_EQ(r.options.folds, 3);
  EXPECT_TRUE(r.options.search);
  EXPECT_EQ(r.seed, 7u);
  EXPECT_EQ(r.options.context.seed, 7u);
  EXPECT_THAT(compare_usage_error({"--config", file, "--models", "qsvc"}), HasSubstr("exclude each other"));
}

// Runs the real protocol (needs run_comparison and the models: fails against wp-e1's stub).
TEST(CompareCommandTest, TinyEndToEndRunPrintsOneJsonRowPerModel) {
  const TempDir dir;
  const auto r = run_qmlsim(dir, "compare --dataset moons:samples=40 --models qsvc-z,svm-rbf,logreg --folds 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["rows"].size(), 3u);
  for (const auto& row : j["rows"]) {
    EXPECT_GE(row["accuracy_mean"].get<double>(), 0.5);
    EXPECT_TRUE(row["kind"] == "quantum" || row["kind"] == "classical");
  }
  EXPECT_EQ(j["rows"][0]["accuracy_mean"].get<double>() >= j["rows"][2]["accuracy_mean"].get<double>(), true);
  EXPECT_EQ(j["protocol"]["folds"], 3);
  EXPECT_FALSE(j["summary"].get<std::string>().empty());
}

}  // namespace
}  // namespace qmlsim::cli

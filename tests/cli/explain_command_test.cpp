#include "cli/explain_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::Invocation;
using qmlsim::testing::run_qmlsim;
using qmlsim::testing::TempDir;

// Three classes told apart by f0 alone; f1 and f2 are deterministic noise unrelated to the class.
void write_one_feature_problem(const TempDir& dir) {
  std::string train = "f0,f1,f2,kind\n", test = "f0,f1,f2,kind\n";
  const char* names[] = {"alpha", "beta", "gamma"};
  for (int i = 0; i < 90; ++i) {
    const int c = i % 3;
    const std::string row = std::to_string(c + 0.2 * std::sin(0.37 * i)) + "," + std::to_string(std::sin(1.7 * i)) +
                            "," + std::to_string(std::cos(2.3 * i)) + "," + names[c] + "\n";
    (i < 60 ? train : test) += row;
  }
  dir.write("train.csv", train);
  dir.write("test.csv", test);
}

TEST(ExplainCommandTest, UsageErrors) {
  const TempDir dir;
  Invocation r = run_qmlsim(dir, "explain --data x.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("give the model: --model FILE.json"));
  EXPECT_TRUE(r.out.empty());
  r = run_qmlsim(dir, "explain --model m.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("give the labelled rows: --data FILE.csv"));
  r = run_qmlsim(dir, "explain --model m.json --data x.csv --repeats 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--repeats"));
  r = run_qmlsim(dir, "explain --model m.json --data x.csv --format xml");
  EXPECT_EQ(r.exit_code, 2);
  r = run_qmlsim(dir, "explain --model m.json --data x.csv --plot missing/p.png");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("directory missing does not exist"));
  r = run_qmlsim(dir, "explain --model m.json --data x.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("m.json"));
}

TEST(ExplainCommandTest, HelpDescribesTheCommand) {
  const TempDir dir;
  const Invocation r = run_qmlsim(dir, "explain --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Usage: qmlsim explain --model model.json --data FILE.csv"));
  EXPECT_THAT(r.out, HasSubstr("--repeats"));
  EXPECT_THAT(r.out, HasSubstr("permutation importance"));
  EXPECT_THAT(run_qmlsim(dir, "--help").out, HasSubstr("explain"));
}

// A saved classical SVM on data where only f0 matters: f0 comes first with a large drop, the
// noise features near nothing; the baseline is predict's accuracy; the result depends on the seed
// only (not on the thread count); bad files give clear messages.
TEST(ExplainCommandTest, RanksTheFeatureTheModelUsesFirst) {
  const TempDir dir;
  write_one_feature_problem(dir);
  ASSERT_EQ(run_qmlsim(dir, "train --model svm-rbf --train train.csv --label kind --save m.json").exit_code, 0);
  const Invocation r = run_qmlsim(dir, "explain --model m.json --data test.csv --repeats 5 --seed 3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  const Invocation predicted = run_qmlsim(dir, "predict --model m.json --data test.csv --format json");
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_EQ(json["baseline"].get<double>(), nlohmann::json::parse(predicted.out)["accuracy"].get<double>());
  EXPECT_GT(json["baseline"].get<double>(), 0.9);
  EXPECT_EQ(json["metric"], "accuracy");
  EXPECT_EQ(json["model"], "svm-rbf");
  EXPECT_EQ(json["repeats"], 5);
  ASSERT_EQ(json["features"].size(), 3U);
  EXPECT_EQ(json["features"][0]["feature"], "f0");
  const double top = json["features"][0]["importance"].get<double>();
  EXPECT_GT(top, 0.3);
  for (int i = 1; i < 3; ++i) EXPECT_LT(json["features"][i]["importance"].get<double>(), top / 2) << i;
  EXPECT_GE(json["features"][1]["importance"].get<double>(), json["features"][2]["importance"].get<double>());

  EXPECT_EQ(run_qmlsim(dir, "explain --model m.json --data test.csv --seed 3 --threads 1").out,
            run_qmlsim(dir, "explain --model m.json --data test.csv --seed 3 --threads 2").out);
  const Invocation table = run_qmlsim(dir, "explain --model m.json --data test.csv --format table");
  EXPECT_THAT(table.out, HasSubstr("feature  importance"));
  EXPECT_THAT(table.out, HasSubstr("baseline accuracy"));
  EXPECT_THAT(run_qmlsim(dir, "explain --model m.json --data test.csv --format csv").out,
              HasSubstr("feature,importance,std\nf0,"));

  dir.write("renamed.csv", "f0,g1,f2,kind\n0,0,0,alpha\n1,0,0,beta\n");
  Invocation bad = run_qmlsim(dir, "explain --model m.json --data renamed.csv");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("column 2 is 'g1', but the training rows have 'f1' there"));
  dir.write("unlabelled.csv", "f0,f1,f2\n0,0,0\n1,0,0\n");
  bad = run_qmlsim(dir, "explain --model m.json --data unlabelled.csv");
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_THAT(bad.err, HasSubstr("explain needs labels"));
}

}  // namespace
}  // namespace qmlsim::cli

#include "cli/qnn_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "simulator/core/errors.hpp"
#include "simulator/core/types.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using qmlsim::testing::read_file;
using qmlsim::testing::TempDir;

TEST(QnnOptionsTest, InitialPointFromAListTakesNumbersAndMultiplesOfPi) {
  EXPECT_THAT(parse_initial_point("0.5,-1e-3,pi/2"), ElementsAre(0.5, -1e-3, kPi / 2));
  try {
    (void)parse_initial_point("0.5,abc");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("'abc' for --initial-point (value 2)"));
  }
}

TEST(QnnOptionsTest, InitialPointFromAFileNamesTheBadPosition) {
  TempDir dir;
  dir.write("init.txt", "# Qiskit's first point\n0.25, 0.5\n 0.75 pi\n");
  EXPECT_THAT(parse_initial_point((dir.path() / "init.txt").string()), ElementsAre(0.25, 0.5, 0.75, kPi));
  dir.write("bad.txt", "0.25\n0.5 x1\n");
  const std::string path = (dir.path() / "bad.txt").string();
  try {
    (void)parse_initial_point(path);
    FAIL() << "no error";
  } catch (const DatasetError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":2:5: 'x1' is not a number");
  }
  dir.write("empty.txt", "# nothing\n");
  EXPECT_THROW((void)parse_initial_point((dir.path() / "empty.txt").string()), DatasetError);
  EXPECT_THROW((void)parse_initial_point((dir.path() / "missing.txt").string()), DatasetError);
}

TEST(QnnOptionsTest, LogFilesAreCsvOrJsonLines) {
  EXPECT_NO_THROW(check_log_path("a/log.csv"));
  EXPECT_NO_THROW(check_log_path("log.jsonl"));
  try {
    check_log_path("log.txt");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("ending in .csv or .jsonl"));
  }
}

std::vector<qml::TrainingRecord> two_records() {
  qml::TrainingRecord a;
  a.iteration = 0;
  a.loss = 1.5;
  a.train_metric = 0.25;
  a.evaluations = 1;
  qml::TrainingRecord b = a;
  b.iteration = 1;
  b.loss = 0.75;
  b.train_metric = 0.5;
  b.validation_metric = 0.625;
  b.gradient_norm = 2.0;
  b.step_size = 0.125;
  b.evaluations = 2;
  b.seconds = 0.5;
  return {a, b};
}

TEST(QnnOptionsTest, TrainingLogAsCsvHasOneRowPerIterationAndEmptyUntrackedCells) {
  TempDir dir;
  const std::string path = (dir.path() / "log.csv").string();
  write_training_log(path, two_records(), "accuracy");
  EXPECT_EQ(read_file(path),
            "iteration,loss,train_accuracy,validation_accuracy,gradient_norm,step,evaluations,seconds\n"
            "0,1.5,0.25,,0,0,1,0\n"
            "1,0.75,0.5,0.625,2,0.125,2,0.5\n");
}

TEST(QnnOptionsTest, TrainingLogAsJsonLinesParsesRecordByRecord) {
  TempDir dir;
  const std::string path = (dir.path() / "log.jsonl").string();
  write_training_log(path, two_records(), "r2");
  std::istringstream in(read_file(path));
  std::string line;
  std::vector<nlohmann::json> lines;
  while (std::getline(in, line)) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["iteration"], 1);
  EXPECT_EQ(lines[1]["validation_r2"], 0.625);
  EXPECT_EQ(lines[1]["loss"], 0.75);
  EXPECT_TRUE(lines[0]["validation_r2"].is_null());  // not tracked: null, not a number
}

TEST(QnnOptionsTest, ProgressIsSilentWhenDisabled) {
  TrainingProgress progress(false, 10, "accuracy");
  ::testing::internal::CaptureStderr();
  EXPECT_FALSE(progress(two_records()[1]));
  progress.finish();
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(QnnOptionsTest, ProgressDrawsOneLineWithLossRateAndEta) {
  ::testing::internal::CaptureStderr();
  {
    TrainingProgress progress(true, 4, "accuracy");
    EXPECT_FALSE(progress(two_records()[1]));
  }
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("1/4  loss 0.75  accuracy 0.500  val 0.625  2.0 it/s  ETA 2 s"));
  EXPECT_EQ(err.back(), '\n');
}

}  // namespace
}  // namespace qmlsim::cli

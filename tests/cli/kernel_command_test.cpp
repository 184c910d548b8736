#include "cli/kernel_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::TempDir;

nlohmann::ordered_json kernel_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  std::ostringstream out;
  kernel_command(args, out);
  return nlohmann::ordered_json::parse(out.str());
}

std::vector<std::vector<double>> read_matrix(const std::string& path) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(qmlsim::testing::read_file(path));
  for (std::string line; std::getline(in, line);) {
    std::vector<double> row;
    std::istringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) row.push_back(std::stod(f));
    rows.push_back(row);
  }
  return rows;
}

TEST(KernelCommandTest, PrintsSizeTimingAndDiagnosticsAndWritesTheMatrices) {
  const TempDir dir;
  const std::string gram = (dir.path() / "k.csv").string(), cross = (dir.path() / "kx.csv").string();
  const auto j = kernel_json({"--dataset", "ad_hoc", "--feature-map", "zz:entanglement=linear", "--gram-out", gram,
                              "--cross-out", cross});
  EXPECT_EQ(j["train_samples"], 40);
  EXPECT_EQ(j["test_samples"], 10);
  EXPECT_EQ(j["qubits"], 2);
  for (const char* key : {"seconds", "state_seconds", "product_seconds", "gflops", "alignment", "offdiag_mean",
                          "offdiag_variance", "min_eigenvalue", "geometric_difference"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_GT(j["alignment"].get<double>(), 0.0);
  EXPECT_GE(j["min_eigenvalue"].get<double>(), -1e-10);

  const auto k = read_matrix(gram);
  ASSERT_EQ(k.size(), 40u);
  for (std::size_t i = 0; i < k.size(); ++i) {
    ASSERT_EQ(k[i].size(), 40u);
    EXPECT_EQ(k[i][i], 1.0);
    for (std::size_t c = 0; c < i; ++c) {
      EXPECT_EQ(k[i][c], k[c][i]);
      EXPECT_GE(k[i][c], 0.0);
      EXPECT_LE(k[i][c], 1.0 + 1e-12);
    }
  }
  const auto kx = read_matrix(cross);
  ASSERT_EQ(kx.size(), 10u);
  EXPECT_EQ(kx[0].size(), 40u);
}

TEST(KernelCommandTest, ProjectedKernelReportsItsFittedGamma) {
  const auto j = kernel_json({"--dataset", "iris", "--feature-map", "angle", "--kernel", "projected"});
  EXPECT_THAT(j["kernel"].get<std::string>(), HasSubstr("projected:gamma="));
  const auto given = kernel_json({"--dataset", "iris", "--feature-map", "angle", "--kernel", "projected", "--gamma", "0.5"});
  EXPECT_EQ(given["kernel"], "projected:gamma=0.5");
}

TEST(KernelCommandTest, SpectralDiagnosticsAreSkippedOnRequestAndForLargeSets) {
  const auto basic = kernel_json({"--dataset", "moons:samples=40", "--feature-map", "angle", "--diagnostics", "basic"});
  EXPECT_TRUE(basic["min_eigenvalue"].is_null());
  EXPECT_TRUE(basic["geometric_difference"].is_null());
  EXPECT_TRUE(basic["alignment"].is_number());
  const auto large = kernel_json({"--dataset", "moons:samples=700", "--feature-map", "angle"});
  EXPECT_TRUE(large["geometric_difference"].is_null());
  const auto full = kernel_json({"--dataset", "moons:samples=40", "--feature-map", "angle"});
  EXPECT_GT(full["geometric_difference"].get<double>(), 0.0);
}

TEST(KernelCommandTest, RegressionTargetsAreAlignedAsNumbers) {
  const TempDir dir;
  std::string csv = "x,y\n";
  for (int i = 0; i < 30; ++i) csv += std::to_string(0.1 * i) + "," + std::to_string(std::sin(0.3 * i)) + "\n";
  const std::string file = dir.write("reg.csv", csv), gram = (dir.path() / "k.csv").string();
  const auto j = kernel_json({"--train", file, "--feature-map", "angle", "--regression", "--gram-out", gram});
  EXPECT_EQ(j["train_samples"], 30);
  // The alignment with the centred targets, from the written matrix: <K, t t^T> / (||K|| ||t t^T||).
  const auto k = read_matrix(gram);
  std::vector<double> t;
  for (int i = 0; i < 30; ++i) t.push_back(std::stod(std::to_string(std::sin(0.3 * i))));  // as written above
  double mean = 0.0;
  for (double v : t) mean += v / 30.0;
  double num = 0.0, kk = 0.0, tt = 0.0;
  for (int a = 0; a < 30; ++a)
    for (int b = 0; b < 30; ++b) {
      const double yy = (t[a] - mean) * (t[b] - mean);
      num += k[a][b] * yy;
      kk += k[a][b] * k[a][b];
      tt += yy * yy;
    }
  EXPECT_NEAR(j["alignment"].get<double>(), num / std::sqrt(kk * tt), 1e-12);
}

TEST(KernelCommandTest, SameSeedSameMatrixOnOneAndTwoThreads) {
  const TempDir dir;
  const std::string a = (dir.path() / "a.csv").string(), b = (dir.path() / "b.csv").string();
  (void)kernel_json({"--dataset", "wine", "--feature-map", "zz:reps=1", "--preprocess", "standard,pca:4,minmax:0:pi",
                     "--threads", "1", "--gram-out", a});
  (void)kernel_json({"--dataset", "wine", "--feature-map", "zz:reps=1", "--preprocess", "standard,pca:4,minmax:0:pi",
                     "--threads", "2", "--gram-out", b});
  EXPECT_EQ(qmlsim::testing::read_file(a), qmlsim::testing::read_file(b));
}

TEST(KernelCommandTest, PlotsAHeatMap) {
  const TempDir dir;
  const auto r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset moons:samples=30 --feature-map angle --plot gram.png");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(qmlsim::testing::is_png(dir.path() / "gram.png"));
}

TEST(KernelCommandTest, BadInputExitsWithAClearMessageAndWritesNothing) {
  const TempDir dir;
  dir.write("bad.csv", "a,b,label\n1,2,0\n3,x,1\n");
  auto r = qmlsim::testing::run_qmlsim(dir, "kernel --train bad.csv --feature-map z --gram-out k.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("bad.csv:3:3:"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "k.csv"));

  r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset iris --feature-map zzz");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("unknown feature map 'zzz'"));

  r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset iris --cross-out kx.csv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--cross-out needs test rows"));

  r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset iris --kernel gaussian");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("expected fidelity or projected"));

  r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset iris --feature-map zz:qubits=3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("4 features"));
}

TEST(KernelCommandTest, RefusesAKernelLargerThanTheMemoryCapWithTheEstimate) {
  const TempDir dir;
  const auto r = qmlsim::testing::run_qmlsim(dir, "kernel --dataset breast_cancer --preprocess standard,pca:20,minmax:0:pi "
                                                  "--feature-map z --max-memory 1M");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("1.0 MiB allowed by the memory limit"));
}

}  // namespace
}  // namespace qmlsim::cli

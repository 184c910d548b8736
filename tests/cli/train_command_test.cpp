#include "cli/train_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::TempDir;

nlohmann::ordered_json train_json(std::vector<std::string> args) {
  args.insert(args.end(), {"--format", "json"});
  std::ostringstream out;
  train_command(args, out);
  return nlohmann::ordered_json::parse(out.str());
}

// The issue's first "done" criterion: Qiskit ML's ad hoc tutorial (2 features, gap 0.3, 20
// training and 5 test samples per class), zz reps 2 linear, C = 1 classifies the test rows
// perfectly. qmlsim's Rng draws other points than numpy, so several seeds are checked.
TEST(TrainCommandTest, AdHocDataIsLearnedPerfectlyByTheZZKernel) {
  for (const char* seed : {"1", "2", "3", "4", "5"}) {
    const auto j = train_json({"--model", "qsvc", "--dataset", "ad_hoc", "--feature-map", "zz:reps=2,entanglement=linear",
                               "--C", "1", "--preprocess", "none", "--seed", seed});
    EXPECT_EQ(j["train_samples"], 40);
    EXPECT_EQ(j["test_samples"], 10);
    EXPECT_EQ(j["test_accuracy"].get<double>(), 1.0) << "seed " << seed;
  }
}

// The second: iris, stratified 70/30, standard then minmax to [0, pi], 4 qubits: the z kernel's
// test accuracy is within 0.05 of the RBF SVM's on the same split.
TEST(TrainCommandTest, IrisZKernelMatchesTheRbfSvmOnTheSameSplit) {
  for (const char* seed : {"1", "2", "3"}) {
    const auto quantum = train_json({"--model", "qsvc", "--dataset", "iris", "--test-size", "0.3", "--feature-map", "z",
                                     "--preprocess", "standard,minmax:0:pi", "--seed", seed});
    const auto classical = train_json({"--model", "svm-rbf", "--dataset", "iris", "--test-size", "0.3",
                                       "--preprocess", "standard,minmax:0:pi", "--seed", seed});
    EXPECT_EQ(quantum["test_samples"], 45);
    EXPECT_NEAR(quantum["test_accuracy"].get<double>(), classical["test_accuracy"].get<double>(), 0.05 + 1e-12)
        << "seed " << seed;
    EXPECT_GE(classical["test_accuracy"].get<double>(), 0.85);
  }
}

TEST(TrainCommandTest, ReportsTheIssuesKeys) {
  const auto j = train_json({"--model", "qsvc", "--dataset", "moons:samples=60", "--test-size", "0.25",
                             "--feature-map", "angle:rotation=y"});
  for (const char* key : {"train_accuracy", "test_accuracy", "n_support", "seconds", "kernel_seconds", "preprocess"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_GT(j["n_support"].get<int>(), 0);
  EXPECT_EQ(j["preprocess"], "standard,minmax:0:pi");
}

TEST(TrainCommandTest, RegressionModelsFitASmoothFunction) {
  const TempDir dir;
  std::string csv = "x,y\n";
  for (int i = 0; i < 40; ++i) {
    const double x = -1.0 + 2.0 * i / 39.0;
    csv += std::to_string(x) + "," + std::to_string(std::sin(2.0 * x)) + "\n";
  }
  const std::string file = dir.write("wave.csv", csv);
  const std::vector<std::vector<std::string>> runs = {
      {"--model", "qkrr", "--feature-map", "angle:rotation=y", "--alpha", "0.001"},
      {"--model", "qsvr", "--feature-map", "angle:rotation=y", "--C", "10", "--epsilon", "0.01"},
      {"--model", "svr-rbf", "--C", "10", "--epsilon", "0.01"}};
  for (std::vector<std::string> args : runs) {
    args.insert(args.end(), {"--train", file});
    const auto j = train_json(args);
    EXPECT_GT(j["train_r2"].get<double>(), 0.9) << args[1];
    EXPECT_TRUE(j.contains("train_mse")) << args[1];
  }
}

TEST(TrainCommandTest, OneClassFlagsFarOutliers) {
  const TempDir dir;
  std::string train = "a,b,label\n";
  for (int i = 0; i < 30; ++i)
    train += std::to_string(0.1 * (i % 6)) + "," + std::to_string(0.1 * (i / 6)) + ",normal\n";
  const std::string test = dir.write("test.csv", "a,b,label\n0.2,0.2,normal\n3,3,odd\n");
  const auto j = train_json({"--model", "qoneclass", "--train", dir.write("train.csv", train), "--test", test,
                             "--feature-map", "angle:rotation=y", "--nu", "0.1", "--preprocess", "none"});
  EXPECT_LE(j["train_outlier_fraction"].get<double>(), 0.3);
  EXPECT_EQ(j["test_outlier_fraction"].get<double>(), 0.5);
}

TEST(TrainCommandTest, BadOptionsNameTheValidValues) {
  const TempDir dir;
  auto r = qmlsim::testing::run_qmlsim(dir, "train --model qsvm --dataset iris");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("qsvc, qsvr, qkrr, qoneclass, svm-rbf, svr-rbf"));
  r = qmlsim::testing::run_qmlsim(dir, "train --dataset iris --C -1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--C"));
  r = qmlsim::testing::run_qmlsim(dir, "train --dataset iris --preprocess scale");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("standard, minmax:LO:HI, pca:K, none"));
  r = qmlsim::testing::run_qmlsim(dir, "train --model qoneclass --dataset iris --nu 5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("nu 5 out of range (0, 1]"));
  r = qmlsim::testing::run_qmlsim(dir, "train --dataset iris --test-size 1.5");
  EXPECT_EQ(r.exit_code, 2);
  r = qmlsim::testing::run_qmlsim(dir, "train --dataset nosuchset");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("iris"));
  r = qmlsim::testing::run_qmlsim(dir, "train --model qkrr --dataset iris");
  EXPECT_EQ(r.exit_code, 2);
  r = qmlsim::testing::run_qmlsim(dir, "train --dataset iris --shots 1000000000");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--shots"));
}

// Options the chosen model would ignore are refused, not silently dropped.
TEST(TrainCommandTest, OptionsThatDoNotApplyToTheModelAreUsageErrors) {
  const TempDir dir;
  for (const char* args : {"--model svm-rbf --feature-map zz", "--model svm-rbf --psd", "--model qsvc --alpha 2",
                           "--model qsvc --nu 0.2", "--model qoneclass --probability", "--model qkrr --C 3",
                           "--model qsvc --gamma 0.5"}) {
    const auto r = qmlsim::testing::run_qmlsim(dir, std::string("train --dataset iris ") + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_THAT(r.err, HasSubstr("does not apply to --model")) << args;
  }
  EXPECT_EQ(qmlsim::testing::run_qmlsim(dir, "train --model qsvc --dataset moons:samples=20 --kernel projected "
                                            "--gamma 0.5 --feature-map angle").exit_code,
            0);
}

// ---- Variational models -------------------------------------------------------------------

// Qiskit ML's iris tutorial, as the issue's "done" criterion states it: the tutorial's split
// (already scaled to [0, 1]), ZZFeatureMap reps 1, RealAmplitudes reps 3 (16 weights), the
// modulo readout with Qiskit's base-2 cross-entropy, COBYLA for 100 evaluations, from Qiskit's
// default first point (numpy's default_rng(123).random(16)). The first record of --log is the loss
// at that point: Qiskit's 1.746721.
const char* kQiskitFirstPoint =
    "0.6823518632481435,0.053821018802222675,0.22035987277261138,0.1843718106986697,"
    "0.17590590108503035,0.8120945066557737,0.9233449980270564,0.27657439779710624,"
    "0.8197545615930021,0.8898926931111859,0.5129704552295319,0.24496460106879647,"
    "0.8242415960974113,0.21376296337509548,0.7414670522347097,0.6299402045896808";

std::string iris_tutorial_args() {
  const std::string data = std::string(QMLSIM_SOURCE_DIR) + "/qml/data/builtin/iris_qiskit_tutorial_";
  return "train --model vqc --train '" + data + "train.csv' --test '" + data +
         "test.csv' --feature-map zz:reps=1 --ansatz real-amplitudes:reps=3 --readout modulo"
         " --loss cross-entropy-log2 --optimizer cobyla --maxiter 100 --preprocess none --initial-point " +
         kQiskitFirstPoint;
}

TEST(TrainCommandTest, QiskitIrisTutorialStartsAtQiskitsLossAndLearns) {
  const TempDir dir;
  const auto r = qmlsim::testing::run_qmlsim(dir, iris_tutorial_args() + " --log log.csv --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(j["weights"], 16);
  EXPECT_EQ(j["qubits"], 4);
  EXPECT_EQ(j["train_samples"], 120);
  EXPECT_EQ(j["test_samples"], 30);
  EXPECT_LE(j["evaluations"].get<int>(), 100);
  EXPECT_GE(j["test_accuracy"].get<double>(), 0.8);  // the issue's bound (SciPy's COBYLA: 0.87)
  std::istringstream log(qmlsim::testing::read_file(dir.path() / "log.csv"));
  std::string header, first;
  std::getline(log, header);
  std::getline(log, first);
  EXPECT_EQ(header, "iteration,loss,train_accuracy,validation_accuracy,gradient_norm,step,evaluations,seconds");
  EXPECT_EQ(first.substr(0, 2), "0,");
  EXPECT_NEAR(std::stod(first.substr(2)), 1.746721, 1e-6);
}

// The same seed gives the same model file, bit for bit, on one thread and on two.
TEST(TrainCommandTest, VariationalModelFilesAreIdenticalOnOneAndTwoThreads) {
  const TempDir dir;
  const std::string args = "train --model vqc --dataset moons:samples=40 --feature-map angle:rotation=y "
                           "--ansatz real-amplitudes:reps=1 --optimizer adam:lr=0.1 --maxiter 5 --seed 7 --save ";
  ASSERT_EQ(qmlsim::testing::run_qmlsim(dir, args + "one.json --threads 1").exit_code, 0);
  ASSERT_EQ(qmlsim::testing::run_qmlsim(dir, args + "two.json --threads 2").exit_code, 0);
  const std::string one = qmlsim::testing::read_file(dir.path() / "one.json");
  EXPECT_THAT(one, HasSubstr("\"vqc\""));
  EXPECT_EQ(one, qmlsim::testing::read_file(dir.path() / "two.json"));
}

// --resume continues from the saved weights: the first record of the resumed run is the last loss
// of the first run's weights, so training goes on instead of starting again.
TEST(TrainCommandTest, ResumeContinuesFromTheSavedWeights) {
  const TempDir dir;
  const std::string data = "--dataset moons:samples=40 ";
  auto r = qmlsim::testing::run_qmlsim(dir, "train --model vqc " + data + "--seed 3 " +
                                                "--feature-map angle:rotation=y --ansatz real-amplitudes:reps=1 "
                                                "--optimizer adam:lr=0.1 --maxiter 6 --save m.json --log a.jsonl "
                                                "--format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = qmlsim::testing::run_qmlsim(dir, "train --resume m.json " + data + "--maxiter 3 --log b.jsonl --save m2.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = [&](const char* name) {
    std::vector<nlohmann::json> out;
    std::istringstream in(qmlsim::testing::read_file(dir.path() / name));
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  };
  const auto a = lines("a.jsonl"), b = lines("b.jsonl");
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_LT(b.front()["loss"].get<double>(), a.front()["loss"].get<double>());
  EXPECT_GT(b.front()["iteration"].get<int>(), 0);  // iterations continue the saved count
  // The circuit is the file's: circuit options are refused with --resume.
  r = qmlsim::testing::run_qmlsim(dir, "train --resume m.json " + data + "--ansatz efficient-su2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--ansatz does not apply with --resume"));
  // The seed is the file's: the same rows train and test (a new seed would move rows across).
  r = qmlsim::testing::run_qmlsim(dir, "train --resume m.json " + data + "--seed 4");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--seed does not apply with --resume"));
  EXPECT_THAT(qmlsim::testing::read_file(dir.path() / "m2.json"), HasSubstr("\"seed\":3,"));
  // A kernel machine's file is not a variational model to continue.
  ASSERT_EQ(qmlsim::testing::run_qmlsim(dir, "train --model qsvc " + data + "--save k.json").exit_code, 0);
  r = qmlsim::testing::run_qmlsim(dir, "train --resume k.json " + data);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("holds a kernel machine"));
}

// Outputs are checked before training: a --save, --plot or --log into a missing directory fails at
// once, instead of after a long run. A diverged run fails instead of saving nan weights.
TEST(TrainCommandTest, OutputPathsAreCheckedFirstAndDivergenceIsAnError) {
  const TempDir dir;
  for (const char* option : {"--save", "--plot", "--log"}) {
    const auto r = qmlsim::testing::run_qmlsim(
        dir, std::string("train --model vqc --dataset moons:samples=20 ") + option + " missing/out.csv");
    EXPECT_EQ(r.exit_code, 3) << option;
    EXPECT_THAT(r.err, HasSubstr(std::string(option) + " missing/out.csv: directory missing does not exist"));
  }
  const auto r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset moons:samples=20 "
                                                  "--optimizer sgd:lr=1e300 --maxiter 5 --save nan.json");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, ::testing::AnyOf(HasSubstr("diverged"), HasSubstr("not finite")));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "nan.json"));
  // One validation row has a constant metric: early stopping would keep the initial weights.
  dir.write("reg.csv", "a,b,y\n0.1,0.2,0.5\n0.3,0.1,0.7\n0.5,0.9,0.1\n0.7,0.4,0.3\n");
  const auto v = qmlsim::testing::run_qmlsim(dir, "train --model qnn-regressor --train reg.csv --validation 0.25");
  EXPECT_EQ(v.exit_code, 3);
  EXPECT_THAT(v.err, HasSubstr("at least 2 are needed"));
}

TEST(TrainCommandTest, VariationalOptionsAreCheckedAgainstTheModel) {
  const TempDir dir;
  for (const char* args : {"--model qsvc --ansatz real-amplitudes", "--model svm-rbf --optimizer adam",
                           "--model vqc --kernel projected", "--model vqc --observable Z1",
                           "--model qnn-regressor --readout parity", "--model reupload --feature-map zz",
                           "--model vqc --probability", "--model reupload --ansatz efficient-su2",
                           "--model dressed --feature-map z", "--model qsvc-trained --loss squared-error",
                           "--model qsvc-trained --validation 0.2"}) {
    const auto r = qmlsim::testing::run_qmlsim(dir, std::string("train --dataset iris ") + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_THAT(r.err, HasSubstr("does not apply to --model")) << args;
  }
  auto r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset iris --optimizer adm");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("adam"));
  r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset iris --readout modula");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("per-class-z"));
  r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset iris --log log.txt");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(".jsonl"));
  r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset iris --initial-point 1,2,3");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("initial"));
}

// A whole model circuit from an OpenQASM file: inputs x0, x1 are the features, w0 the weight. An
// angle that evaluates to nan inside the optimizer's objective (log of a negative weight) is an
// InvalidArgument thrown through NLopt: it reaches main with its type (exit 3) and its message.
TEST(TrainCommandTest, AnErrorInsideTheObjectiveKeepsItsTypeThroughNlopt) {
  const TempDir dir;
  dir.write("model.qasm",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] x0;\ninput float[64] x1;\n"
            "input float[64] w0;\nqubit[2] q;\nry(x0) q[0];\nry(x1) q[1];\nry(log(w0)) q[0];\ncx q[0], q[1];\n");
  auto r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset moons:samples=20 --ansatz model.qasm "
                                            "--optimizer cobyla --maxiter 5 --initial-point 0.5 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["weights"], 1);
  r = qmlsim::testing::run_qmlsim(dir, "train --model vqc --dataset moons:samples=20 --ansatz model.qasm "
                                       "--optimizer cobyla --maxiter 5 --initial-point -1");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err, HasSubstr("nan"));
}

}  // namespace
}  // namespace qmlsim::cli

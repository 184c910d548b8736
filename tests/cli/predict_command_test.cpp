#include "cli/predict_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/feature_map_source.hpp"
#include "qml/data/csv.hpp"
#include "qml/models/kernel_model.hpp"
#include "qml/models/qnn_model.hpp"
#include "tests/support/invoke.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::cli {
namespace {

using ::testing::HasSubstr;
using qmlsim::testing::Invocation;
using qmlsim::testing::run_qmlsim;
using qmlsim::testing::TempDir;

// A three-class problem in 3 features, in two files (train, test) with a named label column.
void write_blobs(const TempDir& dir) {
  std::string train = "f0,f1,f2,kind\n", test = "f0,f1,f2,kind\n";
  const char* names[] = {"alpha", "beta", "gamma"};
  for (int i = 0; i < 45; ++i) {
    const int c = i % 3;
    const double a = 0.37 * i, b = 0.61 * i;
    const std::string row = std::to_string(c + 0.3 * std::sin(a)) + "," + std::to_string(2 * c + 0.3 * std::cos(b)) +
                            "," + std::to_string(0.5 * std::sin(a + b)) + "," + names[c] + "\n";
    (i < 36 ? train : test) += row;
  }
  dir.write("train.csv", train);
  dir.write("test.csv", test);
}

nlohmann::json json_of(const Invocation& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// Fits `model` on the blobs' train.csv and expects `predicted` (predict --proba's JSON on
// test.csv) to hold its labels and probabilities, bit for bit.
template <class Model>
void expect_predictions_of(Model& model, const TempDir& dir, const nlohmann::json& predicted) {
  qml::CsvOptions csv;
  csv.label_column = "kind";
  const qml::Dataset train = qml::read_csv((dir.path() / "train.csv").string(), csv).data;
  csv.class_names = train.class_names();
  const qml::Dataset test = qml::read_csv((dir.path() / "test.csv").string(), csv).data;
  model.fit(train);
  const qml::Labels labels = model.predict(test.x());
  const Eigen::MatrixXd proba = model.predict_proba(test.x());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(predicted["predictions"][i], model.class_names()[static_cast<std::size_t>(labels[i])]);
    for (Eigen::Index c = 0; c < proba.cols(); ++c)
      EXPECT_EQ(predicted["probabilities"][i][static_cast<std::size_t>(c)].get<double>(), proba(Eigen::Index(i), c));
  }
}

// train --save, then predict: the same labels and probabilities, bit for bit, as the model fitted
// in this process; and the accuracy train reported for the test file.
TEST(PredictCommandTest, SavedModelPredictsExactlyAsTheModelInProcess) {
  const TempDir dir;
  write_blobs(dir);
  const auto trained = json_of(run_qmlsim(dir, "train --model qsvc --train train.csv --test test.csv --label kind "
                                               "--feature-map zz:reps=1 --probability --seed 7 --save m.json --format json"));
  const auto predicted = json_of(run_qmlsim(dir, "predict --model m.json --data test.csv --proba --format json"));
  EXPECT_EQ(predicted["accuracy"].get<double>(), trained["test_accuracy"].get<double>());
  ASSERT_EQ(predicted["predictions"].size(), 9u);

  qml::KernelModelSpec spec;
  spec.type = "qsvc";
  spec.feature_map = {"zz", {{"reps", "1"}}};
  spec.probability = true;
  qml::KernelOptions options;
  options.seed = 7;
  qml::KernelModel model(spec, options, feature_map_factory());
  expect_predictions_of(model, dir, predicted);
  EXPECT_EQ(predicted["classes"], nlohmann::json({"alpha", "beta", "gamma"}));
}

// The same for a variational classifier: train --save, predict gives the in-process labels and
// readout probabilities bit for bit; the model file's circuit includes an OpenQASM ansatz's text.
TEST(PredictCommandTest, SavedVariationalModelPredictsExactlyAsInProcess) {
  const TempDir dir;
  write_blobs(dir);
  dir.write("ansatz.qasm", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\ninput float[64] b;\n"
                           "qubit[3] q;\nry(a) q[0];\ncx q[0], q[1];\nry(b) q[2];\ncx q[2], q[0];\n");
  const std::string args = "--model vqc --train train.csv --label kind --feature-map angle:rotation=y "
                           "--ansatz ansatz.qasm --readout per-class-z --optimizer adam:lr=0.1 --maxiter 4 --seed 5 ";
  const auto trained = json_of(run_qmlsim(dir, "train " + args + "--test test.csv --save m.json --format json"));
  EXPECT_EQ(trained["weights"], 2);
  std::filesystem::remove(dir.path() / "ansatz.qasm");  // the model file carries the circuit
  const auto predicted = json_of(run_qmlsim(dir, "predict --model m.json --data test.csv --proba --format json"));
  EXPECT_EQ(predicted["accuracy"].get<double>(), trained["test_accuracy"].get<double>());

  qml::QnnModelSpec spec;
  spec.type = "vqc";
  spec.feature_map = {"angle", {{"rotation", "y"}}};
  spec.ansatz = with_file_source({"file", {{"path", (dir.path() / "m.json").string()}, {"source",
      "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\ninput float[64] b;\n"
      "qubit[3] q;\nry(a) q[0];\ncx q[0], q[1];\nry(b) q[2];\ncx q[2], q[0];\n"}}}, "ansatz");
  spec.readout = "per-class-z";
  spec.optimizer = {"adam", {{"lr", "0.1"}}};
  spec.settings.maxiter = 4;
  spec.settings.seed = 5;
  qml::QnnModel model(spec, {}, feature_map_factory(), circuit_file_factory());
  expect_predictions_of(model, dir, predicted);
}

TEST(PredictCommandTest, AnOpenQasmFeatureMapTravelsInsideTheModelFile) {
  const TempDir dir;
  write_blobs(dir);
  dir.write("map.qasm",
            "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float a;\ninput float b;\ninput float c;\nqubit[3] q;\n"
            "h q;\nrz(a) q[0];\nrz(b) q[1];\nrz(c) q[2];\ncry(a * b) q[0], q[1];\ncrz(b * c) q[1], q[2];\n");
  const auto trained = json_of(run_qmlsim(dir, "train --model qsvc --train train.csv --test test.csv --label kind "
                                               "--feature-map map.qasm --save m.json --format json"));
  std::filesystem::remove(dir.path() / "map.qasm");
  const auto predicted = json_of(run_qmlsim(dir, "predict --model m.json --data test.csv --format json"));
  EXPECT_EQ(predicted["accuracy"].get<double>(), trained["test_accuracy"].get<double>());
}

// Without preprocessing (the ad hoc default) the model still knows its input columns.
TEST(PredictCommandTest, ModelsWithoutPreprocessingPredictFiles) {
  const TempDir dir;
  ASSERT_EQ(run_qmlsim(dir, "train --model qsvc --dataset ad_hoc --feature-map zz:entanglement=linear "
                            "--save m.json").exit_code, 0);
  dir.write("points.csv", "x0,x1,label\n0.5,1.0,A\n4.0,2.0,B\n");
  const auto j = json_of(run_qmlsim(dir, "predict --model m.json --data points.csv --format json"));
  EXPECT_EQ(j["predictions"].size(), 2u);
}

// A model trained on shot estimates saves its shots: predict estimates the same way.
TEST(PredictCommandTest, ShotModelsPredictAsInTraining) {
  const TempDir dir;
  write_blobs(dir);
  const auto trained = json_of(run_qmlsim(dir, "train --model qsvc --train train.csv --test test.csv --label kind "
                                               "--feature-map zz:reps=1 --shots 30 --seed 5 --save m.json --format json"));
  const auto predicted = json_of(run_qmlsim(dir, "predict --model m.json --data test.csv --format json"));
  EXPECT_EQ(predicted["accuracy"].get<double>(), trained["test_accuracy"].get<double>());
}

// Files with a header must have the training columns in order (scikit-learn checks names too).
TEST(PredictCommandTest, ColumnsOtherThanTheTrainingOnesAreRefused) {
  const TempDir dir;
  write_blobs(dir);
  ASSERT_EQ(run_qmlsim(dir, "train --model svm-rbf --train train.csv --label kind --save m.json").exit_code, 0);
  dir.write("swapped.csv", "f1,f0,f2\n0,0,0\n");
  const Invocation r = run_qmlsim(dir, "predict --model m.json --data swapped.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("feature column 1 is 'f1', but the training rows have 'f0' there"));
  const Invocation test = run_qmlsim(dir, "train --model svm-rbf --train train.csv --test swapped.csv --label kind");
  EXPECT_EQ(test.exit_code, 3);
}

TEST(PredictCommandTest, UnlabelledRowsGetPredictionsOnly) {
  const TempDir dir;
  write_blobs(dir);
  ASSERT_EQ(run_qmlsim(dir, "train --model svm-rbf --train train.csv --label kind --save m.json").exit_code, 0);
  dir.write("new.csv", "f0,f1,f2\n0,0,0\n2,4,0\n");
  const auto j = json_of(run_qmlsim(dir, "predict --model m.json --data new.csv --format json"));
  EXPECT_EQ(j["predictions"], nlohmann::json({"alpha", "gamma"}));
  EXPECT_FALSE(j.contains("accuracy"));
  const Invocation table = run_qmlsim(dir, "predict --model m.json --data new.csv");
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, HasSubstr("sample"));
}

TEST(PredictCommandTest, MalformedFilesExitThreeWithTheirPosition) {
  const TempDir dir;
  write_blobs(dir);
  ASSERT_EQ(run_qmlsim(dir, "train --model svm-rbf --train train.csv --label kind --save m.json").exit_code, 0);

  dir.write("bad.csv", "f0,f1,f2,kind\n0,0,0,alpha\n1,,2,beta\n");
  Invocation r = run_qmlsim(dir, "predict --model m.json --data bad.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("bad.csv:3:3:"));
  EXPECT_TRUE(r.out.empty());

  dir.write("unknown.csv", "f0,f1,f2,kind\n0,0,0,delta\n");
  r = run_qmlsim(dir, "predict --model m.json --data unknown.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("unknown.csv:2:"));

  const std::string model = qmlsim::testing::read_file(dir.path() / "m.json");
  dir.write("truncated.json", model.substr(0, model.size() / 2));
  r = run_qmlsim(dir, "predict --model truncated.json --data test.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("truncated.json"));

  dir.write("other.json", "{\"format\": \"qmlsim-model\", \"version\": 99}");
  r = run_qmlsim(dir, "predict --model other.json --data test.csv");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("version"));

  r = run_qmlsim(dir, "predict --model missing.json --data test.csv");
  EXPECT_EQ(r.exit_code, 3);

  r = run_qmlsim(dir, "predict --model m.json --data test.csv --proba");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("probability"));
}

// The model is written atomically: when the file cannot be created (its directory is a regular
// file), train fails with exit 3 after training and leaves no file or temporary behind.
TEST(PredictCommandTest, AFailedSaveLeavesNothingBehind) {
  const TempDir dir;
  write_blobs(dir);
  dir.write("blocker", "not a directory\n");
  const Invocation r = run_qmlsim(dir, "train --model svm-rbf --train train.csv --label kind --save blocker/m.json");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("cannot write blocker/m.json"));
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"blocker", "test.csv", "train.csv"}));
}

}  // namespace
}  // namespace qmlsim::cli

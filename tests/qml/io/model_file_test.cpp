#include "qml/io/model_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>  // the tests edit saved files; the library's own JSON stays in model_file.cpp

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "qml/data/builtin.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "tests/qml/models/test_feature_map.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::qml {
namespace {

using qmlsim::testing::dataset_error_of;

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TempDir;
using Json = nlohmann::ordered_json;

Dataset iris() { return load_builtin(DatasetRequest{"iris", {}, 1}).data; }

Dataset wave(int n) {
  FeatureMatrix x(n, 2);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    x(i, 0) = -1.0 + 2.0 * i / n;
    x(i, 1) = 0.5 * std::cos(3.0 * i);
    y[static_cast<std::size_t>(i)] = std::sin(2.0 * x(i, 0)) + x(i, 1);
  }
  return Dataset::regression(std::move(x), std::move(y), {"a", "b"});
}

// Iris rows 0, 3, 6, ...: a quick training set for quantum models (4 qubits).
Dataset iris_subset() {
  const Dataset all = iris();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < all.size(); i += 3) rows.push_back(i);
  return all.subset(rows);
}


bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  return std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

// save -> load -> predict gives the in-process predictions bit for bit.
void expect_round_trip(const KernelModel& model, const FeatureMatrix& x) {
  const TempDir dir;
  const auto path = dir.path() / "model.json";
  const ModelFileInfo info{"0.1.0-test", 18446744073709551557ULL, "kind"};
  save_model(path, model, info);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"model.json"});
  const LoadedModel loaded = load_model(path, {}, testing::ry_test_factory());
  EXPECT_EQ(loaded.info.qmlsim_version, info.qmlsim_version);
  EXPECT_EQ(loaded.info.seed, info.seed);
  EXPECT_EQ(loaded.info.label_column, info.label_column);
  const KernelModel& back = loaded.model;
  EXPECT_EQ(back.spec().type, model.spec().type);
  EXPECT_EQ(back.class_names(), model.class_names());
  EXPECT_EQ(back.feature_names(), model.feature_names());
  EXPECT_EQ(back.pipeline().spec(), model.pipeline().spec());
  EXPECT_EQ(back.description(), model.description());
  EXPECT_TRUE(same_bits(back.state().support_features, model.state().support_features));
  if (model.task() == Task::Regression) {
    const std::vector<double> a = model.predict_values(x), b = back.predict_values(x);
    EXPECT_TRUE(same_bits(Eigen::Map<const Eigen::VectorXd>(a.data(), static_cast<Eigen::Index>(a.size())),
                          Eigen::Map<const Eigen::VectorXd>(b.data(), static_cast<Eigen::Index>(b.size()))));
  } else {
    EXPECT_EQ(back.predict(x), model.predict(x));
  }
  if (model.spec().probability) {
    EXPECT_TRUE(same_bits(back.predict_proba(x), model.predict_proba(x)));
  }
}

TEST(ModelFileTest, ClassicalModelsRoundTripBitForBit) {
  const Dataset data = iris();
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  spec.probability = true;
  KernelModel classifier(spec);
  (void)classifier.fit(data);
  expect_round_trip(classifier, data.x());

  spec = {};
  spec.type = "svr-rbf";
  spec.preprocess = "standard,pca:1";
  KernelModel regressor(spec);
  (void)regressor.fit(wave(30));
  expect_round_trip(regressor, wave(17).x());
}

TEST(ModelFileTest, QuantumModelsRoundTripBitForBit) {
  const Dataset data = iris_subset();
  for (const char* type : {"qsvc", "qoneclass"}) {
    KernelModelSpec spec;
    spec.type = type;
    spec.feature_map = {"ry-test", {}};
    spec.probability = std::string(type) == "qsvc";
    KernelModel model(spec, {}, testing::ry_test_factory());
    (void)model.fit(data);
    expect_round_trip(model, iris().x());
  }
  for (const char* type : {"qkrr", "qsvr"}) {
    KernelModelSpec spec;
    spec.type = type;
    spec.feature_map = {"ry-test", {}};
    KernelModel model(spec, {}, testing::ry_test_factory());
    (void)model.fit(wave(25));
    expect_round_trip(model, wave(11).x());
  }
}

TEST(ModelFileTest, DoublesRoundTripExactly) {
  // Values of every kind through the file: tiny, huge, subnormal, negative zero, non-terminating.
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  KernelModel model(spec);
  (void)model.fit(iris());
  KernelModel::State s = model.state();
  Rng rng(17);
  const double specials[] = {0.1, -0.0, 1e-300, 1e300, std::numeric_limits<double>::denorm_min(),
                             std::numeric_limits<double>::max(), 1.0 / 3.0, -2.5e-17, M_PI};
  std::size_t k = 0;
  for (Eigen::Index i = 0; i < s.support_features.rows(); ++i)
    for (Eigen::Index j = 0; j < s.support_features.cols(); ++j, ++k)
      s.support_features(i, j) = k < std::size(specials) ? specials[k] : std::ldexp(rng.normal(), static_cast<int>(rng.below(200)) - 100);
  const KernelModel edited = KernelModel::from_state(s);
  const TempDir dir;
  save_model(dir.path() / "m.json", edited, {});
  const KernelModel back = load_model(dir.path() / "m.json").model;
  EXPECT_TRUE(same_bits(back.state().support_features, s.support_features));
  EXPECT_TRUE(same_bits(back.state().svm.dual_coef, s.svm.dual_coef));
  EXPECT_EQ(back.state().gamma, s.gamma);
}

TEST(ModelFileTest, TheFileIsVersionedJsonWithEveryPart) {
  KernelModelSpec spec;
  spec.type = "qsvc";
  spec.feature_map = {"ry-test", {}};
  spec.probability = true;
  KernelModel model(spec, {}, testing::ry_test_factory());
  (void)model.fit(iris_subset());
  const TempDir dir;
  save_model(dir.path() / "m.json", model, ModelFileInfo{"9.9", 7, "label"});
  const Json j = Json::parse(testing::read_file(dir.path() / "m.json"));
  EXPECT_EQ(j["format"], "qmlsim-model");
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["qmlsim_version"], "9.9");
  EXPECT_EQ(j["seed"], 7);
  const Json& m = j["model"];
  EXPECT_EQ(m["type"], "qsvc");
  EXPECT_EQ(m["spec"]["C"], 1.0);
  EXPECT_EQ(m["spec"]["preprocess"], nullptr);
  EXPECT_EQ(m["feature_map"]["type"], "ry-test");
  EXPECT_EQ(m["kernel"]["type"], "fidelity");
  EXPECT_EQ(m["preprocess"].size(), 2u);
  EXPECT_EQ(m["preprocess"][0]["spec"], "standard");
  EXPECT_EQ(m["class_names"].size(), 3u);
  EXPECT_EQ(m["dual_coef"].size(), 2u);
  EXPECT_EQ(m["rho"].size(), 3u);
  EXPECT_EQ(m["prob_a"].size(), 3u);
  EXPECT_EQ(m["support_features"].size(), model.n_support());
}

// ---------------------------------------------------------------------------------------------
// Malformed files

class MalformedModelFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KernelModelSpec spec;
    spec.type = "svm-rbf";
    KernelModel model(spec);
    (void)model.fit(iris());
    save_model(dir_.path() / "good.json", model, {});
    good_ = Json::parse(testing::read_file(dir_.path() / "good.json"));
  }
  // The DatasetError message of loading `text` from bad.json.
  std::string load_text(const std::string& text) const {
    const std::string path = dir_.write("bad.json", text);
    return dataset_error_of([&] { (void)load_model(path); });
  }
  std::string load_edited(const std::function<void(Json&)>& edit) const {
    Json j = good_;
    edit(j);
    return load_text(j.dump());
  }
  [[nodiscard]] std::string bad() const { return (dir_.path() / "bad.json").string(); }

  TempDir dir_;
  Json good_;
};

TEST_F(MalformedModelFileTest, TruncatedOrCorruptJsonGivesItsPosition) {
  const std::string text = testing::read_file(dir_.path() / "good.json");
  std::string m = load_text(text.substr(0, text.size() / 2));
  EXPECT_THAT(m, StartsWith(bad() + ": corrupt or truncated model file: parse error at line 1, column "));
  m = load_text("");
  EXPECT_THAT(m, StartsWith(bad() + ": corrupt or truncated model file: "));
  m = load_text("{\"format\": \"qmlsim-model\",\n \"version\": 1,,}");
  EXPECT_THAT(m, HasSubstr("line 2, column 15"));
  EXPECT_EQ(load_text("[1, 2]"), bad() + ": expected an object, got an array");
}

TEST_F(MalformedModelFileTest, WrongFormatOrVersionSaysWhatIsSupported) {
  EXPECT_EQ(load_edited([](Json& j) { j["version"] = 2; }),
            bad() + ": /version: model file version 2 is not supported (this qmlsim reads version 1)");
  EXPECT_EQ(load_text(R"({"format": "qmlsim-model", "version": 99})"),
            bad() + ": /version: model file version 99 is not supported (this qmlsim reads version 1)");
  EXPECT_EQ(load_edited([](Json& j) { j["format"] = "other"; }),
            bad() + ": /format: not a qmlsim model file (expected \"qmlsim-model\", got \"other\")");
  EXPECT_EQ(load_edited([](Json& j) { j["version"] = "1"; }), bad() + ": /version: expected an integer, got a string");
}

TEST_F(MalformedModelFileTest, MissingFieldsAreNamedByPointer) {
  EXPECT_EQ(load_edited([](Json& j) { j["model"].erase("rho"); }), bad() + ": /model/rho: missing");
  EXPECT_EQ(load_edited([](Json& j) { j.erase("model"); }), bad() + ": /model: missing");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["spec"].erase("nu"); }), bad() + ": /model/spec/nu: missing");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["preprocess"][0].erase("values"); }),
            bad() + ": /model/preprocess/0/values: missing");
}

TEST_F(MalformedModelFileTest, WrongTypesAreNamedByPointer) {
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["rho"][1] = "abc"; }),
            bad() + ": /model/rho/1: expected a number, got a string");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["class_names"] = 5; }),
            bad() + ": /model/class_names: expected an array, got a number");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["support_features"][2][1] = nullptr; }),
            bad() + ": /model/support_features/2/1: expected a number, got null");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["n_support"][0] = 2.5; }),
            bad() + ": /model/n_support/0: expected an integer, got a number");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["spec"]["probability"] = 1; }),
            bad() + ": /model/spec/probability: expected true or false, got a number");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["type"] = "qsvm"; }),
            bad() + ": /model/type: unknown kernel model 'qsvm' (valid: qsvc, qsvr, qkrr, qoneclass, svm-rbf, svr-rbf)");
}

TEST_F(MalformedModelFileTest, WrongShapesAreNamedByPointer) {
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["dual_coef"].erase(1); }),
            bad() + ": /model/dual_coef: expected 2 rows, got 1");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["support_features"][3].erase(0); }),
            bad() + ": /model/support_features/3: expected 4 values like row 0, got 3");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["rho"].erase(0); }), bad() + ": /model/rho: expected 3 values, got 2");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["n_support"][0] = 0; }),
            bad() + ": /model/n_support: the counts add up to 43 but there are 51 support vectors");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["spec"]["C"] = -1; }),
            bad() + ": /model/spec: svm-rbf: C -1 must be positive and finite");
  EXPECT_EQ(load_edited([](Json& j) { j["model"]["spec"]["type"] = "svr-rbf"; }),
            bad() + ": /model/spec/type: 'svr-rbf' differs from the model type 'svm-rbf'");
  EXPECT_THAT(load_edited([](Json& j) { j["model"]["preprocess"][0]["values"].erase("mean"); }),
              StartsWith(bad() + ": /model/preprocess: "));
}

TEST_F(MalformedModelFileTest, AMissingFileIsADatasetError) {
  EXPECT_EQ(dataset_error_of([&] { (void)load_model(dir_.path() / "none.json"); }),
            "cannot read " + (dir_.path() / "none.json").string() + ": no such file");
}

// ---------------------------------------------------------------------------------------------
// Writing

TEST(ModelFileTest, AFailedWriteLeavesNothingBehind) {
  KernelModelSpec spec;
  spec.type = "svm-rbf";
  KernelModel model(spec);
  const TempDir dir;
  // Not fitted: refused before anything is written.
  EXPECT_THAT(testing::invalid_argument_of([&] { save_model(dir.path() / "m.json", model, {}); }),
              HasSubstr("not fitted"));
  EXPECT_TRUE(dir.entries().empty());
  (void)model.fit(iris());
  // A directory in the way: the rename fails and the temporary file goes.
  std::filesystem::create_directory(dir.path() / "taken");
  EXPECT_THAT(dataset_error_of([&] { save_model(dir.path() / "taken", model, {}); }), HasSubstr("cannot write"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken"});
  // No such directory.
  EXPECT_THAT(dataset_error_of([&] { save_model(dir.path() / "no" / "m.json", model, {}); }), HasSubstr("cannot write"));
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken"});
  // Overwriting a file replaces it whole.
  dir.write("m.json", "old");
  save_model(dir.path() / "m.json", model, {});
  EXPECT_EQ(dir.entries(), (std::vector<std::string>{"m.json", "taken"}));
  EXPECT_NO_THROW((void)load_model(dir.path() / "m.json"));
}

}  // namespace
}  // namespace qmlsim::qml

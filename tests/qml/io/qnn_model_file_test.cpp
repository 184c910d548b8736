#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "qml/data/synthetic.hpp"
#include "qml/io/model_file.hpp"
#include "tests/support/error_message.hpp"
#include "tests/support/temp_files.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::HasSubstr;

std::string text_of(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

QnnOptions with_threads(int threads) {
  QnnOptions o;
  o.simulator.parallel = threads == 1 ? Parallelism::serial() : Parallelism{threads, 16};
  return o;
}

QnnModel trained(QnnModelSpec spec, const Dataset& data, int threads = 1) {
  spec.optimizer = parse_component_spec("adam:lr=0.1");
  spec.settings.maxiter = 4;
  spec.settings.seed = 5;
  QnnModel model(std::move(spec), with_threads(threads));
  (void)model.fit(data);
  return model;
}

QnnModelSpec spec_of(const std::string& type) {
  QnnModelSpec s;
  s.type = type;
  s.ansatz = parse_component_spec("real-amplitudes:reps=1");
  if (type == "reupload") {
    s.layers = 2;
    s.readout = "class-states";
  }
  if (type == "dressed") s.qubits = 2;
  return s;
}

TEST(QnnModelFileTest, SaveLoadPredictIsExactForEveryClassifier) {
  const qmlsim::testing::TempDir dir;
  const Dataset data = make_blobs(30, 3, 3, 1.0, 8);
  for (const std::string type : {"vqc", "reupload", "dressed"}) {
    const QnnModel model = trained(spec_of(type), data);
    const auto path = dir.path() / (type + ".json");
    save_model(path, model, ModelFileInfo{"test", 5, "label", std::nullopt});
    EXPECT_EQ(model_file_family(path), "qnn");
    const LoadedQnnModel loaded = load_qnn_model(path);
    EXPECT_EQ(loaded.info.seed, 5u);
    EXPECT_EQ(loaded.model.weights(), model.weights()) << type;
    EXPECT_EQ(loaded.model.predict(data.x()), model.predict(data.x())) << type;
    EXPECT_TRUE(loaded.model.predict_proba(data.x()) == model.predict_proba(data.x())) << type;
    EXPECT_EQ(loaded.model.state().iterations, model.state().iterations);
    EXPECT_EQ(loaded.model.description(), model.description());
  }
}

TEST(QnnModelFileTest, SaveLoadPredictIsExactForTheRegressor) {
  const qmlsim::testing::TempDir dir;
  const Dataset blobs = make_blobs(20, 2, 2, 1.0, 3);
  std::vector<double> y;
  for (Eigen::Index i = 0; i < blobs.x().rows(); ++i) y.push_back(0.3 * blobs.x()(i, 0) - 2.0);
  const Dataset data = Dataset::regression(blobs.x(), y);
  const QnnModel model = trained(spec_of("qnn-regressor"), data);
  const auto path = dir.path() / "regressor.json";
  save_model(path, model, ModelFileInfo{});
  const LoadedQnnModel loaded = load_qnn_model(path);
  EXPECT_EQ(loaded.model.predict_values(data.x()), model.predict_values(data.x()));
  EXPECT_EQ(loaded.model.state().output_scale, model.state().output_scale);
}

TEST(QnnModelFileTest, SameSeedSameFileOnOneAndTwoThreads) {
  const qmlsim::testing::TempDir dir;
  const Dataset data = make_moons(50, 0.1, 4);
  save_model(dir.path() / "one.json", trained(spec_of("vqc"), data, 1), ModelFileInfo{"test", 5, "", std::nullopt});
  save_model(dir.path() / "two.json", trained(spec_of("vqc"), data, 2), ModelFileInfo{"test", 5, "", std::nullopt});
  EXPECT_EQ(text_of(dir.path() / "one.json"), text_of(dir.path() / "two.json"));
}

TEST(QnnModelFileTest, DefectsNameTheFileAndTheJsonPointer) {
  using qmlsim::testing::dataset_error_of;
  const qmlsim::testing::TempDir dir;
  const Dataset data = make_moons(20, 0.1, 4);
  const auto path = dir.path() / "m.json";
  save_model(path, trained(spec_of("vqc"), data), ModelFileInfo{});
  const std::string good = text_of(path);

  const auto broken = dir.path() / "broken.json";
  const auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = good;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
    write_text(broken, t);
  };
  replace("\"weights\":[", "\"weights\":[\"x\",");
  EXPECT_THAT(dataset_error_of([&] { (void)load_qnn_model(broken); }),
              HasSubstr("broken.json: /model/weights/0: expected a number, got a string"));
  replace("\"weights\":[", "\"weights\":[1.5,");
  EXPECT_THAT(dataset_error_of([&] { (void)load_qnn_model(broken); }),
              HasSubstr("broken.json: /model/weights: expected 4 values for this circuit, got 5"));
  replace("\"readout\":\"modulo\"", "\"readout\":\"softmax\"");
  EXPECT_THAT(dataset_error_of([&] { (void)load_qnn_model(broken); }),
              HasSubstr("broken.json: /model/spec: unknown readout 'softmax'"));
  replace("\"history\":{", "\"story\":{");
  EXPECT_THAT(dataset_error_of([&] { (void)load_qnn_model(broken); }), HasSubstr("broken.json: /model/history: missing"));
  write_text(broken, good.substr(0, good.size() / 2));
  EXPECT_THAT(dataset_error_of([&] { (void)load_qnn_model(broken); }), HasSubstr("corrupt or truncated model file"));
  // A QNN file given to the kernel-model reader says what it is.
  EXPECT_THAT(dataset_error_of([&] { (void)load_model(path); }), HasSubstr("/model/type: a QNN model (vqc)"));
}

}  // namespace
}  // namespace qmlsim::qml

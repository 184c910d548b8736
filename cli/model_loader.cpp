#include "cli/model_loader.hpp"

#include <memory>

#include "cli/feature_map_source.hpp"
#include "cli/model_options.hpp"
#include "qml/io/model_file.hpp"

namespace qmlsim::cli {

Predictor load_predictor(const std::string& path, const SimulatorOptions& simulator) {
  Predictor p;
  const auto fill = [&p](const auto& model) {
    p.type = model->spec().type;
    p.task = model->task();
    p.class_names = model->class_names();
    p.feature_names = model->feature_names();
    p.predict = [model](const qml::FeatureMatrix& x) { return model->predict(x); };
    p.predict_values = [model](const qml::FeatureMatrix& x) { return model->predict_values(x); };
    p.predict_proba = [model](const qml::FeatureMatrix& x) { return model->predict_proba(x); };
  };
  if (qml::model_file_family(path) == "qnn") {
    qml::QnnOptions options;
    options.simulator = simulator;
    auto loaded = std::make_shared<qml::LoadedQnnModel>(
        qml::load_qnn_model(path, options, feature_map_factory(), circuit_file_factory()));
    fill(std::shared_ptr<const qml::QnnModel>(loaded, &loaded->model));
    p.label_column = loaded->info.label_column;
    return p;
  }
  qml::KernelOptions options;
  options.simulator = simulator;
  options.progress = stderr_is_terminal();
  auto loaded = std::make_shared<qml::LoadedModel>(qml::load_model(path, options, feature_map_factory()));
  fill(std::shared_ptr<const qml::KernelModel>(loaded, &loaded->model));
  p.label_column = loaded->info.label_column;
  p.one_class = p.type == "qoneclass";
  return p;
}

}  // namespace qmlsim::cli

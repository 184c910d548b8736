#include "cli/model_loader.hpp"

#include "cli/data_source.hpp"

#include <memory>

#include "cli/data_source.hpp"
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

qml::CsvData read_rows_for(const Predictor& model, const std::string& file, const std::string& label,
                           bool no_header) {
  qml::CsvOptions csv;
  if (!label.empty()) csv.label_column = label;
  else if (!model.label_column.empty() && !no_header) csv.label_column = model.label_column;
  csv.no_header = no_header;
  csv.task = model.task;
  csv.require_two_classes = false;
  // The model's input columns (its pipeline may be empty, which records no count).
  csv.expected_features = static_cast<int>(model.feature_names.size());
  if (model.task == qml::Task::Classification && !model.one_class) csv.class_names = model.class_names;
  qml::CsvData data = qml::read_csv(file, csv);
  check_feature_names(data.data, model.feature_names, file, !no_header);
  return data;
}

}  // namespace qmlsim::cli

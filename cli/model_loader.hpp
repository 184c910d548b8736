#pragma once
/// A model file written by `qmlsim train --save`, of either family (a kernel machine or a
/// variational model), loaded behind one face: what `predict` and `explain` need of it.
#include <Eigen/Core>
#include <functional>
#include <string>
#include <vector>

#include "qml/data/csv.hpp"
#include "qml/data/dataset.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::cli {

/// A loaded model seen through prediction. The functions own (share) the model.
struct Predictor {
  std::string type;  ///< the model file's "type": "qsvc", "vqc", "svm-rbf", ...
  qml::Task task = qml::Task::Classification;
  std::vector<std::string> class_names, feature_names;
  std::string label_column;  ///< the training file's label column ("" for built-in data)
  bool one_class = false;    ///< qoneclass: labels are inlier/outlier, the file's labels are ignored
  std::function<qml::Labels(const qml::FeatureMatrix&)> predict;
  std::function<std::vector<double>(const qml::FeatureMatrix&)> predict_values;
  std::function<Eigen::MatrixXd(const qml::FeatureMatrix&)> predict_proba;
};

/// Loads `path` (a kernel machine or a variational model, by its "type"), simulating with
/// `simulator`. Throws DatasetError for a missing or malformed file (the model readers' messages).
[[nodiscard]] Predictor load_predictor(const std::string& path, const SimulatorOptions& simulator);

/// Reads `file`'s rows for `model`, as `predict` and `explain` do: the label column from `label`,
/// else the model's training column (files with a header), the model's feature count and class
/// names (one-class models: labels not checked), and the feature columns checked against the
/// model's (check_feature_names). Throws ParseError/DatasetError with file:line:column.
[[nodiscard]] qml::CsvData read_rows_for(const Predictor& model, const std::string& file, const std::string& label,
                                         bool no_header);

}  // namespace qmlsim::cli

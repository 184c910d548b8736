#pragma once
/// Test data shared by the classical-model tests, chosen so that scikit-learn can reproduce them
/// exactly: the built-in iris and breast_cancer tables (equal, row for row, to sklearn.datasets'
/// load_iris / load_breast_cancer) split into even rows (training) and odd rows (test), and a
/// regression on iris (sepal length, sepal width, petal length -> petal width). The reference
/// numbers in the tests come from make_pipeline(StandardScaler(), <model>) fitted in scikit-learn
/// 1.2.1 on x[0::2], y[0::2] and evaluated on x[1::2].
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "qml/classical/classical.hpp"
#include "qml/data/builtin.hpp"
#include "qml/models/estimator.hpp"

namespace qmlsim::qml::classical_test {

/// The even (train) and odd (test) rows of `data`.
inline Split even_odd(const Dataset& data) {
  std::vector<std::size_t> even, odd;
  for (std::size_t i = 0; i < data.size(); ++i) (i % 2 == 0 ? even : odd).push_back(i);
  return Split{data.subset(even), data.subset(odd)};
}

inline Split iris_split() { return even_odd(load_builtin(DatasetRequest{"iris", {}, 1}).data); }
inline Split breast_cancer_split() { return even_odd(load_builtin(DatasetRequest{"breast_cancer", {}, 1}).data); }

/// Iris features 0-2 as inputs, petal width (feature 3) as the target.
inline Split iris_regression_split() {
  const Dataset iris = load_builtin(DatasetRequest{"iris", {}, 1}).data;
  const FeatureMatrix x = iris.x().leftCols(3);
  const Eigen::VectorXd width = iris.x().col(3);
  return even_odd(Dataset::regression(x, std::vector<double>(width.data(), width.data() + width.size())));
}

/// Class labels written as a digit string ("0012...").
inline Labels digits(const std::string& text) {
  Labels labels;
  for (char c : text) labels.push_back(c - '0');
  return labels;
}

/// A fitted model of `type` with `params` on `train` (default context).
inline std::unique_ptr<Estimator> fitted(const std::string& type, const Dataset& train,
                                         std::vector<std::pair<std::string, std::string>> params = {},
                                         const EstimatorContext& context = {}) {
  auto model = make_classical_estimator(ModelConfig{type, type, std::move(params)}, context);
  (void)model->fit(train);
  return model;
}

}  // namespace qmlsim::qml::classical_test

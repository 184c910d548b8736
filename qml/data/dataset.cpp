#include "qml/data/dataset.hpp"

#include <cmath>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

std::vector<std::string> default_feature_names(std::vector<std::string> names, Eigen::Index features) {
  if (names.empty()) {
    for (Eigen::Index j = 0; j < features; ++j) names.push_back(default_feature_name(static_cast<std::size_t>(j)));
    return names;
  }
  if (static_cast<Eigen::Index>(names.size()) != features)
    throw DatasetError(std::to_string(features) + " features but " + plural(static_cast<long long>(names.size()), "feature name"));
  return names;
}

void check_features(const FeatureMatrix& x, const std::vector<std::string>& names) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      if (!std::isfinite(x(i, j)))
        throw DatasetError("row " + std::to_string(i) + ", feature '" + names[static_cast<std::size_t>(j)] +
                           "' is " + format_number(x(i, j)));
}

}  // namespace

std::string default_feature_name(std::size_t j) {
  std::string name = "x";
  return name.append(std::to_string(j));
}

Dataset::Dataset(FeatureMatrix x, Labels y, std::vector<std::string> class_names,
                 std::vector<std::string> feature_names)
    : task_(Task::Classification), x_(std::move(x)), y_(std::move(y)), class_names_(std::move(class_names)) {
  feature_names_ = default_feature_names(std::move(feature_names), x_.cols());
  if (static_cast<std::size_t>(x_.rows()) != y_.size())
    throw DatasetError(plural(x_.rows(), "row") + " but " + plural(static_cast<long long>(y_.size()), "label"));
  if (class_names_.empty() && !y_.empty()) throw DatasetError("labels without class names");
  for (std::size_t i = 0; i < y_.size(); ++i)
    if (y_[i] < 0 || static_cast<std::size_t>(y_[i]) >= class_names_.size())
      throw DatasetError("row " + std::to_string(i) + ": label " + std::to_string(y_[i]) + " out of range [0, " +
                         std::to_string(class_names_.size()) + ")");
  check_features(x_, feature_names_);
}

Dataset Dataset::regression(FeatureMatrix x, std::vector<double> targets, std::vector<std::string> feature_names) {
  Dataset d;
  d.task_ = Task::Regression;
  d.x_ = std::move(x);
  d.targets_ = std::move(targets);
  d.feature_names_ = default_feature_names(std::move(feature_names), d.x_.cols());
  if (static_cast<std::size_t>(d.x_.rows()) != d.targets_.size())
    throw DatasetError(plural(d.x_.rows(), "row") + " but " + plural(static_cast<long long>(d.targets_.size()), "target"));
  for (std::size_t i = 0; i < d.targets_.size(); ++i)
    if (!std::isfinite(d.targets_[i]))
      throw DatasetError("row " + std::to_string(i) + ": target " + format_number(d.targets_[i]) + " is not finite");
  check_features(d.x_, d.feature_names_);
  return d;
}

ParameterRows Dataset::rows() const noexcept {
  return ParameterRows{{x_.data(), static_cast<std::size_t>(x_.size())}, static_cast<std::size_t>(x_.rows()),
                       static_cast<std::size_t>(x_.cols())};
}

Dataset Dataset::subset(std::span<const std::size_t> indices) const {
  Dataset d;
  d.task_ = task_;
  d.class_names_ = class_names_;
  d.feature_names_ = feature_names_;
  d.x_.resize(static_cast<Eigen::Index>(indices.size()), x_.cols());
  for (std::size_t k = 0; k < indices.size(); ++k) {
    check_index(indices[k], size(), "dataset subset: row");
    d.x_.row(static_cast<Eigen::Index>(k)) = x_.row(static_cast<Eigen::Index>(indices[k]));
    if (task_ == Task::Classification)
      d.y_.push_back(y_[indices[k]]);
    else
      d.targets_.push_back(targets_[indices[k]]);
  }
  return d;
}

Dataset Dataset::with_features(FeatureMatrix x, std::vector<std::string> feature_names) const {
  if (x.rows() != x_.rows())
    throw InvalidArgument("with_features: " + plural(x.rows(), "row") + " for a data set of " + plural(x_.rows(), "row"));
  if (task_ == Task::Regression) return regression(std::move(x), targets_, std::move(feature_names));
  return Dataset(std::move(x), y_, class_names_, std::move(feature_names));
}

std::vector<std::size_t> Dataset::class_counts() const {
  std::vector<std::size_t> counts(class_names_.size(), 0);
  for (int label : y_) ++counts[static_cast<std::size_t>(label)];
  return counts;
}

}  // namespace qmlsim::qml

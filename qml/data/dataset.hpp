#pragma once
/// Data sets for the QML layer: features (row-major, one sample per row) with class labels or
/// regression targets, and the names behind both.
#include <Eigen/Core>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "simulator/execution/batch.hpp"

namespace qmlsim::qml {

/// Row-major: row i is contiguous, so the whole matrix is a ParameterRows view (no copy).
/// (Eigen's default is column-major; then x.data() would not be rows.)
using FeatureMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
/// Class indices 0 .. C-1.
using Labels = std::vector<int>;

/// "x0", "x1", ...: the name of feature j when the source has none.
[[nodiscard]] std::string default_feature_name(std::size_t j);

enum class Task { Classification, Regression };

/// Features and labels (or targets) with their names. Immutable; validated at construction.
/// Class indices follow the order of class_names, which readers sort as scikit-learn's
/// LabelEncoder does (numerically when every name is a number, else lexicographically), so
/// one-vs-one SVM pairs come in scikit-learn's order.
class Dataset {
 public:
  Dataset() = default;
  /// Classification. Throws DatasetError: "150 rows but 149 labels", "row 17, feature
  /// 'petal_width' is nan", "row 9: label 3 out of range [0, 3)".
  Dataset(FeatureMatrix x, Labels y, std::vector<std::string> class_names,
          std::vector<std::string> feature_names = {});
  /// Regression: real targets (finite).
  [[nodiscard]] static Dataset regression(FeatureMatrix x, std::vector<double> targets,
                                          std::vector<std::string> feature_names = {});

  [[nodiscard]] Task task() const noexcept { return task_; }
  [[nodiscard]] std::size_t size() const noexcept { return static_cast<std::size_t>(x_.rows()); }
  [[nodiscard]] int num_features() const noexcept { return static_cast<int>(x_.cols()); }
  /// Classification only (0 for regression).
  [[nodiscard]] int num_classes() const noexcept { return static_cast<int>(class_names_.size()); }
  [[nodiscard]] const FeatureMatrix& x() const noexcept { return x_; }
  /// Class indices (classification; empty for regression).
  [[nodiscard]] const Labels& y() const noexcept { return y_; }
  /// Regression targets (empty for classification).
  [[nodiscard]] const std::vector<double>& targets() const noexcept { return targets_; }
  [[nodiscard]] const std::vector<std::string>& class_names() const noexcept { return class_names_; }
  /// Never empty: "x0", "x1", ... when the source had no names.
  [[nodiscard]] const std::vector<std::string>& feature_names() const noexcept { return feature_names_; }
  /// Feature j of sample i = theta[j] of row i (a feature map's parameter order).
  [[nodiscard]] ParameterRows rows() const noexcept;
  /// The samples at `indices`, in that order (labels, names kept). Throws InvalidArgument for an
  /// index out of range.
  [[nodiscard]] Dataset subset(std::span<const std::size_t> indices) const;
  /// The same labels and class names with other features (same row count; e.g. after
  /// preprocessing). Feature names default to x0.. when `feature_names` is empty.
  [[nodiscard]] Dataset with_features(FeatureMatrix x, std::vector<std::string> feature_names = {}) const;
  /// Samples per class (classification).
  [[nodiscard]] std::vector<std::size_t> class_counts() const;

 private:
  Task task_ = Task::Classification;
  FeatureMatrix x_;
  Labels y_;
  std::vector<double> targets_;
  std::vector<std::string> class_names_;
  std::vector<std::string> feature_names_;
};

/// A train/test pair.
struct Split {
  Dataset train;
  Dataset test;
};

}  // namespace qmlsim::qml

#pragma once
/// Scores of predictions against the truth (plain functions). Definitions are scikit-learn's
/// (sklearn.metrics), so its published values are the tests' reference.
#include <Eigen/Core>
#include <span>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// Fraction of equal entries. Throws InvalidArgument for different lengths or empty input.
[[nodiscard]] double accuracy(std::span<const int> truth, std::span<const int> predicted);
/// Mean of (truth - predicted)^2. Same checks.
[[nodiscard]] double mean_squared_error(std::span<const double> truth, std::span<const double> predicted);
/// Coefficient of determination 1 - SS_res / SS_tot, as scikit-learn's r2_score (1 when both
/// are 0; 0 when only SS_tot is 0 and the prediction is not perfect).
[[nodiscard]] double r2_score(std::span<const double> truth, std::span<const double> predicted);

/// C x C counts, row = true class, column = predicted class. Throws InvalidArgument for lengths
/// that differ, no samples, or a label outside [0, C).
[[nodiscard]] Eigen::MatrixXi confusion_matrix(std::span<const int> truth, std::span<const int> predicted,
                                               int num_classes);
/// Mean over the classes present in `truth` of the recall (scikit-learn's balanced_accuracy_score).
[[nodiscard]] double balanced_accuracy(std::span<const int> truth, std::span<const int> predicted, int num_classes);
/// Unweighted mean, over the classes present in truth or predictions, of F1 = 2 TP / (2 TP + FP +
/// FN) (scikit-learn's f1_score(average='macro'); a class with no true and no predicted row does
/// not count; F1 of a class never predicted correctly is 0).
[[nodiscard]] double f1_macro(std::span<const int> truth, std::span<const int> predicted, int num_classes);
/// Area under the ROC curve of `score` (higher means class 1) for labels 0/1, ties counted one
/// half (scikit-learn's roc_auc_score): the fraction of (class 1, class 0) pairs whose class-1
/// row scores higher, computed exactly from one sort. Throws InvalidArgument when only one class
/// is present, for a label other than 0 and 1, a non-finite score, or the checks above.
[[nodiscard]] double roc_auc(std::span<const int> truth, std::span<const double> score);
/// Mean of -log p(true class), probabilities clipped to [eps, 1 - eps] with eps = 1e-15 and rows
/// renormalised: scikit-learn 1.2's log_loss(truth, proba, eps=1e-15, labels=range(C)) (its
/// default eps 'auto' is 2.2e-16 instead). `proba` is N x C, column c the probability of class
/// c. Throws InvalidArgument for N != truth's length, no samples, a label outside [0, C) or a
/// non-finite probability.
[[nodiscard]] double log_loss(std::span<const int> truth, const Eigen::MatrixXd& proba);
/// Mean of |truth - predicted|. Same checks as mean_squared_error.
[[nodiscard]] double mean_absolute_error(std::span<const double> truth, std::span<const double> predicted);

}  // namespace qmlsim::qml

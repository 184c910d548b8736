#pragma once
/// The comparison protocol of `qmlsim compare` (results only; the CLI prints, plots and reports):
/// every model sees exactly the same folds and fits its preprocessing on each fold's training rows
/// only. Models run one after another (each uses every core; never in parallel), so results are
/// bit-identical on any thread count.
///
///  - Folds: stratified k-fold (data/split.hpp) from the seed (regression data form one stratum:
///    a plain shuffled k-fold); with a train/test pair, the same k-fold on the training rows (means,
///    deviations, significance) plus one fit on all training rows scored on the test rows
///    (test_accuracy / test_r2). Each fit gets a fresh estimator from the factory.
///  - Search (`--search grid`): per outer fold, every combination of the model's grid (first axis
///    varying slowest) is scored by an inner k-fold (stratified as above; inner_folds; seed = the
///    first draw of Rng(seed, outer fold + 1), folds counted from 0; the final fit of a pair uses
///    stream folds + 1, decision regions folds + 2) on the outer training rows by the mean primary
///    score; the best (ties: the first combination in grid order) is refitted on the outer training
///    rows. A combination's values replace the model's own parameters of the same keys. The chosen
///    values are reported per fold.
///  - Metrics per fold: classifiers accuracy, balanced accuracy, macro F1, ROC AUC (two classes, from
///    score_class1), log loss (when has_proba()); regressors R^2, MSE, MAE; fit seconds (grid search
///    included) and predict seconds (the predict call on the test rows), steady clock; circuit
///    evaluations (search included).
///  - Significance: each quantum model's per-fold primary score (accuracy, or R^2) against the best
///    classical model's (highest mean; ties: the first in model order), corrected resampled t-test
///    (eval/significance.hpp) with the mean training and test rows per fold; quantum minus classical.
///  - Kernel diagnostics: for models whose kernel_matrix() gives a matrix, on each fold's training
///    rows (at least 3), what `qmlsim kernel` reports (kernel_diagnostics in
///    kernel/quantum_kernel.hpp, same definitions): kernel-target alignment, off-diagonal mean and
///    variance, geometric difference to the RBF kernel with gamma 'scale' on the rows preprocessed
///    as the classical models do (model_preprocess_spec(context, "standard"), fitted on those
///    rows); each field averaged over folds.
///  - Importance: permutation importance (seed context.seed) of the primary score on each fold's test
///    rows; mean and std averaged over folds.
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "qml/data/dataset.hpp"
#include "qml/eval/importance.hpp"
#include "qml/eval/significance.hpp"
#include "qml/models/estimator.hpp"

namespace qmlsim::qml {

inline constexpr double kNotMeasured = std::numeric_limits<double>::quiet_NaN();

struct CompareOptions {
  std::vector<ModelConfig> models;  ///< names unique (checked)
  int folds = 5;
  bool search = false;              ///< grid search by inner cross-validation
  int inner_folds = 3;
  /// Grids by model name; a model without an entry uses default_grid(type) when searching.
  std::map<std::string, std::vector<GridAxis>> grids;
  EstimatorContext context;         ///< seed, threads, memory, preprocessing override
  bool importance = false;
  int importance_repeats = 5;
  bool diagnostics = true;          ///< kernel diagnostics for kernel models
  /// Feature counts to sweep (`--sweep-features A:B:S`): the whole protocol runs once per count,
  /// every model on the rows reduced by PCA (fitted per fold) to that many features. Empty: once,
  /// on the features as they are.
  std::vector<int> sweep_features;
  /// Two-feature classification data: also fit the best quantum and the best classical model (of
  /// the first sweep step) on all rows of `data` and predict a grid x grid lattice over the data's
  /// range (decision-region plots). 0 = off, else in [2, 1000].
  int decision_grid = 0;
  /// Builds the models (make_estimator unless set; tests pass fakes that record what they see).
  std::function<std::unique_ptr<Estimator>(const ModelConfig&, const EstimatorContext&)> factory;
};

/// One fold of one model.
struct FoldScore {
  double accuracy = kNotMeasured, balanced_accuracy = kNotMeasured, f1_macro = kNotMeasured;
  double roc_auc = kNotMeasured, log_loss = kNotMeasured;
  double r2 = kNotMeasured, mse = kNotMeasured, mae = kNotMeasured;
  double fit_seconds = 0.0, predict_seconds = 0.0;
  std::uint64_t circuit_evaluations = 0;
  std::vector<std::pair<std::string, std::string>> chosen;  ///< grid search: the values picked
};

struct MeanStd {
  double mean = kNotMeasured;
  double std = kNotMeasured;  ///< sample standard deviation over folds (denominator k - 1)
};

struct ModelKernelDiagnostics {
  double alignment = kNotMeasured;
  double off_diagonal_mean = kNotMeasured;
  double off_diagonal_variance = kNotMeasured;
  double geometric_difference = kNotMeasured;  ///< to the RBF kernel
};

struct CompareRow {
  std::string model;        ///< ModelConfig::name
  std::string type;         ///< ModelConfig::type
  ModelKind kind = ModelKind::Classical;
  std::string description;  ///< of the model fitted on the first fold
  int features = 0;         ///< features the model saw (the sweep's K, else the data's)
  std::vector<FoldScore> folds;
  MeanStd accuracy, balanced_accuracy, f1_macro, roc_auc, log_loss, r2, mse, mae;
  double fit_seconds = 0.0;      ///< mean per fold
  double predict_seconds = 0.0;  ///< mean per fold
  std::uint64_t circuit_evaluations = 0;  ///< sum over folds (search included)
  std::size_t trainable_parameters = 0;   ///< of the model fitted on the first fold
  int qubits = 0, circuit_depth = 0;
  double test_accuracy = kNotMeasured;    ///< train/test pair only
  double test_r2 = kNotMeasured;
  /// Quantum rows: against the best classical model of the same sweep step.
  std::optional<TTestResult> versus_best_classical;
  std::optional<ModelKernelDiagnostics> diagnostics;
  std::vector<FeatureImportance> importance;  ///< with CompareOptions::importance
  /// The primary score: accuracy (classification) or R^2 (regression).
  [[nodiscard]] const MeanStd& primary(Task task) const noexcept { return task == Task::Regression ? r2 : accuracy; }
};

/// Predictions of one model on the decision-region lattice.
struct DecisionRegion {
  std::string model;
  ModelKind kind = ModelKind::Classical;
  std::vector<int> labels;  ///< grid x grid, row-major: index iy * grid + ix
};
struct DecisionRegions {
  int grid = 0;
  /// The lattice spans these (data range + 10 % of it on each side; +-1 for a constant feature);
  /// point (ix, iy) is (x0_min + (x0_max - x0_min) ix / (grid - 1), likewise x1 with iy).
  double x0_min = 0, x0_max = 0, x1_min = 0, x1_max = 0;
  std::vector<DecisionRegion> models;  ///< best quantum, then best classical (those that exist)
  std::vector<std::string> class_names;    ///< the data's, index order
  std::vector<std::string> feature_names;  ///< the two axes
  FeatureMatrix points;                    ///< the data's rows (N x 2), drawn over the regions
  Labels point_labels;                     ///< their classes
};

struct CompareResult {
  Task task = Task::Classification;
  int folds = 0;
  double mean_train_rows = 0.0, mean_test_rows = 0.0;  ///< per fold
  std::vector<std::vector<std::size_t>> fold_test_rows;  ///< the folds every model saw
  bool holdout = false;        ///< a train/test pair was given (test_accuracy filled)
  std::vector<int> sweep_features;  ///< the feature counts swept (CompareOptions'); empty: no sweep
  /// Rows sorted by the primary mean score, best first; with a sweep, one block per feature
  /// count in sweep order, each sorted.
  std::vector<CompareRow> rows;
  /// One sentence on the first (or only) sweep step. Scores with 3 decimals, p-values with 2
  /// significant digits (verdict() gives the words), quantum models best first:
  ///   "No quantum model beats the best classical model (svm-rbf, accuracy 0.967): qsvc (0.953) is
  ///    equal within noise (p = 0.42), vqc (0.900) is worse (p = 0.0031)."
  ///   "qsvc beats the best classical model (svm-rbf, accuracy 0.933): qsvc (0.973) is better
  ///    (p = 0.012), vqc (0.900) is equal within noise (p = 0.3)." ("qsvc and qsvc-z beat ...")
  ///   "No quantum model to compare; the best classical model is svm-rbf (accuracy 0.967)."
  ///   "No classical model to compare against; the best quantum model is qsvc (accuracy 0.953)."
  /// Regression says "R^2" instead of "accuracy".
  std::string summary;
  std::optional<DecisionRegions> regions;
  double seconds = 0.0;  ///< the whole run
};

/// Where a long run is (the CLI draws it on a terminal).
struct CompareProgress {
  /// Model fits done / planned: (outer folds + 1 with a train/test pair) x models x sweep steps,
  /// plus the decision-region fits. A fold's fit includes its grid search.
  std::size_t step = 0, steps = 0;
  std::string model;
  int fold = 0;                     ///< 1-based; folds + 1: the final fit of a pair; 0: decision regions
  int features = 0;
};
using CompareObserver = std::function<void(const CompareProgress&)>;

/// Runs the protocol on `data` (k-fold), or on `data` plus `test` (train/test pair). Calls
/// `observer` after each planned fit. Validates everything before the first fit (InvalidArgument):
/// unknown models or parameters (every model is built once per sweep step, and once per grid value
/// with that value set: the factory's messages), duplicate names, grids for names not in the run,
/// empty grid axes, no models, folds < 2, fewer rows than folds, "class 'setosa' has 3 rows, fewer
/// than the 5 folds", with search a class with fewer rows in an outer training set than inner
/// folds, a model of the wrong task for the data, a test set of another task, feature count or
/// classes, sweep counts outside [1, features], importance repeats < 1, a decision grid outside
/// {0} and [2, 1000].
[[nodiscard]] CompareResult run_comparison(const Dataset& data, const std::optional<Dataset>& test,
                                           const CompareOptions& options, const CompareObserver& observer = {});

/// The embedded default run of `qmlsim compare` with no arguments: iris; qsvc, qsvc-z,
/// qsvc-projected, vqc, reupload against svm-rbf, logreg, mlp; 5 folds; seed 1.
[[nodiscard]] std::vector<ModelConfig> default_compare_models();

}  // namespace qmlsim::qml

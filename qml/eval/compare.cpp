#include "qml/eval/compare.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <tuple>

#include "qml/data/preprocess.hpp"
#include "qml/data/split.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/eval/metrics.hpp"
#include "qml/kernel/quantum_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using Clock = std::chrono::steady_clock;
using Factory = std::function<std::unique_ptr<Estimator>(const ModelConfig&, const EstimatorContext&)>;
using Folds = std::vector<std::vector<std::size_t>>;
using Assignment = std::vector<std::pair<std::string, std::string>>;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// `config` with each (key, value) of `values` set: replaced where the key exists, else appended.
ModelConfig with_params(ModelConfig config, const Assignment& values) {
  for (const auto& [key, value] : values) {
    auto it = std::find_if(config.params.begin(), config.params.end(), [&](const auto& p) { return p.first == key; });
    if (it != config.params.end()) it->second = value;
    else config.params.emplace_back(key, value);
  }
  return config;
}

/// Every combination of the grid, the first axis varying slowest ("grid order").
std::vector<Assignment> combinations(const std::vector<GridAxis>& grid) {
  std::vector<Assignment> out{{}};
  for (const auto& axis : grid) {
    std::vector<Assignment> next;
    for (const auto& partial : out)
      for (const auto& value : axis.values) {
        next.push_back(partial);
        next.back().emplace_back(axis.key, value);
      }
    out = std::move(next);
  }
  return out;
}

/// Test rows of each fold -> training rows (the complement, ascending).
std::vector<std::size_t> complement(const std::vector<std::size_t>& test, std::size_t rows) {
  std::vector<bool> held(rows, false);
  for (std::size_t i : test) held[i] = true;
  std::vector<std::size_t> train;
  for (std::size_t i = 0; i < rows; ++i)
    if (!held[i]) train.push_back(i);
  return train;
}

/// The primary score of a fitted model on `rows`: accuracy, or R^2.
double primary_score(const Estimator& model, const Dataset& rows, const FeatureMatrix& x) {
  if (rows.task() == Task::Regression) {
    const auto predicted = model.predict_values(x);
    return r2_score(rows.targets(), predicted);
  }
  const auto predicted = model.predict(x);
  return accuracy(rows.y(), predicted);
}

/// Mean and sample standard deviation (k - 1) of one field over the folds, in fold order.
MeanStd mean_std(const std::vector<FoldScore>& folds, double FoldScore::*field) {
  MeanStd r;
  const auto k = static_cast<double>(folds.size());
  double sum = 0.0;
  for (const auto& f : folds) sum += f.*field;
  r.mean = sum / k;
  double squares = 0.0;
  for (const auto& f : folds) squares += (f.*field - r.mean) * (f.*field - r.mean);
  r.std = folds.size() > 1 ? std::sqrt(squares / (k - 1.0)) : kNotMeasured;
  return r;
}

std::string format_score(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", value);
  return text;
}

std::string format_p(double p) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2g", p);
  return text;
}

/// The grid `config` is searched over: the run's own for its name, else its type's default
/// (none for a type outside the registry, such as a test's fake). The default grids' `scaling`
/// axis rescales the model's default preprocessing, so it is left out when the run sets its own.
std::vector<GridAxis> search_grid(const CompareOptions& options, const ModelConfig& config) {
  const auto it = options.grids.find(config.name);
  if (it != options.grids.end()) return it->second;
  if (!is_compare_model(config.type)) return {};
  std::vector<GridAxis> grid = default_grid(config.type);
  if (options.context.preprocess)
    std::erase_if(grid, [](const GridAxis& axis) { return axis.key == "scaling"; });
  return grid;
}

/// What every fit of a run needs besides the rows.
class Protocol {
 public:
  Protocol(const CompareOptions& options, Factory factory, const CompareObserver& observer, std::size_t steps)
      : options_(options), factory_(std::move(factory)), observer_(observer), steps_(steps) {}

  /// The grid a model is searched over (empty without --search).
  [[nodiscard]] std::vector<GridAxis> grid_of(const ModelConfig& config) const {
    return options_.search ? search_grid(options_, config) : std::vector<GridAxis>{};
  }

  /// A model fitted on `train`: with a grid, the combination of the best mean inner-CV primary
  /// score (ties: the first), refitted on all of `train`. `stream` derives the inner folds' seed.
  struct Fitted {
    std::unique_ptr<Estimator> model;
    Assignment chosen;
    std::uint64_t circuit_evaluations = 0;
    double seconds = 0.0;
  };
  Fitted fit(const ModelConfig& config, const EstimatorContext& context, const Dataset& train,
             std::uint64_t stream) const {
    const auto start = Clock::now();
    Fitted out;
    const auto grid = grid_of(config);
    if (!grid.empty()) {
      const auto inner = stratified_k_fold(train, options_.inner_folds, Rng(context.seed, stream)());
      double best = -std::numeric_limits<double>::infinity();
      bool found = false;
      std::optional<InvalidArgument> refused;  // the last candidate the inner folds could not fit
      for (const auto& candidate : combinations(grid)) {
        const ModelConfig trial = with_params(config, candidate);
        double sum = 0.0;
        try {
          for (const auto& test_rows : inner) {
            const Dataset inner_train = train.subset(complement(test_rows, train.size()));
            const Dataset inner_test = train.subset(test_rows);
            auto model = factory_(trial, context);
            out.circuit_evaluations += model->fit(inner_train).circuit_evaluations;
            sum += primary_score(*model, inner_test, inner_test.x());
          }
        } catch (const InvalidArgument& e) {
          // A value the inner training rows cannot take (n_neighbors above their count, ...)
          // is no candidate on this data; the others still are.
          refused = e;
          continue;
        }
        const double mean = sum / static_cast<double>(inner.size());
        if (!found || mean > best) {
          best = mean;
          out.chosen = candidate;
          found = true;
        }
      }
      if (!found && refused) throw *refused;
    }
    out.model = factory_(with_params(config, out.chosen), context);
    out.circuit_evaluations += out.model->fit(train).circuit_evaluations;
    out.seconds = seconds_since(start);
    return out;
  }

  /// Tells the observer that one more planned fit is done.
  void progress(const std::string& model, int fold, int features) {
    ++done_;
    if (observer_) observer_(CompareProgress{done_, steps_, model, fold, features});
  }

 private:
  const CompareOptions& options_;
  Factory factory_;
  const CompareObserver& observer_;
  std::size_t steps_;
  std::size_t done_ = 0;
};

/// The metrics of a fitted model on one fold's test rows.
FoldScore score_fold(const Estimator& model, const Dataset& test) {
  FoldScore s;
  const auto start = Clock::now();
  if (test.task() == Task::Regression) {
    const auto predicted = model.predict_values(test.x());
    s.predict_seconds = seconds_since(start);
    s.r2 = r2_score(test.targets(), predicted);
    s.mse = mean_squared_error(test.targets(), predicted);
    s.mae = mean_absolute_error(test.targets(), predicted);
    return s;
  }
  const auto predicted = model.predict(test.x());
  s.predict_seconds = seconds_since(start);
  const int classes = test.num_classes();
  s.accuracy = accuracy(test.y(), predicted);
  s.balanced_accuracy = balanced_accuracy(test.y(), predicted, classes);
  s.f1_macro = f1_macro(test.y(), predicted, classes);
  if (classes == 2) s.roc_auc = roc_auc(test.y(), model.score_class1(test.x()));
  if (model.has_proba()) s.log_loss = log_loss(test.y(), model.predict_proba(test.x()));
  return s;
}

/// Kernel diagnostics of a fitted model on its training rows; nullopt for a model without a kernel
/// or for fewer than 3 rows (no off-diagonal variance).
std::optional<ModelKernelDiagnostics> diagnose(const Estimator& model, const Dataset& train,
                                          const EstimatorContext& context) {
  if (train.size() < 3) return std::nullopt;
  const auto k = model.kernel_matrix(train.x(), train.x());
  if (!k) return std::nullopt;
  // The classical reference of the geometric difference: the RBF kernel (gamma 'scale') on the
  // rows as the classical models see them; the rest as `qmlsim kernel` reports it.
  Pipeline classical = Pipeline::parse(model_preprocess_spec(context, "standard"));
  const Dataset rows = train.with_features(classical.fit_transform(train.x()));
  const KernelDiagnostics full = kernel_diagnostics(*k, rows, true, context.simulator.memory);
  return ModelKernelDiagnostics{full.target_alignment, full.offdiag_mean, full.offdiag_variance,
                                full.geometric_difference};
}

/// Field-wise mean of the folds' diagnostics (the folds that have them).
ModelKernelDiagnostics average(const std::vector<ModelKernelDiagnostics>& folds) {
  ModelKernelDiagnostics m{0.0, 0.0, 0.0, 0.0};
  for (const auto& d : folds) {
    m.alignment += d.alignment;
    m.off_diagonal_mean += d.off_diagonal_mean;
    m.off_diagonal_variance += d.off_diagonal_variance;
    m.geometric_difference += d.geometric_difference;
  }
  const auto k = static_cast<double>(folds.size());
  m.alignment /= k;
  m.off_diagonal_mean /= k;
  m.off_diagonal_variance /= k;
  m.geometric_difference /= k;
  return m;
}

/// Element-wise mean over folds of importance lists (same features, same order).
std::vector<FeatureImportance> average(const std::vector<std::vector<FeatureImportance>>& folds) {
  std::vector<FeatureImportance> m = folds.front();
  for (auto& f : m) f.mean = f.std = 0.0;
  for (const auto& fold : folds)
    for (std::size_t j = 0; j < m.size(); ++j) {
      m[j].mean += fold[j].mean;
      m[j].std += fold[j].std;
    }
  for (auto& f : m) {
    f.mean /= static_cast<double>(folds.size());
    f.std /= static_cast<double>(folds.size());
  }
  return m;
}

/// One model through every fold of one sweep step (and the final fit of a train/test pair).
CompareRow evaluate(Protocol& protocol, const ModelConfig& config, const EstimatorContext& context,
                    const Dataset& data, const Folds& folds, const std::optional<Dataset>& test,
                    const CompareOptions& options, int features) {
  CompareRow row;
  row.model = config.name;
  row.type = config.type;
  row.features = features;
  std::vector<ModelKernelDiagnostics> diagnostics;
  std::vector<std::vector<FeatureImportance>> importance;
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const Dataset train = data.subset(complement(folds[f], data.size()));
    const Dataset held_out = data.subset(folds[f]);
    auto fitted = protocol.fit(config, context, train, f + 1);
    const Estimator& model = *fitted.model;
    FoldScore s = score_fold(model, held_out);
    s.fit_seconds = fitted.seconds;
    s.circuit_evaluations = fitted.circuit_evaluations;
    s.chosen = std::move(fitted.chosen);
    if (f == 0) {
      row.kind = model.kind();
      row.description = model.description();
      const EstimatorInfo info = model.info();
      row.trainable_parameters = info.trainable_parameters;
      row.qubits = info.qubits;
      row.circuit_depth = info.circuit_depth;
    }
    if (options.diagnostics)
      if (auto d = diagnose(model, train, context)) diagnostics.push_back(*d);
    if (options.importance) {
      const ScoreFunction score = [&](const FeatureMatrix& x) { return primary_score(model, held_out, x); };
      importance.push_back(permutation_importance(held_out, score, options.importance_repeats, context.seed));
    }
    row.circuit_evaluations += s.circuit_evaluations;
    row.folds.push_back(std::move(s));
    protocol.progress(config.name, static_cast<int>(f) + 1, features);
  }
  row.accuracy = mean_std(row.folds, &FoldScore::accuracy);
  row.balanced_accuracy = mean_std(row.folds, &FoldScore::balanced_accuracy);
  row.f1_macro = mean_std(row.folds, &FoldScore::f1_macro);
  row.roc_auc = mean_std(row.folds, &FoldScore::roc_auc);
  row.log_loss = mean_std(row.folds, &FoldScore::log_loss);
  row.r2 = mean_std(row.folds, &FoldScore::r2);
  row.mse = mean_std(row.folds, &FoldScore::mse);
  row.mae = mean_std(row.folds, &FoldScore::mae);
  row.fit_seconds = mean_std(row.folds, &FoldScore::fit_seconds).mean;
  row.predict_seconds = mean_std(row.folds, &FoldScore::predict_seconds).mean;
  if (!diagnostics.empty()) row.diagnostics = average(diagnostics);
  if (!importance.empty()) row.importance = average(importance);
  if (test) {
    const auto fitted = protocol.fit(config, context, data, folds.size() + 1);
    const double score = primary_score(*fitted.model, *test, test->x());
    (data.task() == Task::Regression ? row.test_r2 : row.test_accuracy) = score;
    protocol.progress(config.name, static_cast<int>(folds.size()) + 1, features);
  }
  return row;
}

/// The primary per-fold scores of a row.
std::vector<double> primary_scores(const CompareRow& row, Task task) {
  std::vector<double> v;
  for (const auto& f : row.folds) v.push_back(task == Task::Regression ? f.r2 : f.accuracy);
  return v;
}

/// The best row of a kind in a sorted block (the first of that kind), or nullptr.
const CompareRow* best_of(const std::vector<CompareRow>& block, ModelKind kind) {
  for (const auto& row : block)
    if (row.kind == kind) return &row;
  return nullptr;
}

std::string summarize(const std::vector<CompareRow>& block, Task task) {
  const char* metric = task == Task::Regression ? "R^2" : "accuracy";
  const CompareRow* classical = best_of(block, ModelKind::Classical);
  const CompareRow* quantum = best_of(block, ModelKind::Quantum);
  if (!quantum && !classical) return "No models were compared.";
  if (!quantum)
    return "No quantum model to compare; the best classical model is " + classical->model + " (" + metric + " " +
           format_score(classical->primary(task).mean) + ").";
  if (!classical)
    return "No classical model to compare against; the best quantum model is " + quantum->model + " (" + metric +
           " " + format_score(quantum->primary(task).mean) + ").";
  std::vector<std::string> winners;
  std::string details;
  for (const auto& row : block) {
    if (row.kind != ModelKind::Quantum) continue;
    const std::string word = verdict(*row.versus_best_classical);
    if (word == "better") winners.push_back(row.model);
    details += (details.empty() ? "" : ", ") + row.model + " (" + format_score(row.primary(task).mean) + ") ";
    details += word == "untestable"
                   ? "differs by the same " + format_score(row.versus_best_classical->mean_difference) +
                         " on every fold (no variance: untestable)"
                   : "is " + word + " (p = " + format_p(row.versus_best_classical->p_value) + ")";
  }
  std::string subject = "No quantum model beats";
  if (!winners.empty()) {
    subject = winners.front();
    for (std::size_t i = 1; i < winners.size(); ++i)
      subject += (i + 1 == winners.size() ? " and " : ", ") + winners[i];
    subject += winners.size() == 1 ? " beats" : " beat";
  }
  return subject + " the best classical model (" + classical->model + ", " + metric + " " +
         format_score(classical->primary(task).mean) + "): " + details + ".";
}

/// Lattice bounds of one feature: the data's range widened by 10 % on each side (1 when constant).
std::pair<double, double> lattice_range(const FeatureMatrix& x, int column) {
  const double lo = x.col(column).minCoeff(), hi = x.col(column).maxCoeff();
  const double pad = hi > lo ? 0.1 * (hi - lo) : 1.0;
  return {lo - pad, hi + pad};
}

DecisionRegions decision_regions(Protocol& protocol, const CompareOptions& options, const EstimatorContext& context,
                                 const Dataset& data, const std::vector<CompareRow>& block) {
  DecisionRegions r;
  r.grid = options.decision_grid;
  r.class_names = data.class_names();
  r.feature_names = data.feature_names();
  r.points = data.x();
  r.point_labels = data.y();
  std::tie(r.x0_min, r.x0_max) = lattice_range(data.x(), 0);
  std::tie(r.x1_min, r.x1_max) = lattice_range(data.x(), 1);
  const auto n = static_cast<Eigen::Index>(r.grid);
  ensure_memory(static_cast<std::uint64_t>(n * n) * (2 * sizeof(double) + sizeof(int)),
                "compare: a " + std::to_string(n) + " x " + std::to_string(n) + " decision-region lattice",
                context.simulator.memory);
  FeatureMatrix lattice(n * n, 2);
  for (Eigen::Index iy = 0; iy < n; ++iy)
    for (Eigen::Index ix = 0; ix < n; ++ix) {
      lattice(iy * n + ix, 0) = r.x0_min + (r.x0_max - r.x0_min) * static_cast<double>(ix) / static_cast<double>(n - 1);
      lattice(iy * n + ix, 1) = r.x1_min + (r.x1_max - r.x1_min) * static_cast<double>(iy) / static_cast<double>(n - 1);
    }
  for (const ModelKind kind : {ModelKind::Quantum, ModelKind::Classical}) {
    const CompareRow* best = best_of(block, kind);
    if (!best) continue;
    const auto config = std::find_if(options.models.begin(), options.models.end(),
                                     [&](const ModelConfig& m) { return m.name == best->model; });
    const auto fitted = protocol.fit(*config, context, data, options.folds + 2);
    r.models.push_back(DecisionRegion{best->model, kind, fitted.model->predict(lattice)});
    protocol.progress(best->model, 0, best->features);
  }
  return r;
}

std::string task_noun(Task task) { return task == Task::Regression ? "regression" : "classification"; }

/// Every check that can fail before the first fit. Returns the kinds of the models (built once each).
std::vector<ModelKind> validate(const Dataset& data, const std::optional<Dataset>& test, const CompareOptions& options,
                                const Factory& factory) {
  if (options.models.empty()) throw InvalidArgument("compare: no models given");
  check_range(options.folds, 2, 1'000'000, "compare: folds");
  if (options.search) check_range(options.inner_folds, 2, 1'000'000, "compare: inner folds");
  if (options.importance) check_positive(options.importance_repeats, "compare: importance repeats");
  if (options.decision_grid != 0) check_range(options.decision_grid, 2, 1000, "compare: decision grid");
  if (data.size() < static_cast<std::size_t>(options.folds))
    throw InvalidArgument("compare: " + plural(static_cast<long long>(data.size()), "row") + ", fewer than the " +
                          std::to_string(options.folds) + " folds");
  if (data.task() == Task::Classification) {
    const auto counts = data.class_counts();
    for (std::size_t c = 0; c < counts.size(); ++c) {
      if (counts[c] < static_cast<std::size_t>(options.folds))
        throw InvalidArgument("class '" + data.class_names()[c] + "' has " +
                              plural(static_cast<long long>(counts[c]), "row") + ", fewer than the " +
                              std::to_string(options.folds) + " folds");
      // A fold holds at most ceil(count / folds) rows of the class; the rest train.
      const std::size_t training = counts[c] - (counts[c] + options.folds - 1) / options.folds;
      if (options.search && training < static_cast<std::size_t>(options.inner_folds))
        throw InvalidArgument("class '" + data.class_names()[c] + "' has " +
                              plural(static_cast<long long>(training), "row") +
                              " in some outer training sets, fewer than the " + std::to_string(options.inner_folds) +
                              " inner folds of the search");
    }
  }
  const std::size_t min_training = data.size() - (data.size() + options.folds - 1) / options.folds;
  if (options.search && min_training < static_cast<std::size_t>(options.inner_folds))
    throw InvalidArgument("compare: " + plural(static_cast<long long>(min_training), "row") +
                          " in some outer training sets, fewer than the " + std::to_string(options.inner_folds) +
                          " inner folds of the search");
  if (test) {
    if (test->task() != data.task())
      throw InvalidArgument("compare: the test data are " + task_noun(test->task()) + " data, the training data " +
                            task_noun(data.task()));
    if (test->num_features() != data.num_features())
      throw InvalidArgument("compare: the test data have " + plural(test->num_features(), "feature") +
                            ", the training data " + plural(data.num_features(), "feature"));
    if (test->class_names() != data.class_names())
      throw InvalidArgument("compare: the test data's classes (" + join_names(test->class_names()) +
                            ") differ from the training data's (" + join_names(data.class_names()) + ")");
    if (test->size() == 0) throw InvalidArgument("compare: the test data have no rows");
  }
  for (const int k : options.sweep_features) check_range(k, 1, data.num_features(), "compare: sweep feature count");

  std::set<std::string> names;
  for (const auto& m : options.models)
    if (!names.insert(m.name).second) throw InvalidArgument("compare: model name '" + m.name + "' given twice");
  for (const auto& [name, grid] : options.grids)
    if (!names.count(name))
      throw InvalidArgument("compare: a grid for '" + name + "', which is not a model of the run");

  std::vector<int> reductions = options.sweep_features;
  if (reductions.empty()) reductions.push_back(options.context.reduce_to);
  std::vector<ModelKind> kinds;
  for (const auto& m : options.models) {
    EstimatorContext context = options.context;
    std::unique_ptr<Estimator> model;
    for (const int k : reductions) {
      context.reduce_to = k;
      model = factory(m, context);
    }
    if (model->task() != data.task())
      throw InvalidArgument("compare: model '" + m.name + "' (" + m.type + ") is a " + task_noun(model->task()) +
                            " model, but the data are " + task_noun(data.task()) + " data");
    kinds.push_back(model->kind());
    if (!options.search) continue;
    for (const auto& axis : search_grid(options, m)) {
      if (axis.values.empty())
        throw InvalidArgument("compare: the grid of model '" + m.name + "' has no values for '" + axis.key + "'");
      for (const auto& value : axis.values) (void)factory(with_params(m, {{axis.key, value}}), context);
    }
  }
  return kinds;
}

}  // namespace

CompareResult run_comparison(const Dataset& data, const std::optional<Dataset>& test, const CompareOptions& options,
                             const CompareObserver& observer) {
  const auto start = Clock::now();
  const Factory factory = options.factory ? options.factory : Factory(make_estimator);
  const std::vector<ModelKind> kinds = validate(data, test, options, factory);

  CompareResult result;
  result.task = data.task();
  result.folds = options.folds;
  result.holdout = test.has_value();
  // Regression data form one stratum: the same call is a plain shuffled k-fold.
  result.fold_test_rows = stratified_k_fold(data, options.folds, options.context.seed);
  for (const auto& rows : result.fold_test_rows) {
    result.mean_test_rows += static_cast<double>(rows.size()) / options.folds;
    result.mean_train_rows += static_cast<double>(data.size() - rows.size()) / options.folds;
  }

  result.sweep_features = options.sweep_features;
  std::vector<int> sweep = options.sweep_features;
  if (sweep.empty()) sweep.push_back(options.context.reduce_to);
  const bool regions = options.decision_grid > 0 && data.num_features() == 2 && data.task() == Task::Classification;
  const std::size_t region_fits =
      regions ? static_cast<std::size_t>(std::count(kinds.begin(), kinds.end(), ModelKind::Quantum) > 0) +
                    static_cast<std::size_t>(std::count(kinds.begin(), kinds.end(), ModelKind::Classical) > 0)
              : 0;
  const std::size_t steps =
      sweep.size() * options.models.size() * (result.fold_test_rows.size() + (test ? 1 : 0)) + region_fits;
  Protocol protocol(options, factory, observer, steps);

  for (std::size_t s = 0; s < sweep.size(); ++s) {
    EstimatorContext context = options.context;
    context.reduce_to = sweep[s];
    const int features = sweep[s] > 0 ? sweep[s] : data.num_features();
    std::vector<CompareRow> block;
    for (const auto& config : options.models)
      block.push_back(evaluate(protocol, config, context, data, result.fold_test_rows, test, options, features));
    std::stable_sort(block.begin(), block.end(), [&](const CompareRow& a, const CompareRow& b) {
      return a.primary(data.task()).mean > b.primary(data.task()).mean;
    });
    if (const CompareRow* classical = best_of(block, ModelKind::Classical)) {
      const auto reference = primary_scores(*classical, data.task());
      for (auto& row : block)
        if (row.kind == ModelKind::Quantum)
          row.versus_best_classical = corrected_resampled_ttest(primary_scores(row, data.task()), reference,
                                                                result.mean_train_rows, result.mean_test_rows);
    }
    if (s == 0) {
      result.summary = summarize(block, data.task());
      if (regions) result.regions = decision_regions(protocol, options, context, data, block);
    }
    for (auto& row : block) result.rows.push_back(std::move(row));
  }
  result.seconds = seconds_since(start);
  return result;
}

std::vector<ModelConfig> default_compare_models() {
  std::vector<ModelConfig> models;
  for (const char* type : {"qsvc", "qsvc-z", "qsvc-projected", "vqc", "reupload", "svm-rbf", "logreg", "mlp"})
    models.push_back(ModelConfig{type, type, {}});
  return models;
}

}  // namespace qmlsim::qml

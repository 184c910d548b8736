#include "qml/eval/compare.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <cstdio>
#include <string>
#include <vector>

#include "qml/data/preprocess.hpp"
#include "qml/data/synthetic.hpp"
#include "qml/eval/significance.hpp"
#include "qml/kernel/rbf_kernel.hpp"
#include "simulator/core/errors.hpp"
#include "tests/support/error_message.hpp"

namespace qmlsim::qml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using qmlsim::testing::invalid_argument_of;

// The fakes read column 0 as the row's id and column 1 as its truth: the class lround(x1) (or the
// target x1). Parameter wrong=q makes every row whose id is a multiple of q wrong (class + 1, or
// target + 1), so per-fold scores follow from the folds alone.

/// What the fakes saw: one entry per call, in call order.
struct Call {
  std::string model;
  std::string what;  ///< "fit", "predict" (any prediction call) or "kernel"
  std::vector<long> ids;
  int reduce_to = 0;
};
using Log = std::vector<Call>;

std::vector<long> ids_of(const FeatureMatrix& x) {
  std::vector<long> ids;
  for (Eigen::Index i = 0; i < x.rows(); ++i) ids.push_back(std::lround(x(i, 0)));
  return ids;
}

class FakeModel : public Estimator {
 public:
  FakeModel(const ModelConfig& config, const EstimatorContext& context, std::shared_ptr<Log> log)
      : name_(config.name), type_(config.type), reduce_to_(context.reduce_to), log_(std::move(log)) {
    for (const auto& [key, value] : config.params) {
      if (key == "wrong") wrong_ = std::stol(value);
      else if (key == "kernel") kernel_ = value;
      else if (key == "proba") proba_ = value == "1";
      else
        throw InvalidArgument("model '" + name_ + "': unknown parameter '" + key + "' (valid: wrong, kernel, proba)");
    }
  }
  ModelKind kind() const noexcept override {
    return type_.starts_with("fake-q") ? ModelKind::Quantum : ModelKind::Classical;
  }
  Task task() const noexcept override { return type_.ends_with("-reg") ? Task::Regression : Task::Classification; }
  EstimatorFit fit(const Dataset& train) override {
    log("fit", train.x());
    classes_ = train.num_classes();
    fitted_rows_ = train.size();
    scaler_ = Pipeline::parse("standard");
    scaler_.fit(train.x());
    return {0.0, kind() == ModelKind::Quantum ? train.size() : 0u, 0};
  }
  Labels predict(const FeatureMatrix& x) const override {
    log("predict", x);
    Labels out;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const int truth = static_cast<int>(std::clamp<long>(std::lround(x(i, 1)), 0, classes_ - 1));
      out.push_back(is_wrong(x(i, 0)) ? (truth + 1) % classes_ : truth);
    }
    return out;
  }
  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    log("predict", x);
    std::vector<double> out;
    for (Eigen::Index i = 0; i < x.rows(); ++i) out.push_back(x(i, 1) + (is_wrong(x(i, 0)) ? 1.0 : 0.0));
    return out;
  }
  bool has_proba() const noexcept override { return proba_; }
  Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override {
    const Labels labels = predict(x);
    Eigen::MatrixXd p = Eigen::MatrixXd::Constant(x.rows(), classes_, 0.1 / (classes_ - 1));
    for (std::size_t i = 0; i < labels.size(); ++i) p(static_cast<Eigen::Index>(i), labels[i]) = 0.9;
    return p;
  }
  std::vector<double> score_class1(const FeatureMatrix& x) const override {
    std::vector<double> s;
    for (const int label : predict(x)) s.push_back(label == 1 ? 1.0 : 0.0);
    return s;
  }
  EstimatorInfo info() const override {
    return {fitted_rows_, kind() == ModelKind::Quantum ? 2 : 0, kind() == ModelKind::Quantum ? 3 : 0};
  }
  std::string description() const override { return type_ + " reduce=" + std::to_string(reduce_to_); }
  std::optional<Eigen::MatrixXd> kernel_matrix(const FeatureMatrix& a, const FeatureMatrix& b) const override {
    if (kernel_.empty()) return std::nullopt;
    log("kernel", a);
    if (kernel_ == "rbf") {
      const FeatureMatrix sa = scaler_.transform(a), sb = scaler_.transform(b);
      return rbf_kernel(sa, sb, rbf_scale_gamma(sa));
    }
    Eigen::MatrixXd k(a.rows(), b.rows());
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      for (Eigen::Index j = 0; j < b.rows(); ++j)
        k(i, j) = kernel_ == "ideal" ? (std::lround(a(i, 1)) == std::lround(b(j, 1)) ? 1.0 : -1.0)
                                     : (i == j ? 1.0 : 0.5);
    return k;
  }

 private:
  bool is_wrong(double id) const { return wrong_ > 0 && std::lround(id) % wrong_ == 0; }
  void log(const char* what, const FeatureMatrix& x) const { log_->push_back({name_, what, ids_of(x), reduce_to_}); }

  std::string name_, type_;
  int reduce_to_ = 0;
  std::shared_ptr<Log> log_;
  long wrong_ = 0;
  std::string kernel_;
  bool proba_ = false;
  int classes_ = 0;
  std::size_t fitted_rows_ = 0;
  Pipeline scaler_;
};

ModelConfig fake(const std::string& name, const std::string& type, long wrong = 0,
                 std::vector<std::pair<std::string, std::string>> more = {}) {
  ModelConfig c{name, type, std::move(more)};
  if (wrong > 0) c.params.emplace_back("wrong", std::to_string(wrong));
  return c;
}

/// Options with the fakes' factory, logging into `log`.
CompareOptions fake_options(std::vector<ModelConfig> models, const std::shared_ptr<Log>& log, int folds = 5) {
  CompareOptions o;
  o.models = std::move(models);
  o.folds = folds;
  o.context.seed = 7;
  o.factory = [log](const ModelConfig& c, const EstimatorContext& ctx) {
    return std::unique_ptr<Estimator>(std::make_unique<FakeModel>(c, ctx, log));
  };
  return o;
}

/// n rows: x0 = id (first .. first + n - 1), x1 = the class, id mod classes.
Dataset classes_data(int n, int classes, long first = 0) {
  FeatureMatrix x(n, 2);
  Labels y;
  std::vector<std::string> names;
  for (int c = 0; c < classes; ++c) {
    std::string name = "c";
    name += std::to_string(c);
    names.push_back(name);
  }
  for (int i = 0; i < n; ++i) {
    const long id = first + i;
    x(i, 0) = static_cast<double>(id);
    x(i, 1) = static_cast<double>(id % classes);
    y.push_back(static_cast<int>(id % classes));
  }
  return Dataset(x, y, names, {"id", "value"});
}

Dataset regression_data(int n) {
  FeatureMatrix x(n, 2);
  std::vector<double> t;
  for (int i = 0; i < n; ++i) {
    x(i, 0) = i;
    x(i, 1) = std::sin(0.7 * i) * 3.0;
    t.push_back(x(i, 1));
  }
  return Dataset::regression(x, t, {"id", "value"});
}

std::vector<long> as_ids(const std::vector<std::size_t>& rows, const Dataset& data) {
  std::vector<long> ids;
  for (const std::size_t r : rows) ids.push_back(std::lround(data.x()(static_cast<Eigen::Index>(r), 0)));
  return ids;
}

std::vector<long> training_ids(const std::vector<std::size_t>& test_rows, const Dataset& data) {
  std::vector<std::size_t> train;
  for (std::size_t r = 0; r < data.size(); ++r)
    if (std::find(test_rows.begin(), test_rows.end(), r) == test_rows.end()) train.push_back(r);
  return as_ids(train, data);
}

std::vector<Call> calls_of(const Log& log, const std::string& model, const std::string& what) {
  std::vector<Call> out;
  for (const auto& c : log)
    if (c.model == model && c.what == what) out.push_back(c);
  return out;
}

const CompareRow& row_named(const CompareResult& r, const std::string& name) {
  for (const auto& row : r.rows)
    if (row.model == name) return row;
  throw std::runtime_error("no row " + name);
}

/// Accuracy of wrong=q on the rows `rows` of classes_data.
double expected_accuracy(const std::vector<std::size_t>& rows, long q) {
  double right = 0;
  for (const std::size_t r : rows) right += (q > 0 && static_cast<long>(r) % q == 0) ? 0.0 : 1.0;
  return right / static_cast<double>(rows.size());
}

TEST(CompareTest, EveryModelFitsOnTheSameFoldsTrainingRowsOnly) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  const std::vector<ModelConfig> models = {fake("a", "fake-c"), fake("b", "fake-q", 3), fake("c", "fake-c", 2)};
  const auto result = run_comparison(data, std::nullopt, fake_options(models, log));
  ASSERT_EQ(result.fold_test_rows.size(), 5u);
  for (const std::string model : {"a", "b", "c"}) {
    const auto fits = calls_of(*log, model, "fit");
    const auto predictions = calls_of(*log, model, "predict");
    ASSERT_EQ(fits.size(), 5u) << model;
    ASSERT_EQ(predictions.size(), 5u) << model;
    for (std::size_t f = 0; f < 5; ++f) {
      EXPECT_EQ(fits[f].ids, training_ids(result.fold_test_rows[f], data)) << model << " fold " << f;
      EXPECT_EQ(predictions[f].ids, as_ids(result.fold_test_rows[f], data)) << model << " fold " << f;
    }
  }
  // Models run one after another: all of a's calls before any of b's.
  std::vector<std::string> order;
  for (const auto& c : *log)
    if (order.empty() || order.back() != c.model) order.push_back(c.model);
  EXPECT_THAT(order, ElementsAre("a", "b", "c"));
  EXPECT_DOUBLE_EQ(result.mean_test_rows, 6.0);
  EXPECT_DOUBLE_EQ(result.mean_train_rows, 24.0);
}

TEST(CompareTest, FoldTestRowsPartitionTheDataAndAreStratified) {
  const Dataset data = classes_data(23, 3);
  auto log = std::make_shared<Log>();
  const auto result = run_comparison(data, std::nullopt, fake_options({fake("a", "fake-c")}, log, 4));
  std::multiset<std::size_t> all;
  for (const auto& fold : result.fold_test_rows) all.insert(fold.begin(), fold.end());
  ASSERT_EQ(all.size(), data.size());
  for (std::size_t r = 0; r < data.size(); ++r) EXPECT_EQ(all.count(r), 1u) << r;
  for (int c = 0; c < 3; ++c) {
    std::size_t lo = data.size(), hi = 0;
    for (const auto& fold : result.fold_test_rows) {
      const auto n = static_cast<std::size_t>(
          std::count_if(fold.begin(), fold.end(), [&](std::size_t r) { return data.y()[r] == c; }));
      lo = std::min(lo, n);
      hi = std::max(hi, n);
    }
    EXPECT_LE(hi - lo, 1u) << "class " << c;
  }
}

TEST(CompareTest, PerFoldScoresMeansSampleStdsAndSorting) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  const std::vector<ModelConfig> models = {fake("half", "fake-c", 2), fake("perfect", "fake-c"),
                                           fake("third", "fake-c", 3)};
  const auto result = run_comparison(data, std::nullopt, fake_options(models, log));
  ASSERT_EQ(result.rows.size(), 3u);
  EXPECT_EQ(result.rows[0].model, "perfect");
  EXPECT_EQ(result.rows[1].model, "third");
  EXPECT_EQ(result.rows[2].model, "half");
  for (const auto& [name, q] : std::vector<std::pair<std::string, long>>{{"half", 2}, {"perfect", 0}, {"third", 3}}) {
    const CompareRow& row = row_named(result, name);
    ASSERT_EQ(row.folds.size(), 5u);
    std::vector<double> expected;
    for (std::size_t f = 0; f < 5; ++f) {
      expected.push_back(expected_accuracy(result.fold_test_rows[f], q));
      EXPECT_DOUBLE_EQ(row.folds[f].accuracy, expected.back()) << name << " fold " << f;
      EXPECT_TRUE(std::isfinite(row.folds[f].balanced_accuracy));
      EXPECT_TRUE(std::isfinite(row.folds[f].f1_macro));
      EXPECT_TRUE(std::isnan(row.folds[f].roc_auc)) << "three classes: no ROC AUC";
      EXPECT_TRUE(std::isnan(row.folds[f].log_loss)) << "no probabilities: no log loss";
      EXPECT_TRUE(std::isnan(row.folds[f].r2));
      EXPECT_GE(row.folds[f].fit_seconds, 0.0);
      EXPECT_GE(row.folds[f].predict_seconds, 0.0);
    }
    double mean = 0.0, squares = 0.0;
    for (const double a : expected) mean += a / 5.0;
    for (const double a : expected) squares += (a - mean) * (a - mean);
    EXPECT_NEAR(row.accuracy.mean, mean, 1e-15) << name;
    EXPECT_NEAR(row.accuracy.std, std::sqrt(squares / 4.0), 1e-15) << name;
    EXPECT_EQ(row.features, 2);
    EXPECT_EQ(row.kind, ModelKind::Classical);
    EXPECT_EQ(row.description, "fake-c reduce=0");
    EXPECT_EQ(row.trainable_parameters, 24u);
    EXPECT_FALSE(row.versus_best_classical.has_value());
  }
  EXPECT_DOUBLE_EQ(row_named(result, "perfect").accuracy.std, 0.0);
  EXPECT_DOUBLE_EQ(row_named(result, "perfect").balanced_accuracy.mean, 1.0);
  EXPECT_DOUBLE_EQ(row_named(result, "perfect").f1_macro.mean, 1.0);
}

TEST(CompareTest, TwoClassesGiveRocAucAndProbabilitiesGiveLogLoss) {
  const Dataset data = classes_data(20, 2);
  auto log = std::make_shared<Log>();
  const auto result = run_comparison(
      data, std::nullopt, fake_options({fake("p", "fake-c", 0, {{"proba", "1"}}), fake("n", "fake-c", 4)}, log));
  const CompareRow& p = row_named(result, "p");
  EXPECT_DOUBLE_EQ(p.roc_auc.mean, 1.0);
  EXPECT_NEAR(p.log_loss.mean, -std::log(0.9), 1e-12);
  EXPECT_NEAR(p.log_loss.std, 0.0, 1e-12);
  const CompareRow& n = row_named(result, "n");
  EXPECT_TRUE(std::isfinite(n.roc_auc.mean));
  EXPECT_LT(n.roc_auc.mean, 1.0);
  EXPECT_TRUE(std::isnan(n.log_loss.mean));
}

TEST(CompareTest, QuantumRowsAreTestedAgainstTheBestClassicalModel) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  const auto result = run_comparison(data, std::nullopt,
                                     fake_options({fake("c-weak", "fake-c", 2), fake("c-best", "fake-c", 5),
                                                   fake("q-good", "fake-q", 7), fake("q-bad", "fake-q", 2)},
                                                  log));
  auto scores = [](const CompareRow& row) {
    std::vector<double> s;
    for (const auto& f : row.folds) s.push_back(f.accuracy);
    return s;
  };
  const auto best = scores(row_named(result, "c-best"));
  for (const std::string q : {"q-good", "q-bad"}) {
    const CompareRow& row = row_named(result, q);
    ASSERT_TRUE(row.versus_best_classical.has_value()) << q;
    const TTestResult expected =
        corrected_resampled_ttest(scores(row), best, result.mean_train_rows, result.mean_test_rows);
    EXPECT_DOUBLE_EQ(row.versus_best_classical->mean_difference, expected.mean_difference) << q;
    EXPECT_DOUBLE_EQ(row.versus_best_classical->p_value, expected.p_value) << q;
    EXPECT_EQ(row.versus_best_classical->degrees_of_freedom, 4);
    EXPECT_EQ(row.kind, ModelKind::Quantum);
    EXPECT_EQ(row.qubits, 2);
    EXPECT_EQ(row.circuit_depth, 3);
    EXPECT_EQ(row.circuit_evaluations, 4u * 30u);  // 24 training rows per fold, 5 folds
  }
  EXPECT_FALSE(row_named(result, "c-weak").versus_best_classical.has_value());
  // q-good (wrong on multiples of 7) beats c-best (multiples of 5) in mean accuracy, yet not beyond noise.
  const auto& good = *row_named(result, "q-good").versus_best_classical;
  const auto& bad = *row_named(result, "q-bad").versus_best_classical;
  EXPECT_GT(good.mean_difference, 0.0);
  EXPECT_LT(bad.mean_difference, 0.0);
  EXPECT_THAT(result.summary, HasSubstr("the best classical model (c-best, accuracy "));
  char good_mean[16];
  std::snprintf(good_mean, sizeof good_mean, "%.3f", row_named(result, "q-good").accuracy.mean);
  EXPECT_THAT(result.summary, HasSubstr("q-good (" + std::string(good_mean) + ") is " + verdict(good) + " (p = "));
  EXPECT_THAT(result.summary, HasSubstr(std::string("q-bad (")));
  EXPECT_THAT(result.summary, HasSubstr(std::string(") is ") + verdict(bad) + " (p = "));
  // The quantum models are named best first, as the table sorts them.
  EXPECT_LT(result.summary.find("q-good"), result.summary.find("q-bad"));
  EXPECT_THAT(result.summary, ::testing::StartsWith(std::string(verdict(good)) == "better" ? "q-good beats"
                                                                                          : "No quantum model beats"));
}

TEST(CompareTest, SummarySaysWhenAQuantumModelIsBetter) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  // Wrong on every other row in every fold: the differences are 0.5 +- 1 row, far beyond noise.
  const auto result =
      run_comparison(data, std::nullopt, fake_options({fake("svm", "fake-c", 2), fake("qsvc", "fake-q")}, log));
  const auto& t = *row_named(result, "qsvc").versus_best_classical;
  EXPECT_LT(t.p_value, 0.05);
  EXPECT_THAT(result.summary, ::testing::StartsWith("qsvc beats the best classical model (svm, accuracy 0."));
  EXPECT_THAT(result.summary, HasSubstr("qsvc (1.000) is better (p = "));
}

TEST(CompareTest, SummaryWithoutQuantumOrWithoutClassicalModels) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  const auto classical = run_comparison(data, std::nullopt, fake_options({fake("svm", "fake-c")}, log));
  EXPECT_EQ(classical.summary, "No quantum model to compare; the best classical model is svm (accuracy 1.000).");
  const auto quantum = run_comparison(data, std::nullopt, fake_options({fake("qsvc", "fake-q", 2)}, log));
  EXPECT_THAT(quantum.summary,
              ::testing::StartsWith("No classical model to compare against; the best quantum model is qsvc "
                                    "(accuracy 0."));
  EXPECT_FALSE(quantum.rows[0].versus_best_classical.has_value());
}

TEST(CompareTest, GridSearchPicksTheBestInnerScoreOnOuterTrainingRowsOnly) {
  const Dataset data = classes_data(45, 3);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("m", "fake-c")}, log);
  o.search = true;
  o.grids["m"] = {GridAxis{"wrong", {"2", "50", "3"}}};
  const auto result = run_comparison(data, std::nullopt, o);
  const CompareRow& row = result.rows[0];
  for (const auto& f : row.folds)
    EXPECT_THAT(f.chosen, ElementsAre(std::pair<std::string, std::string>{"wrong", "50"}));
  // Per outer fold: 3 candidates x 3 inner folds, then the refit on the outer training rows.
  const auto fits = calls_of(*log, "m", "fit");
  ASSERT_EQ(fits.size(), 5u * (3u * 3u + 1u));
  for (std::size_t f = 0; f < 5; ++f) {
    const auto outer = training_ids(result.fold_test_rows[f], data);
    const std::set<long> outer_set(outer.begin(), outer.end());
    for (std::size_t j = 0; j < 9; ++j)
      for (const long id : fits[f * 10 + j].ids) EXPECT_TRUE(outer_set.count(id)) << "fold " << f << " id " << id;
    EXPECT_EQ(fits[f * 10 + 9].ids, outer) << "the refit uses every outer training row";
  }
}

TEST(CompareTest, GridSearchTiesGoToTheFirstCombinationInGridOrder) {
  const Dataset data = classes_data(30, 3);
  for (const auto& values : std::vector<std::vector<std::string>>{{"1000", "999"}, {"999", "1000"}}) {
    auto log = std::make_shared<Log>();
    CompareOptions o = fake_options({fake("m", "fake-c")}, log);
    o.search = true;
    o.inner_folds = 2;
    // Both candidates are wrong on id 0 only: equal inner scores.
    o.grids["m"] = {GridAxis{"proba", {"0"}}, GridAxis{"wrong", values}};
    const auto result = run_comparison(data, std::nullopt, o);
    for (const auto& f : result.rows[0].folds)
      EXPECT_THAT(f.chosen, ElementsAre(std::pair<std::string, std::string>{"proba", "0"},
                                        std::pair<std::string, std::string>{"wrong", values[0]}));
  }
}

/// Everything but the seconds.
void expect_same(const CompareResult& a, const CompareResult& b) {
  EXPECT_EQ(a.fold_test_rows, b.fold_test_rows);
  EXPECT_EQ(a.summary, b.summary);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  auto same = [](double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; };
  for (std::size_t i = 0; i < a.rows.size(); ++i) {
    const auto &r = a.rows[i], &s = b.rows[i];
    EXPECT_EQ(r.model, s.model);
    ASSERT_EQ(r.folds.size(), s.folds.size());
    for (std::size_t f = 0; f < r.folds.size(); ++f) {
      EXPECT_TRUE(same(r.folds[f].accuracy, s.folds[f].accuracy));
      EXPECT_TRUE(same(r.folds[f].log_loss, s.folds[f].log_loss));
      EXPECT_TRUE(same(r.folds[f].roc_auc, s.folds[f].roc_auc));
      EXPECT_EQ(r.folds[f].circuit_evaluations, s.folds[f].circuit_evaluations);
      EXPECT_EQ(r.folds[f].chosen, s.folds[f].chosen);
    }
    EXPECT_TRUE(same(r.accuracy.mean, s.accuracy.mean) && same(r.accuracy.std, s.accuracy.std));
    EXPECT_EQ(r.versus_best_classical.has_value(), s.versus_best_classical.has_value());
    if (r.versus_best_classical) {
      EXPECT_TRUE(same(r.versus_best_classical->p_value, s.versus_best_classical->p_value));
    }
    EXPECT_EQ(r.diagnostics.has_value(), s.diagnostics.has_value());
    if (r.diagnostics && s.diagnostics) {
      EXPECT_TRUE(same(r.diagnostics->alignment, s.diagnostics->alignment));
      EXPECT_TRUE(same(r.diagnostics->geometric_difference, s.diagnostics->geometric_difference));
    }
    ASSERT_EQ(r.importance.size(), s.importance.size());
    for (std::size_t j = 0; j < r.importance.size(); ++j) EXPECT_EQ(r.importance[j].mean, s.importance[j].mean);
  }
}

TEST(CompareTest, SameSeedSameResultsOtherSeedOtherFolds) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("c", "fake-c", 4), fake("q", "fake-q", 3, {{"kernel", "const"}})}, log);
  o.search = true;
  o.grids["c"] = {GridAxis{"wrong", {"2", "4", "6"}}};
  o.importance = true;
  o.importance_repeats = 2;
  const auto first = run_comparison(data, std::nullopt, o);
  const Log first_log = *log;
  log->clear();
  const auto second = run_comparison(data, std::nullopt, o);
  expect_same(first, second);
  ASSERT_EQ(first_log.size(), log->size());
  for (std::size_t i = 0; i < log->size(); ++i) EXPECT_EQ(first_log[i].ids, (*log)[i].ids) << "call " << i;
  o.context.seed = 8;
  EXPECT_NE(run_comparison(data, std::nullopt, o).fold_test_rows, first.fold_test_rows);
}

TEST(CompareTest, ErrorsNameTheProblemBeforeAnyFit) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  auto run = [&](CompareOptions o, const Dataset& d = classes_data(30, 3)) {
    return invalid_argument_of([&] { (void)run_comparison(d, std::nullopt, o); });
  };
  EXPECT_THAT(run(fake_options({fake("a", "fake-c"), fake("a", "fake-q")}, log)),
              HasSubstr("model name 'a' given twice"));
  EXPECT_THAT(run(fake_options({fake("a", "fake-c")}, log, 1)), HasSubstr("folds 1 out of range [2,"));
  EXPECT_THAT(run(fake_options({}, log)), HasSubstr("no models"));
  // 14 rows of 3 classes: c2 has 4 rows.
  EXPECT_EQ(run(fake_options({fake("a", "fake-c")}, log), classes_data(14, 3)),
            "class 'c2' has 4 rows, fewer than the 5 folds");
  EXPECT_THAT(run(fake_options({fake("a", "fake-c"), fake("r", "fake-c-reg")}, log)),
              HasSubstr("model 'r' (fake-c-reg) is a regression model, but the data are classification data"));
  EXPECT_THAT(run(fake_options({fake("a", "fake-c", 0, {{"colour", "red"}})}, log)),
              HasSubstr("model 'a': unknown parameter 'colour' (valid: wrong, kernel, proba)"));
  CompareOptions sweep = fake_options({fake("a", "fake-c")}, log);
  sweep.sweep_features = {1, 3};
  EXPECT_THAT(run(sweep), HasSubstr("sweep feature count 3 out of range [1, 2]"));
  sweep.sweep_features = {0};
  EXPECT_THAT(run(sweep), HasSubstr("sweep feature count 0 out of range [1, 2]"));
  CompareOptions grid = fake_options({fake("a", "fake-c"), fake("b", "fake-c")}, log);
  grid.search = true;
  grid.grids["b"] = {GridAxis{"wrong", {"2"}}, GridAxis{"depth", {"1", "2"}}};
  EXPECT_THAT(run(grid), HasSubstr("model 'b': unknown parameter 'depth'"));
  grid.grids["b"] = {GridAxis{"wrong", {}}};
  EXPECT_THAT(run(grid), HasSubstr("the grid of model 'b' has no values for 'wrong'"));
  grid.grids = {{"zz", {GridAxis{"wrong", {"2"}}}}};
  EXPECT_THAT(run(grid), HasSubstr("a grid for 'zz', which is not a model of the run"));
  grid.grids.clear();
  grid.inner_folds = 9;  // a class of 10 rows keeps 8 in some outer training sets
  EXPECT_THAT(run(grid), HasSubstr("class 'c0' has 8 rows in some outer training sets, fewer than the 9 inner folds"));
  CompareOptions regression_grid = fake_options({fake("r", "fake-c-reg")}, log);
  regression_grid.search = true;
  regression_grid.inner_folds = 9;  // 10 rows in 5 folds: 8 training rows
  EXPECT_THAT(run(regression_grid, regression_data(10)),
              HasSubstr("8 rows in some outer training sets, fewer than the 9 inner folds"));
  EXPECT_TRUE(log->empty()) << "nothing was fitted";
  const Dataset regression = regression_data(20);
  EXPECT_THAT(invalid_argument_of([&] {
                (void)run_comparison(data, regression, fake_options({fake("a", "fake-c")}, log));
              }),
              HasSubstr("the test data are regression data, the training data classification"));
  EXPECT_TRUE(log->empty()) << "nothing was fitted";
}

TEST(CompareTest, KernelDiagnosticsOnEachFoldsTrainingRows) {
  // Column 0 spans 0..29, column 1 0..1: a reference RBF on unscaled rows would differ. Two
  // classes: the ideal kernel is y y^T of y = +-1, alignment 1.
  const Dataset data = classes_data(30, 2);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("ideal", "fake-q", 0, {{"kernel", "ideal"}}),
                                   fake("const", "fake-q", 0, {{"kernel", "const"}}),
                                   fake("rbf", "fake-q", 0, {{"kernel", "rbf"}}), fake("plain", "fake-c")},
                                  log);
  const auto result = run_comparison(data, std::nullopt, o);
  const auto& ideal = row_named(result, "ideal").diagnostics;
  ASSERT_TRUE(ideal.has_value());
  EXPECT_NEAR(ideal->alignment, 1.0, 1e-12);
  const auto& constant = row_named(result, "const").diagnostics;
  ASSERT_TRUE(constant.has_value());
  EXPECT_NEAR(constant->off_diagonal_mean, 0.5, 1e-15);
  EXPECT_NEAR(constant->off_diagonal_variance, 0.0, 1e-15);
  // The same kernel as the reference: g = sqrt(max e / (e + lambda)) just below 1.
  const auto& rbf = row_named(result, "rbf").diagnostics;
  ASSERT_TRUE(rbf.has_value());
  EXPECT_GT(rbf->geometric_difference, 0.95);
  EXPECT_LE(rbf->geometric_difference, 1.0 + 1e-9);
  EXPECT_FALSE(row_named(result, "plain").diagnostics.has_value());
  const auto kernels = calls_of(*log, "ideal", "kernel");
  ASSERT_EQ(kernels.size(), 5u);
  for (std::size_t f = 0; f < 5; ++f) EXPECT_EQ(kernels[f].ids, training_ids(result.fold_test_rows[f], data));

  o.diagnostics = false;
  log->clear();
  const auto off = run_comparison(data, std::nullopt, o);
  EXPECT_FALSE(row_named(off, "ideal").diagnostics.has_value());
  EXPECT_TRUE(calls_of(*log, "ideal", "kernel").empty());
}

TEST(CompareTest, PermutationImportanceOnTestRowsAveragedOverFolds) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("m", "fake-c")}, log);  // predicts from column 1 only
  o.importance = true;
  o.importance_repeats = 3;
  const auto result = run_comparison(data, std::nullopt, o);
  const auto& imp = result.rows[0].importance;
  ASSERT_EQ(imp.size(), 2u);
  EXPECT_EQ(imp[0].feature, "id");
  EXPECT_EQ(imp[1].feature, "value");
  EXPECT_EQ(imp[0].mean, 0.0);
  EXPECT_GT(imp[1].mean, 0.1);
  // Every prediction is on one fold's test rows (column 0, the id, permuted or not).
  std::set<std::vector<long>> test_ids;
  for (const auto& fold : result.fold_test_rows) test_ids.insert(as_ids(fold, data));
  for (auto call : calls_of(*log, "m", "predict")) {
    std::sort(call.ids.begin(), call.ids.end());
    EXPECT_TRUE(test_ids.count(call.ids));
  }
}

TEST(CompareTest, SweepRunsTheProtocolOncePerFeatureCount) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("c", "fake-c", 3), fake("q", "fake-q")}, log);
  o.sweep_features = {2, 1};
  std::vector<CompareProgress> seen;
  const auto result = run_comparison(data, std::nullopt, o, [&](const CompareProgress& p) { seen.push_back(p); });
  ASSERT_EQ(result.rows.size(), 4u);
  EXPECT_EQ(result.rows[0].features, 2);
  EXPECT_EQ(result.rows[1].features, 2);
  EXPECT_EQ(result.rows[2].features, 1);
  EXPECT_EQ(result.rows[3].features, 1);
  EXPECT_EQ(result.rows[0].model, "q");  // each block sorted
  EXPECT_EQ(result.rows[2].model, "q");
  EXPECT_EQ(result.rows[2].description, "fake-q reduce=1");
  EXPECT_TRUE(result.rows[2].versus_best_classical.has_value());
  for (const auto& c : *log) EXPECT_TRUE(c.reduce_to == 2 || c.reduce_to == 1);
  const auto fits = calls_of(*log, "q", "fit");
  ASSERT_EQ(fits.size(), 10u);
  EXPECT_EQ(fits[0].reduce_to, 2);
  EXPECT_EQ(fits[9].reduce_to, 1);
  ASSERT_EQ(seen.size(), 20u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].step, i + 1);
    EXPECT_EQ(seen[i].steps, 20u);
    EXPECT_EQ(seen[i].fold, static_cast<int>(i % 5) + 1);
    EXPECT_EQ(seen[i].model, (i / 5) % 2 == 0 ? "c" : "q");
    EXPECT_EQ(seen[i].features, i < 10 ? 2 : 1);
  }
}

TEST(CompareTest, TrainTestPairAddsAFinalFitScoredOnTheTestRows) {
  const Dataset train = classes_data(30, 3);
  const Dataset test = classes_data(12, 3, 100);  // ids 100..111
  auto log = std::make_shared<Log>();
  std::vector<CompareProgress> seen;
  const auto result = run_comparison(train, test, fake_options({fake("m", "fake-c", 4)}, log),
                                     [&](const CompareProgress& p) { seen.push_back(p); });
  EXPECT_TRUE(result.holdout);
  std::size_t rows = 0;
  for (const auto& f : result.fold_test_rows) rows += f.size();
  EXPECT_EQ(rows, 30u);
  // Wrong on ids 100, 104, 108.
  EXPECT_DOUBLE_EQ(result.rows[0].test_accuracy, 9.0 / 12.0);
  EXPECT_TRUE(std::isnan(result.rows[0].test_r2));
  const auto fits = calls_of(*log, "m", "fit");
  ASSERT_EQ(fits.size(), 6u);
  EXPECT_EQ(fits[5].ids.size(), 30u);
  EXPECT_EQ(calls_of(*log, "m", "predict").back().ids.front(), 100);
  ASSERT_EQ(seen.size(), 6u);
  EXPECT_EQ(seen.back().fold, 6);
  EXPECT_EQ(seen.back().steps, 6u);
}

TEST(CompareTest, RegressionUsesRSquaredMseAndMae) {
  const Dataset data = regression_data(25);
  auto log = std::make_shared<Log>();
  const auto result = run_comparison(
      data, std::nullopt, fake_options({fake("c", "fake-c-reg", 3), fake("q", "fake-q-reg")}, log));
  EXPECT_EQ(result.task, Task::Regression);
  std::multiset<std::size_t> all;
  for (const auto& fold : result.fold_test_rows) all.insert(fold.begin(), fold.end());
  EXPECT_EQ(all.size(), 25u);
  EXPECT_EQ(std::set<std::size_t>(all.begin(), all.end()).size(), 25u);
  EXPECT_EQ(result.rows[0].model, "q");
  EXPECT_DOUBLE_EQ(result.rows[0].r2.mean, 1.0);
  EXPECT_DOUBLE_EQ(result.rows[0].mse.mean, 0.0);
  const CompareRow& c = row_named(result, "c");
  for (std::size_t f = 0; f < 5; ++f) {
    // Off by 1 on a fraction w of the rows: MSE = MAE = w.
    const double w = 1.0 - expected_accuracy(result.fold_test_rows[f], 3);
    EXPECT_NEAR(c.folds[f].mse, w, 1e-15);
    EXPECT_NEAR(c.folds[f].mae, w, 1e-15);
    EXPECT_LT(c.folds[f].r2, 1.0);
    EXPECT_TRUE(std::isnan(c.folds[f].accuracy));
  }
  EXPECT_THAT(result.summary, HasSubstr("(c, R^2 "));
}

TEST(CompareTest, DecisionRegionsOfTheBestQuantumAndClassicalModel) {
  const Dataset data = classes_data(30, 3);
  auto log = std::make_shared<Log>();
  CompareOptions o = fake_options({fake("c-weak", "fake-c", 2), fake("c", "fake-c"), fake("q", "fake-q", 3)}, log);
  o.decision_grid = 4;
  const auto result = run_comparison(data, std::nullopt, o);
  ASSERT_TRUE(result.regions.has_value());
  const DecisionRegions& r = *result.regions;
  EXPECT_EQ(r.grid, 4);
  EXPECT_DOUBLE_EQ(r.x0_min, -2.9);
  EXPECT_DOUBLE_EQ(r.x0_max, 31.9);
  EXPECT_DOUBLE_EQ(r.x1_min, -0.2);
  EXPECT_DOUBLE_EQ(r.x1_max, 2.2);
  ASSERT_EQ(r.models.size(), 2u);
  EXPECT_EQ(r.models[0].model, "q");
  EXPECT_EQ(r.models[0].kind, ModelKind::Quantum);
  EXPECT_EQ(r.models[1].model, "c");
  // The fakes predict lround(x1) (q is wrong where lround(x0) is a multiple of 3); x1 steps by 0.8.
  EXPECT_THAT(r.models[1].labels, ElementsAre(0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2));
  EXPECT_EQ(calls_of(*log, "c", "fit").back().ids.size(), 30u) << "fitted on all rows";
  EXPECT_FALSE(run_comparison(regression_data(20), std::nullopt,
                              [&] {
                                CompareOptions p = fake_options({fake("r", "fake-c-reg")}, log);
                                p.decision_grid = 4;
                                return p;
                              }())
                   .regions.has_value());
}

TEST(CompareTest, DefaultModelsAreTheDocumentedEight) {
  std::vector<std::string> names;
  for (const auto& m : default_compare_models()) {
    EXPECT_EQ(m.name, m.type);
    EXPECT_TRUE(m.params.empty());
    names.push_back(m.name);
  }
  EXPECT_THAT(names, ElementsAre("qsvc", "qsvc-z", "qsvc-projected", "vqc", "reupload", "svm-rbf", "logreg", "mlp"));
}

// The determinism contract with the real models (the default set, quantum and classical, with a
// search and importance) on moons: every number but the seconds is the same on 1 and 2 threads.
TEST(CompareTest, RealModelsGiveTheSameTableOnOneAndTwoThreads) {
  const Dataset data = make_moons(40, 0.2, 3);
  CompareOptions o;
  o.models = default_compare_models();
  o.models.push_back(ModelConfig{"knn", "knn", {}});
  o.folds = 3;
  o.importance = true;
  o.importance_repeats = 2;
  o.decision_grid = 8;
  o.search = true;
  o.grids["svm-rbf"] = {GridAxis{"C", {"0.5", "5"}}};
  o.grids["knn"] = {GridAxis{"n_neighbors", {"3", "30"}}};  // 30 exceeds the inner rows: skipped
  for (const auto& m : o.models)
    if (m.name != "svm-rbf" && m.name != "knn") o.grids[m.name] = {};
  o.context.simulator.parallel.threads = 1;
  const CompareResult one = run_comparison(data, std::nullopt, o);
  o.context.simulator.parallel.threads = 2;
  const CompareResult two = run_comparison(data, std::nullopt, o);
  expect_same(one, two);
  ASSERT_TRUE(one.regions && two.regions);
  ASSERT_EQ(one.regions->models.size(), 2u);
  for (std::size_t m = 0; m < 2; ++m) EXPECT_EQ(one.regions->models[m].labels, two.regions->models[m].labels);
  for (const auto& row : one.rows) {
    if (row.model == "knn")
      for (const auto& fold : row.folds) EXPECT_THAT(fold.chosen, ElementsAre(std::pair<std::string, std::string>{"n_neighbors", "3"}));
  }
}

}  // namespace
}  // namespace qmlsim::qml

#include "qml/classical/mlp.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>

#include "qml/classical/mlp_network.hpp"
#include "qml/data/preprocess.hpp"
#include "qml/data/split.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using detail::MlpNetwork;
using detail::MlpOutput;

// Rng streams of the context's seed.
constexpr std::uint64_t kInitStream = 0;
constexpr std::uint64_t kShuffleStream = 1;
constexpr std::uint64_t kValidationStream = 2;

constexpr int kMaxUnits = 100000;
constexpr int kMaxCount = 1000000;  // epochs, batch rows, patience

struct MlpSettings {
  std::vector<int> hidden{100};
  double alpha = 1e-4;
  double learning_rate = 1e-3;
  int batch_size = 0;  // 0: "auto", min(200, rows)
  int max_iter = 200;
  double tol = 1e-4;
  int n_iter_no_change = 10;
  bool early_stopping = false;
  double validation_fraction = 0.1;
};

std::string hidden_text(const std::vector<int>& hidden) {
  std::string text;
  for (int units : hidden) text += (text.empty() ? "" : ",") + std::to_string(units);
  return text;
}

// A count in [1, hi], or nullopt for anything else.
std::optional<int> parse_count(std::string_view text, int hi) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 1 || value > hi) return std::nullopt;
  return value;
}

// "100", "100,50" or "100x50" (the form a command-line spec can carry, where ',' separates options).
std::vector<int> parse_hidden(const std::string& text, const std::string& context) {
  std::vector<int> hidden;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find_first_of(",x", start);
    const auto units = parse_count(std::string_view(text).substr(start, end == std::string::npos ? end : end - start), kMaxUnits);
    if (!units)
      throw InvalidArgument(context + ": hidden must be layer sizes in [1, " + std::to_string(kMaxUnits) +
                            "] separated by ',' or 'x' (\"100\", \"100,50\"), got '" + text + "'");
    hidden.push_back(*units);
    if (end == std::string::npos) return hidden;
    start = end + 1;
  }
}

double read_non_negative(ComponentOptions& options, const std::string& context, const std::string& key, double fallback) {
  const double value = options.real(key, fallback);
  check_finite(value, context + ": " + key);
  if (value < 0.0) throw InvalidArgument(context + ": " + key + " " + format_number(value) + " must be >= 0");
  return value;
}

MlpSettings read_settings(const ModelConfig& config, const std::string& context) {
  ComponentOptions options(ComponentSpec{config.type, config.params}, context);
  MlpSettings s;
  s.hidden = parse_hidden(options.text("hidden", "100"), context);
  s.alpha = read_non_negative(options, context, "alpha", s.alpha);
  s.learning_rate = options.real("learning_rate_init", s.learning_rate);
  check_positive(s.learning_rate, context + ": learning_rate_init");
  const std::string batch = options.text("batch_size", "auto");
  if (batch != "auto") {
    const auto rows = parse_count(batch, kMaxCount);
    if (!rows)
      throw InvalidArgument(context + ": batch_size must be auto or an integer in [1, " + std::to_string(kMaxCount) +
                            "], got '" + batch + "'");
    s.batch_size = *rows;
  }
  s.max_iter = options.integer("max_iter", s.max_iter, 1, kMaxCount);
  s.tol = read_non_negative(options, context, "tol", s.tol);
  s.n_iter_no_change = options.integer("n_iter_no_change", s.n_iter_no_change, 1, kMaxCount);
  s.early_stopping = options.flag("early_stopping", s.early_stopping);
  s.validation_fraction = options.real("validation_fraction", s.validation_fraction);
  if (!(s.validation_fraction > 0.0 && s.validation_fraction < 1.0))
    throw InvalidArgument(context + ": validation_fraction " + format_number(s.validation_fraction) +
                          " out of range (0, 1)");
  options.finish();
  return s;
}

// Adam as scikit-learn's AdamOptimizer, which puts epsilon outside the bias correction
// (qml/optim's adam, as PyTorch, divides by sqrt(v_hat) + epsilon): one step per mini-batch,
// x -= lr * sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon).
class AdamSteps {
 public:
  AdamSteps(double learning_rate, Eigen::Index size)
      : lr_(learning_rate), m_(Eigen::VectorXd::Zero(size)), v_(Eigen::VectorXd::Zero(size)) {}

  void step(Eigen::VectorXd& x, const Eigen::VectorXd& grad) {
    constexpr double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    ++t_;
    m_ = beta1 * m_ + (1.0 - beta1) * grad;
    v_ = beta2 * v_ + (1.0 - beta2) * grad.cwiseAbs2();
    const double rate = lr_ * std::sqrt(1.0 - std::pow(beta2, t_)) / (1.0 - std::pow(beta1, t_));
    x.array() -= rate * m_.array() / (v_.array().sqrt() + epsilon);
  }

 private:
  double lr_;
  Eigen::VectorXd m_, v_;
  int t_ = 0;
};

// Rows and targets in the network's layout (column-major inputs; one-hot, 0/1 or value targets).
struct TrainingRows {
  Eigen::MatrixXd x;
  Eigen::MatrixXd target;
  Labels labels;  // classification: the class of each row (validation accuracy)
};

TrainingRows training_rows(const Dataset& data, MlpOutput output) {
  TrainingRows rows{data.x(), {}, data.y()};
  const Eigen::Index n = data.x().rows();
  switch (output) {
    case MlpOutput::Softmax:
      rows.target = Eigen::MatrixXd::Zero(n, data.num_classes());
      for (Eigen::Index i = 0; i < n; ++i) rows.target(i, data.y()[static_cast<std::size_t>(i)]) = 1.0;
      break;
    case MlpOutput::Logistic:
      rows.target.resize(n, 1);
      for (Eigen::Index i = 0; i < n; ++i) rows.target(i, 0) = data.y()[static_cast<std::size_t>(i)] == 1 ? 1.0 : 0.0;
      break;
    case MlpOutput::Identity:
      rows.target = Eigen::Map<const Eigen::VectorXd>(data.targets().data(), n);
      break;
  }
  return rows;
}

// Class probabilities (rows x classes) from the network's outputs.
Eigen::MatrixXd probabilities(Eigen::MatrixXd outputs, MlpOutput output) {
  if (output != MlpOutput::Logistic) return outputs;
  Eigen::MatrixXd proba(outputs.rows(), 2);
  proba.col(0) = 1.0 - outputs.col(0).array();
  proba.col(1) = outputs.col(0);
  return proba;
}

Labels argmax_rows(const Eigen::MatrixXd& proba) {
  Labels labels(static_cast<std::size_t>(proba.rows()));
  for (Eigen::Index i = 0; i < proba.rows(); ++i) {
    Eigen::Index best = 0;
    proba.row(i).maxCoeff(&best);  // the first maximum on ties, as numpy's argmax
    labels[static_cast<std::size_t>(i)] = static_cast<int>(best);
  }
  return labels;
}

// scikit-learn's score(): accuracy for classifiers, R^2 for regressors (1 for a perfect fit of
// constant targets, else 0 when they are constant, as r2_score).
double validation_score(const MlpNetwork& network, const TrainingRows& rows) {
  const Eigen::MatrixXd out = network.predict(rows.x);
  if (network.output() != MlpOutput::Identity) {
    const Labels predicted = argmax_rows(probabilities(out, network.output()));
    std::size_t right = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i) right += predicted[i] == rows.labels[i] ? 1 : 0;
    return static_cast<double>(right) / static_cast<double>(predicted.size());
  }
  const Eigen::VectorXd& y = rows.target.col(0);
  const double residual = (out.col(0) - y).squaredNorm();
  const double total = (y.array() - y.mean()).square().sum();
  if (total == 0.0) return residual == 0.0 ? 1.0 : 0.0;
  return 1.0 - residual / total;
}

class Mlp final : public Estimator {
 public:
  Mlp(const ModelConfig& config, const EstimatorContext& context)
      : type_(config.type),
        context_("model '" + config.name + "'"),
        settings_(read_settings(config, context_)),
        seed_(context.seed),
        memory_(context.simulator.memory),
        preprocess_(model_preprocess_spec(context, "standard")) {
    (void)Pipeline::parse(preprocess_);  // a bad spec fails here, before anything runs
  }

  ModelKind kind() const noexcept override { return ModelKind::Classical; }
  Task task() const noexcept override { return classifier() ? Task::Classification : Task::Regression; }
  bool has_proba() const noexcept override { return classifier(); }

  EstimatorFit fit(const Dataset& train) override {
    const auto start = std::chrono::steady_clock::now();
    fitted_ = false;
    check_data(train);
    pipeline_ = Pipeline::parse(preprocess_);
    const Dataset data = train.with_features(pipeline_.fit_transform(train.x()));
    features_ = train.num_features();
    classes_ = train.num_classes();

    const MlpOutput output =
        !classifier() ? MlpOutput::Identity : (classes_ == 2 ? MlpOutput::Logistic : MlpOutput::Softmax);
    std::vector<int> units{data.num_features()};
    units.insert(units.end(), settings_.hidden.begin(), settings_.hidden.end());
    units.push_back(output == MlpOutput::Softmax ? classes_ : 1);
    reserve_memory(units, data.size());

    Rng init(seed_, kInitStream);
    network_ = MlpNetwork(units, output, init);
    int epochs = 0;
    if (settings_.early_stopping) {
      const Split split = validation_split(data);
      const TrainingRows validation = training_rows(split.test, output);
      epochs = train_epochs(training_rows(split.train, output), &validation);
    } else {
      epochs = train_epochs(training_rows(data, output), nullptr);
    }
    fitted_ = true;
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0, epochs};
  }

  Labels predict(const FeatureMatrix& x) const override {
    require_classifier("class predictions");
    return argmax_rows(predict_proba(x));
  }

  std::vector<double> predict_values(const FeatureMatrix& x) const override {
    if (classifier()) throw InvalidArgument(context_ + ": " + type_ + " is a classifier; it has no real predictions");
    const Eigen::MatrixXd out = outputs(x);
    return {out.data(), out.data() + out.rows()};
  }

  Eigen::MatrixXd predict_proba(const FeatureMatrix& x) const override {
    require_classifier("class probabilities");
    return probabilities(outputs(x), network_.output());
  }

  std::vector<double> score_class1(const FeatureMatrix& x) const override {
    require_classifier("class scores");
    if (fitted_ && classes_ != 2)
      throw InvalidArgument(context_ + ": a class-1 score needs two classes, the model was fitted on " +
                            std::to_string(classes_));
    const Eigen::MatrixXd proba = predict_proba(x);
    return {proba.col(1).data(), proba.col(1).data() + proba.rows()};
  }

  EstimatorInfo info() const override {
    require_fitted();
    return {static_cast<std::size_t>(network_.parameters().size()), 0, 0};
  }

  std::string description() const override {
    const MlpSettings defaults;
    std::string text = type_ + " hidden=" + hidden_text(settings_.hidden) + " alpha=" + format_number(settings_.alpha) +
                       " lr=" + format_number(settings_.learning_rate);
    if (settings_.batch_size != defaults.batch_size) text += " batch_size=" + std::to_string(settings_.batch_size);
    if (settings_.max_iter != defaults.max_iter) text += " max_iter=" + std::to_string(settings_.max_iter);
    if (settings_.tol != defaults.tol) text += " tol=" + format_number(settings_.tol);
    if (settings_.n_iter_no_change != defaults.n_iter_no_change)
      text += " n_iter_no_change=" + std::to_string(settings_.n_iter_no_change);
    if (settings_.early_stopping)
      text += " early_stopping=true validation_fraction=" + format_number(settings_.validation_fraction);
    return text;
  }

 private:
  bool classifier() const noexcept { return type_ == "mlp"; }

  void check_data(const Dataset& train) const {
    if (train.task() != task())
      throw InvalidArgument(context_ + ": " + type_ + " needs " + (classifier() ? "classification" : "regression") +
                            " data, got " + (classifier() ? "regression" : "classification") + " data");
    if (train.size() == 0) throw InvalidArgument(context_ + ": no training rows");
    if (classifier() && train.num_classes() < 2)
      throw InvalidArgument(context_ + ": needs at least 2 classes, got " + std::to_string(train.num_classes()));
  }

  // early_stopping's held-out rows (stratified for classifiers).
  Split validation_split(const Dataset& data) const {
    try {
      return train_test_split(data, settings_.validation_fraction, Rng(seed_, kValidationStream)());
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(context_ + ": early stopping's validation split: " + e.what());
    }
  }

  void require_fitted() const {
    if (!fitted_) throw InvalidArgument(context_ + " is not fitted");
  }

  void require_classifier(const std::string& what) const {
    if (!classifier()) throw InvalidArgument(context_ + ": " + type_ + " is a regressor; it has no " + what);
  }

  // Parameters, gradient, Adam's two moments and the best copy, plus a batch's activations and
  // deltas (twice the units per row) and the rows themselves in the network's layout.
  void reserve_memory(const std::vector<int>& units, std::size_t rows) const {
    const double parameters = static_cast<double>(MlpNetwork::parameter_count(units));
    double units_sum = 0.0;
    for (int u : units) units_sum += u;
    const double doubles = 5.0 * parameters + 2.0 * static_cast<double>(batch_rows(rows)) * units_sum +
                           static_cast<double>(rows) * (units.front() + units.back());
    ensure_memory(static_cast<std::uint64_t>(doubles * sizeof(double)), context_ + ": MLP training", memory_);
  }

  std::size_t batch_rows(std::size_t rows) const {
    const std::size_t asked = settings_.batch_size == 0 ? 200 : static_cast<std::size_t>(settings_.batch_size);
    return std::min(asked, rows);
  }

  // scikit-learn's _fit_stochastic: each epoch reshuffles the row order (the previous epoch's
  // order, as sklearn's shuffle of sample_idx), steps Adam once per mini-batch and records the
  // epoch loss (batch losses weighted by batch rows). Without validation rows training stops once
  // the loss has failed to improve on the best by tol for more than n_iter_no_change epochs; with
  // them the same test runs on the validation score (higher is better) and the best-scoring
  // weights are kept. Returns the epochs run.
  int train_epochs(const TrainingRows& rows, const TrainingRows* validation) {
    const auto n = static_cast<std::size_t>(rows.x.rows());
    const std::size_t batch = batch_rows(n);
    std::vector<Eigen::Index> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<Eigen::Index>(i);
    Rng shuffle(seed_, kShuffleStream);
    AdamSteps adam(settings_.learning_rate, network_.parameters().size());
    Eigen::VectorXd gradient, best_parameters;
    Eigen::MatrixXd x_batch, target_batch;
    double best = validation ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    int no_improvement = 0, epoch = 0;
    while (epoch < settings_.max_iter) {
      ++epoch;
      for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[shuffle.below(i)]);  // Fisher-Yates
      double loss = 0.0;
      for (std::size_t begin = 0; begin < n; begin += batch) {
        const std::size_t size = std::min(batch, n - begin);
        x_batch.resize(static_cast<Eigen::Index>(size), rows.x.cols());
        target_batch.resize(static_cast<Eigen::Index>(size), rows.target.cols());
        for (std::size_t k = 0; k < size; ++k) {
          x_batch.row(static_cast<Eigen::Index>(k)) = rows.x.row(order[begin + k]);
          target_batch.row(static_cast<Eigen::Index>(k)) = rows.target.row(order[begin + k]);
        }
        loss += network_.loss_gradient(x_batch, target_batch, settings_.alpha, gradient) * static_cast<double>(size);
        adam.step(network_.parameters(), gradient);
      }
      loss /= static_cast<double>(n);
      if (!std::isfinite(loss))
        throw InvalidArgument(context_ + ": the training loss diverged in epoch " + std::to_string(epoch) +
                              "; lower learning_rate_init (now " + format_number(settings_.learning_rate) + ")");
      if (validation) {
        const double score = validation_score(network_, *validation);
        no_improvement = score < best + settings_.tol ? no_improvement + 1 : 0;
        if (score > best) {
          best = score;
          best_parameters = network_.parameters();
        }
      } else {
        no_improvement = loss > best - settings_.tol ? no_improvement + 1 : 0;
        best = std::min(best, loss);
      }
      if (no_improvement > settings_.n_iter_no_change) break;
    }
    if (validation) network_.parameters() = best_parameters;
    return epoch;
  }

  // The network's outputs for raw rows (preprocessed as in fit).
  Eigen::MatrixXd outputs(const FeatureMatrix& x) const {
    require_fitted();
    if (x.cols() != features_)
      throw InvalidArgument(context_ + " was fitted on " + std::to_string(features_) + " features, got " +
                            std::to_string(x.cols()));
    return network_.predict(pipeline_.transform(x));
  }

  std::string type_;
  std::string context_;  // "model 'NAME'"
  MlpSettings settings_;
  std::uint64_t seed_;
  MemoryLimit memory_;
  std::string preprocess_;
  // Fitted state.
  bool fitted_ = false;
  Pipeline pipeline_;
  MlpNetwork network_;
  int features_ = 0;
  int classes_ = 0;
};

}  // namespace

std::vector<std::string> mlp_parameter_keys() {
  return {"hidden",  "alpha",           "learning_rate_init", "batch_size", "max_iter", "tol", "n_iter_no_change",
          "early_stopping", "validation_fraction"};
}

std::unique_ptr<Estimator> make_mlp(const ModelConfig& config, const EstimatorContext& context) {
  if (config.type != "mlp" && config.type != "mlp-regressor")
    throw InvalidArgument("model '" + config.name + "': make_mlp builds mlp or mlp-regressor, got '" + config.type + "'");
  return std::make_unique<Mlp>(config, context);
}

}  // namespace qmlsim::qml

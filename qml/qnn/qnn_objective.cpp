#include "qml/qnn/qnn_objective.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

// Softmax of `logits` into `p`, the maximum subtracted first.
void softmax(std::span<const double> logits, std::span<double> p) {
  const double top = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (std::size_t c = 0; c < logits.size(); ++c) sum += p[c] = std::exp(logits[c] - top);
  for (double& v : p) v /= sum;
}

void check_labels(const Labels& labels, int classes) {
  for (std::size_t i = 0; i < labels.size(); ++i)
    check_index(labels[i], classes, "sample " + std::to_string(i) + ": label");
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Sample losses

ClassifierLoss::ClassifierLoss(Readout readout, LossKind loss, Labels labels)
    : readout_(std::move(readout)), loss_(loss), labels_(std::move(labels)) {
  check_labels(labels_, readout_.num_classes());
}

double ClassifierLoss::evaluate(std::size_t sample, std::span<const double> values, std::span<const double>,
                                std::span<double> dvalues, std::span<double>) const {
  // At most a handful of classes: small fixed buffers keep the hook allocation-free.
  constexpr std::size_t kMaxStack = 16;
  const auto c = static_cast<std::size_t>(readout_.num_classes());
  double p_stack[kMaxStack], dp_stack[kMaxStack];
  std::vector<double> heap(c > kMaxStack ? 2 * c : 0);
  const std::span<double> p(c > kMaxStack ? heap.data() : p_stack, c);
  const std::span<double> dp(c > kMaxStack ? heap.data() + c : dp_stack, c);
  readout_.probabilities(values, p);
  const double loss = classification_loss(loss_, p, labels_[sample], dp);
  readout_.backward(values, p, dp, dvalues);
  return loss;
}

RegressionLoss::RegressionLoss(std::vector<double> targets) : targets_(std::move(targets)) {}

double RegressionLoss::evaluate(std::size_t sample, std::span<const double> values, std::span<const double>,
                                std::span<double> dvalues, std::span<double>) const {
  return squared_error(values[0], targets_[sample], dvalues[0]);
}

DressedLoss::DressedLoss(int num_values, int num_classes, LossKind loss, Labels labels)
    : values_(num_values), classes_(num_classes), loss_(loss), labels_(std::move(labels)) {
  check_labels(labels_, classes_);
}

std::size_t DressedLoss::num_classical() const { return static_cast<std::size_t>(classes_ * (values_ + 1)); }

void DressedLoss::probabilities(std::span<const double> values, std::span<const double> classical,
                                std::span<double> p) const {
  const auto m = static_cast<std::size_t>(values_);
  for (std::size_t c = 0; c < p.size(); ++c) {
    double logit = classical[p.size() * m + c];
    for (std::size_t j = 0; j < m; ++j) logit += classical[c * m + j] * values[j];
    p[c] = logit;
  }
  softmax(std::vector<double>(p.begin(), p.end()), p);
}

double DressedLoss::evaluate(std::size_t sample, std::span<const double> values, std::span<const double> classical,
                             std::span<double> dvalues, std::span<double> dclassical) const {
  const auto c_count = static_cast<std::size_t>(classes_), m = static_cast<std::size_t>(values_);
  std::vector<double> p(c_count), dp(c_count), dlogit(c_count);
  probabilities(values, classical, p);
  const double loss = classification_loss(loss_, p, labels_[sample], dp);
  // Softmax backward: dL/dlogit_c = p_c (dL/dp_c - sum_k dL/dp_k p_k).
  double mean = 0.0;
  for (std::size_t c = 0; c < c_count; ++c) mean += dp[c] * p[c];
  for (std::size_t c = 0; c < c_count; ++c) dlogit[c] = p[c] * (dp[c] - mean);
  std::fill(dvalues.begin(), dvalues.end(), 0.0);
  for (std::size_t c = 0; c < c_count; ++c) {
    for (std::size_t j = 0; j < m; ++j) {
      dclassical[c * m + j] = dlogit[c] * values[j];
      dvalues[j] += dlogit[c] * classical[c * m + j];
    }
    dclassical[c_count * m + c] = dlogit[c];
  }
  return loss;
}

// ---------------------------------------------------------------------------------------------
// The objective

QnnObjective::QnnObjective(const Circuit& circuit, ParameterLayout layout, std::vector<Observable> observables,
                           FeatureMatrix x, std::shared_ptr<const SampleLoss> loss, double l2, SimulatorOptions options)
    : executor_(circuit, options),
      layout_(std::move(layout)),
      observables_(std::move(observables)),
      x_(std::move(x)),
      loss_(std::move(loss)),
      l2_(l2),
      all_rows_(static_cast<std::size_t>(x_.rows())) {
  if (x_.cols() != static_cast<Eigen::Index>(layout_.inputs.size()))
    throw InvalidArgument("qnn objective: the circuit has " + plural(static_cast<long long>(layout_.inputs.size()), "input") +
                          " but the data has " + plural(static_cast<long long>(x_.cols()), "feature"));
  if (l2_ < 0.0 || !std::isfinite(l2_)) throw InvalidArgument("qnn objective: l2 " + format_number(l2_) + " must be >= 0 and finite");
  if (x_.rows() == 0) throw InvalidArgument("qnn objective: no samples");
  for (const Observable& o : observables_) check_observable(o, circuit.num_qubits());
  // make_rows checks that the layout covers every parameter once (on a zero-row batch).
  (void)make_rows(circuit.num_parameters(), layout_.inputs, ParameterRows{{}, 0, layout_.inputs.size()},
                  layout_.weights, std::vector<double>(layout_.weights.size()));
  std::iota(all_rows_.begin(), all_rows_.end(), std::size_t{0});
}

std::size_t QnnObjective::num_parameters() const { return layout_.weights.size() + loss_->num_classical(); }
std::size_t QnnObjective::num_samples() const { return all_rows_.size(); }

double QnnObjective::value(std::span<const double> w) { return evaluate(w, all_rows_, {}); }

double QnnObjective::value_and_gradient(std::span<const double> w, std::span<double> grad) {
  return evaluate(w, all_rows_, grad);
}

double QnnObjective::batch_value_and_gradient(std::span<const double> w, std::span<const std::size_t> rows,
                                              std::span<double> grad) {
  return evaluate(w, rows, grad);
}

double QnnObjective::batch_value(std::span<const double> w, std::span<const std::size_t> rows) {
  return evaluate(w, rows, {});
}

std::vector<double> QnnObjective::parameter_rows(std::span<const double> w, std::span<const std::size_t> rows) const {
  const auto f = static_cast<std::size_t>(x_.cols());
  std::vector<double> inputs(rows.size() * f);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    check_index(rows[i], all_rows_.size(), "qnn objective: sample");
    std::copy_n(x_.row(static_cast<Eigen::Index>(rows[i])).data(), f, inputs.begin() + static_cast<std::ptrdiff_t>(i * f));
  }
  return make_rows(executor_.num_parameters(), layout_.inputs, ParameterRows{inputs, rows.size(), f}, layout_.weights,
                   w.first(layout_.weights.size()));
}

// Mean loss over `rows` (+ decay); with a non-empty `grad`, its gradient too.
double QnnObjective::evaluate(std::span<const double> w, std::span<const std::size_t> rows, std::span<double> grad) {
  check_count(w.size(), num_parameters(), "qnn objective", "weight");
  if (!grad.empty()) check_count(grad.size(), num_parameters(), "qnn objective: gradient", "entry");
  if (rows.empty()) throw InvalidArgument("qnn objective: an empty batch of samples");
  const std::size_t q = layout_.weights.size(), k = loss_->num_classical(), m = observables_.size();
  const std::span<const double> classical = w.subspan(q);
  const std::vector<double> theta = parameter_rows(w, rows);
  const ParameterRows batch{theta, rows.size(), static_cast<std::size_t>(executor_.num_parameters())};
  const auto count = static_cast<double>(rows.size());

  double total = 0.0;
  if (grad.empty()) {
    const std::vector<double> values = executor_.expectations(batch, observables_);
    std::vector<double> dvalues(m), dclassical(k);
    for (std::size_t i = 0; i < rows.size(); ++i)
      total += loss_->evaluate(rows[i], std::span(values).subspan(i * m, m), classical, dvalues, dclassical);
    circuit_evaluations_ += rows.size();
  } else {
    std::vector<double> dclassical(rows.size() * k);  // per sample, summed in sample order below
    const BatchExecutor::LossGradient r = executor_.loss_gradient(
        batch, observables_,
        [&](std::size_t i, std::span<const double> values, std::span<double> dvalues) {
          return loss_->evaluate(rows[i], values, classical, dvalues, std::span(dclassical).subspan(i * k, k));
        },
        layout_.weights);
    total = r.loss;
    for (std::size_t p = 0; p < q; ++p) grad[p] = r.gradient[p] / count;
    for (std::size_t j = 0; j < k; ++j) {
      double sum = 0.0;
      for (std::size_t i = 0; i < rows.size(); ++i) sum += dclassical[i * k + j];
      grad[q + j] = sum / count;
    }
    for (std::size_t p = 0; p < w.size(); ++p) grad[p] += l2_ * w[p];
    circuit_evaluations_ += 2 * rows.size();
  }
  double decay = 0.0;
  for (double v : w) decay += v * v;
  const double loss = total / count + 0.5 * l2_ * decay;
  // A diverged run (a learning rate far too large, weights of 1e300) must not end "successfully"
  // with nan weights or a nan loss in a model file nobody can load.
  if (!std::isfinite(loss))
    throw InvalidArgument("training diverged: the loss is " + format_number(loss) +
                          " at the current weights (a smaller learning rate or initial point may help)");
  for (double v : grad)
    if (!std::isfinite(v))
      throw InvalidArgument("training diverged: the loss gradient is not finite at the current weights");
  return loss;
}

std::vector<double> circuit_values(const BatchExecutor& executor, const ParameterLayout& layout, const FeatureMatrix& x,
                                   std::span<const double> weights, std::span<const Observable> observables) {
  const auto f = static_cast<std::size_t>(x.cols());
  const std::vector<double> theta =
      make_rows(executor.num_parameters(), layout.inputs, ParameterRows{{x.data(), static_cast<std::size_t>(x.size())}, static_cast<std::size_t>(x.rows()), f},
                layout.weights, weights);
  return executor.expectations(ParameterRows{theta, static_cast<std::size_t>(x.rows()),
                                             static_cast<std::size_t>(executor.num_parameters())},
                               observables);
}

}  // namespace qmlsim::qml

#pragma once
/// The epoch loop of the gradient methods (sgd, adam; private to qml/optim): the learning-rate
/// schedule, full or mini-batch gradients, and one update rule per method.
#include <span>
#include <string>
#include <vector>

#include "qml/encoding/component_spec.hpp"
#include "qml/optim/optimizer.hpp"

namespace qmlsim::qml::detail {

/// The learning rate of epoch k (k = 1, 2, ...): constant lr, or lr * decay^(k-1) (exponential).
struct Schedule {
  double lr = 0.01;
  bool exponential = false;
  double decay = 0.99;

  /// Reads lr, schedule and decay (lr > 0, decay in (0, 1]); `context` prefixes messages.
  [[nodiscard]] static Schedule read(ComponentOptions& options, const std::string& context);
  [[nodiscard]] double rate(int epoch) const;
  /// Appends lr, schedule and decay to a canonical spec.
  void write(ComponentSpec& spec) const;
};

/// One method's update x <- x - step(grad, lr), with the state it keeps between steps (moments).
/// A fresh rule per minimize() call.
class StepRule {
 public:
  virtual ~StepRule() = default;
  virtual void step(std::span<double> x, std::span<const double> grad, double lr) = 0;
};

/// Runs the epochs with the rate schedule.rate(k) in epoch k. Full batch: iteration 0 evaluates
/// value_and_gradient(x0); epoch k steps with the gradient at x_{k-1} and evaluates
/// value_and_gradient(x_k), whose value is the loss reported at x_k (and the result's loss).
/// Mini-batches (see BatchStream): iteration 0 evaluates value(x0); epoch k steps after each
/// batch gradient and reports the mean over the epoch's rows of the batch losses (each measured
/// before its step); the result's loss is value() at the last point. Evaluations: full batch
/// 1 + epochs, mini-batches 1 + epochs * batches + 1.
[[nodiscard]] OptimizeResult run_first_order(Objective& objective, std::vector<double> x, const Callback& callback,
                                             const OptimizerSettings& settings, const Schedule& schedule,
                                             StepRule& rule, const std::string& name);

}  // namespace qmlsim::qml::detail

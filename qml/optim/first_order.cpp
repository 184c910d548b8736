#include "qml/optim/first_order.hpp"

#include <cmath>

#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

Schedule Schedule::read(ComponentOptions& options, const std::string& context) {
  Schedule s;
  s.lr = options.real("lr", s.lr);
  check_positive(s.lr, context + ": lr");
  s.exponential = options.choice("schedule", "constant", {"constant", "exponential"}) == "exponential";
  s.decay = options.real("decay", s.decay);
  if (!(s.decay > 0.0 && s.decay <= 1.0))
    throw InvalidArgument(context + ": decay " + format_number(s.decay) + " out of range (0, 1]");
  return s;
}

double Schedule::rate(int epoch) const { return exponential ? lr * std::pow(decay, epoch - 1) : lr; }

void Schedule::write(ComponentSpec& spec) const {
  spec.set("lr", format_number(lr));
  spec.set("schedule", exponential ? "exponential" : "constant");
  spec.set("decay", format_number(decay));
}

OptimizeResult run_first_order(Objective& objective, std::vector<double> x, const Callback& callback,
                               const OptimizerSettings& settings, const Schedule& schedule, StepRule& rule,
                               const std::string& name) {
  check_start(objective, x, name, true);
  Progress progress(callback, settings);
  BatchStream batches(objective, settings);
  std::vector<double> grad(x.size()), previous(x.size());
  // Full batch: the gradient at x_k serves the report of iteration k and the step of k + 1.
  double loss = batches.active() ? objective.value(x) : objective.value_and_gradient(x, grad);
  ++progress.evaluations;
  IterationInfo info;
  info.loss = loss;
  info.gradient_norm = norm(grad);
  info.x = x;
  std::string stop = progress.report(info);
  if (!stop.empty()) return progress.finish(std::move(x), loss, 0, std::move(stop));

  const double rows = static_cast<double>(objective.num_samples());
  int epoch = 0;
  while (stop.empty() && epoch < settings.maxiter) {
    ++epoch;
    const double lr = schedule.rate(epoch);
    previous = x;
    if (batches.active()) {
      loss = 0.0;
      for (std::size_t b = 0; b < batches.batches_per_epoch(); ++b) {
        const auto batch = batches.next();
        const double batch_loss = objective.batch_value_and_gradient(x, batch, grad);
        ++progress.evaluations;
        loss += batch_loss * static_cast<double>(batch.size()) / rows;
        rule.step(x, grad, lr);
      }
    } else {
      rule.step(x, grad, lr);
      loss = objective.value_and_gradient(x, grad);
      ++progress.evaluations;
    }
    info.iteration = epoch;
    info.loss = loss;
    info.gradient_norm = norm(grad);
    info.step_size = distance(x, previous);
    info.learning_rate = lr;
    info.x = x;
    stop = progress.report(info);
  }
  if (batches.active()) {
    loss = objective.value(x);
    ++progress.evaluations;
  }
  return progress.finish(std::move(x), loss, epoch, stop.empty() ? "maxiter" : std::move(stop));
}

}  // namespace qmlsim::qml::detail

#include "qml/optim/optimizer.hpp"

#include <cmath>

#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

double Objective::batch_value_and_gradient(std::span<const double>, std::span<const std::size_t>, std::span<double>) {
  throw InvalidArgument("objective: mini-batch gradients are not available (use batch size 0)");
}

double Objective::batch_value(std::span<const double>, std::span<const std::size_t>) {
  throw InvalidArgument("objective: mini-batch values are not available (use batch size 0)");
}

FunctionObjective::FunctionObjective(std::size_t num_parameters, Value value, ValueAndGradient value_and_gradient)
    : n_(num_parameters), value_(std::move(value)), value_and_gradient_(std::move(value_and_gradient)) {
  if (!value_) throw InvalidArgument("function objective: no value function given");
}

double FunctionObjective::value_and_gradient(std::span<const double> x, std::span<double> grad) {
  if (!value_and_gradient_) throw InvalidArgument("function objective: no gradient function given");
  check_count(grad.size(), n_, "function objective: gradient", "value");
  return value_and_gradient_(x, grad);
}

std::vector<std::string> optimizer_names() {
  return {"sgd", "adam", "spsa", "cobyla", "lbfgs", "nelder-mead", "bobyqa"};
}

std::unique_ptr<Optimizer> make_optimizer(const ComponentSpec& spec, const OptimizerSettings& settings) {
  check_positive(settings.maxiter, "optimizer: maxiter");
  if (!(settings.time_limit >= 0.0 && std::isfinite(settings.time_limit)))
    throw InvalidArgument("optimizer: time limit " + format_number(settings.time_limit) +
                          " must be >= 0 and finite (0 = none)");
  if (spec.type == "sgd") return detail::make_sgd(spec, settings);
  if (spec.type == "adam") return detail::make_adam(spec, settings);
  if (spec.type == "spsa") return detail::make_spsa(spec, settings);
  if (detail::is_nlopt_method(spec.type)) {
    // NLopt's methods see the whole objective: a batch size would be silently ignored.
    if (settings.batch_size > 0)
      throw InvalidArgument("optimizer " + spec.type + ": a batch size applies to sgd, adam and spsa only (" +
                            spec.type + " evaluates every row)");
    return detail::make_nlopt(spec, settings);
  }
  std::string known;
  for (const auto& name : optimizer_names()) known += (known.empty() ? "" : ", ") + name;
  throw InvalidArgument("unknown optimizer '" + spec.type + "' (known: " + known + ")");
}

}  // namespace qmlsim::qml

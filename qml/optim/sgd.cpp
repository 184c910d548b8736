// Stochastic gradient descent with momentum and Nesterov momentum, as PyTorch's SGD (dampening 0):
// v <- momentum v + g; x -= lr (g + momentum v) with Nesterov, x -= lr v without.
#include "qml/optim/first_order.hpp"
#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

struct SgdSettings {
  Schedule schedule;
  double momentum = 0.0;
  bool nesterov = false;
};

class SgdStep final : public StepRule {
 public:
  SgdStep(const SgdSettings& s, std::size_t n) : s_(s), velocity_(s.momentum > 0.0 ? n : 0, 0.0) {}

  void step(std::span<double> x, std::span<const double> grad, double lr) override {
    if (velocity_.empty()) {
      for (std::size_t i = 0; i < x.size(); ++i) x[i] -= lr * grad[i];
      return;
    }
    for (std::size_t i = 0; i < x.size(); ++i) {
      velocity_[i] = s_.momentum * velocity_[i] + grad[i];
      x[i] -= lr * (s_.nesterov ? grad[i] + s_.momentum * velocity_[i] : velocity_[i]);
    }
  }

 private:
  const SgdSettings& s_;
  std::vector<double> velocity_;
};

class Sgd final : public Optimizer {
 public:
  Sgd(SgdSettings s, OptimizerSettings settings) : s_(s), settings_(settings) {}

  OptimizeResult minimize(Objective& objective, std::vector<double> x0, const Callback& callback) const override {
    SgdStep rule(s_, x0.size());
    return run_first_order(objective, std::move(x0), callback, settings_, s_.schedule, rule, "sgd");
  }
  bool uses_gradient() const noexcept override { return true; }
  ComponentSpec spec() const override {
    ComponentSpec spec{"sgd", {}};
    s_.schedule.write(spec);
    spec.set("momentum", format_number(s_.momentum));
    spec.set("nesterov", s_.nesterov ? "true" : "false");
    return spec;
  }

 private:
  SgdSettings s_;
  OptimizerSettings settings_;
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(const ComponentSpec& spec, const OptimizerSettings& settings) {
  ComponentOptions options(spec, "optimizer sgd");
  SgdSettings s;
  s.schedule = Schedule::read(options, "optimizer sgd");
  s.momentum = options.real("momentum", s.momentum);
  if (!(s.momentum >= 0.0 && s.momentum < 1.0))
    throw InvalidArgument("optimizer sgd: momentum " + format_number(s.momentum) + " out of range [0, 1)");
  s.nesterov = options.flag("nesterov", s.nesterov);
  if (s.nesterov && s.momentum == 0.0)
    throw InvalidArgument("optimizer sgd: nesterov=true needs momentum > 0");
  options.finish();
  return std::make_unique<Sgd>(s, settings);
}

}  // namespace qmlsim::qml::detail

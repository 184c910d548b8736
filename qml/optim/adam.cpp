// Adam (Kingma & Ba 2015, Algorithm 1) and AMSGrad (Reddi et al. 2018), with bias-corrected
// moments as PyTorch's Adam: x -= lr * m_hat / (sqrt(v_hat) + epsilon), where AMSGrad uses the
// running maximum of v in place of v.
#include <algorithm>
#include <cmath>

#include "qml/optim/first_order.hpp"
#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

struct AdamSettings {
  Schedule schedule;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-8;
  bool amsgrad = false;
};

class AdamStep final : public StepRule {
 public:
  AdamStep(const AdamSettings& s, std::size_t n) : s_(s), m_(n, 0.0), v_(n, 0.0), v_max_(s.amsgrad ? n : 0, 0.0) {}

  void step(std::span<double> x, std::span<const double> grad, double lr) override {
    ++t_;
    const double correction1 = 1.0 - std::pow(s_.beta1, t_);
    const double correction2 = 1.0 - std::pow(s_.beta2, t_);
    for (std::size_t i = 0; i < x.size(); ++i) {
      m_[i] = s_.beta1 * m_[i] + (1.0 - s_.beta1) * grad[i];
      v_[i] = s_.beta2 * v_[i] + (1.0 - s_.beta2) * grad[i] * grad[i];
      double v = v_[i];
      if (s_.amsgrad) v = v_max_[i] = std::max(v_max_[i], v);
      x[i] -= lr * (m_[i] / correction1) / (std::sqrt(v / correction2) + s_.epsilon);
    }
  }

 private:
  const AdamSettings& s_;
  std::vector<double> m_, v_, v_max_;
  int t_ = 0;
};

class Adam final : public Optimizer {
 public:
  Adam(AdamSettings s, OptimizerSettings settings) : s_(s), settings_(settings) {}

  OptimizeResult minimize(Objective& objective, std::vector<double> x0, const Callback& callback) const override {
    AdamStep rule(s_, x0.size());
    return run_first_order(objective, std::move(x0), callback, settings_, s_.schedule, rule, "adam");
  }
  bool uses_gradient() const noexcept override { return true; }
  ComponentSpec spec() const override {
    ComponentSpec spec{"adam", {}};
    s_.schedule.write(spec);
    spec.set("beta1", format_number(s_.beta1));
    spec.set("beta2", format_number(s_.beta2));
    spec.set("epsilon", format_number(s_.epsilon));
    spec.set("amsgrad", s_.amsgrad ? "true" : "false");
    return spec;
  }

 private:
  AdamSettings s_;
  OptimizerSettings settings_;
};

// A decay rate in [0, 1).
double read_beta(ComponentOptions& options, const std::string& key, double fallback) {
  const double beta = options.real(key, fallback);
  if (!(beta >= 0.0 && beta < 1.0))
    throw InvalidArgument("optimizer adam: " + key + " " + format_number(beta) + " out of range [0, 1)");
  return beta;
}

}  // namespace

std::unique_ptr<Optimizer> make_adam(const ComponentSpec& spec, const OptimizerSettings& settings) {
  ComponentOptions options(spec, "optimizer adam");
  AdamSettings s;
  s.schedule = Schedule::read(options, "optimizer adam");
  s.beta1 = read_beta(options, "beta1", s.beta1);
  s.beta2 = read_beta(options, "beta2", s.beta2);
  s.epsilon = options.real("epsilon", s.epsilon);
  check_positive(s.epsilon, "optimizer adam: epsilon");
  s.amsgrad = options.flag("amsgrad", s.amsgrad);
  options.finish();
  return std::make_unique<Adam>(s, settings);
}

}  // namespace qmlsim::qml::detail

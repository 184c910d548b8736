// SPSA (Spall 1998) as Qiskit's SPSA (qiskit_algorithms/optimizers/spsa.py, first order, one
// resampling, no blocking or trust region):
//   iteration k = 1, 2, ...: delta in {-1, +1}^n (Bernoulli, from Rng(seed, kPerturbationStream)),
//   c_k = c / k^gamma, a_k = a / (k + A)^alpha,
//   g = (f(x + c_k delta) - f(x - c_k delta)) / (2 c_k) * delta,  x <- x - a_k g.
// Unless lr= is given, `a` comes from Qiskit's SPSA.calibrate: 25 perturbation pairs at x0 (50
// evaluations), the mean |f(x0 + c delta) - f(x0 - c delta)| / (2 c) = m, a = (2 pi / 10) / m (or
// 2 pi / 10 when that is below 1e-10). With mini-batches each pair (calibration or step) evaluates
// batch_value on the next batch of the seeded epoch shuffles; otherwise value().
//
// Evaluations: 1 (x0, iteration 0) + 50 (calibration, when `a` is calibrated) + 2 per iteration
// + 1 (the result's loss: value() at the final point, as Qiskit's result.fun). The loss reported
// at iteration k is the mean of its two perturbed evaluations (Qiskit's fx_estimate), so that the
// callback costs no extra evaluation.
#include <cmath>
#include <numbers>
#include <optional>

#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

constexpr int kCalibrationPairs = 25;
constexpr double kTargetMagnitude = 2.0 * std::numbers::pi / 10.0;

struct SpsaSettings {
  std::optional<double> lr;  // `a`; calibrated when not given
  double c = 0.2;
  double alpha = 0.602;
  double gamma = 0.101;
  double stability = 0.0;  // A
};

// f(x + c delta) - f(x - c delta) and their mean, on one batch (or the full objective).
class PairEvaluator {
 public:
  PairEvaluator(Objective& objective, const OptimizerSettings& settings, Progress& progress)
      : objective_(objective), batches_(objective, settings), progress_(progress) {}

  struct Pair {
    double difference;
    double mean;
  };

  Pair evaluate(std::span<const double> x, std::span<const double> delta, double c) {
    const auto rows = batches_.active() ? batches_.next() : std::span<const std::size_t>{};
    plus_.resize(x.size());
    minus_.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      plus_[i] = x[i] + c * delta[i];
      minus_[i] = x[i] - c * delta[i];
    }
    const double f_plus = value(plus_, rows);
    const double f_minus = value(minus_, rows);
    return {f_plus - f_minus, 0.5 * (f_plus + f_minus)};
  }

 private:
  double value(std::span<const double> x, std::span<const std::size_t> rows) {
    const double f = batches_.active() ? objective_.batch_value(x, rows) : objective_.value(x);
    ++progress_.evaluations;
    return f;
  }

  Objective& objective_;
  BatchStream batches_;
  Progress& progress_;
  std::vector<double> plus_, minus_;
};

void draw_perturbation(Rng& rng, std::vector<double>& delta) {
  for (auto& d : delta) d = (rng() >> 63) != 0 ? -1.0 : 1.0;
}

class Spsa final : public Optimizer {
 public:
  Spsa(SpsaSettings s, OptimizerSettings settings) : s_(s), settings_(settings) {}

  OptimizeResult minimize(Objective& objective, std::vector<double> x, const Callback& callback) const override {
    check_start(objective, x, "spsa", false);
    Progress progress(callback, settings_);
    double loss = objective.value(x);
    ++progress.evaluations;
    IterationInfo info;
    info.loss = loss;
    info.x = x;
    std::string stop = progress.report(info);
    if (!stop.empty()) return progress.finish(std::move(x), loss, 0, std::move(stop));

    Rng rng(settings_.seed, kPerturbationStream);
    PairEvaluator pairs(objective, settings_, progress);
    std::vector<double> delta(x.size()), previous(x.size());
    const double a = s_.lr ? *s_.lr : calibrate(pairs, rng, x, delta);
    int k = 0;
    while (stop.empty() && k < settings_.maxiter) {
      ++k;
      const double c_k = s_.c / std::pow(k, s_.gamma);
      const double a_k = a / std::pow(k + s_.stability, s_.alpha);
      draw_perturbation(rng, delta);
      const auto pair = pairs.evaluate(x, delta, c_k);
      const double scale = pair.difference / (2.0 * c_k);
      previous = x;
      for (std::size_t i = 0; i < x.size(); ++i) x[i] -= a_k * scale * delta[i];
      info.iteration = k;
      info.loss = pair.mean;
      info.gradient_norm = std::abs(scale) * std::sqrt(static_cast<double>(x.size()));
      info.step_size = distance(x, previous);
      info.learning_rate = a_k;
      info.x = x;
      stop = progress.report(info);
    }
    loss = objective.value(x);
    ++progress.evaluations;
    return progress.finish(std::move(x), loss, k, stop.empty() ? "maxiter" : std::move(stop));
  }

  bool uses_gradient() const noexcept override { return false; }

  ComponentSpec spec() const override {
    ComponentSpec spec{"spsa", {}};
    if (s_.lr) spec.set("lr", format_number(*s_.lr));
    spec.set("c", format_number(s_.c));
    spec.set("alpha", format_number(s_.alpha));
    spec.set("gamma", format_number(s_.gamma));
    spec.set("stability", format_number(s_.stability));
    return spec;
  }

 private:
  // Qiskit's SPSA.calibrate: the gain `a` that makes the first step about 2 pi / 10 long.
  double calibrate(PairEvaluator& pairs, Rng& rng, std::span<const double> x0, std::vector<double>& delta) const {
    double magnitude = 0.0;
    for (int i = 0; i < kCalibrationPairs; ++i) {
      draw_perturbation(rng, delta);
      magnitude += std::abs(pairs.evaluate(x0, delta, s_.c).difference / (2.0 * s_.c));
    }
    magnitude /= kCalibrationPairs;
    const double a = kTargetMagnitude / magnitude;
    return a < 1e-10 || !std::isfinite(a) ? kTargetMagnitude : a;
  }

  SpsaSettings s_;
  OptimizerSettings settings_;
};

double read_positive(ComponentOptions& options, const std::string& key, double fallback) {
  const double v = options.real(key, fallback);
  check_positive(v, "optimizer spsa: " + key);
  return v;
}

}  // namespace

std::unique_ptr<Optimizer> make_spsa(const ComponentSpec& spec, const OptimizerSettings& settings) {
  ComponentOptions options(spec, "optimizer spsa");
  SpsaSettings s;
  if (const double lr = options.real("lr", 0.0); options.has("lr")) {
    check_positive(lr, "optimizer spsa: lr");
    s.lr = lr;
  }
  s.c = read_positive(options, "c", s.c);
  s.alpha = read_positive(options, "alpha", s.alpha);
  s.gamma = read_positive(options, "gamma", s.gamma);
  s.stability = options.real("stability", s.stability);
  if (!(s.stability >= 0.0 && std::isfinite(s.stability)))
    throw InvalidArgument("optimizer spsa: stability " + format_number(s.stability) + " must be >= 0 and finite");
  options.finish();
  return std::make_unique<Spsa>(s, settings);
}

}  // namespace qmlsim::qml::detail

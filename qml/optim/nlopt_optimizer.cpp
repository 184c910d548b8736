// The NLopt methods behind one adapter; the ONLY file that includes <nlopt.hpp>.
//
// Traps handled here (QML_DESIGN.md 3.6):
// - NLopt's C++ wrapper turns any exception thrown by the objective into NLOPT_FAILURE (or
//   NLOPT_INVALID_ARGS for std::invalid_argument), losing its type. Our objective function never
//   lets an exception reach NLopt: it keeps the std::exception_ptr, force-stops, and minimize()
//   rethrows it after optimize() returns (or throws nlopt::forced_stop).
// - NLopt's random numbers (none of the four methods here draw any, but a future one may) are
//   seeded with nlopt::srand(seed) before each run, never from the clock.
// - maxiter counts function evaluations: set_maxeval, and our own count force-stops at maxiter,
//   as NLopt's L-BFGS checks maxeval only between line searches. Iteration 0 is x0, evaluated
//   before optimize() and reported to the callback; every method here evaluates x0 first, and
//   that first request is answered from the stored value, so the evaluations stay within maxiter.
// - Normal ends that NLopt reports by throwing (roundoff_limited, the generic failure of a line
//   search near the optimum) return the best point with stop_reason "nlopt: <reason>".
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <new>
#include <stdexcept>
#include <utility>

#include "qml/optim/loop.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

struct Method {
  const char* name;
  nlopt::algorithm algorithm;
  bool gradient;
  const char* step_key;  // the initial step / trust radius option ("" when none)
  double step;
  double tol;  // relative x tolerance (relative f tolerance for lbfgs)
  double tol_floor;  // the smallest relative tolerance passed to NLopt (see kCobylaTolFloor)
};

// NLopt's COBYLA shrinks its trust radius from rhobeg down to rhoend = xtol_rel * rhobeg; with
// rhoend = 0 it can loop forever inside its trust-region subproblem once the radius underflows
// the precision of x, without another evaluation that would let maxeval or force_stop end it
// (stevengj/nlopt#370; seen here on a convex quadratic whose minimum it had reached exactly). So
// its radius stops at 1e-12 rhobeg ("converged"), far below what changes a QML loss.
constexpr double kCobylaTolFloor = 1e-12;

constexpr Method kMethods[] = {
    {"cobyla", nlopt::LN_COBYLA, false, "rhobeg", 1.0, 0.0, kCobylaTolFloor},
    {"lbfgs", nlopt::LD_LBFGS, true, "", 0.0, 1e-10, 0.0},
    {"nelder-mead", nlopt::LN_NELDERMEAD, false, "step", 0.5, 0.0, 0.0},
    {"bobyqa", nlopt::LN_BOBYQA, false, "rhobeg", 0.5, 0.0, 0.0},
};

const Method* find_method(std::string_view name) noexcept {
  for (const auto& m : kMethods)
    if (name == m.name) return &m;
  return nullptr;
}

std::string result_reason(nlopt::result code) {
  switch (code) {
    case nlopt::MAXEVAL_REACHED: return "maxiter";
    case nlopt::MAXTIME_REACHED: return "time_limit";
    case nlopt::FTOL_REACHED:
    case nlopt::XTOL_REACHED: return "converged";
    case nlopt::SUCCESS: return "nlopt: success";
    case nlopt::STOPVAL_REACHED: return "nlopt: stopval reached";
    case nlopt::ROUNDOFF_LIMITED: return "nlopt: roundoff limited";
    case nlopt::FORCED_STOP: return "nlopt: forced stop";
    default: return "nlopt: failure";
  }
}

// One optimize() call: the objective NLopt sees, with the bookkeeping around it.
struct Run {
  Run(Objective& objective_, Progress& progress_, nlopt::opt& opt_, std::span<const double> x0_, int maxiter_)
      : objective(objective_), progress(progress_), opt(opt_), x0(x0_), maxiter(static_cast<std::uint64_t>(maxiter_)) {}

  Objective& objective;
  Progress& progress;
  nlopt::opt& opt;
  std::span<const double> x0;
  std::uint64_t maxiter;  // evaluations, x0 included
  double f0 = 0.0;
  std::vector<double> g0;   // gradient at x0 (gradient methods)
  bool first_call = true;   // the first request is x0 (answered from f0, g0)
  std::vector<double> last_x, best_x;
  double best_f = 0.0;
  int iteration = 0;
  std::exception_ptr error;  // from the objective or the callback, rethrown after optimize()
  std::string stop_reason;   // "callback", "time_limit" or "maxiter" when we force-stopped

  double evaluate(std::span<const double> x, double* grad) {
    const bool first = std::exchange(first_call, false);
    if (first && std::equal(x.begin(), x.end(), x0.begin())) {
      if (grad) std::copy(g0.begin(), g0.end(), grad);
      return f0;
    }
    const double f = grad ? objective.value_and_gradient(x, std::span<double>(grad, x.size())) : objective.value(x);
    ++progress.evaluations;
    if (f < best_f) {
      best_f = f;
      best_x.assign(x.begin(), x.end());
    }
    IterationInfo info;
    info.iteration = ++iteration;
    info.loss = f;
    info.gradient_norm = grad ? norm(std::span<const double>(grad, x.size())) : 0.0;
    info.step_size = distance(x, last_x);
    info.x = x;
    last_x.assign(x.begin(), x.end());
    stop_reason = progress.report(info);
    // NLopt's L-BFGS checks maxeval only between line searches (maxeval 5 gave 9 evaluations).
    if (stop_reason.empty() && progress.evaluations >= maxiter) stop_reason = "maxiter";
    if (!stop_reason.empty()) opt.force_stop();
    return f;
  }
};

double objective_function(unsigned n, const double* x, double* grad, void* data) {
  auto& run = *static_cast<Run*>(data);
  if (run.error || !run.stop_reason.empty()) return std::numeric_limits<double>::infinity();
  try {
    return run.evaluate(std::span<const double>(x, n), grad);
  } catch (...) {
    run.error = std::current_exception();
    run.opt.force_stop();
    return std::numeric_limits<double>::infinity();
  }
}

class NloptOptimizer final : public Optimizer {
 public:
  NloptOptimizer(const Method& method, double step, double tol, int memory, OptimizerSettings settings)
      : method_(method), step_(step), tol_(tol), memory_(memory), settings_(settings) {}

  OptimizeResult minimize(Objective& objective, std::vector<double> x0, const Callback& callback) const override {
    check_start(objective, x0, method_.name, method_.gradient);
    if (method_.algorithm == nlopt::LN_BOBYQA && x0.size() < 2)
      throw InvalidArgument("optimizer bobyqa needs at least 2 parameters, got " + std::to_string(x0.size()) +
                            " (use cobyla or nelder-mead)");
    Progress progress(callback, settings_);
    nlopt::opt opt(method_.algorithm, static_cast<unsigned>(x0.size()));
    Run run(objective, progress, opt, x0, settings_.maxiter);
    if (method_.gradient) {
      run.g0.resize(x0.size());
      run.f0 = objective.value_and_gradient(x0, run.g0);
    } else {
      run.f0 = objective.value(x0);
    }
    ++progress.evaluations;
    run.best_f = run.f0;
    run.best_x = x0;
    run.last_x = x0;
    IterationInfo info;
    info.loss = run.f0;
    info.gradient_norm = norm(run.g0);
    info.x = x0;
    if (std::string stop = progress.report(info); !stop.empty())
      return progress.finish(std::move(x0), run.f0, 0, std::move(stop));

    opt.set_min_objective(objective_function, &run);
    opt.set_maxeval(settings_.maxiter);
    if (step_ > 0.0) opt.set_initial_step(step_);
    if (method_.gradient) {
      opt.set_ftol_rel(tol_);
      opt.set_vector_storage(static_cast<unsigned>(memory_));
    } else {
      opt.set_xtol_rel(std::max(tol_, method_.tol_floor));
    }
    nlopt::srand(settings_.seed);
    std::vector<double> x = x0;
    double f = 0.0;
    nlopt::result code = nlopt::FAILURE;
    try {
      code = opt.optimize(x, f);
    } catch (const nlopt::forced_stop&) {
      code = nlopt::FORCED_STOP;
    } catch (const nlopt::roundoff_limited&) {
      code = nlopt::ROUNDOFF_LIMITED;
    } catch (const std::invalid_argument& e) {
      if (run.error) std::rethrow_exception(run.error);
      throw InvalidArgument(std::string("optimizer ") + method_.name + ": NLopt rejected the problem: " + e.what());
    } catch (const std::bad_alloc&) {
      if (run.error) std::rethrow_exception(run.error);
      throw;
    } catch (const std::runtime_error&) {  // NLOPT_FAILURE
      code = nlopt::FAILURE;
    }
    if (run.error) std::rethrow_exception(run.error);
    std::string reason = run.stop_reason.empty() ? result_reason(code) : run.stop_reason;
    return progress.finish(std::move(run.best_x), run.best_f, run.iteration, std::move(reason));
  }

  bool uses_gradient() const noexcept override { return method_.gradient; }

  ComponentSpec spec() const override {
    ComponentSpec spec{method_.name, {}};
    if (*method_.step_key) spec.set(method_.step_key, format_number(step_));
    spec.set("tol", format_number(tol_));
    if (method_.gradient) spec.set("memory", std::to_string(memory_));
    return spec;
  }

 private:
  const Method& method_;
  double step_;
  double tol_;
  int memory_;
  OptimizerSettings settings_;
};

}  // namespace

bool is_nlopt_method(std::string_view name) noexcept { return find_method(name) != nullptr; }

std::unique_ptr<Optimizer> make_nlopt(const ComponentSpec& spec, const OptimizerSettings& settings) {
  const Method* method = find_method(spec.type);
  if (!method) throw InvalidArgument("unknown NLopt method '" + spec.type + "'");
  const std::string context = std::string("optimizer ") + method->name;
  ComponentOptions options(spec, context);
  double step = 0.0;
  if (*method->step_key) {
    step = options.real(method->step_key, method->step);
    check_positive(step, context + ": " + method->step_key);
  }
  const double tol = options.real("tol", method->tol);
  if (!(tol >= 0.0 && std::isfinite(tol)))
    throw InvalidArgument(context + ": tol " + format_number(tol) + " must be >= 0 and finite");
  const int memory = method->gradient ? options.integer("memory", 10, 1, 1000) : 0;
  options.finish();
  return std::make_unique<NloptOptimizer>(*method, step, tol, memory, settings);
}

}  // namespace qmlsim::qml::detail

#include "simulator/execution/gradient.hpp"

#include <algorithm>
#include <cmath>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/adjoint_sweep.hpp"
#include "simulator/gates/adjoint_kernels.hpp"
#include "simulator/gates/derivatives.hpp"

namespace qmlsim {
namespace {

// Scratch layout: the adjoint of a record's matrix (up to 64 x 64 complex), then up to
// kMaxGateParams derivative matrices of a parametric gate (at most 2 targets: 4 x 4).
constexpr std::size_t kAdjointReals = 2 * 64 * 64;
constexpr std::size_t kDerivativeReals = 2 * 16;
constexpr std::size_t kScratchReals = kAdjointReals + kMaxGateParams * kDerivativeReals;
}  // namespace

AdjointWorkspace::AdjointWorkspace(int num_qubits, const Parallelism& par, const MemoryLimit& memory,
                                   bool keep_final_state)
    : psi((ensure_state_memory(num_qubits, sizeof(double), keep_final_state ? 3 : 2, memory, "the adjoint gradient"),
           StateVector<double>(num_qubits, par, memory))),
      lambda(num_qubits, par, memory),
      scratch(kScratchReals, 0.0) {
  if (keep_final_state) saved.emplace_back(num_qubits, par, memory);
}

AdjointGradient::AdjointGradient(const CompiledCircuit& circuit, std::span<const int> wrt, SimulatorOptions options)
    : GradientMethod(GradientPlan::make(circuit, wrt, "adjoint gradient"), options) {}

void AdjointGradient::check(const CompiledCircuit& bound, std::span<const Observable> observables) const {
  plan_.check(bound, "adjoint gradient");
  for (const Observable& h : observables) check_observable(h, bound.num_qubits());
}

void AdjointGradient::check_weights(std::span<const Observable> observables, std::span<const double> weights) const {
  check_count(weights.size(), observables.size(), "vector-Jacobian product", "weight");
}

void AdjointGradient::sweep(const CompiledCircuit& bound, AdjointWorkspace& ws, double scale, double* grad,
                            const Parallelism& par) const {
  const auto& records = bound.records();
  const auto& ops = bound.circuit().operations();
  const std::span<const double> theta = bound.theta();
  const int n = bound.num_qubits();
  auto* psi = reinterpret_cast<double*>(ws.psi.data());
  auto* lam = reinterpret_cast<double*>(ws.lambda.data());
  if (const int chunk = default_sweep_chunk_qubits(n); chunk > 0) {
    // States of 12 qubits and more: runs of gates share passes, from 16 qubits blocked by cache
    // chunks (execution/adjoint_sweep.hpp); then the same chain rule as below.
    std::vector<SweepAngle> list(plan_.angles.size());
    for (std::size_t i = plan_.stop; i < records.size(); ++i)
      for (std::uint32_t a = plan_.steps[i].first_angle; a < plan_.steps[i].last_angle; ++a)
        list[a] = {static_cast<std::uint32_t>(i), plan_.angles[a].param};
    std::vector<double> acc(list.size(), 0.0);
    AdjointSweepOptions sweep_options;
    sweep_options.chunk_qubits = chunk;
    adjoint_sweep(bound, plan_.stop, list, psi, lam, par, acc.data(), sweep_options);
    for (std::size_t i = records.size(); i-- > plan_.stop;) {
      for (std::uint32_t a = plan_.steps[i].first_angle; a < plan_.steps[i].last_angle; ++a) {
        const double g = scale * acc[a];
        const Param& param = ops[static_cast<std::size_t>(records[i].op)].params[plan_.angles[a].param];
        for (std::uint32_t t = plan_.angles[a].first; t < plan_.angles[a].last; ++t)
          grad[plan_.terms[t].slot] += g * GradientPlan::derivative(param, theta, plan_.terms[t].index);
      }
    }
    return;
  }
  double* mdag = ws.scratch.data();
  double* dmat[kMaxGateParams];
  for (int d = 0; d < kMaxGateParams; ++d)
    dmat[d] = ws.scratch.data() + kAdjointReals + static_cast<std::size_t>(d) * kDerivativeReals;
  const std::int32_t phase_record = bound.phase_record();
  const cdouble phase = bound.global_phase();

  for (std::size_t i = records.size(); i-- > plan_.stop;) {
    const Record& r = records[i];
    const cdouble* m = bound.matrices().data() + r.matrix;
    const Index cm = r.control_mask, cv = r.control_values;
    const int k = r.num_targets;
    const GradientPlan::Step& step = plan_.steps[i];
    const int nd = static_cast<int>(step.last_angle - step.first_angle);
    const std::size_t dim = std::size_t{1} << k;
    const bool diagonal = r.kernel == KernelKind::Diagonal || r.kernel == KernelKind::Phase;
    const std::size_t diag_dim = r.kernel == KernelKind::Phase ? 1 : dim;

    // The adjoint of the record's matrix.
    switch (r.kernel) {
      case KernelKind::Measure: continue;  // terminal: not part of the state
      case KernelKind::Reset: continue;    // refused at construction (trajectory circuits)
      case KernelKind::PauliX: kernels::adjoint_x(psi, lam, n, r.targets[0], cm, cv, par); continue;
      case KernelKind::Swap: kernels::adjoint_swap(psi, lam, n, r.targets[0], r.targets[1], cm, cv, par); continue;
      case KernelKind::Diagonal:
      case KernelKind::Phase:
        for (std::size_t j = 0; j < diag_dim; ++j) {
          mdag[2 * j] = m[j].real();
          mdag[2 * j + 1] = -m[j].imag();
        }
        break;
      case KernelKind::Matrix1:
      case KernelKind::Matrix2:
      case KernelKind::MatrixK:
        for (std::size_t a = 0; a < dim; ++a)
          for (std::size_t b = 0; b < dim; ++b) {
            const cdouble x = m[b * dim + a];
            mdag[2 * (a * dim + b)] = x.real();
            mdag[2 * (a * dim + b) + 1] = -x.imag();
          }
        break;
    }

    // Derivative matrices of the angles that depend on selected parameters.
    double values[kMaxGateParams] = {};
    const Operation* op = nullptr;
    bool monomial = false;
    std::uint8_t cols[kMaxGateParams * 4];
    if (nd > 0) {
      op = &ops[static_cast<std::size_t>(r.op)];
      for (std::size_t j = 0; j < op->params.size(); ++j) values[j] = op->params[j].value(theta);
      const std::span<const double> angles(values, op->params.size());
      // Generators G = (dM/da) M^dagger with M the stored matrix (global phase included in both).
      const cdouble f = static_cast<std::int32_t>(i) == phase_record ? phase : cdouble(1.0);
      cdouble gens[kMaxGateParams][16];
      for (int d = 0; d < nd; ++d) {
        const GradientPlan::Angle& a = plan_.angles[step.first_angle + static_cast<std::uint32_t>(d)];
        cdouble full[16];
        fill_target_derivative(op->kind, angles, static_cast<int>(a.param), full);
        for (std::size_t j = 0; j < dim * dim; ++j) full[j] *= f;
        if (diagonal) {
          for (std::size_t j = 0; j < diag_dim; ++j)
            gens[d][j] = full[j * dim + j] * cdouble(mdag[2 * j], mdag[2 * j + 1]);
        } else {
          detail::multiply_generator(full, mdag, dim, gens[d]);
        }
      }
      monomial = !diagonal;
      for (int d = 0; d < nd && monomial; ++d)
        monomial = detail::compact_monomial(gens[d], dim, dmat[d], cols + static_cast<std::size_t>(d) * dim);
      if (!monomial) {
        for (int d = 0; d < nd; ++d)
          for (std::size_t j = 0; j < (diagonal ? diag_dim : dim * dim); ++j) {
            dmat[d][2 * j] = gens[d][j].real();
            dmat[d][2 * j + 1] = gens[d][j].imag();
          }
      }
    }

    double acc[kMaxGateParams] = {};
    if (diagonal) {
      kernels::adjoint_diagonal(psi, lam, n, r.targets.data(), r.kernel == KernelKind::Phase ? 0 : k, mdag, dmat, nd,
                                cm, cv, par, acc);
    } else {
      kernels::adjoint_dense(psi, lam, n, r.targets.data(), k, mdag, dmat, monomial ? cols : nullptr, nd, cm, cv, par,
                             acc);
    }

    // Chain rule: d f / d theta_p += scale Re<lambda|dU/da|psi> * d a / d theta_p (scale 2 for <H>).
    for (int d = 0; d < nd; ++d) {
      const GradientPlan::Angle& a = plan_.angles[step.first_angle + static_cast<std::uint32_t>(d)];
      const double g = scale * acc[d];
      const Param& param = op->params[a.param];
      for (std::uint32_t t = a.first; t < a.last; ++t) {
        const double da = GradientPlan::derivative(param, theta, plan_.terms[t].index);
        grad[plan_.terms[t].slot] += g * da;
      }
    }
  }
}

void AdjointGradient::forward_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                                   AdjointWorkspace& ws, double* values, const Parallelism& par) const {
  check(bound, observables);
  if (ws.psi.num_qubits() != bound.num_qubits() || ws.lambda.num_qubits() != bound.num_qubits() ||
      ws.scratch.size() < kScratchReals)
    throw InvalidArgument("adjoint workspace is not sized for this circuit");
  ws.psi.set_zero_state(par);
  bound.apply(ws.psi, par);
  for (std::size_t j = 0; j < observables.size(); ++j) values[j] = expectation(observables[j], ws.psi, par);
}

void AdjointGradient::backward_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                                    std::span<const double> weights, AdjointWorkspace& ws, double* grad,
                                    const Parallelism& par) const {
  check_weights(observables, weights);
  std::fill(grad, grad + plan_.wrt.size(), 0.0);
  if (plan_.stop >= plan_.num_records) return;  // nothing depends on the selected parameters
  apply_weighted(observables, weights, ws.psi, ws.lambda, par);
  sweep(bound, ws, 2.0, grad, par);
}

void AdjointGradient::state_vjp_into(const CompiledCircuit& bound, std::span<const cdouble> cotangent,
                                     AdjointWorkspace& ws, double* grad, const Parallelism& par) const {
  check(bound, {});
  if (ws.psi.num_qubits() != bound.num_qubits() || ws.lambda.num_qubits() != bound.num_qubits() ||
      ws.scratch.size() < kScratchReals)
    throw InvalidArgument("adjoint workspace is not sized for this circuit");
  check_count(cotangent.size(), static_cast<std::size_t>(ws.lambda.size()), "state vector-Jacobian product: cotangent",
              "amplitude");
  std::fill(grad, grad + plan_.wrt.size(), 0.0);
  const std::span<const std::int32_t> phase_ops = bound.phase_operations();
  const bool records = plan_.stop < plan_.num_records;
  if (!records && phase_ops.empty()) return;  // nothing depends on the selected parameters
  ws.psi.set_zero_state(par);
  bound.apply(ws.psi, par);
  cdouble* lam = ws.lambda.data();
  parallel_for(ws.lambda.size(), kBlock, par,
               [&](Index b, Index e) noexcept { std::copy(cotangent.data() + b, cotangent.data() + e, lam + b); });
  if (!phase_ops.empty()) {
    // psi carries the factor e^{i a} of every folded gphase angle a: d psi / da = i psi, so the
    // term is Re <lambda| i psi> = -Im <lambda|psi>, chained to the parameters as in the sweep.
    const double term = -ws.lambda.inner(ws.psi, par).imag();
    const auto& ops = bound.circuit().operations();
    const std::span<const double> theta = bound.theta();
    for (const std::int32_t o : phase_ops) {
      const Param& param = ops[static_cast<std::size_t>(o)].params[0];
      for (const int p : param.parameters()) {
        const auto slot = std::find(plan_.wrt.begin(), plan_.wrt.end(), p);
        if (slot != plan_.wrt.end()) grad[slot - plan_.wrt.begin()] += term * GradientPlan::derivative(param, theta, p);
      }
    }
  }
  if (records) sweep(bound, ws, 1.0, grad, par);
}

void AdjointGradient::vjp_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                               std::span<const double> weights, AdjointWorkspace& ws, double* values,
                               double* grad, const Parallelism& par) const {
  check_weights(observables, weights);
  forward_into(bound, observables, ws, values, par);
  backward_into(bound, observables, weights, ws, grad, par);
}

std::unique_ptr<GradientMethod::Workspace> AdjointGradient::make_workspace(int num_qubits, const MemoryLimit& memory,
                                                                           const Parallelism& par) const {
  return std::make_unique<AdjointWorkspace>(num_qubits, par, memory);
}

void AdjointGradient::gradient_into(CompiledCircuit& circuit, const Observable& observable, std::uint64_t /*seed*/,
                                    Workspace& workspace, GradientResult& out, const Parallelism& par) const {
  auto* ws = dynamic_cast<AdjointWorkspace*>(&workspace);
  if (!ws) throw InvalidArgument("adjoint gradient: the workspace was not made by an adjoint gradient");
  evaluate(circuit, observable, *ws, out, par);
}

void AdjointGradient::evaluate(const CompiledCircuit& bound, const Observable& observable, AdjointWorkspace& ws,
                               GradientResult& out, const Parallelism& par) const {
  out.gradient.assign(plan_.wrt.size(), 0.0);
  out.standard_error.clear();
  out.value_standard_error = 0.0;
  const double one = 1.0;
  vjp_into(bound, std::span<const Observable>(&observable, 1), std::span<const double>(&one, 1), ws, &out.value,
           out.gradient.data(), par);
  out.circuit_evaluations = 2;
}

GradientResult AdjointGradient::gradient(const CompiledCircuit& bound, const Observable& observable,
                                         std::uint64_t /*seed*/) const {
  check(bound, std::span<const Observable>(&observable, 1));  // usage errors before the workspace
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory);
  GradientResult out;
  evaluate(bound, observable, ws, out, options_.parallel);  // no copy of the circuit: nothing is moved
  return out;
}

JacobianResult AdjointGradient::vjp(const CompiledCircuit& bound, std::span<const Observable> observables,
                                    std::span<const double> weights) const {
  check(bound, observables);
  check_weights(observables, weights);  // before the workspace: usage errors first
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory);
  JacobianResult out;
  out.values.assign(observables.size(), 0.0);
  out.jacobian.assign(plan_.wrt.size(), 0.0);
  out.rows = 1;
  out.cols = plan_.wrt.size();
  vjp_into(bound, observables, weights, ws, out.values.data(), out.jacobian.data(), options_.parallel);
  return out;
}

JacobianResult AdjointGradient::jacobian(const CompiledCircuit& bound, std::span<const Observable> observables) const {
  check(bound, observables);
  JacobianResult out;
  out.rows = observables.size();
  out.cols = plan_.wrt.size();
  out.values.assign(out.rows, 0.0);
  out.jacobian.assign(out.rows * out.cols, 0.0);
  if (observables.empty()) return out;
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory, /*keep_final_state=*/true);
  const Parallelism& par = options_.parallel;
  ws.saved[0].set_zero_state(par);
  bound.apply(ws.saved[0], par);
  for (std::size_t j = 0; j < out.rows; ++j) out.values[j] = expectation(observables[j], ws.saved[0], par);
  if (plan_.stop >= plan_.num_records) return out;
  std::vector<double> weights(observables.size(), 0.0);
  for (std::size_t j = 0; j < out.rows; ++j) {
    ws.psi.assign(ws.saved[0], par);
    weights.assign(observables.size(), 0.0);
    weights[j] = 1.0;
    apply_weighted(observables, weights, ws.psi, ws.lambda, par);
    sweep(bound, ws, 2.0, out.jacobian.data() + j * out.cols, par);
  }
  return out;
}

JacobianResult AdjointGradient::probability_jacobian(const CompiledCircuit& bound, std::span<const Qubit> qubits) const {
  for (Qubit q : qubits) check_index(q, bound.num_qubits(), "probability gradient: qubit");
  check_range(qubits.size(), 0, 20, "probability gradient: number of qubits");  // 2^k outcomes, one sweep each
  std::vector<Observable> projectors;
  const Index outcomes = Index{1} << qubits.size();
  projectors.reserve(outcomes);
  for (Index o = 0; o < outcomes; ++o)
    projectors.emplace_back(DiagonalObservable::projector(std::vector<Qubit>(qubits.begin(), qubits.end()), o));
  return jacobian(bound, projectors);
}

GradientResult adjoint_gradient(const Circuit& circuit, std::span<const double> theta, const Observable& observable,
                                std::span<const int> wrt, SimulatorOptions options) {
  CompiledCircuit compiled(circuit);
  compiled.bind(theta);
  return AdjointGradient(compiled, wrt, options).gradient(compiled, observable);
}

}  // namespace qmlsim

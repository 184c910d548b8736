#include "simulator/execution/gradient.hpp"

#include <algorithm>
#include <cmath>

#include "simulator/core/errors.hpp"
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
// Generator entries this small relative to their row's largest are rounding residue of exact
// zeros (e.g. -sin*cos + cos*sin): dropping them changes results far below the double epsilon
// of the sums they would enter.
constexpr double kMonomialTolerance = 1e-14;

// G = D * A for dim x dim complex matrices (A given as interleaved reals).
void multiply(const cdouble* d, const double* a, std::size_t dim, cdouble* g) {
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) {
      cdouble s = 0.0;
      for (std::size_t k = 0; k < dim; ++k) s += d[r * dim + k] * cdouble(a[2 * (k * dim + c)], a[2 * (k * dim + c) + 1]);
      g[r * dim + c] = s;
    }
}

// Writes the compact form of g if each row has one entry above the tolerance; false otherwise.
bool compact_monomial(const cdouble* g, std::size_t dim, double* coeff, std::uint8_t* cols) {
  for (std::size_t r = 0; r < dim; ++r) {
    double largest = 0.0;
    std::size_t at = 0;
    for (std::size_t c = 0; c < dim; ++c)
      if (std::abs(g[r * dim + c]) > largest) {
        largest = std::abs(g[r * dim + c]);
        at = c;
      }
    for (std::size_t c = 0; c < dim; ++c)
      if (c != at && std::abs(g[r * dim + c]) > kMonomialTolerance * largest) return false;
    coeff[2 * r] = g[r * dim + at].real();
    coeff[2 * r + 1] = g[r * dim + at].imag();
    cols[r] = static_cast<std::uint8_t>(at);
  }
  return true;
}

}  // namespace

std::vector<int> resolve_selection(std::span<const int> wrt, int num_parameters) {
  std::vector<int> out;
  if (wrt.empty()) {
    out.resize(static_cast<std::size_t>(num_parameters));
    for (int p = 0; p < num_parameters; ++p) out[static_cast<std::size_t>(p)] = p;
    return out;
  }
  std::vector<bool> seen(static_cast<std::size_t>(num_parameters), false);
  for (int p : wrt) {
    if (p < 0 || p >= num_parameters)
      throw InvalidArgument("gradient with respect to parameter " + std::to_string(p) + ": out of range [0, " +
                            std::to_string(num_parameters) + ")");
    if (seen[static_cast<std::size_t>(p)])
      throw InvalidArgument("gradient with respect to parameter " + std::to_string(p) + ": selected twice");
    seen[static_cast<std::size_t>(p)] = true;
    out.push_back(p);
  }
  return out;
}

AdjointWorkspace::AdjointWorkspace(int num_qubits, const Parallelism& par, const MemoryLimit& memory,
                                   bool keep_final_state)
    : psi((ensure_state_memory(num_qubits, sizeof(double), keep_final_state ? 3 : 2, memory, "the adjoint gradient"),
           StateVector<double>(num_qubits, par, memory))),
      lambda(num_qubits, par, memory),
      scratch(kScratchReals, 0.0) {
  if (keep_final_state) saved.emplace_back(num_qubits, par, memory);
}

AdjointGradient::AdjointGradient(const CompiledCircuit& circuit, std::span<const int> wrt, SimulatorOptions options)
    : options_(options),
      wrt_(resolve_selection(wrt, circuit.num_parameters())),
      num_records_(circuit.records().size()),
      fingerprint_(circuit.fingerprint()),
      num_parameters_(circuit.num_parameters()) {
  const std::string reason = circuit.circuit().trajectory_reason();
  if (!reason.empty())
    throw InvalidArgument("no gradient of a single final state: " + reason + "; the circuit must run shot by shot");
  std::vector<std::int32_t> slot(static_cast<std::size_t>(num_parameters_), -1);
  for (std::size_t s = 0; s < wrt_.size(); ++s) slot[static_cast<std::size_t>(wrt_[s])] = static_cast<std::int32_t>(s);
  const auto& ops = circuit.circuit().operations();
  stop_ = num_records_;
  steps_.resize(num_records_);
  for (std::size_t i = 0; i < num_records_; ++i) {
    const Record& r = circuit.records()[i];
    Step& step = steps_[i];
    step.first_angle = step.last_angle = static_cast<std::uint32_t>(angles_.size());
    if (r.op < 0) continue;
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.kind == GateKind::Unitary || !op.is_unitary()) continue;
    for (std::size_t j = 0; j < op.params.size(); ++j) {
      if (param_spectrum(op.kind, static_cast<int>(j)) == ParamSpectrum::Constant) continue;
      const auto first = static_cast<std::uint32_t>(terms_.size());
      for (int p : op.params[j].parameters())
        if (slot[static_cast<std::size_t>(p)] >= 0) terms_.push_back({p, slot[static_cast<std::size_t>(p)]});
      if (terms_.size() == first) continue;
      angles_.push_back({static_cast<std::uint32_t>(j), first, static_cast<std::uint32_t>(terms_.size())});
    }
    step.last_angle = static_cast<std::uint32_t>(angles_.size());
    if (step.last_angle > step.first_angle) stop_ = std::min(stop_, i);
  }
}

void AdjointGradient::check(const CompiledCircuit& bound, std::span<const Observable> observables) const {
  if (bound.fingerprint() != fingerprint_)
    throw InvalidArgument("adjoint gradient: the circuit is not the one the gradient was planned for");
  if (!bound.is_bound())
    throw InvalidArgument("circuit has " + plural(static_cast<std::size_t>(num_parameters_), "unbound parameter") +
                          "; bind values before taking the gradient");
  for (const Observable& h : observables) check_observable(h, bound.num_qubits());
}

void AdjointGradient::sweep(const CompiledCircuit& bound, AdjointWorkspace& ws, double* grad) const {
  const auto& records = bound.records();
  const auto& ops = bound.circuit().operations();
  const std::span<const double> theta = bound.theta();
  const int n = bound.num_qubits();
  auto* psi = reinterpret_cast<double*>(ws.psi.data());
  auto* lam = reinterpret_cast<double*>(ws.lambda.data());
  if (const int chunk = default_sweep_chunk_qubits(n); chunk > 0) {
    // States larger than the cache: the blocked sweep (one pass over psi and lambda per stage of
    // gates, execution/adjoint_sweep.hpp), then the same chain rule as below.
    std::vector<SweepAngle> list(angles_.size());
    for (std::size_t i = stop_; i < records.size(); ++i)
      for (std::uint32_t a = steps_[i].first_angle; a < steps_[i].last_angle; ++a)
        list[a] = {static_cast<std::uint32_t>(i), angles_[a].param};
    std::vector<double> acc(list.size(), 0.0);
    AdjointSweepOptions sweep_options;
    sweep_options.chunk_qubits = chunk;
    adjoint_sweep(bound, stop_, list, psi, lam, options_.parallel, acc.data(), sweep_options);
    for (std::size_t i = records.size(); i-- > stop_;) {
      for (std::uint32_t a = steps_[i].first_angle; a < steps_[i].last_angle; ++a) {
        const double g = 2.0 * acc[a];
        const Param& param = ops[static_cast<std::size_t>(records[i].op)].params[angles_[a].param];
        for (std::uint32_t t = angles_[a].first; t < angles_[a].last; ++t) {
          const double da = param.kind() == Param::Kind::Affine ? param.scale() : param.derivative(theta, terms_[t].index);
          grad[terms_[t].slot] += g * da;
        }
      }
    }
    return;
  }
  const Parallelism& par = ws.psi.parallelism();
  double* mdag = ws.scratch.data();
  double* dmat[kMaxGateParams];
  for (int d = 0; d < kMaxGateParams; ++d)
    dmat[d] = ws.scratch.data() + kAdjointReals + static_cast<std::size_t>(d) * kDerivativeReals;
  const std::int32_t phase_record = bound.phase_record();
  const cdouble phase = bound.global_phase();

  for (std::size_t i = records.size(); i-- > stop_;) {
    const Record& r = records[i];
    const cdouble* m = bound.matrices().data() + r.matrix;
    const Index cm = r.control_mask, cv = r.control_values;
    const int k = r.num_targets;
    const Step& step = steps_[i];
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
        const Angle& a = angles_[step.first_angle + static_cast<std::uint32_t>(d)];
        cdouble full[16];
        fill_target_derivative(op->kind, angles, static_cast<int>(a.param), full);
        for (std::size_t j = 0; j < dim * dim; ++j) full[j] *= f;
        if (diagonal) {
          for (std::size_t j = 0; j < diag_dim; ++j)
            gens[d][j] = full[j * dim + j] * cdouble(mdag[2 * j], mdag[2 * j + 1]);
        } else {
          multiply(full, mdag, dim, gens[d]);
        }
      }
      monomial = !diagonal;
      for (int d = 0; d < nd && monomial; ++d)
        monomial = compact_monomial(gens[d], dim, dmat[d], cols + static_cast<std::size_t>(d) * dim);
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

    // Chain rule: d f / d theta_p += 2 Re<lambda|dU/da|psi> * d a / d theta_p.
    for (int d = 0; d < nd; ++d) {
      const Angle& a = angles_[step.first_angle + static_cast<std::uint32_t>(d)];
      const double g = 2.0 * acc[d];
      const Param& param = op->params[a.param];
      for (std::uint32_t t = a.first; t < a.last; ++t) {
        const double da = param.kind() == Param::Kind::Affine ? param.scale() : param.derivative(theta, terms_[t].index);
        grad[terms_[t].slot] += g * da;
      }
    }
  }
}

void AdjointGradient::vjp_into(const CompiledCircuit& bound, std::span<const Observable> observables,
                               std::span<const double> weights, AdjointWorkspace& ws, double* values,
                               double* grad) const {
  check(bound, observables);
  if (weights.size() != observables.size())
    throw InvalidArgument("vector-Jacobian product: " + plural(observables.size(), "observable") + " but " +
                          plural(weights.size(), "weight"));
  if (ws.psi.num_qubits() != bound.num_qubits() || ws.lambda.num_qubits() != bound.num_qubits() ||
      ws.scratch.size() < kScratchReals)
    throw InvalidArgument("adjoint workspace is not sized for this circuit");
  std::fill(grad, grad + wrt_.size(), 0.0);
  ws.psi.set_zero_state();
  bound.apply(ws.psi);
  for (std::size_t j = 0; j < observables.size(); ++j) values[j] = expectation(observables[j], ws.psi);
  if (stop_ >= num_records_) return;  // nothing depends on the selected parameters
  apply_weighted(observables, weights, ws.psi, ws.lambda);
  sweep(bound, ws, grad);
}

GradientResult AdjointGradient::gradient(const CompiledCircuit& bound, const Observable& observable) const {
  check(bound, std::span<const Observable>(&observable, 1));
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory);
  GradientResult out;
  out.gradient.assign(wrt_.size(), 0.0);
  const double one = 1.0;
  vjp_into(bound, std::span<const Observable>(&observable, 1), std::span<const double>(&one, 1), ws, &out.value,
           out.gradient.data());
  out.circuit_evaluations = 2;
  return out;
}

JacobianResult AdjointGradient::vjp(const CompiledCircuit& bound, std::span<const Observable> observables,
                                    std::span<const double> weights) const {
  check(bound, observables);
  if (weights.size() != observables.size())  // before the workspace: usage errors first
    throw InvalidArgument("vector-Jacobian product: " + plural(observables.size(), "observable") + " but " +
                          plural(weights.size(), "weight"));
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory);
  JacobianResult out;
  out.values.assign(observables.size(), 0.0);
  out.jacobian.assign(wrt_.size(), 0.0);
  out.rows = 1;
  out.cols = wrt_.size();
  vjp_into(bound, observables, weights, ws, out.values.data(), out.jacobian.data());
  return out;
}

JacobianResult AdjointGradient::jacobian(const CompiledCircuit& bound, std::span<const Observable> observables) const {
  check(bound, observables);
  JacobianResult out;
  out.rows = observables.size();
  out.cols = wrt_.size();
  out.values.assign(out.rows, 0.0);
  out.jacobian.assign(out.rows * out.cols, 0.0);
  if (observables.empty()) return out;
  AdjointWorkspace ws(bound.num_qubits(), options_.parallel, options_.memory, /*keep_final_state=*/true);
  ws.saved[0].set_zero_state();
  bound.apply(ws.saved[0]);
  for (std::size_t j = 0; j < out.rows; ++j) out.values[j] = expectation(observables[j], ws.saved[0]);
  if (stop_ >= num_records_) return out;
  std::vector<double> weights(observables.size(), 0.0);
  for (std::size_t j = 0; j < out.rows; ++j) {
    ws.psi.assign(ws.saved[0]);
    weights.assign(observables.size(), 0.0);
    weights[j] = 1.0;
    apply_weighted(observables, weights, ws.psi, ws.lambda);
    sweep(bound, ws, out.jacobian.data() + j * out.cols);
  }
  return out;
}

JacobianResult AdjointGradient::probability_jacobian(const CompiledCircuit& bound, std::span<const Qubit> qubits) const {
  for (Qubit q : qubits)
    if (q < 0 || q >= bound.num_qubits())
      throw InvalidArgument("probability gradient: qubit " + std::to_string(q) + " out of range [0, " +
                            std::to_string(bound.num_qubits()) + ")");
  if (qubits.size() > 20)
    throw InvalidArgument("probability gradient over " + std::to_string(qubits.size()) +
                          " qubits: at most 20 (2^k outcomes, one sweep each)");
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

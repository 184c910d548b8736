#include "simulator/execution/gradient_method.hpp"

#include <array>
#include <string>

#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/execution/gradient.hpp"
#include "simulator/execution/parameter_shift.hpp"

namespace qmlsim {
namespace {

constexpr std::array kKinds = {GradientMethodKind::Adjoint, GradientMethodKind::ParameterShift,
                               GradientMethodKind::FiniteDifference};

}  // namespace

std::string_view gradient_method_name(GradientMethodKind kind) noexcept {
  switch (kind) {
    case GradientMethodKind::Adjoint: return "adjoint";
    case GradientMethodKind::ParameterShift: return "shift";
    case GradientMethodKind::FiniteDifference: return "fd";
  }
  return "?";
}

GradientMethodKind parse_gradient_method(std::string_view name) {
  std::string valid;
  for (GradientMethodKind kind : kKinds) {
    if (name == gradient_method_name(kind)) return kind;
    valid += (valid.empty() ? "" : ", ") + std::string(gradient_method_name(kind));
  }
  throw InvalidArgument("unknown gradient method '" + std::string(name) + "' (valid: " + valid + ")");
}

std::uint64_t row_seed(std::uint64_t seed, std::uint64_t row) noexcept { return Rng(seed, row)(); }

GradientResult GradientMethod::gradient(const CompiledCircuit& bound, const Observable& observable,
                                        std::uint64_t seed) const {
  plan_.check(bound, gradient_method_name(kind()));
  check_observable(observable, plan_.num_qubits);
  CompiledCircuit circuit = bound;  // moved while the method works
  const std::unique_ptr<Workspace> workspace = make_workspace(plan_.num_qubits, options_.memory, options_.parallel);
  GradientResult out;
  gradient_into(circuit, observable, seed, *workspace, out, options_.parallel);
  return out;
}

std::unique_ptr<GradientMethod> make_gradient_method(const CompiledCircuit& circuit, std::span<const int> wrt,
                                                     const GradientSettings& settings, SimulatorOptions options) {
  switch (settings.method) {
    case GradientMethodKind::Adjoint: return std::make_unique<AdjointGradient>(circuit, wrt, options);
    case GradientMethodKind::ParameterShift:
      return std::make_unique<ParameterShiftGradient>(circuit, wrt, options, settings.shots);
    case GradientMethodKind::FiniteDifference:
      return std::make_unique<FiniteDifferenceGradient>(circuit, wrt, settings.fd_step, settings.fd_order, options);
  }
  throw InvalidArgument("unknown gradient method");
}

}  // namespace qmlsim

#pragma once
/// A quantum circuit: validated operations on n qubits and m classical bits, with P free
/// parameters theta[0..P). Every operation is checked once, when appended; a Circuit is always
/// valid. Builders chain: Circuit c(2); c.h(0).cx(0, 1);
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "simulator/gates/operation.hpp"

namespace qmlsim {

class Circuit {
 public:
  /// Throws InvalidArgument unless 1 <= num_qubits <= kMaxQubits and num_clbits >= 0.
  explicit Circuit(int num_qubits, int num_clbits = 0);

  [[nodiscard]] int num_qubits() const noexcept { return num_qubits_; }
  [[nodiscard]] int num_clbits() const noexcept { return num_clbits_; }
  /// 1 + the largest parameter index any operation uses (or a larger declared count).
  [[nodiscard]] int num_parameters() const noexcept { return num_parameters_; }
  [[nodiscard]] const std::vector<Operation>& operations() const noexcept { return ops_; }
  [[nodiscard]] std::size_t size() const noexcept { return ops_.size(); }
  /// Operations that are gates (not barrier, measure or reset).
  [[nodiscard]] std::size_t num_gates() const noexcept;

  /// Declares that the circuit has at least `count` parameters (e.g. inputs not used by any gate).
  Circuit& declare_parameters(int count);
  /// Optional names for the parameters (size num_parameters()); used in messages and output.
  Circuit& set_parameter_names(std::vector<std::string> names);
  [[nodiscard]] const std::vector<std::string>& parameter_names() const noexcept { return names_; }

  /// Validates and appends. Throws InvalidArgument naming the gate and the bad value:
  /// "cx: qubit 5 out of range [0, 4)", "ccx: qubit 1 used twice", "rx: expects 1 parameter, got 2".
  Circuit& append(Operation op);
  /// Appends every operation of `other` (same or fewer qubits and clbits).
  Circuit& append(const Circuit& other);

  /// The inverse circuit (reverse order, each gate inverted; barriers kept). Throws
  /// InvalidArgument if the circuit has measure, reset or a classical condition.
  [[nodiscard]] Circuit inverse() const;

  /// True if every operation is unitary and unconditioned.
  [[nodiscard]] bool is_unitary() const noexcept;
  /// True if some measurement is followed by an operation on its qubit or a condition reading
  /// its bit, or the circuit has a reset or conditioned operation: it must run shot by shot.
  [[nodiscard]] bool needs_trajectories() const { return !trajectory_reason().empty(); }
  /// Why the circuit must run shot by shot, for messages ("qubit 0 is measured and then used by
  /// x", "reset on qubit 1", "x is conditioned on classical bits (if)"); empty if it need not.
  [[nodiscard]] std::string trajectory_reason() const;

  // Generic builders.
  Circuit& gate(GateKind kind, std::initializer_list<Qubit> qubits, std::initializer_list<Param> params = {});
  Circuit& gate(GateKind kind, std::vector<Qubit> qubits, std::vector<Param> params);
  /// `kind` with extra controls: each qubit in `controls` must be 1 (or 0 where `control_values`,
  /// if given, has false at its position).
  Circuit& controlled(GateKind kind, std::vector<Qubit> controls, std::vector<Qubit> qubits,
                      std::vector<Param> params = {}, std::vector<bool> control_values = {});
  /// A user unitary on `qubits` (first qubit = matrix bit 0), checked unitary within 1e-10.
  Circuit& unitary(const GateMatrix& matrix, std::vector<Qubit> qubits);

  // Named builders (qelib1.inc / Qiskit names, Qiskit's matrices).
  Circuit& id(Qubit q) { return gate(GateKind::I, {q}); }
  Circuit& x(Qubit q) { return gate(GateKind::X, {q}); }
  Circuit& y(Qubit q) { return gate(GateKind::Y, {q}); }
  Circuit& z(Qubit q) { return gate(GateKind::Z, {q}); }
  Circuit& h(Qubit q) { return gate(GateKind::H, {q}); }
  Circuit& s(Qubit q) { return gate(GateKind::S, {q}); }
  Circuit& sdg(Qubit q) { return gate(GateKind::Sdg, {q}); }
  Circuit& t(Qubit q) { return gate(GateKind::T, {q}); }
  Circuit& tdg(Qubit q) { return gate(GateKind::Tdg, {q}); }
  Circuit& sx(Qubit q) { return gate(GateKind::SX, {q}); }
  Circuit& sxdg(Qubit q) { return gate(GateKind::SXdg, {q}); }
  Circuit& rx(const Param& theta, Qubit q) { return gate(GateKind::RX, {q}, {theta}); }
  Circuit& ry(const Param& theta, Qubit q) { return gate(GateKind::RY, {q}, {theta}); }
  Circuit& rz(const Param& theta, Qubit q) { return gate(GateKind::RZ, {q}, {theta}); }
  Circuit& p(const Param& lambda, Qubit q) { return gate(GateKind::P, {q}, {lambda}); }
  Circuit& u(const Param& theta, const Param& phi, const Param& lambda, Qubit q) {
    return gate(GateKind::U, {q}, {theta, phi, lambda});
  }
  Circuit& gphase(const Param& theta) { return gate(GateKind::GPhase, {}, {theta}); }
  Circuit& cx(Qubit c, Qubit t) { return gate(GateKind::CX, {c, t}); }
  Circuit& cy(Qubit c, Qubit t) { return gate(GateKind::CY, {c, t}); }
  Circuit& cz(Qubit c, Qubit t) { return gate(GateKind::CZ, {c, t}); }
  Circuit& ch(Qubit c, Qubit t) { return gate(GateKind::CH, {c, t}); }
  Circuit& swap(Qubit a, Qubit b) { return gate(GateKind::Swap, {a, b}); }
  Circuit& crx(const Param& theta, Qubit c, Qubit t) { return gate(GateKind::CRX, {c, t}, {theta}); }
  Circuit& cry(const Param& theta, Qubit c, Qubit t) { return gate(GateKind::CRY, {c, t}, {theta}); }
  Circuit& crz(const Param& theta, Qubit c, Qubit t) { return gate(GateKind::CRZ, {c, t}, {theta}); }
  Circuit& cp(const Param& lambda, Qubit c, Qubit t) { return gate(GateKind::CP, {c, t}, {lambda}); }
  Circuit& rxx(const Param& theta, Qubit a, Qubit b) { return gate(GateKind::RXX, {a, b}, {theta}); }
  Circuit& ryy(const Param& theta, Qubit a, Qubit b) { return gate(GateKind::RYY, {a, b}, {theta}); }
  Circuit& rzz(const Param& theta, Qubit a, Qubit b) { return gate(GateKind::RZZ, {a, b}, {theta}); }
  Circuit& rzx(const Param& theta, Qubit a, Qubit b) { return gate(GateKind::RZX, {a, b}, {theta}); }
  Circuit& ccx(Qubit c0, Qubit c1, Qubit t) { return gate(GateKind::CCX, {c0, c1, t}); }
  Circuit& cswap(Qubit c, Qubit a, Qubit b) { return gate(GateKind::CSwap, {c, a, b}); }
  Circuit& measure(Qubit q, int clbit);
  Circuit& reset(Qubit q);
  Circuit& barrier(std::vector<Qubit> qubits = {});
  /// Sets a classical condition on the last operation appended.
  Circuit& c_if(int first_clbit, int width, std::uint64_t value);

 private:
  void validate(const Operation& op) const;
  int num_qubits_;
  int num_clbits_;
  int num_parameters_ = 0;
  std::vector<Operation> ops_;
  std::vector<std::string> names_;
};

/// The inverse of one unitary operation (extra controls kept).
[[nodiscard]] Operation inverse_operation(const Operation& op);

}  // namespace qmlsim

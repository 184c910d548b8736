#pragma once
/// Readouts: how a classifier turns its circuit's final state into class probabilities p_c
/// (c = 0 .. C-1), as the values of a few observables measured together (one forward run, the
/// batch engine's expectations or loss_gradient) and a cheap classical map on those values.
///   modulo        p_c = sum over basis states b with b mod C == c of |<b|psi>|^2 (Qiskit's VQC
///                 interpretation, b the integer of the bit string with qubit 0 least
///                 significant; for 2 classes that is the probability of qubit 0 reading c).
///                 Needs 2^n >= C. Observables: one DiagonalObservable per class (its
///                 expectation is p_c itself).
///   parity        2 classes: p_0 = probability of an even number of ones over all qubits, p_1 of
///                 an odd number. Observables: the two diagonal parity projectors.
///   per-class-z   p = softmax(z / T), z_j = <Z_j> for qubit j < C (needs n >= C), T the
///                 temperature.
///   class-states  the data re-uploading classifier's class states on qubit 0's Bloch sphere
///                 (Perez-Salinas et al. 2020): class c has the unit Bloch vector
///                 r_c = (sin a_c, 0, cos a_c), a_c = 2 pi c / C (2 classes: |0> and |1>; C
///                 points evenly spaced on the XZ great circle, summing to zero), and
///                 p_c = (1 + r_c . s) / C with s = (<X_0>, <Y_0>, <Z_0>), so that p sums to 1
///                 and p_c = 2 F_c / C for the fidelity F_c = <psi_c|rho_0|psi_c> = (1 + r_c . s) / 2 of qubit 0's
///                 reduced state with class state c (2 classes: p_c = F_c). Observables X0, Z0.
/// Derivatives: backward() chains dL/dp into dL/d(observable values), which the batch engine
/// turns into a weighted adjoint sweep.
#include <span>
#include <string>
#include <vector>

#include "simulator/observables/observable.hpp"

namespace qmlsim::qml {

enum class ReadoutKind { Modulo, Parity, PerClassZ, ClassStates };

/// The readout names, in --help order: modulo, parity, per-class-z, class-states.
[[nodiscard]] std::vector<std::string> readout_names();
/// The kind behind a name; InvalidArgument "unknown readout 'x' (valid: modulo, ...)".
[[nodiscard]] ReadoutKind readout_kind(const std::string& name);

class Readout {
 public:
  /// Throws InvalidArgument for fewer than 2 classes, parity with C != 2, modulo with 2^n < C,
  /// per-class-z with n < C, or a temperature that is not positive and finite.
  Readout(ReadoutKind kind, int num_classes, int num_qubits, double temperature = 1.0);

  [[nodiscard]] ReadoutKind kind() const noexcept { return kind_; }
  [[nodiscard]] int num_classes() const noexcept { return classes_; }
  /// What the circuit measures per row (m observables).
  [[nodiscard]] const std::vector<Observable>& observables() const noexcept { return observables_; }
  /// p (C entries) from the m observable values.
  void probabilities(std::span<const double> values, std::span<double> p) const;
  /// dL/dvalues (m entries) from dL/dp (C entries); `p` is probabilities(values).
  void backward(std::span<const double> values, std::span<const double> p, std::span<const double> dp,
                std::span<double> dvalues) const;

 private:
  ReadoutKind kind_;
  int classes_;
  double temperature_;
  std::vector<Observable> observables_;
};

}  // namespace qmlsim::qml

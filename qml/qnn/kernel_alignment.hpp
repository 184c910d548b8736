#pragma once
/// Kernel-target alignment of a trainable fidelity kernel (Cristianini et al. 2001; the objective
/// of Qiskit ML's QuantumKernelTrainer and PennyLane's kernel-training demo):
///   A(w) = <K, T>_F / (|K|_F |T|_F),   K_ij = |<psi(x_j, w)|psi(x_i, w)>|^2,
///   T_ij = 1 for the same class, -1 / (C - 1) otherwise (binary: y_i y_j with y = +-1).
/// The objective minimised is -A(w). Its gradient needs no N^2 circuits: with S = Psi^H Psi and
/// G = dA/dK (symmetric), dA/dw = 4 sum_i Re <lambda_i | d psi_i / dw>, lambda_i = sum_j G_ij S_ji psi_j
/// (one complex matrix product, like the Gram matrix), then ONE backward sweep per sample with the
/// state cotangent lambda_i (BatchExecutor::state_vjp).
#include <cstdint>
#include <memory>

#include "qml/data/dataset.hpp"
#include "qml/encoding/model_circuit.hpp"
#include "qml/optim/optimizer.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

class KernelAlignmentObjective final : public Objective {
 public:
  /// `circuit`'s inputs are the features of `x` (rows = samples), its weights the trained values.
  /// Throws InvalidArgument for a feature-count mismatch, fewer than 2 classes, labels out of
  /// range; ResourceError when the N states (N 2^n 16 bytes, twice) do not fit the memory budget.
  KernelAlignmentObjective(const ModelCircuit& circuit, const FeatureMatrix& x, const Labels& y, int num_classes,
                           SimulatorOptions options = {});
  ~KernelAlignmentObjective() override;
  [[nodiscard]] std::size_t num_parameters() const override;
  /// -A(w).
  [[nodiscard]] double value(std::span<const double> w) override;
  double value_and_gradient(std::span<const double> w, std::span<double> grad) override;
  /// Circuit runs so far, sweeps counted as runs: N per value(); 3N per value_and_gradient() (the N
  /// states, then state_vjp's N forward runs and N backward sweeps).
  [[nodiscard]] std::uint64_t circuit_evaluations() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qmlsim::qml

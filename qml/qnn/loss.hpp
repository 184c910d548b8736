#pragma once
/// Per-sample training losses on a readout's class probabilities p (qml/qnn/readout.hpp) or on a
/// regressor's prediction, each with its derivative. Objectives average them over the samples.
///   cross-entropy       -ln(max(p_y, 1e-10))
///   cross-entropy-log2  -log2(max(p_y, 1e-10)): Qiskit ML's CrossEntropyLoss (base 2, predictions
///                       clipped to [1e-10, 1]); averaged over the samples as Qiskit's VQC objective
///                       does, this reproduces its logged loss
///   squared-error       sum_c (p_c - [c == y])^2 (Qiskit's L2Loss on one-hot targets); for
///                       regression (t - y)^2
///   fidelity            1 - p_y (the re-uploading classifier's fidelity cost: with the
///                       class-states readout and 2 classes, one minus the fidelity to the class state)
/// Below the clip the cross-entropies are constant (derivative 0), as Qiskit's clipped loss.
#include <span>
#include <string>
#include <vector>

namespace qmlsim::qml {

enum class LossKind { CrossEntropy, CrossEntropyLog2, SquaredError, Fidelity };

/// The loss names, in --help order: cross-entropy, cross-entropy-log2, squared-error, fidelity.
[[nodiscard]] std::vector<std::string> loss_names();
/// The kind behind a name; InvalidArgument "unknown loss 'x' (valid: cross-entropy, ...)".
[[nodiscard]] LossKind loss_kind(const std::string& name);

/// Predictions below this are clipped by the cross-entropies.
inline constexpr double kProbabilityClip = 1e-10;

/// The loss of class probabilities `p` for the true class `label` (< p.size()), and dL/dp in
/// `dp` (p.size() entries, every one written).
[[nodiscard]] double classification_loss(LossKind kind, std::span<const double> p, int label, std::span<double> dp);

/// Squared error (prediction - target)^2 and its derivative with respect to the prediction.
[[nodiscard]] double squared_error(double prediction, double target, double& derivative);

}  // namespace qmlsim::qml

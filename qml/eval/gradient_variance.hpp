#pragma once
/// Barren plateaus (McClean et al. 2018, "Barren plateaus in quantum neural network training
/// landscapes"; Cerezo et al. 2021, "Cost function dependent barren plateaus"): the variance, over
/// random initialisations, of the derivative of a cost with respect to one weight, per qubit count.
///
/// For each qubit count n: the ansatz W(w) (default: hardware-efficient layers of RY and RZ on
/// every qubit followed by a CZ ladder (0,1), (1,2), ..., the layered circuits of both papers, as
/// Qiskit's TwoLocal builds them, with `layers` repetitions and a final rotation layer), S samples
/// w^(s) = initial_weights(P, Rng(seed, s)()) (uniform in [0, 2 pi)), and at each sample, from |0...0>,
///   global cost  C_G(w) = 1 - p(0...0)                  (the projector onto |0...0>)
///   local cost   C_L(w) = 1 - (1/n) sum_j p_j(0)        = 1/2 - (1/2n) sum_j <Z_j>
/// and their derivatives with respect to weight `weight` (default w0: the first rotation on qubit
/// 0, the earliest gate of the circuit) by the adjoint method, all samples in one batch
/// (BatchExecutor::jacobian, rows = samples). McClean et al. show Var[dC_G] decays exponentially
/// in n for circuits deep enough to form 2-designs; Cerezo et al. that local costs keep a
/// polynomially vanishing variance for shallow circuits.
///
/// Results are bit-identical on any thread count (fixed-order reductions over the samples).
#include <cstdint>
#include <vector>

#include "qml/encoding/component_spec.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim::qml {

/// "two-local:rotation_blocks=ry+rz,entanglement_blocks=cz,entanglement=linear" (reps from layers).
[[nodiscard]] ComponentSpec default_gradient_variance_ansatz();

struct GradientVarianceOptions {
  std::vector<int> qubits;                             ///< qubit counts, each in [1, kMaxQubits]
  ComponentSpec ansatz = default_gradient_variance_ansatz();  ///< must not set reps/layers itself
  int layers = 10;                                     ///< the ansatz's reps (>= 1)
  int samples = 200;                                   ///< S >= 2 initialisations
  int weight = 0;                                      ///< which weight is differentiated
  std::uint64_t seed = 1;                              ///< sample s draws initial_weights(P, Rng(seed, s)())
};

/// One qubit count's statistics over the S samples (sample variance, divided by S - 1).
struct GradientVariancePoint {
  int qubits = 0;
  int weights = 0;               ///< P, the ansatz's weight count
  double variance_global = 0.0;  ///< Var[dC_G / dw_k]
  double variance_local = 0.0;   ///< Var[dC_L / dw_k]
  double mean_global = 0.0;      ///< E[dC_G / dw_k] (0 in expectation)
  double mean_local = 0.0;       ///< E[dC_L / dw_k]
  double seconds = 0.0;          ///< wall time of this qubit count (building, running, reducing)
};

/// The statistics for every qubit count, in the given order. Throws InvalidArgument for an empty
/// qubit list, layers < 1, samples < 2, a spec that sets reps or layers (the depth is `layers`),
/// a bad ansatz spec (make_ansatz), or a weight index outside [0, P) for some qubit count;
/// ResourceError when the batch's states do not fit in memory.
[[nodiscard]] std::vector<GradientVariancePoint> gradient_variance(const GradientVarianceOptions& options,
                                                                   const SimulatorOptions& simulator = {});

}  // namespace qmlsim::qml

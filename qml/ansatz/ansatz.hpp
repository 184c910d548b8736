#pragma once
/// Trainable circuits W(w) with the peers' exact definitions and parameter order:
///   real-amplitudes      Qiskit RealAmplitudes: reps x [RY on every qubit, CX entanglement], then a
///                        final RY layer; reps=3, entanglement=reverse_linear; (reps + 1) n weights
///   efficient-su2        Qiskit EfficientSU2: [RY layer, RZ layer] then CX entanglement per rep,
///                        final RY and RZ layers; reps=3, entanglement=reverse_linear; 2 (reps + 1) n
///   two-local            Qiskit TwoLocal: rotation_blocks=ry (one or more of rx, ry, rz, joined by
///                        '+'), entanglement_blocks=cx|cz|crx|cry|crz|rxx|ryy|rzz, entanglement,
///                        reps=3, skip_final_rotation_layer=false
///   strongly-entangling  PennyLane StronglyEntanglingLayers: layers=1 (here reps), per layer Rot(phi,
///                        theta, omega) = RZ(omega) RY(theta) RZ(phi) on each wire then CNOT(i, i + r
///                        mod n), range r = (l mod (n - 1)) + 1; 3 n weights per layer, PennyLane's
///                        order weights[l][i][0..3)
///   basic-entangler      PennyLane BasicEntanglerLayers: layers (reps)=1, rotation=x, RX on each
///                        wire then a CNOT ring (none on one wire; one CNOT on two)
/// PennyLane numbers wires from the most significant bit: qmlsim applies its gates to the same
/// wire indices (wire i = qubit i), so states are PennyLane's with the index bits reversed.
///
/// Weights are the circuit's parameters 0 .. num_parameters() - 1, named w0, w1, ..., in the
/// peer's order (Qiskit: ParameterVector order, theta[0], theta[1], ...; PennyLane: the weight
/// tensor flattened row-major).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "qml/encoding/component_spec.hpp"
#include "simulator/circuit/circuit.hpp"

namespace qmlsim::qml {

class Ansatz {
 public:
  virtual ~Ansatz() = default;
  [[nodiscard]] virtual int num_qubits() const noexcept = 0;
  [[nodiscard]] virtual int num_parameters() const noexcept = 0;
  /// W(w): parameters 0 .. num_parameters() - 1 are the weights, in the peer's order.
  [[nodiscard]] virtual const Circuit& circuit() const noexcept = 0;
  /// The canonical spec with every default spelled out, as model files store it.
  [[nodiscard]] virtual ComponentSpec spec() const = 0;
  /// One line for humans: "RealAmplitudes (Qiskit): 4 qubits, reps 3, reverse_linear, 16 weights".
  [[nodiscard]] virtual std::string description() const = 0;
};

/// Builds a named ansatz on `num_qubits` qubits (options above; `reps` also accepted as `layers`
/// for the PennyLane templates). Throws InvalidArgument for an unknown name ("unknown ansatz 'ra'
/// (known: real-amplitudes, efficient-su2, two-local, strongly-entangling, basic-entangler, or a
/// .qasm file)"), an unknown option or a bad value, and for a "file" spec (the CLI parses files and
/// calls circuit_ansatz).
[[nodiscard]] std::unique_ptr<Ansatz> make_ansatz(const ComponentSpec& spec, int num_qubits);

/// An ansatz from a ready circuit whose parameters are all weights (an OpenQASM file's `input`s),
/// in order. `spec` is kept for model files (the CLI stores the file's text in it). Throws
/// InvalidArgument when the circuit has more qubits than num_qubits, or measures or resets.
[[nodiscard]] std::unique_ptr<Ansatz> circuit_ansatz(Circuit circuit, ComponentSpec spec, int num_qubits);

/// The names make_ansatz knows, in --help order.
[[nodiscard]] std::vector<std::string> ansatz_names();

/// `count` initial weights uniform in [0, 2 pi) from Rng(seed, kInitialWeightStream): the one
/// source of seeded initial points (QNN models, gradient-variance sampling with seed + s).
[[nodiscard]] std::vector<double> initial_weights(std::size_t count, std::uint64_t seed);
inline constexpr std::uint64_t kInitialWeightStream = 0x5745494748545300ULL;  // "WEIGHTS"

}  // namespace qmlsim::qml

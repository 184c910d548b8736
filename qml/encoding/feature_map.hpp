#pragma once
/// Feature maps x -> |phi(x)>, exactly as the peers define them: zz (Qiskit ZZFeatureMap), z
/// (ZFeatureMap), pauli (PauliFeatureMap), angle (PennyLane AngleEmbedding), iqp (PennyLane
/// IQPEmbedding), amplitude (normalised, padded to a power of two) and any circuit whose
/// parameters are the features (an OpenQASM file: the CLI parses it, qml/ never does).
///
/// Every circuit map is ONE Circuit whose parameters theta[0..F) are the features, in order (named
/// x0, x1, ...), so one BatchExecutor, lowered once, serves every sample.
///
/// Fidelity to the peers: zz, z and pauli are Qiskit's circuits gate for gate (same gates, same
/// order, same matrices), so a state equals Qiskit's Statevector, global phase included. angle
/// and iqp apply PennyLane's gates; PennyLane numbers wires from the most significant bit, qmlsim
/// (like Qiskit) from the least, so their amplitude vectors are PennyLane's with the bits of the
/// index reversed (the same for amplitude: feature j is basis index j here). Kernels, which only
/// see overlaps, are unaffected.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "qml/encoding/component_spec.hpp"
#include "simulator/circuit/circuit.hpp"
#include "simulator/core/types.hpp"

namespace qmlsim::qml {

class FeatureMap {
 public:
  virtual ~FeatureMap() = default;
  [[nodiscard]] virtual int num_qubits() const noexcept = 0;
  [[nodiscard]] virtual int num_features() const noexcept = 0;
  /// The encoding circuit (parameters = features), or nullptr for a map that writes states
  /// directly (amplitude): then encode() is the route.
  [[nodiscard]] virtual const Circuit* circuit() const noexcept = 0;
  /// Writes |phi(x)> (2^n amplitudes) for one sample. The default runs circuit() on a Simulator
  /// (one state allocated per call: kernels use the batch engine for circuit maps); amplitude
  /// maps override it. Throws InvalidArgument for a wrong feature count, a non-finite feature, a
  /// state span of the wrong size, or (amplitude) an all-zero or, with normalize=false, non-unit
  /// sample.
  virtual void encode(std::span<const double> x, std::span<cdouble> state) const;
  /// The canonical spec with every default spelled out ("zz:reps=2,entanglement=full,alpha=2"),
  /// as model files store it.
  [[nodiscard]] virtual ComponentSpec spec() const = 0;
  /// One line for humans: "ZZFeatureMap (Qiskit): 4 qubits, reps 2, entanglement full, alpha 2".
  [[nodiscard]] virtual std::string description() const = 0;
};

/// Builds a named map for `num_features` features. Options (validated, unknown keys refused):
///   zz:        reps=2, entanglement=full|linear|reverse_linear|circular|pairwise (full), alpha=2
///              (at least 2 features, as Qiskit requires)
///   z:         reps=2, alpha=2
///   pauli:     paulis=Z+ZZ (strings of I, X, Y, Z joined by '+', any case, each at most n
///              letters; Qiskit reads a string right to left: "ZY" on block (a, b) is Y_a Z_b),
///              reps=2, entanglement=full (applied to each string's blocks: entangling_blocks;
///              pairwise only for strings of at most 2 letters), alpha=2
///   angle:     rotation=x|y|z (x)
///   iqp:       repeats=1. The ZZ entanglers are in every repetition: PennyLane <= 0.33 applied
///              them in the first only (an exhausted iterator, fixed in 0.34).
///   amplitude: qubits=ceil(log2 F) (at least 1; more pads further), pad=0 (value of padded
///              entries), normalize=true (false: each sample must have norm 1 within 1e-10)
/// Real values (alpha, pad) may be multiples of pi ("alpha=pi/2"). For every map but amplitude
/// the qubit count is the feature count; `qubits=N` may be given and must equal it ("feature map
/// zz has 3 qubits but the data has 4 features"). Throws InvalidArgument for an unknown name:
/// "unknown feature map 'zzz' (known: zz, z, pauli, angle, iqp, amplitude, or a .qasm file)",
/// and for a "file" spec (parse the file, then call circuit_feature_map).
[[nodiscard]] std::unique_ptr<FeatureMap> make_feature_map(const ComponentSpec& spec, int num_features);

/// A map from a ready circuit whose parameters are the features, in order (an OpenQASM file's
/// `input` parameters). `spec` is kept for model files (the CLI stores the file's text in it).
/// Throws InvalidArgument when the circuit's parameter count differs from num_features, naming
/// both, or when the circuit measures or resets.
[[nodiscard]] std::unique_ptr<FeatureMap> circuit_feature_map(Circuit circuit, ComponentSpec spec, int num_features);

/// The names make_feature_map knows, in --help order.
[[nodiscard]] std::vector<std::string> feature_map_names();

/// Entangling pairs (control, target) as Qiskit's NLocal orders them for the given strategy
/// ("full", "linear", "reverse_linear", "circular", "pairwise") on n qubits: entangling_blocks
/// with blocks of 2, e.g. circular on 3 qubits: (2, 0), (0, 1), (1, 2). No pairs on one qubit.
[[nodiscard]] std::vector<std::pair<int, int>> entangling_pairs(const std::string& entanglement, int num_qubits);

/// The strategies entangling_blocks knows, in --help order.
[[nodiscard]] const std::vector<std::string>& entanglement_names();

/// The qubit blocks of `block_size` qubits that Qiskit's get_entangler_map (today's Rust
/// circuit_library/entanglement.rs) scatters over n qubits, in its order:
///   full            every combination, lexicographic:        (0,1) (0,2) (0,3) (1,2) (1,3) (2,3)
///   linear          consecutive windows:                     (0,1,2) (1,2,3)
///   reverse_linear  linear, last window first:               (1,2,3) (0,1,2)
///   circular        windows starting at n-k+1, wrapping:     (2,3,0) (3,0,1) (0,1,2) (1,2,3)
///                   (linear when k = 1 or k = n; for k = 2 it is (n-1, 0) then linear)
///   pairwise        k = 2: even pairs, then odd: (0,1) (2,3) (1,2); k = 1: linear
/// (Qiskit's older Python NLocal put only the first wrapped window, (n-k+1, ..., n-1, 0), before
/// the linear ones for circular blocks of 3 or more qubits; for pairs both agree.)
/// Throws InvalidArgument for an unknown strategy (listing the known ones), block_size < 1,
/// block_size > num_qubits, or pairwise with block_size > 2 (Qiskit refuses it too).
[[nodiscard]] std::vector<std::vector<int>> entangling_blocks(const std::string& entanglement, int block_size,
                                                              int num_qubits);

}  // namespace qmlsim::qml

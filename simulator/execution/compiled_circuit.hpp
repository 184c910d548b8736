#pragma once
/// A circuit lowered once into flat records (kernel kind, qubits, control mask, matrix slot), so
/// that a circuit run many times pays no per-gate allocation, validation or dispatch on names.
/// bind(theta) rewrites only the matrices of parametric gates.
///
/// Lowering: x/cx/ccx/c3x/c4x -> X kernel; swap/cswap -> swap kernel; diagonal gates (z s t rz p
/// cz cp crz rzz ccz, diagonal user matrices) -> diagonal kernel; other gates -> dense 1-, 2- or
/// k-qubit kernels. Built-in and extra controls become the kernel's (mask, value) pair, so a
/// controlled gate touches only the controlled part. id, u0 and barrier vanish. An uncontrolled
/// gphase (and every other global phase) is a scalar: it is folded into the matrix of the first
/// uncontrolled dense or diagonal gate, or applied in one pass at the end if there is none.
///
/// Fusion (simulator/execution/fusion.hpp): the deterministic prefix (the unitary records before
/// the first measure, reset or conditioned one) is planned once, at construction, into program():
/// runs of records on at most k qubits become one dense MatrixK (Matrix1/Matrix2 for 1-2 qubits)
/// record on the block's qubits, or one Diagonal record when every member is diagonal. The plan
/// never changes; bind() and rebind_record() recompute only the fused matrices whose members
/// changed. records() is untouched by fusion: one record per gate, with its own matrix. The plan
/// is the one plan_fusion(records() prefix, k) returns, k = resolve_fusion_qubits(options, n).
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/state_vector.hpp"

namespace qmlsim {

enum class KernelKind : std::uint8_t { Matrix1, Matrix2, MatrixK, Diagonal, PauliX, Swap, Phase, Measure, Reset };

/// How apply() fuses runs of gates into dense blocks (simulator/execution/fusion.hpp).
/// Auto: chosen from the circuit's size and a cost model measured on the kernels (small states and
/// circuits are not fused); Off: the records run one by one; Fixed: blocks of at most max_qubits
/// qubits (2..5) wherever the cost model says a block pays.
struct FusionOptions {
  enum class Mode : std::uint8_t { Auto, Off, Fixed };
  Mode mode = Mode::Auto;
  int max_qubits = 0;  // Fixed only

  [[nodiscard]] static FusionOptions off() noexcept { return {Mode::Off, 0}; }
  [[nodiscard]] static FusionOptions fixed(int k) noexcept { return {Mode::Fixed, k}; }
};

struct Record {
  KernelKind kernel = KernelKind::Phase;
  std::uint8_t num_targets = 0;
  std::array<Qubit, kMaxUnitaryQubits> targets{};
  Index control_mask = 0;
  Index control_values = 0;
  std::uint32_t matrix = 0;  // offset of the record's matrix (or diagonal, or phase) in matrices()
  std::int32_t op = -1;      // index of the source operation in the circuit
  std::int32_t clbit = -1;   // Measure: classical bit written
};

/// Classical side of one trajectory: the random stream and the classical bits.
struct Classical {
  Rng* rng = nullptr;
  std::vector<std::uint8_t>* clbits = nullptr;
};

class CompiledCircuit {
 public:
  /// Lowers `circuit` and plans its fusion. Constant matrices (and fused blocks of constant gates)
  /// are computed now; parametric ones at bind(). Throws InvalidArgument for a Fixed block size
  /// outside [2, 5].
  explicit CompiledCircuit(const Circuit& circuit, FusionOptions fusion = {});

  [[nodiscard]] const Circuit& circuit() const noexcept { return circuit_; }
  [[nodiscard]] int num_qubits() const noexcept { return circuit_.num_qubits(); }
  [[nodiscard]] int num_parameters() const noexcept { return circuit_.num_parameters(); }
  [[nodiscard]] const std::vector<Record>& records() const noexcept { return records_; }
  [[nodiscard]] const std::vector<cdouble>& matrices() const noexcept { return matrices_; }
  [[nodiscard]] bool is_bound() const noexcept { return bound_; }
  [[nodiscard]] const FusionOptions& fusion() const noexcept { return fusion_; }

  /// The records a full apply() executes, after fusion: equal to records() when nothing is fused.
  /// records() stays the one-record-per-gate view that gradients and rebind_record() use.
  /// The first program_prefix() entries replace records [0, deterministic_prefix()); the rest are
  /// records [deterministic_prefix(), end) unchanged. A fused entry has op == -1 (as has the
  /// end-of-circuit phase pass) and its own matrix slot in matrices().
  [[nodiscard]] const std::vector<Record>& program() const noexcept { return blocks_.empty() ? records_ : program_; }
  [[nodiscard]] std::size_t program_prefix() const noexcept { return blocks_.empty() ? prefix_ : program_prefix_; }
  /// The block size fusion used: the largest number of qubits of a fused block in program(), 0 if
  /// nothing was fused (Off, or Auto/Fixed found nothing that pays).
  [[nodiscard]] int fusion_qubits() const noexcept { return fusion_qubits_; }

  /// Passes over the state that a full apply() makes: each program record counts the fraction of
  /// the state's 64-byte cache lines it reads and writes, for amplitudes of `amplitude_bytes` bytes
  /// (16 for complex double, 8 for complex float). A controlled gate whose control lies above the
  /// cache-line bits counts 1/2 per such control; a swap of two such qubits counts 1/2.
  [[nodiscard]] double passes(std::size_t amplitude_bytes) const;

  /// Evaluates every parametric gate at theta (size num_parameters()) and rewrites its matrix,
  /// then the fused blocks that contain one (O(members 4^k) each; no allocation).
  /// Throws InvalidArgument for a wrong count ("circuit: expects 2 parameter values, got 1") or a
  /// non-finite value ("parameter theta[0] = inf is not finite", named as parameter_name()).
  void bind(std::span<const double> theta);

  /// Applies records [first, last) to `state`. A call that covers the whole deterministic prefix
  /// from 0 (first == 0, last >= deterministic_prefix()) runs the fused program() for it (equal to
  /// running the records up to rounding); other ranges run records() one by one. Measure records
  /// are skipped when `classical.rng` is null (terminal measurements of a state-vector run); reset
  /// and conditioned records then throw
  /// InvalidArgument, before anything is applied. Throws if unbound or the sizes differ.
  /// No allocation (single precision reads a float copy of the matrices kept at bind). Each pass
  /// runs under `par` (one parallel region per pass).
  template <class R>
  void apply(StateVector<R>& state, const Parallelism& par = {}, Classical classical = {}, std::size_t first = 0,
             std::size_t last = static_cast<std::size_t>(-1)) const;

  /// A hash of the circuit's structure (qubits, records, gate kinds, controls, and which
  /// parameters each angle uses and how), independent of the binding: plans made for one
  /// circuit (gradients) check it to refuse another circuit of the same size.
  [[nodiscard]] std::uint64_t fingerprint() const noexcept { return fingerprint_; }

  /// The parameter values of the last successful bind() (empty before it).
  [[nodiscard]] std::span<const double> theta() const noexcept { return theta_; }
  /// The global phase e^{i sum of uncontrolled gphase angles} at the last bind, and the record
  /// whose matrix absorbed it (-1 if the circuit has no uncontrolled gphase). Gradients use it:
  /// that record's matrix is the phase times its gate's matrix.
  [[nodiscard]] cdouble global_phase() const noexcept { return global_phase_; }
  [[nodiscard]] std::int32_t phase_record() const noexcept { return phase_ops_.empty() ? -1 : phase_target_; }
  /// The uncontrolled gphase operations (indices into circuit().operations()) folded into that
  /// phase: they have no record, so a sweep over the records never sees their angles (their terms
  /// vanish for <H>, not for a state cotangent: AdjointGradient::state_vjp_into adds them).
  [[nodiscard]] std::span<const std::int32_t> phase_operations() const noexcept { return phase_ops_; }

  /// Rewrites the matrix of record `record` from explicit angles of its operation (size
  /// num_params of its gate) instead of theta: the parameter-shift rule evaluates the circuit with
  /// one gate's angle moved. The global phase stays folded in. Undo with another rebind_record()
  /// or bind(). The fused block containing the record, if any, is recomputed. Throws
  /// InvalidArgument if the record's operation has no parameters, the count is
  /// wrong or an angle is not finite, or the circuit is unbound.
  void rebind_record(std::size_t record, std::span<const double> angles);

  /// Index of the first record that is a measure, reset or conditioned (records().size() if none):
  /// the part before it is the same for every shot.
  [[nodiscard]] std::size_t deterministic_prefix() const noexcept { return prefix_; }

 private:
  // A fused block: its members re-expressed on the block's local qubits (bit j = j-th block qubit)
  // in block_members_[first, last), and the program entry whose matrix it computes.
  struct Block {
    std::uint32_t first = 0, last = 0;
    std::uint32_t entry = 0;
    int num_qubits = 0;
    bool diagonal = false;
  };

  std::uint32_t add_matrix(std::size_t entries);
  [[nodiscard]] std::uint64_t structure_hash() const;
  void write_record_matrix(const Record& r, const cdouble* full_target_matrix);
  void plan(int max_qubits);
  void compute_block(std::size_t b);
  void sync_float(const Record& r);

  Circuit circuit_;
  std::vector<Record> records_;
  std::vector<cdouble> matrices_;
  std::vector<std::uint32_t> parametric_;  // records whose matrix depends on theta
  std::vector<std::int32_t> phase_ops_;    // uncontrolled gphase operations
  std::int32_t phase_target_ = -1;         // record that absorbs the global phase, or -1
  std::size_t prefix_ = 0;
  std::vector<double> theta_;
  std::uint64_t fingerprint_ = 0;
  FusionOptions fusion_;
  std::vector<Record> program_;               // fused prefix, then records [prefix_, end); empty if no block
  std::size_t program_prefix_ = 0;            // entries of program_ that replace records [0, prefix_)
  std::vector<Block> blocks_;
  std::vector<Record> block_members_;         // members on local qubits, same matrix slots as records_
  std::vector<std::int32_t> record_block_;    // block of each record, -1 if none
  std::vector<std::uint32_t> parametric_blocks_;  // blocks with a member in parametric_
  std::vector<double> block_scratch_;         // a block's matrix, column-major, while it is computed
  std::vector<float> matrices_float_;         // matrices_ in single precision, kept current
  int fusion_qubits_ = 0;
  cdouble global_phase_ = 1.0;
  bool bound_ = false;
};

extern template void CompiledCircuit::apply<double>(StateVector<double>&, const Parallelism&, Classical, std::size_t,
                                                    std::size_t) const;
extern template void CompiledCircuit::apply<float>(StateVector<float>&, const Parallelism&, Classical, std::size_t,
                                                   std::size_t) const;

}  // namespace qmlsim

#pragma once
/// The circuit a program lowers to (internal).
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "simulator/circuit/circuit.hpp"
#include "simulator/gates/operation.hpp"
#include "simulator/qasm/expression.hpp"
#include "simulator/qasm/source.hpp"

namespace qmlsim::qasm::detail {

/// Turns `op` into the built-in controlled kind when its extra controls are all positive and
/// such a kind exists (x with 1..4 controls -> cx, ccx, c3x, c4x; z with 1, 2 -> cz, ccz; sx with
/// 1, 3 -> csx, c3sqrtx; h, y, rx, ry, rz, p, u1, u3, u, swap with 1 -> ch, cy, crx, ..., cswap).
/// The controls come first, in ascending order. Other operations are left as they are.
void normalize_controls(Operation& op);

/// Builds a program's circuit from its operations, in order:
/// - a GPhase without controls or condition is added to one global phase (an exact linear
///   combination, see PhaseSum), appended last by finish() unless it is zero;
/// - a controlled GPhase is merged with an earlier one on the same controls and condition when
///   only GPhase operations lie between them (they are all diagonal, so they commute), and
///   dropped when the merged phase is zero;
/// - a conditioned GPhase without controls (a global phase of the trajectories where the
///   condition holds) is merged with an earlier one of the same condition unless a measurement
///   wrote one of the condition's bits in between, or more than kConditionedWindow operations
///   came between them;
/// - other operations are normalised (normalize_controls) and appended.
/// Operations that can no longer change go into the Circuit at once (only the few an open phase
/// may still merge with wait), so a large program is held once, not twice.
class Emitter {
 public:
  static constexpr std::size_t kConditionedWindow = 64;

  explicit Emitter(std::uint64_t max_operations) : max_operations_(max_operations) {}

  /// The program's register sizes so far (qubits and clbits only grow). Set before emitting
  /// operations that use them.
  void set_sizes(int num_qubits, int num_clbits) noexcept {
    num_qubits_ = num_qubits;
    num_clbits_ = num_clbits;
  }
  /// Throws SourceError at `at` ("circuit too large") beyond the operation limit, and at the
  /// operation's location if the Circuit refuses it.
  void emit(Operation op, Location at);
  /// Throws SourceError at `at` if `more` further operations would pass the limit.
  void reserve(std::uint64_t more, Location at) const;
  /// Operations emitted so far (merged phases counted once).
  [[nodiscard]] std::uint64_t size() const noexcept { return flushed_ + pending_.size(); }

  /// The circuit (num_qubits >= 1 must have been set), global phase last.
  [[nodiscard]] Circuit finish(Location end);

 private:
  struct Pending {
    Operation op;
    Location at;
  };
  struct OpenPhase {
    std::uint64_t index;  // sequence number: pending_[index - flushed_]
    PhaseSum sum;
  };
  Operation& pending_op(std::uint64_t index) { return pending_[index - flushed_].op; }
  bool merge_into(std::vector<OpenPhase>& open, const Operation& op);
  void erase_operation(std::uint64_t index);
  void flush(std::uint64_t up_to);  // moves pending operations with sequence number < up_to
  void append(Operation op, Location at);

  std::uint64_t max_operations_;
  int num_qubits_ = 0, num_clbits_ = 0;
  std::optional<Circuit> circuit_;
  std::uint64_t flushed_ = 0;  // operations already in circuit_
  std::deque<Pending> pending_;
  PhaseSum global_;
  Location global_location_;
  bool has_global_ = false;
  std::vector<OpenPhase> open_phases_;         // the trailing run of controlled GPhases
  std::vector<OpenPhase> conditioned_phases_;  // conditioned global phases still open
};

}  // namespace qmlsim::qasm::detail

#pragma once
/// Gate fusion planning: which runs of records of a CompiledCircuit are merged into one dense (or
/// diagonal) block applied in a single pass over the state.
///
/// The planner sees only records (qubits, controls, kernel kind); it computes no matrix. A block's
/// qubits are every qubit its members touch, targets and controls alike, sorted ascending; the
/// block's matrix is the ordered product of its members on those qubits (CompiledCircuit computes
/// it at bind). Blocks are chosen greedily in record order: open blocks have disjoint qubit sets;
/// a record joins the open blocks it touches when the union has at most k qubits, else those
/// blocks are closed (emitted) and the record opens a new block. A record on more than k qubits is
/// emitted alone. Emission therefore keeps every qubit's order of gates, and blocks on disjoint
/// qubits may be reordered against each other (they commute).
///
/// A closed block replaces its members only when the cost model says it pays: its cost (one dense
/// pass on its qubits, or one diagonal pass if every member is diagonal) must be lower than the
/// sum of its members' costs. A block of one record is never fused (the record keeps its
/// specialised kernel).
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/execution/compiled_circuit.hpp"

namespace qmlsim {

/// Cost model in units of "one memory pass over the state" (complex double).
/// Calibrated from the kernel benchmark (benchmarks/kernels_bench.cpp, BM_MatrixK against BM_Sweep,
/// 22 qubits, one thread, AVX-512 on the 2-core development VM): re-measure when the kernels change.
/// A 1- or 2-qubit dense kernel, the X and swap kernels, a diagonal kernel on any number of
/// targets and a phase pass all cost one pass (memory bound).
inline constexpr double kFusionPassCost = 1.0;
/// A dense kernel on k targets, indexed by k (0..6): k <= 2 is memory bound, larger k is bound by
/// its arithmetic (2^k complex multiply-adds per amplitude: measured 1.5-2.0 passes for k = 3,
/// 2.6-3.6 for 4, 7.6-11.6 for 5; single precision halves both the bytes and the arithmetic per
/// amplitude, so the same table holds).
inline constexpr double kFusionDenseCost[7] = {1.0, 1.0, 1.0, 1.55, 2.6, 7.5, 14.0};

/// Fixed block sizes accepted (FusionOptions::fixed(k)).
inline constexpr int kMinFusionQubits = 2;
inline constexpr int kMaxFusionQubits = 5;
/// Auto: states of fewer qubits are not fused (recomputing fused matrices at every bind costs more
/// than the passes saved on small states, e.g. 4-qubit circuits bound per row of a training batch).
inline constexpr int kAutoFusionMinQubits = 10;
/// Auto: the block size used from kAutoFusionMinQubits on: the fastest in total time in
/// `qmlsim bench --circuit layers --fusion off,2,3,4,5` (README, Performance).
inline constexpr int kAutoFusionQubits = 3;

/// A fused block: record indices (ascending) and the qubits they touch (ascending).
struct FusedBlock {
  std::vector<Qubit> qubits;
  std::vector<std::uint32_t> members;
  bool diagonal = false;  // every member is a Diagonal or Phase record
};

/// One program entry: either the original record `record`, or the fused block `block`.
struct PlanEntry {
  std::int32_t record = -1;
  std::int32_t block = -1;
};

struct FusionPlan {
  std::vector<PlanEntry> entries;  // program order
  std::vector<FusedBlock> blocks;  // the blocks the entries refer to (each entry once)
  /// The largest block's qubit count, 0 if no block.
  [[nodiscard]] int max_block_qubits() const noexcept;
};

/// The block size to plan with for `options` on `num_qubits` qubits: 0 = no fusion (Off, or Auto
/// below kAutoFusionMinQubits); Fixed k is capped at num_qubits (a block cannot exceed the state).
/// Throws InvalidArgument for a Fixed size outside [kMinFusionQubits, kMaxFusionQubits].
[[nodiscard]] int resolve_fusion_qubits(const FusionOptions& options, int num_qubits);

/// Every qubit a record reads or writes (targets and controls).
[[nodiscard]] Index record_qubit_mask(const Record& r) noexcept;

/// The fraction of the state's cache lines a record reads and writes, when the lowest `line_bits`
/// index bits share a line: 2^-c for c controls at or above line_bits; a swap of two such qubits
/// touches half the lines. Measure and reset count 0 (they are never fused or counted).
[[nodiscard]] double touched_fraction(const Record& r, int line_bits) noexcept;

/// The cost model's price of one record, in passes over a complex-double state.
[[nodiscard]] double record_cost(const Record& r) noexcept;

/// The cost model's price of one fused block on `qubits` qubits.
[[nodiscard]] double block_cost(int qubits, bool diagonal) noexcept;

/// Plans `records` (unitary records only: the deterministic prefix of a CompiledCircuit) with
/// blocks of at most `max_qubits` qubits (capped at kMaxUnitaryQubits, the dense kernel's limit).
/// max_qubits <= 0 gives one entry per record, in order. A block that does not pay is planned
/// again with blocks of one qubit fewer.
/// Cost: O(records * open blocks), no matrix arithmetic.
[[nodiscard]] FusionPlan plan_fusion(std::span<const Record> records, int max_qubits);

}  // namespace qmlsim

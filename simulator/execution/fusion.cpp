#include "simulator/execution/fusion.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <string>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim {
namespace {

// Bits of the amplitude index that share a 64-byte line for complex double (4 amplitudes).
constexpr int kDoubleLineBits = 2;

bool is_diagonal_record(const Record& r) { return r.kernel == KernelKind::Diagonal || r.kernel == KernelKind::Phase; }

bool is_fusable(const Record& r) { return r.kernel != KernelKind::Measure && r.kernel != KernelKind::Reset; }

// A block being collected: the union of its members' qubits and what its members cost unfused.
struct OpenBlock {
  Index mask = 0;
  std::vector<std::uint32_t> members;  // ascending
  double cost = 0.0;
  bool diagonal = true;
};

}  // namespace

int FusionPlan::max_block_qubits() const noexcept {
  int k = 0;
  for (const FusedBlock& b : blocks) k = std::max(k, static_cast<int>(b.qubits.size()));
  return k;
}

int resolve_fusion_qubits(const FusionOptions& options, int num_qubits) {
  switch (options.mode) {
    case FusionOptions::Mode::Off: return 0;
    case FusionOptions::Mode::Auto: return num_qubits < kAutoFusionMinQubits ? 0 : std::min(kAutoFusionQubits, num_qubits);
    case FusionOptions::Mode::Fixed:
      check_range(options.max_qubits, kMinFusionQubits, kMaxFusionQubits, "fusion block size");
      return std::min(options.max_qubits, num_qubits);
  }
  return 0;
}

Index record_qubit_mask(const Record& r) noexcept {
  Index mask = r.control_mask;
  for (int t = 0; t < r.num_targets; ++t) mask |= bit(r.targets[static_cast<std::size_t>(t)]);
  return mask;
}

double touched_fraction(const Record& r, int line_bits) noexcept {
  if (!is_fusable(r)) return 0.0;
  const Index line_mask = ~((Index{1} << line_bits) - 1);
  double fraction = std::ldexp(1.0, -std::popcount(r.control_mask & line_mask));
  if (r.kernel == KernelKind::Swap && r.targets[0] >= line_bits && r.targets[1] >= line_bits) fraction *= 0.5;
  return fraction;
}

double record_cost(const Record& r) noexcept {
  const double base = r.kernel == KernelKind::MatrixK ? kFusionDenseCost[std::min<int>(r.num_targets, 6)] : kFusionPassCost;
  return base * touched_fraction(r, kDoubleLineBits);
}

double block_cost(int qubits, bool diagonal) noexcept {
  return diagonal ? kFusionPassCost : kFusionDenseCost[std::clamp(qubits, 0, 6)];
}

namespace {

// Plans records[index[j]] for j in order (the subsequence `index` of the caller's records keeps
// every qubit's order), appending to `plan`.
void plan_into(std::span<const Record> records, std::span<const std::uint32_t> index, int max_qubits,
               FusionPlan& plan) {
  auto emit_record = [&plan](std::uint32_t i) { plan.entries.push_back({static_cast<std::int32_t>(i), -1}); };
  std::vector<OpenBlock> open;           // slots; a closed slot has an empty member list
  std::array<std::int32_t, 64> owner{};  // open block holding each qubit, or -1
  owner.fill(-1);

  // Emits a block: fused if it has two members or more and is cheaper than its members. A block
  // that does not pay is planned again with blocks of one qubit fewer (its members keep every
  // qubit's order), so that k = 5 falls back to what k = 4 would fuse rather than to nothing.
  auto close = [&](std::int32_t slot) {
    OpenBlock b = std::move(open[static_cast<std::size_t>(slot)]);
    open[static_cast<std::size_t>(slot)] = OpenBlock{};
    for (Index m = b.mask; m; m &= m - 1) owner[static_cast<std::size_t>(std::countr_zero(m))] = -1;
    const int qubits = std::popcount(b.mask);
    if (b.members.size() >= 2 && block_cost(qubits, b.diagonal) < b.cost) {
      FusedBlock fused;
      for (Index m = b.mask; m; m &= m - 1) fused.qubits.push_back(std::countr_zero(m));
      fused.members = std::move(b.members);
      fused.diagonal = b.diagonal;
      plan.entries.push_back({-1, static_cast<std::int32_t>(plan.blocks.size())});
      plan.blocks.push_back(std::move(fused));
    } else if (b.members.size() >= 3 && qubits > 2) {
      plan_into(records, b.members, qubits - 1, plan);
    } else {
      for (std::uint32_t m : b.members) emit_record(m);
    }
  };
  // Blocks on disjoint qubits commute; closing several in the order of their first member makes
  // the plan independent of slot reuse.
  auto close_in_order = [&](std::vector<std::int32_t>& slots) {
    std::sort(slots.begin(), slots.end(), [&](std::int32_t a, std::int32_t b) {
      return open[static_cast<std::size_t>(a)].members.front() < open[static_cast<std::size_t>(b)].members.front();
    });
    for (std::int32_t s : slots) close(s);
  };

  std::vector<std::int32_t> touched, closing;
  for (const std::uint32_t i : index) {
    const Record& r = records[i];
    const Index mask = record_qubit_mask(r);
    if (mask == 0) {  // a global phase pass: a scalar commutes with everything
      emit_record(i);
      continue;
    }
    touched.clear();
    for (Index m = mask; m; m &= m - 1) {
      const std::int32_t s = owner[static_cast<std::size_t>(std::countr_zero(m))];
      if (s >= 0 && std::find(touched.begin(), touched.end(), s) == touched.end()) touched.push_back(s);
    }
    if (!is_fusable(r) || std::popcount(mask) > max_qubits) {
      close_in_order(touched);
      emit_record(i);
      continue;
    }
    // Keep the subset of touched blocks that fits with the record and absorbs the most unfused
    // cost (ties: fewer qubits); the others are emitted first. At most k <= 6 blocks are touched,
    // so at most 64 subsets.
    std::uint32_t best = 0;
    double best_cost = -1.0;
    int best_qubits = 0;
    for (std::uint32_t subset = 0; subset < (1U << touched.size()); ++subset) {
      Index u = mask;
      double cost = 0.0;
      for (std::size_t j = 0; j < touched.size(); ++j)
        if (subset & (1U << j)) {
          u |= open[static_cast<std::size_t>(touched[j])].mask;
          cost += open[static_cast<std::size_t>(touched[j])].cost;
        }
      const int q = std::popcount(u);
      if (q > max_qubits) continue;
      if (cost > best_cost || (cost == best_cost && q < best_qubits)) {
        best = subset;
        best_cost = cost;
        best_qubits = q;
      }
    }
    closing.clear();
    OpenBlock merged;
    merged.mask = mask;
    merged.cost = record_cost(r);
    merged.diagonal = is_diagonal_record(r);
    for (std::size_t j = 0; j < touched.size(); ++j) {
      if (!(best & (1U << j))) {
        closing.push_back(touched[j]);
        continue;
      }
      OpenBlock& b = open[static_cast<std::size_t>(touched[j])];
      merged.mask |= b.mask;
      merged.cost += b.cost;
      merged.diagonal = merged.diagonal && b.diagonal;
      merged.members.insert(merged.members.end(), b.members.begin(), b.members.end());
    }
    close_in_order(closing);
    std::sort(merged.members.begin(), merged.members.end());
    merged.members.push_back(i);
    // Release the kept blocks' slots, then store the merged block in a free slot.
    std::int32_t slot = -1;
    for (std::size_t j = 0; j < touched.size(); ++j)
      if (best & (1U << j)) {
        open[static_cast<std::size_t>(touched[j])] = OpenBlock{};
        if (slot < 0) slot = touched[j];
      }
    if (slot < 0) {
      for (std::size_t s = 0; s < open.size() && slot < 0; ++s)
        if (open[s].members.empty()) slot = static_cast<std::int32_t>(s);
      if (slot < 0) {
        slot = static_cast<std::int32_t>(open.size());
        open.emplace_back();
      }
    }
    for (Index m = merged.mask; m; m &= m - 1) owner[static_cast<std::size_t>(std::countr_zero(m))] = slot;
    open[static_cast<std::size_t>(slot)] = std::move(merged);
  }
  std::vector<std::int32_t> rest;
  for (std::size_t s = 0; s < open.size(); ++s)
    if (!open[s].members.empty()) rest.push_back(static_cast<std::int32_t>(s));
  close_in_order(rest);
}

}  // namespace

FusionPlan plan_fusion(std::span<const Record> records, int max_qubits) {
  FusionPlan plan;
  plan.entries.reserve(records.size());
  if (max_qubits <= 0) {
    for (std::size_t i = 0; i < records.size(); ++i) plan.entries.push_back({static_cast<std::int32_t>(i), -1});
    return plan;
  }
  max_qubits = std::min(max_qubits, kMaxUnitaryQubits);  // the dense kernel's limit
  std::vector<std::uint32_t> index(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) index[i] = static_cast<std::uint32_t>(i);
  plan_into(records, index, max_qubits, plan);
  return plan;
}

}  // namespace qmlsim

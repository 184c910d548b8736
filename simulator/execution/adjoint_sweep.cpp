#include "simulator/execution/adjoint_sweep.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/execution/fusion.hpp"
#include "simulator/gates/adjoint_kernels.hpp"
#include "simulator/gates/derivatives.hpp"

namespace qmlsim {
namespace {

// Generator entries this small relative to their row's largest are rounding residue of exact
// zeros (e.g. -sin*cos + cos*sin): dropping them changes results far below the double epsilon
// of the sums they would enter. (The same rule and tolerance as the per-gate sweep always used.)
constexpr double kMonomialTolerance = 1e-14;
// Chunk results are summed in at most this many fixed groups of consecutive chunks (independent
// of the thread count), then the groups in order.
constexpr Index kMaxChunkGroups = 64;

// G = D * A for dim x dim complex matrices (A given as interleaved reals).
void multiply(const cdouble* d, const double* a, std::size_t dim, cdouble* g) {
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) {
      cdouble s = 0.0;
      for (std::size_t k = 0; k < dim; ++k) s += d[r * dim + k] * cdouble(a[2 * (k * dim + c)], a[2 * (k * dim + c) + 1]);
      g[r * dim + c] = s;
    }
}

// Writes the compact form of g if each row has one entry above the tolerance; false otherwise.
bool compact_monomial(const cdouble* g, std::size_t dim, double* coeff, std::uint8_t* cols) {
  for (std::size_t r = 0; r < dim; ++r) {
    double largest = 0.0;
    std::size_t at = 0;
    for (std::size_t c = 0; c < dim; ++c)
      if (std::abs(g[r * dim + c]) > largest) {
        largest = std::abs(g[r * dim + c]);
        at = c;
      }
    for (std::size_t c = 0; c < dim; ++c)
      if (c != at && std::abs(g[r * dim + c]) > kMonomialTolerance * largest) return false;
    coeff[2 * r] = g[r * dim + at].real();
    coeff[2 * r + 1] = g[r * dim + at].imag();
    cols[r] = static_cast<std::uint8_t>(at);
  }
  return true;
}

bool is_diagonal(KernelKind k) { return k == KernelKind::Diagonal || k == KernelKind::Phase; }

// A record ready for the two-vector kernels: its adjoint matrix and the generators of its angles,
// in the arena `reals` (and `cols` for monomial generators).
struct Prepared {
  std::uint32_t record = 0;
  std::uint32_t mdag = 0;                            // offset in reals
  std::uint32_t gens[kernels::kAdjointMaxGenerators] = {};  // offsets in reals
  std::uint32_t cols = 0;                            // offset in cols (monomial only)
  std::uint32_t first_angle = 0;                     // acc index of its first angle
  int nd = 0;
  bool monomial = false;
};

// Everything a sweep call needs about the records, computed once per call.
struct PreparedSweep {
  std::vector<double> reals;
  std::vector<std::uint8_t> cols;
  std::vector<Prepared> records;  // sweep order: last record first; measurements left out
};

PreparedSweep prepare(const CompiledCircuit& bound, std::size_t stop, std::span<const SweepAngle> angles) {
  const auto& records = bound.records();
  const auto& ops = bound.circuit().operations();
  const std::span<const double> theta = bound.theta();
  const std::int32_t phase_record = bound.phase_record();
  const cdouble phase = bound.global_phase();
  PreparedSweep out;
  out.records.reserve(records.size() - stop);
  std::size_t a_end = angles.size();  // angles of records > i are [a_end, ...): walk backwards
  for (std::size_t i = records.size(); i-- > stop;) {
    std::size_t a_begin = a_end;
    while (a_begin > 0 && angles[a_begin - 1].record == i) --a_begin;
    const Record& r = records[i];
    if (r.kernel == KernelKind::Measure || r.kernel == KernelKind::Reset) {
      a_end = a_begin;
      continue;
    }
    Prepared p;
    p.record = static_cast<std::uint32_t>(i);
    p.first_angle = static_cast<std::uint32_t>(a_begin);
    p.nd = static_cast<int>(a_end - a_begin);
    const cdouble* m = bound.matrices().data() + r.matrix;
    const int k = r.num_targets;
    const std::size_t dim = std::size_t{1} << k;
    const bool diagonal = is_diagonal(r.kernel);
    const std::size_t diag_dim = r.kernel == KernelKind::Phase ? 1 : dim;
    p.mdag = static_cast<std::uint32_t>(out.reals.size());
    switch (r.kernel) {
      case KernelKind::Measure:
      case KernelKind::Reset:
      case KernelKind::PauliX:
      case KernelKind::Swap: break;
      case KernelKind::Diagonal:
      case KernelKind::Phase:
        for (std::size_t j = 0; j < diag_dim; ++j) {
          out.reals.push_back(m[j].real());
          out.reals.push_back(-m[j].imag());
        }
        break;
      case KernelKind::Matrix1:
      case KernelKind::Matrix2:
      case KernelKind::MatrixK:
        for (std::size_t a = 0; a < dim; ++a)
          for (std::size_t b = 0; b < dim; ++b) {
            const cdouble x = m[b * dim + a];
            out.reals.push_back(x.real());
            out.reals.push_back(-x.imag());
          }
        break;
    }
    if (p.nd > 0) {
      const Operation& op = ops[static_cast<std::size_t>(r.op)];
      double values[kMaxGateParams] = {};
      for (std::size_t j = 0; j < op.params.size(); ++j) values[j] = op.params[j].value(theta);
      const std::span<const double> gate_angles(values, op.params.size());
      // Generators G = (dM/da) M^dagger with M the stored matrix (global phase included in both).
      const cdouble f = static_cast<std::int32_t>(i) == phase_record ? phase : cdouble(1.0);
      const double* mdag = out.reals.data() + p.mdag;
      cdouble gens[kMaxGateParams][16];
      for (int d = 0; d < p.nd; ++d) {
        cdouble full[16];
        fill_target_derivative(op.kind, gate_angles, static_cast<int>(angles[a_begin + static_cast<std::size_t>(d)].param),
                               full);
        for (std::size_t j = 0; j < dim * dim; ++j) full[j] *= f;
        if (diagonal) {
          for (std::size_t j = 0; j < diag_dim; ++j) gens[d][j] = full[j * dim + j] * cdouble(mdag[2 * j], mdag[2 * j + 1]);
        } else {
          multiply(full, mdag, dim, gens[d]);
        }
      }
      // Monomial generators are stored compactly (one coefficient per row and its column).
      double compact[kMaxGateParams][8];
      std::uint8_t cols[kMaxGateParams * 4];
      p.monomial = !diagonal;
      for (int d = 0; d < p.nd && p.monomial; ++d)
        p.monomial = compact_monomial(gens[d], dim, compact[d], cols + static_cast<std::size_t>(d) * dim);
      for (int d = 0; d < p.nd; ++d) {
        p.gens[d] = static_cast<std::uint32_t>(out.reals.size());
        if (p.monomial) {
          out.reals.insert(out.reals.end(), compact[d], compact[d] + 2 * dim);
        } else {
          for (std::size_t j = 0; j < (diagonal ? diag_dim : dim * dim); ++j) {
            out.reals.push_back(gens[d][j].real());
            out.reals.push_back(gens[d][j].imag());
          }
        }
      }
      if (p.monomial) {
        p.cols = static_cast<std::uint32_t>(out.cols.size());
        out.cols.insert(out.cols.end(), cols, cols + static_cast<std::size_t>(p.nd) * dim);
      }
    }
    out.records.push_back(p);
    a_end = a_begin;
  }
  return out;
}

// One record's two-vector pass on a state of n qubits (the whole vectors, or a chunk buffer),
// with the kernels of `isa`: the dispatch of gates/adjoint_kernels.cpp for a chosen ISA.
void apply_record(const Record& r, const Prepared& p, const PreparedSweep& prep, const Qubit* targets, Index cm,
                  Index cv, double* psi, double* lam, int n, kernels::Isa isa, const Parallelism& par, double* acc) {
  const double* mdag = prep.reals.data() + p.mdag;
  const double* gens[kernels::kAdjointMaxGenerators] = {};
  for (int d = 0; d < p.nd; ++d) gens[d] = prep.reals.data() + p.gens[d];
  const std::uint8_t* cols = p.monomial ? prep.cols.data() + p.cols : nullptr;
  const int k = r.num_targets;
  const bool simd = n >= kernels::kAdjointSimdMinQubits;
  const kernels::AdjointKernelTable<double>& two = kernels::adjoint_kernel_table(isa);
  switch (r.kernel) {
    case KernelKind::Measure:
    case KernelKind::Reset: return;
    case KernelKind::PauliX:
      if (simd) {
        two.pauli_x(psi, lam, n, targets[0], cm, cv, par);
      } else {
        kernels::reference::adjoint_x(psi, lam, n, targets[0], cm, cv, par);
      }
      return;
    case KernelKind::Swap:
      if (simd) {
        two.swap(psi, lam, n, targets[0], targets[1], cm, cv, par);
      } else {
        kernels::reference::adjoint_swap(psi, lam, n, targets[0], targets[1], cm, cv, par);
      }
      return;
    case KernelKind::Diagonal:
    case KernelKind::Phase: {
      const int kd = r.kernel == KernelKind::Phase ? 0 : k;
      if (simd && kd <= kernels::kAdjointSimdMaxTargets) {
        two.diagonal(psi, lam, n, targets, kd, mdag, gens, p.nd, cm, cv, par, acc);
      } else if (p.nd == 0) {
        const kernels::KernelTable<double>& t = kernels::kernel_table<double>(isa);
        t.diagonal(psi, n, targets, kd, mdag, cm, cv, par);
        t.diagonal(lam, n, targets, kd, mdag, cm, cv, par);
      } else {
        kernels::reference::adjoint_diagonal(psi, lam, n, targets, kd, mdag, gens, p.nd, cm, cv, par, acc);
      }
      return;
    }
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::MatrixK:
      if (simd && k <= kernels::kAdjointSimdMaxTargets) {
        two.dense(psi, lam, n, targets, k, mdag, gens, cols, p.nd, cm, cv, par, acc);
      } else if (p.nd == 0 && k > kernels::kAdjointSimdMaxTargets) {
        // No derivative to share the pass with: the gate kernel once per vector.
        const kernels::KernelTable<double>& t = kernels::kernel_table<double>(isa);
        t.matrix(psi, n, targets, k, mdag, cm, cv, par);
        t.matrix(lam, n, targets, k, mdag, cm, cv, par);
      } else {
        kernels::reference::adjoint_dense(psi, lam, n, targets, k, mdag, gens, cols, p.nd, cm, cv, par, acc);
      }
      return;
  }
}

// A stage of the blocked sweep: prepared records [first, last) of `members` (indices into
// PreparedSweep::records, in sweep order) applied chunk by chunk on the qubits `mask`; or, when
// `whole`, one record too wide for a chunk, applied to the whole vectors.
struct Stage {
  Index mask = 0;
  std::uint32_t first = 0, last = 0;
  bool whole = false;
};

// Greedy stage planning in sweep order (see the header). `low` is the reserved low-bit mask.
std::vector<Stage> plan_stages(const CompiledCircuit& bound, const PreparedSweep& prep, int n, int c, int low_bits,
                               std::vector<std::uint32_t>& members) {
  const auto& records = bound.records();
  const Index all = n >= 64 ? ~Index{0} : (Index{1} << n) - 1;
  const Index low = (Index{1} << low_bits) - 1;
  std::vector<Stage> stages;
  std::vector<std::uint32_t> remaining(prep.records.size()), rest;
  for (std::size_t j = 0; j < remaining.size(); ++j) remaining[j] = static_cast<std::uint32_t>(j);
  members.clear();
  members.reserve(remaining.size());
  while (!remaining.empty()) {
    Stage s;
    s.first = static_cast<std::uint32_t>(members.size());
    const Index head = record_qubit_mask(records[prep.records[remaining.front()].record]);
    if (std::popcount(head | low) > c) {  // wider than a chunk: alone, on the whole vectors
      s.whole = true;
      members.push_back(remaining.front());
      s.last = s.first + 1;
      stages.push_back(s);
      remaining.erase(remaining.begin());
      continue;
    }
    Index used = low, blocked = 0;
    rest.clear();
    std::size_t j = 0;
    for (; j < remaining.size(); ++j) {
      const Index m = record_qubit_mask(records[prep.records[remaining[j]].record]);
      if ((m & blocked) == 0 && std::popcount(used | m) <= c) {
        members.push_back(remaining[j]);
        used |= m;
      } else {
        rest.push_back(remaining[j]);
        blocked |= m;
        if ((blocked & all) == all) {
          ++j;
          break;
        }
      }
    }
    rest.insert(rest.end(), remaining.begin() + static_cast<std::ptrdiff_t>(j), remaining.end());
    // Fill the chunk with the lowest free qubits: longer contiguous runs, same chunk size.
    for (int q = 0; q < n && std::popcount(used) < c; ++q) used |= bit(q);
    s.mask = used;
    s.last = static_cast<std::uint32_t>(members.size());
    stages.push_back(s);
    remaining.swap(rest);
  }
  return stages;
}

void check(const CompiledCircuit& bound, std::size_t stop, std::span<const SweepAngle> angles,
           const AdjointSweepOptions& options) {
  if (options.chunk_qubits != 0 &&
      (options.chunk_qubits < kMinSweepChunkQubits || options.chunk_qubits > kMaxSweepChunkQubits))
    throw InvalidArgument("adjoint sweep: chunk of " + std::to_string(options.chunk_qubits) + " qubits out of range [" +
                          std::to_string(kMinSweepChunkQubits) + ", " + std::to_string(kMaxSweepChunkQubits) +
                          "] (or 0 for one pass per gate)");
  if (!kernels::isa_supported(options.isa)) throw InvalidArgument("adjoint sweep: instruction set not supported here");
  if (!bound.is_bound()) throw InvalidArgument("adjoint sweep: the circuit is not bound");
  const auto& records = bound.records();
  const auto& ops = bound.circuit().operations();
  for (std::size_t j = 0; j < angles.size(); ++j) {
    const SweepAngle& a = angles[j];
    const std::string where = "adjoint sweep: angle " + std::to_string(j) + " (record " + std::to_string(a.record) + ")";
    if (a.record < stop || a.record >= records.size()) throw InvalidArgument(where + ": record outside the sweep");
    if (j > 0 && a.record < angles[j - 1].record) throw InvalidArgument(where + ": angles not sorted by record");
    const Record& r = records[a.record];
    if (r.op < 0) throw InvalidArgument(where + ": the record has no gate");
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.kind == GateKind::Unitary || a.param >= op.params.size() || r.num_targets > 2 ||
        param_spectrum(op.kind, static_cast<int>(a.param)) == ParamSpectrum::Constant)
      throw InvalidArgument(where + ": not a differentiable angle of " + op.name());
  }
  std::size_t per_record = 0;
  for (std::size_t j = 0; j < angles.size(); ++j) {
    per_record = j > 0 && angles[j].record == angles[j - 1].record ? per_record + 1 : 1;
    if (per_record > static_cast<std::size_t>(kernels::kAdjointMaxGenerators))
      throw InvalidArgument("adjoint sweep: more than " + std::to_string(kernels::kAdjointMaxGenerators) +
                            " angles of record " + std::to_string(angles[j].record));
  }
  for (std::size_t i = stop; i < records.size(); ++i)
    if (records[i].kernel == KernelKind::Reset ||
        (records[i].op >= 0 && ops[static_cast<std::size_t>(records[i].op)].condition))
      throw InvalidArgument("adjoint sweep: record " + std::to_string(i) + " is a reset or conditioned");
}

// The renumbering of one record onto the chunk's qubits.
struct LocalRecord {
  std::uint32_t prepared = 0;
  Qubit targets[kMaxUnitaryQubits] = {};
  Index cm = 0, cv = 0;
};

Index to_local(Index global, Index mask) noexcept {
  Index out = 0;
  for (Index m = global; m; m &= m - 1) {
    const int q = std::countr_zero(m);
    out |= Index{1} << std::popcount(mask & ((Index{1} << q) - 1));
  }
  return out;
}

}  // namespace

std::size_t count_sweep_stages(const CompiledCircuit& bound, std::size_t stop, const AdjointSweepOptions& options) {
  const int n = bound.num_qubits();
  const int c = options.chunk_qubits;
  if (c <= 0 || c >= n) return bound.records().size() - std::min(stop, bound.records().size());
  const PreparedSweep prep = prepare(bound, stop, {});
  std::vector<std::uint32_t> members;
  return plan_stages(bound, prep, n, c, std::min(options.min_run_qubits, c / 2), members).size();
}

void adjoint_sweep(const CompiledCircuit& bound, std::size_t stop, std::span<const SweepAngle> angles, double* psi,
                   double* lam, const Parallelism& par, double* acc, const AdjointSweepOptions& options) {
  check(bound, stop, angles, options);
  std::fill(acc, acc + angles.size(), 0.0);
  const auto& records = bound.records();
  if (stop >= records.size()) return;
  const int n = bound.num_qubits();
  const PreparedSweep prep = prepare(bound, stop, angles);
  const int c = options.chunk_qubits;

  if (c <= 0 || c >= n) {  // per-gate: one two-vector pass per record over the whole vectors
    for (const Prepared& p : prep.records) {
      const Record& r = records[p.record];
      apply_record(r, p, prep, r.targets.data(), r.control_mask, r.control_values, psi, lam, n, options.isa, par,
                   acc + p.first_angle);
    }
    return;
  }

  std::vector<std::uint32_t> members;
  const std::vector<Stage> stages = plan_stages(bound, prep, n, c, std::min(options.min_run_qubits, c / 2), members);
  const Index chunk_amps = Index{1} << c;
  const Index chunks = Index{1} << (n - c);
  const Index groups = std::min(chunks, kMaxChunkGroups);
  const Index per_group = chunks / groups;
  const int threads = resolve_threads(par, Index{1} << n);
  // Two chunk buffers (psi, lambda) per thread, 64-byte aligned within the allocation.
  std::vector<double> buffers(static_cast<std::size_t>(threads) * 4 * static_cast<std::size_t>(chunk_amps) + 8);
  double* aligned = buffers.data();
  while (reinterpret_cast<std::uintptr_t>(aligned) % 64 != 0) ++aligned;
  std::vector<LocalRecord> local;
  std::vector<double> partial;
  std::vector<Index> runs;
  const Parallelism serial = Parallelism::serial();

  for (const Stage& s : stages) {
    if (s.whole) {
      const Prepared& p = prep.records[members[s.first]];
      const Record& r = records[p.record];
      apply_record(r, p, prep, r.targets.data(), r.control_mask, r.control_values, psi, lam, n, options.isa, par,
                   acc + p.first_angle);
      continue;
    }
    // Renumber the stage's records onto the chunk's c qubits; its angles are contiguous in acc
    // only per record, so each record's partial sums get their own slots.
    local.clear();
    std::uint32_t slots = 0;
    std::vector<std::uint32_t> slot_of;  // first partial slot of each member
    slot_of.reserve(s.last - s.first);
    for (std::uint32_t j = s.first; j < s.last; ++j) {
      const Prepared& p = prep.records[members[j]];
      const Record& r = records[p.record];
      LocalRecord lr;
      lr.prepared = members[j];
      for (int t = 0; t < r.num_targets; ++t)
        lr.targets[t] = static_cast<Qubit>(std::popcount(s.mask & ((Index{1} << r.targets[static_cast<std::size_t>(t)]) - 1)));
      lr.cm = to_local(r.control_mask, s.mask);
      lr.cv = to_local(r.control_values & r.control_mask, s.mask);
      local.push_back(lr);
      slot_of.push_back(slots);
      slots += static_cast<std::uint32_t>(p.nd);
    }
    // The chunk: runs of 2^L contiguous amplitudes at the offsets of the high bits of the mask.
    const int low_run = std::countr_one(s.mask);
    const Index run_amps = Index{1} << low_run;
    const Index high = s.mask & ~(run_amps - 1);
    runs.assign(static_cast<std::size_t>(chunk_amps >> low_run), 0);
    {
      Qubit hp[64];
      int nh = 0;
      for (Index m = high; m; m &= m - 1) hp[nh++] = std::countr_zero(m);
      for (Index h = 0; h < static_cast<Index>(runs.size()); ++h) runs[h] = deposit_bits(h, hp, nh);
    }
    Qubit outside[64];
    int no = 0;
    for (int q = 0; q < n; ++q)
      if (!(s.mask & bit(q))) outside[no++] = q;
    partial.assign(static_cast<std::size_t>(groups) * slots, 0.0);

    auto process_group = [&](Index g, double* bp, double* bl) noexcept {
      double* sums = partial.data() + static_cast<std::size_t>(g) * slots;
      for (Index ch = g * per_group; ch < (g + 1) * per_group; ++ch) {
        const Index base = deposit_bits(ch, outside, no);
        for (std::size_t h = 0; h < runs.size(); ++h) {
          std::memcpy(bp + 2 * (h << low_run), psi + 2 * (base | runs[h]), sizeof(double) * 2 * run_amps);
          std::memcpy(bl + 2 * (h << low_run), lam + 2 * (base | runs[h]), sizeof(double) * 2 * run_amps);
        }
        for (std::size_t j = 0; j < local.size(); ++j) {
          const LocalRecord& lr = local[j];
          const Prepared& p = prep.records[lr.prepared];
          apply_record(records[p.record], p, prep, lr.targets, lr.cm, lr.cv, bp, bl, c, options.isa, serial,
                       sums + slot_of[j]);
        }
        for (std::size_t h = 0; h < runs.size(); ++h) {
          std::memcpy(psi + 2 * (base | runs[h]), bp + 2 * (h << low_run), sizeof(double) * 2 * run_amps);
          std::memcpy(lam + 2 * (base | runs[h]), bl + 2 * (h << low_run), sizeof(double) * 2 * run_amps);
        }
      }
    };
    // One buffer pair per slot; each slot's groups run on one thread, in order.
    const Index slots_used = std::min<Index>(static_cast<Index>(threads), groups);
    parallel_for(slots_used, 1, Parallelism{static_cast<int>(slots_used), 0}, [&](Index b, Index e) noexcept {
      for (Index t = b; t < e; ++t) {
        double* bp = aligned + static_cast<std::size_t>(t) * 4 * static_cast<std::size_t>(chunk_amps);
        double* bl = bp + 2 * static_cast<std::size_t>(chunk_amps);
        const auto [g0, g1] = detail::split_range(groups, 1, static_cast<int>(t), static_cast<int>(slots_used));
        for (Index g = g0; g < g1; ++g) process_group(g, bp, bl);
      }
    });
    // Group sums in index order.
    for (std::size_t j = 0; j < local.size(); ++j) {
      const Prepared& p = prep.records[local[j].prepared];
      for (int d = 0; d < p.nd; ++d) {
        double total = 0.0;
        for (Index g = 0; g < groups; ++g) total += partial[static_cast<std::size_t>(g) * slots + slot_of[j] + static_cast<std::size_t>(d)];
        acc[p.first_angle + static_cast<std::uint32_t>(d)] = total;
      }
    }
  }
}

}  // namespace qmlsim

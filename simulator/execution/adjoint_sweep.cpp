#include "simulator/execution/adjoint_sweep.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"
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
// Runs fused into one pass (plan_steps): at most the vectorised two-vector dense kernels' target
// count, chosen among the next kRunLookahead records of the stage.
constexpr int kRunMaxQubits = 2;
constexpr std::size_t kRunLookahead = 64;

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
          detail::multiply_generator(full, mdag, dim, gens[d]);
        }
      }
      // Monomial generators are stored compactly (one coefficient per row and its column).
      double compact[kMaxGateParams][8];
      std::uint8_t cols[kMaxGateParams * 4];
      p.monomial = !diagonal;
      for (int d = 0; d < p.nd && p.monomial; ++d)
        p.monomial = detail::compact_monomial(gens[d], dim, compact[d], cols + static_cast<std::size_t>(d) * dim);
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

// One two-vector pass of a `kind` matrix on k targets on a state of n qubits (the whole vectors,
// or a chunk buffer), with the kernels of `isa`: the dispatch of gates/adjoint_kernels.cpp for a
// chosen ISA.
void apply_kernel(KernelKind kind, int k, const Qubit* targets, Index cm, Index cv, const double* mdag,
                  const double* const* gens, const std::uint8_t* cols, int nd, double* psi, double* lam, int n,
                  kernels::Isa isa, const Parallelism& par, double* acc) {
  const bool simd = n >= kernels::kAdjointSimdMinQubits;
  const kernels::AdjointKernelTable<double>& two = kernels::adjoint_kernel_table(isa);
  switch (kind) {
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
      const int kd = kind == KernelKind::Phase ? 0 : k;
      if (simd && kd <= kernels::kAdjointSimdMaxTargets) {
        two.diagonal(psi, lam, n, targets, kd, mdag, gens, nd, cm, cv, par, acc);
      } else if (nd == 0) {
        const kernels::KernelTable<double>& t = kernels::kernel_table<double>(isa);
        t.diagonal(psi, n, targets, kd, mdag, cm, cv, par);
        t.diagonal(lam, n, targets, kd, mdag, cm, cv, par);
      } else {
        kernels::reference::adjoint_diagonal(psi, lam, n, targets, kd, mdag, gens, nd, cm, cv, par, acc);
      }
      return;
    }
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::MatrixK:
      if (simd && k <= kernels::kAdjointSimdMaxTargets) {
        two.dense(psi, lam, n, targets, k, mdag, gens, cols, nd, cm, cv, par, acc);
      } else if (nd == 0 && k > kernels::kAdjointSimdMaxTargets) {
        // No derivative to share the pass with: the gate kernel once per vector.
        const kernels::KernelTable<double>& t = kernels::kernel_table<double>(isa);
        t.matrix(psi, n, targets, k, mdag, cm, cv, par);
        t.matrix(lam, n, targets, k, mdag, cm, cv, par);
      } else {
        kernels::reference::adjoint_dense(psi, lam, n, targets, k, mdag, gens, cols, nd, cm, cv, par, acc);
      }
      return;
  }
}

void apply_record(const Record& r, const Prepared& p, const PreparedSweep& prep, const Qubit* targets, Index cm,
                  Index cv, double* psi, double* lam, int n, kernels::Isa isa, const Parallelism& par, double* acc) {
  const double* gens[kernels::kAdjointMaxGenerators] = {};
  for (int d = 0; d < p.nd; ++d) gens[d] = prep.reals.data() + p.gens[d];
  apply_kernel(r.kernel, r.num_targets, targets, cm, cv, prep.reals.data() + p.mdag, gens,
               p.monomial ? prep.cols.data() + p.cols : nullptr, p.nd, psi, lam, n, isa, par, acc);
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
  if (options.run_qubits < 0 || options.run_qubits > kRunMaxQubits)
    check_range(options.run_qubits, 0, kRunMaxQubits, "adjoint sweep: run qubits");
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

Index to_local(Index global, Index mask) noexcept {
  Index out = 0;
  for (Index m = global; m; m &= m - 1) {
    const int q = std::countr_zero(m);
    out |= Index{1} << std::popcount(mask & ((Index{1} << q) - 1));
  }
  return out;
}

// One two-vector pass of a stage, on the chunk's qubits: a record as prepared, or a *run* of
// records on at most two qubits fused into one pass. A run applies the product of its records'
// adjoints, T = A_m ... A_1 (sweep order), and takes each angle's term at the run's start:
// before record i the vectors are P psi, P lambda with P = A_(i-1) ... A_1, so its term
// Re <P lambda| G |P psi> is Re <lambda| P^dagger G P |psi>; the kernel accumulates those terms
// before applying T, as it does for one record. The same arithmetic per amplitude as one
// 2-qubit gate, for what would be up to a few passes of one gate each.
struct LocalStep {
  bool fused = false;
  std::uint32_t prepared = 0;  // !fused: the record
  KernelKind kind = KernelKind::Matrix1;
  int k = 0;
  Qubit targets[kMaxUnitaryQubits] = {};
  Index cm = 0, cv = 0;
  std::uint32_t mdag = 0;  // fused: offsets in the stage's arena
  std::uint32_t gens[kernels::kAdjointMaxGenerators] = {};
  int nd = 0;
  std::uint32_t slot = 0;  // first of its nd partial-sum slots
};


bool fusable_into_run(const Record& r) {
  switch (r.kernel) {
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::Diagonal:
    case KernelKind::Phase:
    case KernelKind::PauliX:
    case KernelKind::Swap: return std::popcount(record_qubit_mask(r)) <= kRunMaxQubits;
    case KernelKind::MatrixK:
    case KernelKind::Measure:
    case KernelKind::Reset: return false;
  }
  return false;
}

// A record's adjoint (generator = false) or the generator of its d-th angle as a full matrix on
// its targets (dim x dim, row-major; dim = 1 for a phase).
void small_matrix(const Record& r, const Prepared& p, const PreparedSweep& prep, bool generator, int d, cdouble* out) {
  const int k = r.kernel == KernelKind::Phase ? 0 : r.num_targets;
  const std::size_t dim = std::size_t{1} << k;
  std::fill(out, out + dim * dim, cdouble(0.0));
  const double* m = prep.reals.data() + (generator ? p.gens[d] : p.mdag);
  switch (r.kernel) {
    case KernelKind::PauliX: out[1] = out[2] = 1.0; return;
    case KernelKind::Swap: out[0] = out[1 * 4 + 2] = out[2 * 4 + 1] = out[15] = 1.0; return;
    case KernelKind::Diagonal:
    case KernelKind::Phase:
      for (std::size_t j = 0; j < dim; ++j) out[j * dim + j] = cdouble(m[2 * j], m[2 * j + 1]);
      return;
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::MatrixK:
      if (generator && p.monomial) {
        const std::uint8_t* cols = prep.cols.data() + p.cols + static_cast<std::size_t>(d) * dim;
        for (std::size_t j = 0; j < dim; ++j) out[j * dim + cols[j]] = cdouble(m[2 * j], m[2 * j + 1]);
      } else {
        for (std::size_t j = 0; j < dim * dim; ++j) out[j] = cdouble(m[2 * j], m[2 * j + 1]);
      }
      return;
    case KernelKind::Measure:
    case KernelKind::Reset: return;
  }
}

// `small` (on the record's targets) embedded in the D x D space of the run's qubits `q` (sorted,
// local bit j = q[j]): identity (an adjoint) or zero (a generator: the derivative of a controlled
// gate vanishes outside its controlled subspace) where the record's controls do not match.
void embed(const Record& r, const cdouble* small, bool generator, const Qubit* q, int nq, cdouble* out) {
  const std::size_t dimq = std::size_t{1} << nq;
  const int k = r.kernel == KernelKind::Phase ? 0 : r.num_targets;
  Qubit tl[kRunMaxQubits] = {};
  Index tmask = 0, lcm = 0, lcv = 0;
  for (int t = 0; t < k; ++t) {
    for (int j = 0; j < nq; ++j)
      if (q[j] == r.targets[static_cast<std::size_t>(t)]) tl[t] = j;
    tmask |= bit(tl[t]);
  }
  for (int j = 0; j < nq; ++j)
    if (r.control_mask & bit(q[j])) {
      lcm |= bit(j);
      if (r.control_values & bit(q[j])) lcv |= bit(j);
    }
  std::fill(out, out + dimq * dimq, cdouble(0.0));
  const std::size_t dim = std::size_t{1} << k;
  for (std::size_t x = 0; x < dimq; ++x) {
    if ((x & lcm) != lcv) {
      if (!generator) out[x * dimq + x] = 1.0;
      continue;
    }
    const Index tx = extract_bits(x, tl, k), rest = x & ~tmask;
    for (std::size_t ty = 0; ty < dim; ++ty) out[(rest | deposit_bits(ty, tl, k)) * dimq + x] = small[ty * dim + tx];
  }
}

// c = a * b (D x D).
void matmul(const cdouble* a, const cdouble* b, std::size_t dim, cdouble* c) {
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t j = 0; j < dim; ++j) {
      cdouble s = 0.0;
      for (std::size_t l = 0; l < dim; ++l) s += a[i * dim + l] * b[l * dim + j];
      c[i * dim + j] = s;
    }
}

// The stage's passes: records in stage order, runs of fusable records on at most `run_qubits`
// qubits (and at most kAdjointMaxGenerators angles) taken together, chosen greedily with the
// stage planner's rule (a record may move ahead of records it shares no qubit with).
void plan_steps(const Stage& s, std::span<const std::uint32_t> stage_members, const PreparedSweep& prep,
                const std::vector<Record>& records, int run_qubits, std::vector<LocalStep>& steps,
                std::vector<double>& arena, std::vector<std::uint32_t>& slot_acc) {
  steps.clear();
  arena.clear();
  slot_acc.clear();
  auto single = [&](std::uint32_t member) {
    const Prepared& p = prep.records[member];
    const Record& r = records[p.record];
    LocalStep st;
    st.prepared = member;
    st.kind = r.kernel;
    st.k = r.num_targets;
    for (int t = 0; t < r.num_targets; ++t)
      st.targets[t] = static_cast<Qubit>(std::popcount(s.mask & (bit(r.targets[static_cast<std::size_t>(t)]) - 1)));
    st.cm = to_local(r.control_mask, s.mask);
    st.cv = to_local(r.control_values & r.control_mask, s.mask);
    st.nd = p.nd;
    st.slot = static_cast<std::uint32_t>(slot_acc.size());
    for (int d = 0; d < p.nd; ++d) slot_acc.push_back(p.first_angle + static_cast<std::uint32_t>(d));
    steps.push_back(st);
  };
  std::vector<std::uint32_t> rem(stage_members.begin(), stage_members.end()), rest, take;
  while (!rem.empty()) {
    const Prepared& p0 = prep.records[rem.front()];
    const Record& r0 = records[p0.record];
    if (run_qubits <= 0 || !fusable_into_run(r0) || std::popcount(record_qubit_mask(r0)) > run_qubits) {
      single(rem.front());
      rem.erase(rem.begin());
      continue;
    }
    Index used = record_qubit_mask(r0), blocked = 0;
    int angles = p0.nd;
    bool diagonal = r0.kernel == KernelKind::Diagonal || r0.kernel == KernelKind::Phase;
    take.assign(1, rem.front());
    rest.clear();
    std::size_t j = 1;
    for (; j < rem.size() && j < kRunLookahead; ++j) {
      const Prepared& p = prep.records[rem[j]];
      const Record& r = records[p.record];
      const Index m = record_qubit_mask(r);
      if (fusable_into_run(r) && (m & blocked) == 0 && std::popcount(used | m) <= run_qubits &&
          angles + p.nd <= kernels::kAdjointMaxGenerators) {
        take.push_back(rem[j]);
        used |= m;
        angles += p.nd;
        diagonal = diagonal && (r.kernel == KernelKind::Diagonal || r.kernel == KernelKind::Phase);
      } else {
        rest.push_back(rem[j]);
        blocked |= m;
        if ((s.mask & ~blocked) == 0) {
          ++j;
          break;
        }
      }
    }
    rest.insert(rest.end(), rem.begin() + static_cast<std::ptrdiff_t>(j), rem.end());
    rem.swap(rest);
    if (take.size() == 1) {
      single(take.front());
      continue;
    }
    // Fuse the run on its qubits q (sorted).
    Qubit q[kRunMaxQubits] = {};
    int nq = 0;
    for (Index m = used; m; m &= m - 1) q[nq++] = std::countr_zero(m);
    const std::size_t dq = std::size_t{1} << nq;
    cdouble t[16], a[16], g[16], tmp[16], small[16];
    cdouble run_gens[kernels::kAdjointMaxGenerators][16];
    std::fill(t, t + 16, cdouble(0.0));
    for (std::size_t x = 0; x < dq; ++x) t[x * dq + x] = 1.0;
    LocalStep st;
    st.fused = true;
    st.kind = diagonal ? KernelKind::Diagonal : nq == 1 ? KernelKind::Matrix1 : KernelKind::Matrix2;
    st.k = nq;
    for (int i = 0; i < nq; ++i) st.targets[i] = static_cast<Qubit>(std::popcount(s.mask & (bit(q[i]) - 1)));
    st.slot = static_cast<std::uint32_t>(slot_acc.size());
    auto store = [&](const cdouble* mat) {  // dense, or its diagonal
      const auto offset = static_cast<std::uint32_t>(arena.size());
      for (std::size_t x = 0; x < dq; ++x)
        for (std::size_t y = 0; y < dq; ++y) {
          if (diagonal && x != y) continue;
          arena.push_back(mat[x * dq + y].real());
          arena.push_back(mat[x * dq + y].imag());
        }
      return offset;
    };
    for (std::uint32_t member : take) {
      const Prepared& p = prep.records[member];
      const Record& r = records[p.record];
      for (int d = 0; d < p.nd; ++d) {
        small_matrix(r, p, prep, true, d, small);
        embed(r, small, true, q, nq, g);
        matmul(g, t, dq, tmp);  // P^dagger G P with P = t
        for (std::size_t x = 0; x < dq; ++x)
          for (std::size_t y = 0; y < dq; ++y) {
            cdouble v = 0.0;
            for (std::size_t l = 0; l < dq; ++l) v += std::conj(t[l * dq + x]) * tmp[l * dq + y];
            g[x * dq + y] = v;
          }
        std::copy(g, g + dq * dq, run_gens[st.nd]);
        st.gens[st.nd++] = store(g);
        slot_acc.push_back(p.first_angle + static_cast<std::uint32_t>(d));
      }
      small_matrix(r, p, prep, false, 0, small);
      embed(r, small, false, q, nq, a);
      matmul(a, t, dq, tmp);
      std::copy(tmp, tmp + dq * dq, t);
    }
    // A 2-qubit run whose product and generators do not couple the two values of one of its
    // qubits (a cx's control, with gates on its target) is two 1-qubit passes, each controlled
    // by one value of that qubit: each walks half the chunk, together one pass of a 1-qubit
    // kernel instead of the 2-qubit one. Both add into the run's slots.
    bool was_split = false;
    if (nq == 2 && !diagonal) {
      for (int cq = 0; cq < 2 && !was_split; ++cq) {
        const std::size_t cb = std::size_t{1} << cq;
        bool split = true;
        for (std::size_t x = 0; x < 4 && split; ++x)
          for (std::size_t y = 0; y < 4 && split; ++y) {
            if (((x ^ y) & cb) == 0) continue;
            split = t[x * 4 + y] == cdouble(0.0);
            for (int d = 0; d < st.nd && split; ++d) split = run_gens[d][x * 4 + y] == cdouble(0.0);
          }
        if (!split) continue;
        const std::size_t ob = std::size_t{1} << (1 - cq);
        for (std::size_t v = 0; v < 2; ++v) {
          LocalStep half = st;
          half.kind = KernelKind::Matrix1;
          half.k = 1;
          half.targets[0] = st.targets[1 - cq];
          half.cm = bit(st.targets[cq]);
          half.cv = v ? half.cm : 0;
          auto block = [&](const cdouble* m) {  // the 2 x 2 block of m at value v of local qubit cq
            const auto offset = static_cast<std::uint32_t>(arena.size());
            for (std::size_t r2 = 0; r2 < 2; ++r2)
              for (std::size_t c2 = 0; c2 < 2; ++c2) {
                const cdouble e = m[((r2 ? ob : 0) | (v ? cb : 0)) * 4 + ((c2 ? ob : 0) | (v ? cb : 0))];
                arena.push_back(e.real());
                arena.push_back(e.imag());
              }
            return offset;
          };
          half.mdag = block(t);
          for (int d = 0; d < st.nd; ++d) half.gens[d] = block(run_gens[d]);
          steps.push_back(half);
        }
        was_split = true;
      }
    }
    if (was_split) continue;
    st.mdag = store(t);
    steps.push_back(st);
  }
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

  if (c <= 0 || (c >= n && options.run_qubits == 0)) {  // per-gate: one pass per record, whole vectors
    for (const Prepared& p : prep.records) {
      const Record& r = records[p.record];
      apply_record(r, p, prep, r.targets.data(), r.control_mask, r.control_values, psi, lam, n, options.isa, par,
                   acc + p.first_angle);
    }
    return;
  }
  std::vector<LocalStep> steps;
  std::vector<double> arena;
  std::vector<std::uint32_t> slot_acc;
  if (c >= n) {  // the whole state is the chunk: no copy, runs fused, threads inside each pass
    std::vector<std::uint32_t> all_members(prep.records.size());
    for (std::size_t j = 0; j < all_members.size(); ++j) all_members[j] = static_cast<std::uint32_t>(j);
    Stage whole;
    whole.mask = (Index{1} << n) - 1;
    plan_steps(whole, all_members, prep, records, options.run_qubits, steps, arena, slot_acc);
    for (const LocalStep& st : steps) {
      double out[kernels::kAdjointMaxGenerators] = {};
      if (!st.fused) {
        const Prepared& p = prep.records[st.prepared];
        apply_record(records[p.record], p, prep, st.targets, st.cm, st.cv, psi, lam, n, options.isa, par, out);
      } else {
        const double* gens[kernels::kAdjointMaxGenerators] = {};
        for (int d = 0; d < st.nd; ++d) gens[d] = arena.data() + st.gens[d];
        apply_kernel(st.kind, st.k, st.targets, st.cm, st.cv, arena.data() + st.mdag, gens, nullptr, st.nd, psi, lam, n,
                     options.isa, par, out);
      }
      for (int d = 0; d < st.nd; ++d) acc[slot_acc[st.slot + static_cast<std::uint32_t>(d)]] += out[d];
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
    plan_steps(s, std::span<const std::uint32_t>(members.data() + s.first, s.last - s.first), prep, records,
               options.run_qubits, steps, arena, slot_acc);
    const auto slots = static_cast<std::uint32_t>(slot_acc.size());
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
        for (const LocalStep& st : steps) {
          if (!st.fused) {
            const Prepared& p = prep.records[st.prepared];
            apply_record(records[p.record], p, prep, st.targets, st.cm, st.cv, bp, bl, c, options.isa, serial,
                         sums + st.slot);
            continue;
          }
          const double* gens[kernels::kAdjointMaxGenerators] = {};
          for (int d = 0; d < st.nd; ++d) gens[d] = arena.data() + st.gens[d];
          apply_kernel(st.kind, st.k, st.targets, st.cm, st.cv, arena.data() + st.mdag, gens, nullptr, st.nd, bp, bl, c,
                       options.isa, serial, sums + st.slot);
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
    for (std::uint32_t slot = 0; slot < slots; ++slot) {
      double total = 0.0;
      for (Index g = 0; g < groups; ++g) total += partial[static_cast<std::size_t>(g) * slots + slot];
      acc[slot_acc[slot]] = total;
    }
  }
}

namespace detail {

// G = D * A for dim x dim complex matrices (A given as interleaved reals).
void multiply_generator(const cdouble* d, const double* a, std::size_t dim, cdouble* g) {
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

}  // namespace detail

}  // namespace qmlsim

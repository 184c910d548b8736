#include "simulator/execution/compiled_circuit.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/execution/fusion.hpp"
#include "simulator/gates/kernels.hpp"

namespace qmlsim {
namespace {

bool is_pauli_x_kind(GateKind k) {
  return k == GateKind::X || k == GateKind::CX || k == GateKind::CCX || k == GateKind::C3X || k == GateKind::C4X;
}

bool vanishes(GateKind k) { return k == GateKind::I || k == GateKind::U0 || k == GateKind::Barrier; }

// rebind_record() fills the matrix of a parametric gate into a 16-entry buffer.
constexpr bool parametric_gates_have_at_most_two_targets() {
  for (GateKind k : all_gate_kinds())
    if (gate_info(k).num_params > 0 && k != GateKind::GPhase && gate_targets(k) > 2) return false;
  return true;
}
static_assert(parametric_gates_have_at_most_two_targets());

std::size_t matrix_entries(const Record& r) {
  const std::size_t dim = std::size_t{1} << r.num_targets;
  switch (r.kernel) {
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::MatrixK: return dim * dim;
    case KernelKind::Diagonal: return dim;
    case KernelKind::Phase: return 1;
    case KernelKind::PauliX:
    case KernelKind::Swap:
    case KernelKind::Measure:
    case KernelKind::Reset: return 0;
  }
  return 0;
}

}  // namespace

std::uint32_t CompiledCircuit::add_matrix(std::size_t entries) {
  const auto offset = static_cast<std::uint32_t>(matrices_.size());
  matrices_.resize(matrices_.size() + entries);
  return offset;
}

void CompiledCircuit::write_record_matrix(const Record& r, const cdouble* full) {
  cdouble* dst = matrices_.data() + r.matrix;
  const std::size_t dim = std::size_t{1} << r.num_targets;
  switch (r.kernel) {
    case KernelKind::Diagonal:
      for (std::size_t i = 0; i < dim; ++i) dst[i] = full[i * dim + i];
      return;
    case KernelKind::Phase: dst[0] = full[0]; return;
    case KernelKind::Matrix1:
    case KernelKind::Matrix2:
    case KernelKind::MatrixK: std::copy(full, full + dim * dim, dst); return;
    case KernelKind::PauliX:
    case KernelKind::Swap:
    case KernelKind::Measure:
    case KernelKind::Reset: return;
  }
}

CompiledCircuit::CompiledCircuit(const Circuit& circuit, FusionOptions fusion) : circuit_(circuit), fusion_(fusion) {
  const int fusion_qubits = resolve_fusion_qubits(fusion_, circuit_.num_qubits());  // validates Fixed sizes
  const auto& ops = circuit_.operations();
  prefix_ = static_cast<std::size_t>(-1);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = ops[i];
    if (vanishes(op.kind)) continue;
    Record r;
    r.op = static_cast<std::int32_t>(i);
    if (op.kind == GateKind::GPhase && op.control_mask == 0 && !op.condition) {
      phase_ops_.push_back(r.op);
      continue;
    }
    const int nc = op.num_builtin_controls();
    r.control_mask = op.control_mask;
    r.control_values = op.control_values;
    for (int c = 0; c < nc; ++c) {
      r.control_mask |= bit(op.qubits[static_cast<std::size_t>(c)]);
      r.control_values |= bit(op.qubits[static_cast<std::size_t>(c)]);
    }
    const std::vector<Qubit> targets = op.kind == GateKind::Unitary ? op.qubits : op.targets();
    r.num_targets = static_cast<std::uint8_t>(targets.size());
    std::copy(targets.begin(), targets.end(), r.targets.begin());
    if (op.kind == GateKind::Measure) {
      r.kernel = KernelKind::Measure;
      r.clbit = op.clbit;
    } else if (op.kind == GateKind::Reset) {
      r.kernel = KernelKind::Reset;
    } else if (op.kind == GateKind::GPhase) {
      r.kernel = KernelKind::Phase;
    } else if (is_pauli_x_kind(op.kind)) {
      r.kernel = KernelKind::PauliX;
    } else if (op.kind == GateKind::Swap || op.kind == GateKind::CSwap) {
      r.kernel = KernelKind::Swap;
    } else if (op.info().shape == MatrixShape::Diagonal || (op.kind == GateKind::Unitary && op.matrix->is_diagonal())) {
      r.kernel = KernelKind::Diagonal;
    } else {
      r.kernel = targets.size() == 1 ? KernelKind::Matrix1 : targets.size() == 2 ? KernelKind::Matrix2 : KernelKind::MatrixK;
    }
    r.matrix = add_matrix(matrix_entries(r));
    const bool random = r.kernel == KernelKind::Measure || r.kernel == KernelKind::Reset || op.condition.has_value();
    if (random && prefix_ == static_cast<std::size_t>(-1)) prefix_ = records_.size();
    const bool has_matrix = matrix_entries(r) > 0;
    if (phase_target_ < 0 && has_matrix && r.kernel != KernelKind::Phase && r.control_mask == 0 && !op.condition)
      phase_target_ = static_cast<std::int32_t>(records_.size());
    if (has_matrix) {
      if (op.is_parametric()) {
        parametric_.push_back(static_cast<std::uint32_t>(records_.size()));
      } else if (op.kind == GateKind::Unitary) {
        write_record_matrix(r, op.matrix->data.data());
      } else {
        double values[kMaxGateParams] = {};
        for (std::size_t j = 0; j < op.params.size(); ++j) values[j] = op.params[j].offset();
        cdouble full[256];
        fill_target_matrix(op.kind, std::span<const double>(values, op.params.size()), full);
        write_record_matrix(r, full);
      }
    }
    records_.push_back(r);
  }
  if (!phase_ops_.empty()) {
    if (phase_target_ < 0) {
      // No gate can absorb the phase: one scaling pass at the end.
      Record r;
      r.kernel = KernelKind::Phase;
      r.matrix = add_matrix(1);
      phase_target_ = static_cast<std::int32_t>(records_.size());
      records_.push_back(r);
      matrices_[r.matrix] = 1.0;
    } else if (std::find(parametric_.begin(), parametric_.end(), static_cast<std::uint32_t>(phase_target_)) ==
               parametric_.end()) {
      // Rewritten at every bind so that the phase is multiplied into a fresh matrix.
      parametric_.push_back(static_cast<std::uint32_t>(phase_target_));
    }
  }
  if (prefix_ == static_cast<std::size_t>(-1)) prefix_ = records_.size();
  fingerprint_ = structure_hash();
  plan(fusion_qubits);
  matrices_float_.resize(2 * matrices_.size());
  // Blocks of constant members are computed once, here; the others at every bind.
  std::size_t next_parametric = 0;
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    if (next_parametric < parametric_blocks_.size() && parametric_blocks_[next_parametric] == b) {
      ++next_parametric;
      continue;
    }
    compute_block(b);
  }
  for (std::size_t j = 0; j < matrices_.size(); ++j) {
    matrices_float_[2 * j] = static_cast<float>(matrices_[j].real());
    matrices_float_[2 * j + 1] = static_cast<float>(matrices_[j].imag());
  }
  if (circuit_.num_parameters() == 0) bind({});
}

void CompiledCircuit::plan(int max_qubits) {
  if (max_qubits <= 0) return;
  const FusionPlan p = plan_fusion(std::span<const Record>(records_.data(), prefix_), max_qubits);
  if (p.blocks.empty()) return;
  record_block_.assign(records_.size(), -1);
  program_.reserve(p.entries.size() + (records_.size() - prefix_));
  blocks_.reserve(p.blocks.size());
  std::size_t scratch_entries = 0;
  for (const PlanEntry& e : p.entries) {
    if (e.record >= 0) {
      program_.push_back(records_[static_cast<std::size_t>(e.record)]);
      continue;
    }
    const FusedBlock& fb = p.blocks[static_cast<std::size_t>(e.block)];
    const int m = static_cast<int>(fb.qubits.size());
    // Local position of each block qubit: its rank among the block's (ascending) qubits.
    std::array<Qubit, 64> local{};
    for (int j = 0; j < m; ++j) local[static_cast<std::size_t>(fb.qubits[static_cast<std::size_t>(j)])] = j;
    auto local_mask = [&](Index mask) {
      Index out = 0;
      for (Index x = mask; x; x &= x - 1) out |= bit(local[static_cast<std::size_t>(std::countr_zero(x))]);
      return out;
    };
    Block blk;
    blk.first = static_cast<std::uint32_t>(block_members_.size());
    blk.entry = static_cast<std::uint32_t>(program_.size());
    blk.num_qubits = m;
    blk.diagonal = fb.diagonal;
    for (std::uint32_t member : fb.members) {
      record_block_[member] = static_cast<std::int32_t>(blocks_.size());
      Record lr = records_[member];
      for (int t = 0; t < lr.num_targets; ++t)
        lr.targets[static_cast<std::size_t>(t)] = local[static_cast<std::size_t>(lr.targets[static_cast<std::size_t>(t)])];
      lr.control_values = local_mask(lr.control_values & lr.control_mask);
      lr.control_mask = local_mask(lr.control_mask);
      block_members_.push_back(lr);
    }
    blk.last = static_cast<std::uint32_t>(block_members_.size());
    Record out;
    out.kernel = fb.diagonal ? KernelKind::Diagonal
                 : m == 1     ? KernelKind::Matrix1
                 : m == 2     ? KernelKind::Matrix2
                              : KernelKind::MatrixK;
    out.num_targets = static_cast<std::uint8_t>(m);
    std::copy(fb.qubits.begin(), fb.qubits.end(), out.targets.begin());
    out.matrix = add_matrix(matrix_entries(out));
    const std::size_t dim = std::size_t{1} << m;
    if (!fb.diagonal) scratch_entries = std::max(scratch_entries, dim * dim);
    fusion_qubits_ = std::max(fusion_qubits_, m);
    program_.push_back(out);
    blocks_.push_back(blk);
  }
  program_prefix_ = program_.size();
  program_.insert(program_.end(), records_.begin() + static_cast<std::ptrdiff_t>(prefix_), records_.end());
  block_scratch_.resize(2 * scratch_entries);
  std::vector<bool> parametric(records_.size(), false);
  for (std::uint32_t ri : parametric_) parametric[ri] = true;
  for (std::size_t b = 0; b < p.blocks.size(); ++b)
    if (std::any_of(p.blocks[b].members.begin(), p.blocks[b].members.end(), [&](std::uint32_t m) { return parametric[m]; }))
      parametric_blocks_.push_back(static_cast<std::uint32_t>(b));
}

// The block's matrix is built by the kernels themselves, on a small "state" whose low m index bits
// are the row: the diagonal (m qubits), or the dense matrix stored column-major (2m qubits, the
// high m bits are the column), so that one kernel call applies a member to every column at once.
// Starting from the identity, member after member, this is the ordered product of the members
// (controls, negative ones included, handled by the kernels' (mask, value) pair; diagonal members
// only scale rows).
void CompiledCircuit::compute_block(std::size_t b) {
  const Block& blk = blocks_[b];
  const Record& out = program_[blk.entry];
  const int m = blk.num_qubits;
  const std::size_t dim = std::size_t{1} << m;
  const Parallelism serial = Parallelism::serial();
  double* s = blk.diagonal ? reinterpret_cast<double*>(matrices_.data() + out.matrix) : block_scratch_.data();
  const int nq = blk.diagonal ? m : 2 * m;
  const std::size_t entries = std::size_t{1} << nq;
  std::fill(s, s + 2 * entries, 0.0);
  for (std::size_t i = 0; i < dim; ++i) s[2 * (blk.diagonal ? i : i * dim + i)] = 1.0;
  for (std::uint32_t j = blk.first; j < blk.last; ++j) {
    const Record& r = block_members_[j];
    const double* mat = reinterpret_cast<const double*>(matrices_.data() + r.matrix);
    const Index cm = r.control_mask, cv = r.control_values;
    switch (r.kernel) {
      case KernelKind::Matrix1: kernels::apply_matrix1(s, nq, r.targets[0], mat, cm, cv, serial); break;
      case KernelKind::Matrix2: kernels::apply_matrix2(s, nq, r.targets[0], r.targets[1], mat, cm, cv, serial); break;
      case KernelKind::MatrixK: kernels::apply_matrixk(s, nq, r.targets.data(), r.num_targets, mat, cm, cv, serial); break;
      case KernelKind::Diagonal: kernels::apply_diagonal(s, nq, r.targets.data(), r.num_targets, mat, cm, cv, serial); break;
      case KernelKind::PauliX: kernels::apply_x(s, nq, r.targets[0], cm, cv, serial); break;
      case KernelKind::Swap: kernels::apply_swap(s, nq, r.targets[0], r.targets[1], cm, cv, serial); break;
      case KernelKind::Phase: kernels::apply_phase(s, nq, mat[0], mat[1], cm, cv, serial); break;
      case KernelKind::Measure:
      case KernelKind::Reset: break;  // never planned into a block
    }
  }
  if (!blk.diagonal) {
    cdouble* dst = matrices_.data() + out.matrix;  // row-major
    for (std::size_t r = 0; r < dim; ++r)
      for (std::size_t c = 0; c < dim; ++c) dst[r * dim + c] = cdouble(s[2 * (c * dim + r)], s[2 * (c * dim + r) + 1]);
  }
  sync_float(out);
}

void CompiledCircuit::sync_float(const Record& r) {
  const std::size_t entries = matrix_entries(r);
  const cdouble* src = matrices_.data() + r.matrix;
  float* dst = matrices_float_.data() + 2 * static_cast<std::size_t>(r.matrix);
  for (std::size_t j = 0; j < entries; ++j) {
    dst[2 * j] = static_cast<float>(src[j].real());
    dst[2 * j + 1] = static_cast<float>(src[j].imag());
  }
}

std::uint64_t CompiledCircuit::structure_hash() const {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the fields, 64 bits at a time
  auto mix = [&h](std::uint64_t v) {
    for (int b = 0; b < 8; ++b) {
      h ^= (v >> (8 * b)) & 0xffU;
      h *= 0x100000001b3ULL;
    }
  };
  auto mix_double = [&mix](double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    mix(bits);
  };
  mix(static_cast<std::uint64_t>(num_qubits()));
  mix(static_cast<std::uint64_t>(num_parameters()));
  mix(records_.size());
  const auto& ops = circuit_.operations();
  for (const Record& r : records_) {
    mix(static_cast<std::uint64_t>(r.kernel));
    mix(r.num_targets);
    for (int t = 0; t < r.num_targets; ++t) mix(static_cast<std::uint64_t>(r.targets[static_cast<std::size_t>(t)]));
    mix(r.control_mask);
    mix(r.control_values);
    mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(r.op)));
    if (r.op < 0) continue;
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    mix(static_cast<std::uint64_t>(op.kind));
    for (const Param& p : op.params) {
      mix(static_cast<std::uint64_t>(p.kind()));
      if (p.kind() == Param::Kind::Affine) {
        mix(static_cast<std::uint64_t>(p.index()));
        mix_double(p.scale());
        mix_double(p.offset());
      } else if (p.kind() == Param::Kind::Expression) {
        for (const auto& in : p.expression()->code()) {
          mix(static_cast<std::uint64_t>(in.op));
          mix(static_cast<std::uint64_t>(static_cast<std::int64_t>(in.index)));
          mix_double(in.value);
        }
      }
    }
  }
  mix(phase_ops_.size());
  return h;
}

void CompiledCircuit::bind(std::span<const double> theta) {
  bound_ = false;  // a bind that throws half-way must not leave a mix of old and new angles runnable
  check_count(theta.size(), circuit_.num_parameters(), "circuit", "parameter value");
  for (std::size_t i = 0; i < theta.size(); ++i)
    check_finite(theta[i], [&] { return "parameter " + parameter_name(i, circuit_.parameter_names()); });
  const auto& ops = circuit_.operations();
  auto eval = [&](const Operation& op, double* values) {
    for (std::size_t j = 0; j < op.params.size(); ++j) {
      values[j] = op.params[j].value(theta);
      if (!std::isfinite(values[j]))
        throw InvalidArgument(op.name() + ": parameter " + std::to_string(j) + " evaluates to " + format_number(values[j]));
    }
  };
  for (std::uint32_t ri : parametric_) {
    const Record& r = records_[ri];
    const Operation& op = ops[static_cast<std::size_t>(r.op)];
    if (op.kind == GateKind::Unitary) {
      write_record_matrix(r, op.matrix->data.data());
      continue;
    }
    double values[kMaxGateParams] = {};
    eval(op, values);
    // Uninitialised storage: a cdouble array would zero 4 KiB per gate at every bind. 256 entries,
    // not 16: the record absorbing the global phase may be any fixed gate (rc3x has 4 targets).
    alignas(cdouble) unsigned char storage[256 * sizeof(cdouble)];
    auto* full = reinterpret_cast<cdouble*>(storage);
    fill_target_matrix(op.kind, std::span<const double>(values, op.params.size()), full);
    write_record_matrix(r, full);
  }
  global_phase_ = 1.0;
  if (!phase_ops_.empty()) {
    double angle = 0.0;
    for (std::int32_t oi : phase_ops_) {
      double v[1];
      eval(ops[static_cast<std::size_t>(oi)], v);
      angle += v[0];
    }
    const cdouble phase(std::cos(angle), std::sin(angle));
    global_phase_ = phase;
    const Record& r = records_[static_cast<std::size_t>(phase_target_)];
    if (r.op < 0) {
      matrices_[r.matrix] = phase;  // the end-of-circuit pass
    } else {
      cdouble* m = matrices_.data() + r.matrix;
      for (std::size_t j = 0; j < matrix_entries(r); ++j) m[j] *= phase;
    }
    sync_float(r);
  }
  for (std::uint32_t ri : parametric_) sync_float(records_[ri]);
  for (std::uint32_t b : parametric_blocks_) compute_block(b);
  theta_.assign(theta.begin(), theta.end());
  bound_ = true;
}

void CompiledCircuit::rebind_record(std::size_t record, std::span<const double> angles) {
  if (!bound_) throw InvalidArgument("rebind_record: the circuit is not bound");
  check_index(record, records_.size(), "rebind_record: record");
  const Record& r = records_[record];
  const Operation* op = r.op >= 0 ? &circuit_.operations()[static_cast<std::size_t>(r.op)] : nullptr;
  if (!op || op->params.empty() || op->kind == GateKind::Unitary)
    throw InvalidArgument("rebind_record: record " + std::to_string(record) + " has no parametric gate");
  check_count(angles.size(), op->params.size(), op->info().name, "angle");
  for (std::size_t j = 0; j < angles.size(); ++j)
    check_finite(angles[j], [&] { return op->name() + ": angle " + std::to_string(j); });
  cdouble full[16];  // parametric built-in gates have at most 2 targets
  fill_target_matrix(op->kind, angles, full);
  if (static_cast<std::int32_t>(record) == phase_record()) {
    const std::size_t dim = std::size_t{1} << r.num_targets;
    for (std::size_t j = 0; j < dim * dim; ++j) full[j] *= global_phase_;
  }
  write_record_matrix(r, full);
  sync_float(r);
  if (!record_block_.empty() && record_block_[record] >= 0) compute_block(static_cast<std::size_t>(record_block_[record]));
}

double CompiledCircuit::passes(std::size_t amplitude_bytes) const {
  // Bits of the index below this position share a cache line.
  const int line_bits = std::countr_zero(std::max<std::size_t>(64 / std::max<std::size_t>(amplitude_bytes, 1), 1));
  double total = 0.0;
  for (const Record& r : program()) total += touched_fraction(r, line_bits);  // measure and reset: 0
  return total;
}

template <class R>
void CompiledCircuit::apply(StateVector<R>& state, const Parallelism& par, Classical classical, std::size_t first,
                            std::size_t last) const {
  if (!bound_)
    throw InvalidArgument("circuit has " + std::to_string(circuit_.num_parameters()) +
                          " unbound parameters; bind values before running");
  if (state.num_qubits() != num_qubits())
    throw InvalidArgument("circuit on " + std::to_string(num_qubits()) + " qubits applied to a state of " +
                          std::to_string(state.num_qubits()) + " qubits");
  last = std::min(last, records_.size());
  const auto& ops = circuit_.operations();
  if (!classical.rng || !classical.clbits) {
    for (std::size_t i = first; i < last; ++i) {
      const Record& r = records_[i];
      const Operation& op = ops[static_cast<std::size_t>(std::max(r.op, 0))];
      if (r.kernel == KernelKind::Reset || (r.op >= 0 && op.condition))
        throw InvalidArgument(op.name() + " needs a shot-by-shot run (reset or classical condition)");
    }
  } else if (static_cast<int>(classical.clbits->size()) < circuit_.num_clbits()) {
    classical.clbits->resize(static_cast<std::size_t>(circuit_.num_clbits()), 0);
  }
  const int n = num_qubits();
  R* psi = reinterpret_cast<R*>(state.data());
  // Matrices are kept in double, and in single precision alongside (updated at bind).
  auto matrix = [&](const Record& r) -> const R* {
    if constexpr (std::is_same_v<R, double>) {
      return reinterpret_cast<const double*>(matrices_.data() + r.matrix);
    } else {
      return matrices_float_.data() + 2 * static_cast<std::size_t>(r.matrix);
    }
  };
  auto run = [&](const Record& r) {
    if (r.op >= 0) {
      const auto& cond = ops[static_cast<std::size_t>(r.op)].condition;
      if (cond && classical.clbits) {
        std::uint64_t v = 0;
        for (int b = 0; b < cond->width; ++b)
          v |= static_cast<std::uint64_t>((*classical.clbits)[static_cast<std::size_t>(cond->first_clbit + b)] & 1U) << b;
        if (v != cond->value) return;
      }
    }
    const Index cm = r.control_mask, cv = r.control_values;
    switch (r.kernel) {
      case KernelKind::Matrix1: kernels::apply_matrix1(psi, n, r.targets[0], matrix(r), cm, cv, par); break;
      case KernelKind::Matrix2: kernels::apply_matrix2(psi, n, r.targets[0], r.targets[1], matrix(r), cm, cv, par); break;
      case KernelKind::MatrixK: kernels::apply_matrixk(psi, n, r.targets.data(), r.num_targets, matrix(r), cm, cv, par); break;
      case KernelKind::Diagonal: kernels::apply_diagonal(psi, n, r.targets.data(), r.num_targets, matrix(r), cm, cv, par); break;
      case KernelKind::PauliX: kernels::apply_x(psi, n, r.targets[0], cm, cv, par); break;
      case KernelKind::Swap: kernels::apply_swap(psi, n, r.targets[0], r.targets[1], cm, cv, par); break;
      case KernelKind::Phase: {
        const R* ph = matrix(r);
        kernels::apply_phase(psi, n, ph[0], ph[1], cm, cv, par);
        break;
      }
      case KernelKind::Measure:
      case KernelKind::Reset: {
        if (!classical.rng || !classical.clbits) break;  // terminal measurement in a state-vector run
        const double p1 = std::clamp(kernels::probability_one(psi, n, r.targets[0], par), 0.0, 1.0);
        int outcome = classical.rng->uniform() < p1 ? 1 : 0;
        double p = outcome ? p1 : 1.0 - p1;
        if (p <= 0.0) {  // rounding: never collapse onto a branch of zero weight
          outcome ^= 1;
          p = 1.0 - p;
        }
        kernels::collapse(psi, n, r.targets[0], outcome, static_cast<R>(1.0 / std::sqrt(p)),
                          r.kernel == KernelKind::Reset, par);
        if (r.kernel == KernelKind::Measure) (*classical.clbits)[static_cast<std::size_t>(r.clbit)] = static_cast<std::uint8_t>(outcome);
        break;
      }
    }
  };
  std::size_t i = first;
  if (!blocks_.empty() && first == 0 && last >= prefix_) {
    // The fused program replaces the whole deterministic prefix.
    for (std::size_t j = 0; j < program_prefix_; ++j) run(program_[j]);
    i = prefix_;
  }
  for (; i < last; ++i) run(records_[i]);
}

template void CompiledCircuit::apply<double>(StateVector<double>&, const Parallelism&, Classical, std::size_t,
                                             std::size_t) const;
template void CompiledCircuit::apply<float>(StateVector<float>&, const Parallelism&, Classical, std::size_t,
                                            std::size_t) const;

}  // namespace qmlsim

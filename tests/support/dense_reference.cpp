#include "tests/support/dense_reference.hpp"

#include <bit>
#include <cmath>
#include <stdexcept>
#include <string>

#include "simulator/core/bits.hpp"

namespace qmlsim::testing {
namespace {

constexpr cdouble kI{0.0, 1.0};

cdouble expi(double a) { return std::polar(1.0, a); }

DenseMatrix diag2(cdouble a, cdouble b) { return DenseMatrix{{a, 0.0}, {0.0, b}}; }

// Qiskit's U(theta, phi, lambda) (UGate / U3Gate documentation).
DenseMatrix u_gate(double theta, double phi, double lambda) {
  const double c = std::cos(theta / 2), s = std::sin(theta / 2);
  return DenseMatrix{{c, -expi(lambda) * s}, {expi(phi) * s, expi(phi + lambda) * c}};
}

DenseMatrix hadamard() { return (pauli_x() + pauli_z()) * cdouble(1.0 / std::sqrt(2.0)); }

// The permutation matrix sending basis state j to f(j).
template <class F>
DenseMatrix permutation(Index dim, F f) {
  DenseMatrix m(dim);
  for (Index j = 0; j < dim; ++j) m(f(j), j) = 1.0;
  return m;
}

DenseMatrix swap_gate() {
  return permutation(4, [](Index j) { return ((j & 1U) << 1) | ((j >> 1) & 1U); });
}

// A sequence of gates on a k-qubit register, multiplied up in circuit order (for the qelib1.inc
// decompositions of rccx and rc3x).
class Sequence {
 public:
  explicit Sequence(int k) : k_(k), m_(DenseMatrix::identity(Index{1} << k)) {}
  Sequence& gate(const DenseMatrix& target, Qubit q) {
    const Qubit t[1] = {q};
    m_ = embed(target, t, k_) * m_;
    return *this;
  }
  Sequence& u1(double lambda, Qubit q) { return gate(diag2(1.0, expi(lambda)), q); }
  Sequence& u2(double phi, double lambda, Qubit q) {
    const double h = 1.0 / std::sqrt(2.0);
    return gate(DenseMatrix{{h, -expi(lambda) * h}, {expi(phi) * h, expi(phi + lambda) * h}}, q);
  }
  Sequence& cx(Qubit c, Qubit t) {
    const Qubit ts[1] = {t};
    m_ = embed(pauli_x(), ts, k_, bit(c), bit(c)) * m_;
    return *this;
  }
  [[nodiscard]] const DenseMatrix& matrix() const noexcept { return m_; }

 private:
  int k_;
  DenseMatrix m_;
};

// qelib1.inc:
// gate rccx a,b,c { u2(0,pi) c; u1(pi/4) c; cx b, c; u1(-pi/4) c; cx a, c; u1(pi/4) c; cx b, c;
//                   u1(-pi/4) c; u2(0,pi) c; }
DenseMatrix rccx_from_qelib1() {
  const Qubit a = 0, b = 1, c = 2;
  Sequence s(3);
  s.u2(0, kPi, c).u1(kPi / 4, c).cx(b, c).u1(-kPi / 4, c).cx(a, c).u1(kPi / 4, c).cx(b, c).u1(-kPi / 4, c).u2(0, kPi, c);
  return s.matrix();
}

// qelib1.inc:
// gate rc3x a,b,c,d { u2(0,pi) d; u1(pi/4) d; cx c,d; u1(-pi/4) d; u2(0,pi) d; cx a,d; u1(pi/4) d;
//   cx b,d; u1(-pi/4) d; cx a,d; u1(pi/4) d; cx b,d; u1(-pi/4) d; u2(0,pi) d; u1(pi/4) d; cx c,d;
//   u1(-pi/4) d; u2(0,pi) d; }
DenseMatrix rc3x_from_qelib1() {
  const Qubit a = 0, b = 1, c = 2, d = 3;
  Sequence s(4);
  s.u2(0, kPi, d).u1(kPi / 4, d).cx(c, d).u1(-kPi / 4, d).u2(0, kPi, d);
  s.cx(a, d).u1(kPi / 4, d).cx(b, d).u1(-kPi / 4, d).cx(a, d).u1(kPi / 4, d).cx(b, d).u1(-kPi / 4, d);
  s.u2(0, kPi, d).u1(kPi / 4, d).cx(c, d).u1(-kPi / 4, d).u2(0, kPi, d);
  return s.matrix();
}

double param(std::span<const double> p, std::size_t i) {
  if (i >= p.size()) throw std::invalid_argument("reference_target_matrix: too few parameters");
  return p[i];
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// DenseMatrix

DenseMatrix::DenseMatrix(std::initializer_list<std::initializer_list<cdouble>> rows)
    : dim_(rows.size()), data_(rows.size() * rows.size()) {
  Index r = 0;
  for (const auto& row : rows) {
    if (row.size() != dim_) throw std::invalid_argument("DenseMatrix: rows of unequal length");
    Index c = 0;
    for (const cdouble& z : row) (*this)(r, c++) = z;
    ++r;
  }
}

DenseMatrix DenseMatrix::identity(Index dim) {
  DenseMatrix m(dim);
  for (Index i = 0; i < dim; ++i) m(i, i) = 1.0;
  return m;
}

DenseMatrix DenseMatrix::scalar(cdouble z) {
  DenseMatrix m(1);
  m(0, 0) = z;
  return m;
}

DenseMatrix DenseMatrix::from_gate_matrix(const GateMatrix& g) {
  DenseMatrix m(g.dim());
  if (g.data.size() != g.dim() * g.dim()) throw std::invalid_argument("DenseMatrix: malformed GateMatrix");
  m.data_ = g.data;
  return m;
}

GateMatrix DenseMatrix::to_gate_matrix() const { return GateMatrix{num_qubits(), data_}; }

int DenseMatrix::num_qubits() const noexcept { return std::countr_zero(dim_); }

DenseMatrix DenseMatrix::operator*(const DenseMatrix& o) const {
  if (dim_ != o.dim_) throw std::invalid_argument("DenseMatrix: dimension mismatch");
  DenseMatrix m(dim_);
  for (Index r = 0; r < dim_; ++r)
    for (Index k = 0; k < dim_; ++k) {
      const cdouble a = (*this)(r, k);
      if (a == cdouble{}) continue;
      for (Index c = 0; c < dim_; ++c) m(r, c) += a * o(k, c);
    }
  return m;
}

DenseMatrix DenseMatrix::operator+(const DenseMatrix& o) const {
  if (dim_ != o.dim_) throw std::invalid_argument("DenseMatrix: dimension mismatch");
  DenseMatrix m = *this;
  for (std::size_t i = 0; i < data_.size(); ++i) m.data_[i] += o.data_[i];
  return m;
}

DenseMatrix DenseMatrix::operator-(const DenseMatrix& o) const { return *this + o * cdouble(-1.0); }

DenseMatrix DenseMatrix::operator*(cdouble z) const {
  DenseMatrix m = *this;
  for (auto& v : m.data_) v *= z;
  return m;
}

std::vector<cdouble> DenseMatrix::apply(std::span<const cdouble> v) const {
  if (v.size() != dim_) throw std::invalid_argument("DenseMatrix::apply: size mismatch");
  std::vector<cdouble> out(dim_);
  for (Index r = 0; r < dim_; ++r) {
    cdouble acc = 0.0;
    for (Index c = 0; c < dim_; ++c) acc += (*this)(r, c) * v[c];
    out[r] = acc;
  }
  return out;
}

DenseMatrix DenseMatrix::adjoint() const {
  DenseMatrix m(dim_);
  for (Index r = 0; r < dim_; ++r)
    for (Index c = 0; c < dim_; ++c) m(c, r) = std::conj((*this)(r, c));
  return m;
}

bool DenseMatrix::is_diagonal() const noexcept {
  for (Index r = 0; r < dim_; ++r)
    for (Index c = 0; c < dim_; ++c)
      if (r != c && (*this)(r, c) != cdouble{}) return false;
  return true;
}

double DenseMatrix::max_abs_diff(const DenseMatrix& o) const {
  if (dim_ != o.dim_) return 1e300;
  double err = 0.0;
  for (std::size_t i = 0; i < data_.size(); ++i) err = std::max(err, std::abs(data_[i] - o.data_[i]));
  return err;
}

double DenseMatrix::unitarity_error() const { return (adjoint() * *this).max_abs_diff(identity(dim_)); }

// ---------------------------------------------------------------------------------------------
// Building blocks

DenseMatrix kron(const DenseMatrix& a, const DenseMatrix& b) {
  const Index db = b.dim();
  DenseMatrix m(a.dim() * db);
  for (Index ra = 0; ra < a.dim(); ++ra)
    for (Index ca = 0; ca < a.dim(); ++ca)
      for (Index rb = 0; rb < db; ++rb)
        for (Index cb = 0; cb < db; ++cb) m(ra * db + rb, ca * db + cb) = a(ra, ca) * b(rb, cb);
  return m;
}

DenseMatrix expm(const DenseMatrix& m) {
  double norm = 0.0;  // max absolute row sum
  for (Index r = 0; r < m.dim(); ++r) {
    double row = 0.0;
    for (Index c = 0; c < m.dim(); ++c) row += std::abs(m(r, c));
    norm = std::max(norm, row);
  }
  int squarings = 0;
  while (norm > 0.25) {
    norm /= 2;
    ++squarings;
  }
  const DenseMatrix a = m * cdouble(std::ldexp(1.0, -squarings));
  DenseMatrix sum = DenseMatrix::identity(m.dim()), term = sum;
  for (int k = 1; k <= 24; ++k) {
    term = (term * a) * cdouble(1.0 / k);
    sum = sum + term;
  }
  for (int s = 0; s < squarings; ++s) sum = sum * sum;
  return sum;
}

DenseMatrix pauli_rotation(double theta, const DenseMatrix& p) {
  return DenseMatrix::identity(p.dim()) * cdouble(std::cos(theta / 2)) + p * cdouble(0.0, -std::sin(theta / 2));
}

DenseMatrix pauli_i() { return DenseMatrix::identity(2); }
DenseMatrix pauli_x() { return DenseMatrix{{0.0, 1.0}, {1.0, 0.0}}; }
DenseMatrix pauli_y() { return DenseMatrix{{0.0, -kI}, {kI, 0.0}}; }
DenseMatrix pauli_z() { return DenseMatrix{{1.0, 0.0}, {0.0, -1.0}}; }

// ---------------------------------------------------------------------------------------------
// Independent gate matrices

DenseMatrix reference_target_matrix(GateKind kind, std::span<const double> p) {
  const auto t = [&](std::size_t i) { return param(p, i); };
  const DenseMatrix x = pauli_x(), y = pauli_y(), z = pauli_z(), id = pauli_i();
  // Qiskit: SX = e^{i pi/4} RX(pi/2), SXdg = e^{-i pi/4} RX(-pi/2).
  const auto sx = [&] { return pauli_rotation(kPi / 2, x) * expi(kPi / 4); };
  switch (kind) {
    case GateKind::I:
    case GateKind::U0: return id;
    case GateKind::X:
    case GateKind::CX:
    case GateKind::CCX:
    case GateKind::C3X:
    case GateKind::C4X: return x;
    case GateKind::Y:
    case GateKind::CY: return y;
    case GateKind::Z:
    case GateKind::CZ:
    case GateKind::CCZ: return z;
    case GateKind::H:
    case GateKind::CH: return hadamard();
    case GateKind::S: return diag2(1.0, kI);
    case GateKind::Sdg: return diag2(1.0, -kI);
    case GateKind::T: return diag2(1.0, expi(kPi / 4));
    case GateKind::Tdg: return diag2(1.0, expi(-kPi / 4));
    case GateKind::SX:
    case GateKind::CSX:
    case GateKind::C3SX: return sx();
    case GateKind::SXdg: return pauli_rotation(-kPi / 2, x) * expi(-kPi / 4);
    case GateKind::RX:
    case GateKind::CRX: return pauli_rotation(t(0), x);
    case GateKind::RY:
    case GateKind::CRY: return pauli_rotation(t(0), y);
    case GateKind::RZ:
    case GateKind::CRZ: return pauli_rotation(t(0), z);
    case GateKind::P:
    case GateKind::U1:
    case GateKind::CP:
    case GateKind::CU1: return diag2(1.0, expi(t(0)));
    case GateKind::U2: {
      const double h = 1.0 / std::sqrt(2.0);
      return DenseMatrix{{h, -expi(t(1)) * h}, {expi(t(0)) * h, expi(t(0) + t(1)) * h}};
    }
    case GateKind::U3:
    case GateKind::U:
    case GateKind::CU3: return u_gate(t(0), t(1), t(2));
    case GateKind::CU: return u_gate(t(0), t(1), t(2)) * expi(t(3));
    case GateKind::GPhase: return DenseMatrix::scalar(expi(t(0)));
    case GateKind::Swap:
    case GateKind::CSwap: return swap_gate();
    case GateKind::ISwap:
      // Qiskit: iSWAP = exp(i pi/4 (XX + YY)).
      return expm((kron(x, x) + kron(y, y)) * cdouble(0.0, kPi / 4));
    case GateKind::ECR:
      // Qiskit: ECR = (IX - XY) / sqrt(2) with q1 written left: X on q0 minus X_q1 Y_q0.
      return (kron(id, x) - kron(x, y)) * cdouble(1.0 / std::sqrt(2.0));
    case GateKind::DCX:
      // cx(q0, q1) then cx(q1, q0): (a, b) -> (a, a ^ b) -> (b, a ^ b).
      return permutation(4, [](Index j) {
        const Index a = j & 1U, b = (j >> 1) & 1U;
        return b | ((a ^ b) << 1);
      });
    case GateKind::RXX: return pauli_rotation(t(0), kron(x, x));
    case GateKind::RYY: return pauli_rotation(t(0), kron(y, y));
    case GateKind::RZZ: return pauli_rotation(t(0), kron(z, z));
    case GateKind::RZX:
      // exp(-i theta/2 Z_a X_b) on (a, b) = (bit 0, bit 1): X on the more significant bit.
      return pauli_rotation(t(0), kron(x, z));
    case GateKind::XXPlusYY: {
      // RZ_0(-beta) exp(-i theta/2 (XX+YY)/2) RZ_0(beta).
      const DenseMatrix gen = (kron(x, x) + kron(y, y)) * cdouble(0.5);
      const DenseMatrix core = expm(gen * cdouble(0.0, -t(0) / 2));
      return kron(id, pauli_rotation(-t(1), z)) * core * kron(id, pauli_rotation(t(1), z));
    }
    case GateKind::XXMinusYY: {
      // RZ_1(beta) exp(-i theta/2 (XX-YY)/2) RZ_1(-beta).
      const DenseMatrix gen = (kron(x, x) - kron(y, y)) * cdouble(0.5);
      const DenseMatrix core = expm(gen * cdouble(0.0, -t(0) / 2));
      return kron(pauli_rotation(t(1), z), id) * core * kron(pauli_rotation(-t(1), z), id);
    }
    case GateKind::RCCX: return rccx_from_qelib1();
    case GateKind::RC3X: return rc3x_from_qelib1();
    case GateKind::Unitary:
    case GateKind::Measure:
    case GateKind::Reset:
    case GateKind::Barrier: break;
  }
  throw std::invalid_argument("reference_target_matrix: no fixed matrix for " + std::string(gate_info(kind).name));
}

DenseMatrix reference_gate_matrix(GateKind kind, std::span<const double> params) {
  const GateInfo info = gate_info(kind);
  const DenseMatrix target = reference_target_matrix(kind, params);
  std::vector<Qubit> targets;
  for (int q = info.num_controls; q < info.num_qubits; ++q) targets.push_back(q);
  const Index controls = (Index{1} << info.num_controls) - 1;
  return embed(target, targets, std::max(info.num_qubits, 0), controls, controls);
}

// ---------------------------------------------------------------------------------------------
// Embedding and circuits

DenseMatrix embed(const DenseMatrix& target, std::span<const Qubit> targets, int n, Index cmask, Index cval) {
  const int k = static_cast<int>(targets.size());
  if (target.dim() != (Index{1} << k)) throw std::invalid_argument("embed: matrix size does not match the targets");
  Index tmask = 0;
  for (Qubit q : targets) {
    if (q < 0 || q >= n || (tmask & bit(q))) throw std::invalid_argument("embed: bad target qubit");
    tmask |= bit(q);
  }
  if ((cmask & tmask) != 0 || (cval & ~cmask) != 0 || (n < 64 && (cmask >> n) != 0))
    throw std::invalid_argument("embed: bad controls");
  const Index dim = Index{1} << n;
  DenseMatrix m(dim);
  for (Index j = 0; j < dim; ++j) {
    const bool active = (j & cmask) == cval;
    const Index tj = extract_bits(j, targets.data(), k);
    for (Index i = 0; i < dim; ++i) {
      if (((i ^ j) & ~tmask) != 0) continue;  // bits outside the targets must agree
      if (!active) {
        if (i == j) m(i, j) = 1.0;
        continue;
      }
      m(i, j) = target(extract_bits(i, targets.data(), k), tj);
    }
  }
  return m;
}

namespace {

// What an operation applies where: its target matrix, targets and full (mask, value) controls.
struct Resolved {
  DenseMatrix target;
  std::vector<Qubit> targets;
  Index cmask = 0;
  Index cval = 0;
  bool identity = false;  // barrier
};

Resolved resolve(const Operation& op, std::span<const double> theta, MatrixSource source) {
  if (op.kind == GateKind::Measure || op.kind == GateKind::Reset || op.condition)
    throw std::invalid_argument("reference: " + op.name() + " is not a unitary operation");
  Resolved r;
  if (op.kind == GateKind::Barrier) {
    r.identity = true;
    return r;
  }
  if (op.kind == GateKind::Unitary) {
    r.target = DenseMatrix::from_gate_matrix(*op.matrix);
    r.targets = op.qubits;
    r.cmask = op.control_mask;
    r.cval = op.control_values;
    return r;
  }
  std::vector<double> values;
  for (const Param& p : op.params) values.push_back(p.value(theta));
  r.target = source == MatrixSource::Reference ? reference_target_matrix(op.kind, values)
                                               : DenseMatrix::from_gate_matrix(target_matrix(op.kind, values));
  const auto nc = static_cast<std::size_t>(op.num_builtin_controls());
  r.cmask = op.control_mask;
  r.cval = op.control_values;
  for (std::size_t c = 0; c < nc; ++c) {
    r.cmask |= bit(op.qubits[c]);
    r.cval |= bit(op.qubits[c]);
  }
  r.targets.assign(op.qubits.begin() + static_cast<std::ptrdiff_t>(nc), op.qubits.end());
  return r;
}

}  // namespace

DenseMatrix operation_matrix(const Operation& op, int n, std::span<const double> theta, MatrixSource source) {
  const Resolved r = resolve(op, theta, source);
  if (r.identity) return DenseMatrix::identity(Index{1} << n);
  return embed(r.target, r.targets, n, r.cmask, r.cval);
}

std::vector<cdouble> apply_operation(const Operation& op, int n, std::span<const double> theta,
                                     std::span<const cdouble> state, MatrixSource source) {
  if (state.size() != (std::size_t{1} << n)) throw std::invalid_argument("apply_operation: state size mismatch");
  const Resolved r = resolve(op, theta, source);
  std::vector<cdouble> out(state.begin(), state.end());
  if (r.identity) return out;
  const int k = static_cast<int>(r.targets.size());
  const Index tmask = deposit_bits((Index{1} << k) - 1, r.targets.data(), k);
  for (Index i = 0; i < out.size(); ++i) {
    if ((i & r.cmask) != r.cval) continue;
    const Index row = extract_bits(i, r.targets.data(), k), base = i & ~tmask;
    cdouble acc = 0.0;
    for (Index c = 0; c < r.target.dim(); ++c) acc += r.target(row, c) * state[base | deposit_bits(c, r.targets.data(), k)];
    out[i] = acc;
  }
  return out;
}

std::vector<cdouble> apply_circuit_gather(const Circuit& circuit, std::span<const double> theta,
                                          std::span<const cdouble> state, MatrixSource source) {
  const int n = circuit.num_qubits();
  if (state.size() != (std::size_t{1} << n)) throw std::invalid_argument("apply_circuit_gather: state size mismatch");
  std::vector<cdouble> v(state.begin(), state.end());
  for (const Operation& op : circuit.operations()) v = apply_operation(op, n, theta, v, source);
  return v;
}

DenseMatrix circuit_matrix(const Circuit& circuit, std::span<const double> theta, MatrixSource source) {
  const int n = circuit.num_qubits();
  DenseMatrix u = DenseMatrix::identity(Index{1} << n);
  for (const Operation& op : circuit.operations()) u = operation_matrix(op, n, theta, source) * u;
  return u;
}

std::vector<cdouble> apply_circuit(const Circuit& circuit, std::span<const double> theta, std::span<const cdouble> state,
                                   MatrixSource source) {
  const int n = circuit.num_qubits();
  if (state.size() != (std::size_t{1} << n)) throw std::invalid_argument("apply_circuit: state size mismatch");
  std::vector<cdouble> v(state.begin(), state.end());
  for (const Operation& op : circuit.operations()) v = operation_matrix(op, n, theta, source).apply(v);
  return v;
}

DenseMatrix dense_observable(const Observable& h, int n) {
  const Index dim = Index{1} << n;
  DenseMatrix m(dim);
  if (const auto* p = std::get_if<PauliSum>(&h)) {
    for (const PauliString& t : p->terms()) {
      DenseMatrix term = DenseMatrix::identity(1);
      for (Qubit q = n - 1; q >= 0; --q) {
        const Pauli f = t.pauli(q);
        term = kron(term, f == Pauli::X   ? pauli_x()
                               : f == Pauli::Y ? pauli_y()
                               : f == Pauli::Z ? pauli_z()
                                               : pauli_i());
      }
      m = m + term * cdouble(t.coefficient());
    }
    return m;
  }
  const auto& d = std::get<DiagonalObservable>(h);
  for (Index i = 0; i < dim; ++i) {
    Index o = 0;
    for (std::size_t j = 0; j < d.qubits().size(); ++j) o |= ((i >> d.qubits()[j]) & 1U) << j;
    m(i, i) = d.values()[o];
  }
  return m;
}

}  // namespace qmlsim::testing

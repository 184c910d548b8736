// to_qasm3: writes a circuit as OpenQASM 3 that parse() reads back to an equivalent circuit.
//
// Each operation is spelt with the stdgates.inc gate of its kind where there is one (the parser
// reads each stdgates name as the Qiskit gate of that name, phase included: std_gates.hpp). Kinds
// without a stdgates name become `ctrl @` forms (csx, ccz, c3x, cu1, cu3, ...) or gate definitions
// written at the top (rxx, ryy, rzz, rzx, ecr, iswap, dcx, xx_plus_yy, xx_minus_yy, rccx, rc3x,
// and each user unitary, exactly decomposed). A 1-qubit user unitary is written as `U` and the
// global phase it has relative to Qiskit's U; global phases are summed and written once, at the
// end; controlled or conditioned ones are written where they occur.
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/qasm/expression.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/qasm.hpp"
#include "simulator/qasm/small_unitary.hpp"
#include "simulator/qasm/std_gates.hpp"

namespace qmlsim::qasm {
namespace {

using detail::PhaseSum;

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// A printed subexpression and how tightly it binds: 1 + -, 2 * /, 3 unary minus, 4 **, 5 atom.
struct Printed {
  std::string text;
  int precedence = 5;
  bool constant = false;
  double value = 0;
};

std::string wrapped(const Printed& p, bool wrap) { return wrap ? "(" + p.text + ")" : p.text; }

Printed binary_text(Expr::Op op, const Printed& a, const Printed& b) {
  using O = Expr::Op;
  if (op == O::Add && b.constant && b.value < 0) {  // a + (-c) -> a - c
    const Printed c{number(-b.value), 5, true, -b.value};
    return binary_text(O::Sub, a, c);
  }
  if (op == O::Mul && a.constant && a.value == -1.0) return {"-" + wrapped(b, b.precedence < 3), 3};
  const int prec = (op == O::Add || op == O::Sub) ? 1 : (op == O::Mul || op == O::Div) ? 2 : 4;
  const char* sym = op == O::Add ? " + " : op == O::Sub ? " - " : op == O::Mul ? " * " : op == O::Div ? " / " : " ** ";
  if (op == O::Pow) return {wrapped(a, a.precedence <= 4) + sym + wrapped(b, b.precedence < 3), 4};
  const bool wrap_right = b.precedence < prec || (b.precedence == prec && (op == O::Sub || op == O::Div));
  return {wrapped(a, a.precedence < prec) + sym + wrapped(b, wrap_right), prec};
}

/// OpenQASM 3 text of an expression, with the parentheses its precedence needs.
std::string expr_text(const Expr& e, std::span<const std::string> names) {
  std::vector<Printed> stack;
  for (const Expr::Instr& in : e.code()) {
    using O = Expr::Op;
    switch (in.op) {
      case O::Constant:
        stack.push_back({in.value < 0 ? "-" + number(-in.value) : number(in.value), in.value < 0 ? 3 : 5, true, in.value});
        break;
      case O::Parameter: stack.push_back({names[static_cast<std::size_t>(in.index)], 5}); break;
      case O::Add:
      case O::Sub:
      case O::Mul:
      case O::Div:
      case O::Pow: {
        const Printed b = std::move(stack.back());
        stack.pop_back();
        stack.back() = binary_text(in.op, stack.back(), b);
        break;
      }
      case O::Neg: stack.back() = {"-" + wrapped(stack.back(), stack.back().precedence < 3), 3}; break;
      default: {
        static constexpr const char* kFn[] = {"sin", "cos", "tan", "exp", "log", "sqrt", "arcsin", "arccos", "arctan"};
        stack.back() = {std::string(kFn[static_cast<int>(in.op) - static_cast<int>(O::Sin)]) + "(" + stack.back().text + ")", 5};
      }
    }
  }
  return stack.back().text;
}

std::string param_text(const Param& p, std::span<const std::string> names) {
  if (p.is_constant()) return number(p.offset());
  return expr_text(p.to_expr(), names);
}

std::string phase_text(const PhaseSum& s, std::span<const std::string> names) { return param_text(s.to_param(), names); }

/// How one operation is written: modifiers, gate name, parameters, and the global phase the
/// written gate lacks (relative to the operation) that must be added.
struct Spelling {
  std::string modifiers;  // e.g. "ctrl @ " for csx
  std::string name;
  std::vector<std::string> params;
  double phase = 0.0;  // operation = e^{i phase} (written gate)
};

/// Names used while writing one scope (the program, or a gate definition's body).
struct Scope {
  std::vector<std::string> qubits;  // text of each qubit
  std::vector<std::string> params;  // parameter names
};

/// Gate definitions that are written at the top of the file when used.
struct Helper {
  std::string name;
  std::vector<std::string> params;
  int num_qubits;
  Circuit body;  // on local qubits, parameters = the gate's parameters
};

Circuit helper_body(GateKind kind) {
  using K = GateKind;
  const Param theta = Param::parameter(0), half = Param::parameter(0, 0.5), neg_half = Param::parameter(0, -0.5);
  auto zz = [](Circuit& c, const Param& t) { c.cx(0, 1).rz(t, 1).cx(0, 1); };
  auto xx = [&](Circuit& c, const Param& t) {
    c.h(0).h(1);
    zz(c, t);
    c.h(0).h(1);
  };
  auto yy = [&](Circuit& c, const Param& t) {
    c.sdg(0).sdg(1).h(0).h(1);
    zz(c, t);
    c.h(0).h(1).s(0).s(1);
  };
  auto u2pi = [](Circuit& c, Qubit q) { c.gate(K::U2, {q}, {Param(0.0), Param(kPi)}); };
  auto u1 = [](Circuit& c, double a, Qubit q) { c.gate(K::U1, {q}, {Param(a)}); };
  switch (kind) {
    case K::RZZ: {
      Circuit c(2);
      zz(c, theta);
      return c;
    }
    case K::RXX: {
      Circuit c(2);
      xx(c, theta);
      return c;
    }
    case K::RYY: {
      Circuit c(2);
      yy(c, theta);
      return c;
    }
    case K::RZX: {
      Circuit c(2);
      c.h(1);
      zz(c, theta);
      c.h(1);
      return c;
    }
    case K::ECR: {
      Circuit c(2);
      c.h(1);
      zz(c, Param(kPi / 4));
      c.h(1).x(0).h(1);
      zz(c, Param(-kPi / 4));
      c.h(1);
      return c;
    }
    case K::ISwap: {
      Circuit c(2);
      c.s(0).s(1).h(0).cx(0, 1).cx(1, 0).h(1);
      return c;
    }
    case K::DCX: {
      Circuit c(2);
      c.cx(0, 1).cx(1, 0);
      return c;
    }
    case K::XXPlusYY: {
      // RZ(-beta)_0 exp(-i theta/4 (XX + YY)) RZ(beta)_0, and XX, YY commute.
      Circuit c(2);
      c.rz(Param::parameter(1), 0);
      xx(c, half);
      yy(c, half);
      c.rz(Param::parameter(1, -1.0), 0);
      return c;
    }
    case K::XXMinusYY: {
      // RZ(beta)_1 exp(-i theta/4 (XX - YY)) RZ(-beta)_1.
      Circuit c(2);
      c.rz(Param::parameter(1, -1.0), 1);
      xx(c, half);
      yy(c, neg_half);
      c.rz(Param::parameter(1), 1);
      return c;
    }
    case K::RCCX: {
      Circuit c(3);
      u2pi(c, 2);
      u1(c, kPi / 4, 2);
      c.cx(1, 2);
      u1(c, -kPi / 4, 2);
      c.cx(0, 2);
      u1(c, kPi / 4, 2);
      c.cx(1, 2);
      u1(c, -kPi / 4, 2);
      u2pi(c, 2);
      return c;
    }
    case K::RC3X: {
      Circuit c(4);
      u2pi(c, 3);
      u1(c, kPi / 4, 3);
      c.cx(2, 3);
      u1(c, -kPi / 4, 3);
      u2pi(c, 3);
      c.cx(0, 3);
      u1(c, kPi / 4, 3);
      c.cx(1, 3);
      u1(c, -kPi / 4, 3);
      c.cx(0, 3);
      u1(c, kPi / 4, 3);
      c.cx(1, 3);
      u1(c, -kPi / 4, 3);
      u2pi(c, 3);
      u1(c, kPi / 4, 3);
      c.cx(2, 3);
      u1(c, -kPi / 4, 3);
      u2pi(c, 3);
      return c;
    }
    default: throw InvalidArgument("to_qasm3: no definition for " + std::string(gate_info(kind).name));
  }
}

/// The fixed kinds' definitions are exact up to a global phase; this is it (e^{i alpha} body = kind).
double helper_phase(GateKind kind, const Circuit& body) {
  if (gate_info(kind).num_params > 0) return 0.0;  // the parametric ones are exact by construction
  std::vector<Qubit> qubits;
  for (Qubit q = 0; q < body.num_qubits(); ++q) qubits.push_back(q);
  const GateMatrix d = detail::operations_matrix(body.operations(), qubits);
  const GateMatrix k = target_matrix(kind);
  cdouble overlap = 0;
  for (std::size_t i = 0; i < k.data.size(); ++i) overlap += std::conj(d.data[i]) * k.data[i];
  return std::arg(overlap);
}

/// u = (product of the returned operations, in order) for a k-qubit unitary: two-level rotations
/// between Gray-code neighbours (which differ in one bit, so each is a 1-qubit unitary with the
/// other qubits as controls and negative controls) and a diagonal of controlled phases.
std::vector<Operation> decompose_unitary(const GateMatrix& u) {
  const int k = u.num_qubits;
  const Index dim = u.dim();
  GateMatrix w = u;
  auto gray = [](Index i) { return i ^ (i >> 1); };
  struct Rotation {
    Index p, q;
    cdouble g00, g01, g10, g11;
  };
  std::vector<Rotation> rotations;
  for (Index c = 0; c + 1 < dim; ++c) {
    const Index col = gray(c);
    for (Index r = dim - 1; r > c; --r) {
      const Index p = gray(r - 1), q = gray(r);
      const cdouble a = w(p, col), b = w(q, col);
      if (std::abs(b) < 1e-300) continue;
      const double n = std::sqrt(std::norm(a) + std::norm(b));
      const Rotation g{p, q, std::conj(a) / n, std::conj(b) / n, -b / n, a / n};
      for (Index j = 0; j < dim; ++j) {
        const cdouble x = w(p, j), y = w(q, j);
        w(p, j) = g.g00 * x + g.g01 * y;
        w(q, j) = g.g10 * x + g.g11 * y;
      }
      rotations.push_back(g);
    }
  }
  const Index all = (Index{1} << k) - 1;
  std::vector<Operation> ops;
  for (Index i = 0; i < dim; ++i) {
    const double delta = std::arg(w(i, i));
    if (delta == 0.0) continue;
    Operation phase = detail::make_phase(PhaseSum::from_constant(delta));
    phase.control_mask = all;
    phase.control_values = i;
    ops.push_back(std::move(phase));
  }
  // u = G_1^dagger ... G_m^dagger D: after D, apply G_m^dagger first.
  for (auto it = rotations.rbegin(); it != rotations.rend(); ++it) {
    const Index diff = it->p ^ it->q;
    const int b = std::countr_zero(diff);
    const bool p_low = (it->p & diff) == 0;  // p has the bit clear: it is basis state 0 of qubit b
    GateMatrix m = GateMatrix::identity(1);
    // G^dagger on (p, q), then ordered by the value of bit b.
    const cdouble h00 = std::conj(it->g00), h01 = std::conj(it->g10), h10 = std::conj(it->g01), h11 = std::conj(it->g11);
    m(0, 0) = p_low ? h00 : h11;
    m(0, 1) = p_low ? h01 : h10;
    m(1, 0) = p_low ? h10 : h01;
    m(1, 1) = p_low ? h11 : h00;
    Operation op;
    op.kind = GateKind::Unitary;
    op.qubits = {b};
    op.matrix = std::make_shared<const GateMatrix>(m);
    op.control_mask = all & ~diff;
    op.control_values = it->p & op.control_mask;
    ops.push_back(std::move(op));
  }
  return ops;
}

/// A phase statement being collected (see Writer::add_phase).
struct PendingPhase {
  std::string prefix;  // "if (...) " or empty
  Index mask = 0, values = 0;
  PhaseSum sum;
};

class Writer {
 public:
  explicit Writer(const Program& program) : program_(program), circuit_(program.circuit) {}

  std::string run() {
    name_parameters();
    name_registers();
    std::string body;
    PhaseSum global;
    for (const Operation& op : circuit_.operations()) write_operation(op, top_, body, global, true);
    flush(body);
    if (!global.is_zero()) body += "gphase(" + phase_text(global, top_.params) + ");\n";
    std::string out = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n";
    out += definitions_;
    for (std::size_t i = 0; i < top_.params.size(); ++i) out += "input float[64] " + top_.params[i] + ";\n";
    for (const Register& r : qregs_) out += "qubit[" + std::to_string(r.size) + "] " + r.name + ";\n";
    for (const Register& r : cregs_) out += "bit[" + std::to_string(r.size) + "] " + r.name + ";\n";
    return out + body;
  }

 private:
  // ---- names --------------------------------------------------------------------------------
  bool usable(const std::string& name) {
    return detail::is_valid_identifier(name) && used_names_.insert(name).second;
  }

  /// The program's registers if they are usable (valid distinct names, covering every bit in
  /// order), else one register named `fallback`.
  std::vector<Register> registers(const std::vector<Register>& given, int count, const char* fallback) {
    bool ok = true;
    int next = 0;
    std::set<std::string> names;
    for (const Register& r : given) {
      ok = ok && r.offset == next && r.size > 0 && detail::is_valid_identifier(r.name) && !used_names_.count(r.name) &&
           names.insert(r.name).second;
      next += r.size;
    }
    if (ok && next == count) {
      used_names_.insert(names.begin(), names.end());
      return given;
    }
    if (count == 0) return {};
    std::string name = fallback;
    while (!usable(name)) name += "_";
    return {Register{name, 0, count}};
  }

  void name_registers() {
    qregs_ = registers(program_.qregs, circuit_.num_qubits(), "q");
    cregs_ = registers(program_.cregs, circuit_.num_clbits(), "c");
    for (const Register& r : qregs_)
      for (int i = 0; i < r.size; ++i) top_.qubits.push_back(r.name + "[" + std::to_string(i) + "]");
  }

  void name_parameters() {
    const std::vector<std::string>& given = circuit_.parameter_names();
    for (int i = 0; i < circuit_.num_parameters(); ++i) {
      std::string name = static_cast<std::size_t>(i) < given.size() ? given[static_cast<std::size_t>(i)] : "";
      if (!usable(name)) {
        name = "theta_" + std::to_string(i);
        while (!usable(name)) name += "_";
      }
      top_.params.push_back(name);
    }
  }

  std::string condition_text(const Condition& c) const {
    for (const Register& r : cregs_) {
      if (c.first_clbit < r.offset || c.first_clbit + c.width > r.offset + r.size) continue;
      std::string bits = r.name;
      const int first = c.first_clbit - r.offset, last = first + c.width - 1;
      if (c.width != r.size) bits += c.width == 1 ? "[" + std::to_string(first) + "]" : "[" + std::to_string(first) + ":" + std::to_string(last) + "]";
      return "if (" + bits + " == " + std::to_string(c.value) + ") ";
    }
    throw InvalidArgument("to_qasm3: a condition on classical bits " +
                          half_open_range(c.first_clbit, std::int64_t{c.first_clbit} + c.width) +
                          " spans several registers");
  }

  std::string clbit_text(int b) const {
    for (const Register& r : cregs_)
      if (b >= r.offset && b < r.offset + r.size) return r.name + "[" + std::to_string(b - r.offset) + "]";
    throw InvalidArgument("to_qasm3: classical bit " + std::to_string(b) + " has no register");
  }

  // ---- helper definitions ------------------------------------------------------------------
  /// Writing a definition changes the current scope: put it back afterwards.
  struct KeepScope {
    explicit KeepScope(Writer& w) : writer(w), names(w.names_), indent(w.indent_), pending(std::move(w.pending_)) {
      w.pending_.reset();
    }
    ~KeepScope() {
      writer.names_ = names;
      writer.indent_ = indent;
      writer.pending_ = std::move(pending);
    }
    KeepScope(const KeepScope&) = delete;
    KeepScope& operator=(const KeepScope&) = delete;
    Writer& writer;
    const Scope* names;
    std::string indent;
    std::optional<PendingPhase> pending;
  };

  std::string helper_name(GateKind kind) {
    const KeepScope keep(*this);
    const std::string name(gate_info(kind).name);
    if (defined_.insert(name).second) {
      const Circuit body = helper_body(kind);
      std::vector<std::string> params;
      if (gate_info(kind).num_params >= 1) params.push_back("theta");
      if (gate_info(kind).num_params >= 2) params.push_back("beta");
      define(name, params, body, helper_phase(kind, body));
    }
    return name;
  }

  std::string unitary_name(const GateMatrix& m) {
    const KeepScope keep(*this);
    std::string name = "unitary_" + std::to_string(unitary_count_++);
    Circuit body(m.num_qubits);
    for (Operation& op : decompose_unitary(m)) body.append(std::move(op));
    define(name, {}, body, 0.0);
    return name;
  }

  void define(const std::string& name, const std::vector<std::string>& params, const Circuit& body, double phase) {
    Scope scope;
    for (int q = 0; q < body.num_qubits(); ++q) scope.qubits.push_back("q" + std::to_string(q));
    scope.params = params;
    std::string text;
    PhaseSum global = PhaseSum::from_constant(phase);
    for (const Operation& op : body.operations()) write_operation(op, scope, text, global, false);
    flush(text);
    if (!global.is_zero()) text += "  gphase(" + phase_text(global, scope.params) + ");\n";
    std::string head = "gate " + name;
    if (!params.empty()) {
      head += "(";
      for (std::size_t i = 0; i < params.size(); ++i) head += (i ? ", " : "") + params[i];
      head += ")";
    }
    for (std::size_t q = 0; q < scope.qubits.size(); ++q) head += (q ? ", " : " ") + scope.qubits[q];
    definitions_ += head + " {\n" + text + "}\n";
  }

  // ---- operations ---------------------------------------------------------------------------
  Spelling spell(const Operation& op) {
    using K = GateKind;
    Spelling s;
    const auto& p = op.params;
    auto named = [&](const char* name, std::initializer_list<int> params = {}) {
      s.name = name;
      for (int i : params) s.params.push_back(param_text(p[static_cast<std::size_t>(i)], names_->params));
    };
    switch (op.kind) {
      case K::I:
      case K::U0: named("id"); break;
      case K::X: named("x"); break;
      case K::Y: named("y"); break;
      case K::Z: named("z"); break;
      case K::S: named("s"); break;
      case K::Sdg: named("sdg"); break;
      case K::T: named("t"); break;
      case K::Tdg: named("tdg"); break;
      case K::SX: named("sx"); break;
      case K::SXdg:
        s.modifiers = "inv @ ";
        named("sx");
        break;
      case K::H: named("h"); break;
      case K::RX: named("rx", {0}); break;
      case K::RY: named("ry", {0}); break;
      case K::RZ: named("rz", {0}); break;
      case K::P: named("p", {0}); break;
      case K::U1: named("u1", {0}); break;
      case K::U2: named("u2", {0, 1}); break;
      case K::U3: named("u3", {0, 1, 2}); break;
      case K::U: named("U", {0, 1, 2}); break;
      case K::CX: named("cx"); break;
      case K::CY: named("cy"); break;
      case K::CZ: named("cz"); break;
      case K::CP: named("cp", {0}); break;
      case K::Swap: named("swap"); break;
      case K::CCX: named("ccx"); break;
      case K::CSwap: named("cswap"); break;
      case K::CH: named("ch"); break;
      case K::CRX: named("crx", {0}); break;
      case K::CRY: named("cry", {0}); break;
      case K::CRZ: named("crz", {0}); break;
      case K::CU1:
        s.modifiers = "ctrl @ ";
        named("u1", {0});
        break;
      case K::CU3:
        s.modifiers = "ctrl @ ";
        named("u3", {0, 1, 2});
        break;
      case K::CU: named("cu", {0, 1, 2, 3}); break;
      case K::CSX:
        s.modifiers = "ctrl @ ";
        named("sx");
        break;
      case K::CCZ:
        s.modifiers = "ctrl(2) @ ";
        named("z");
        break;
      case K::C3X:
        s.modifiers = "ctrl(3) @ ";
        named("x");
        break;
      case K::C4X:
        s.modifiers = "ctrl(4) @ ";
        named("x");
        break;
      case K::C3SX:
        s.modifiers = "ctrl(3) @ ";
        named("sx");
        break;
      case K::RXX:
      case K::RYY:
      case K::RZZ:
      case K::RZX:
      case K::XXPlusYY:
      case K::XXMinusYY:
      case K::ECR:
      case K::ISwap:
      case K::DCX:
      case K::RCCX:
      case K::RC3X: {
        s.name = helper_name(op.kind);
        for (const Param& q : p) s.params.push_back(param_text(q, names_->params));
        break;
      }
      case K::Unitary: {
        if (op.matrix->num_qubits == 1) {
          // op = e^{i alpha} U(theta, phi, lambda), Qiskit's U (which OpenQASM 3's U is).
          const detail::ZyzAngles z = detail::zyz_decompose(*op.matrix);
          s.name = "U";
          s.params = {number(z.theta), number(z.phi), number(z.lambda)};
          s.phase = z.alpha;
        } else {
          s.name = unitary_name(*op.matrix);
        }
        break;
      }
      case K::GPhase:
      case K::Measure:
      case K::Reset:
      case K::Barrier: break;  // written by write_operation
    }
    return s;
  }

  /// "ctrl @ negctrl @ " for the extra controls of `mask`, and their operands.
  std::pair<std::string, std::vector<std::string>> controls(Index mask, Index values) const {
    std::string mods;
    std::vector<std::string> operands;
    for (Qubit q = 0; q < 64; ++q) {
      if (!(mask >> q & 1)) continue;
      mods += (values >> q & 1) ? "ctrl @ " : "negctrl @ ";
      operands.push_back(names_->qubits[static_cast<std::size_t>(q)]);
    }
    return {mods, operands};
  }

  static std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
    return out;
  }

  /// Adds `phase` (times `sign`) to the phase statement being collected for these controls and
  /// condition; consecutive ones are written as one (the parser merges them all the same).
  void add_phase(const PhaseSum& phase, double sign, const std::string& prefix, Index mask, Index values,
                 std::string& out, PhaseSum& global) {
    if (mask == 0 && prefix.empty()) {
      global.add(phase, sign);
      return;
    }
    if (pending_ && (pending_->prefix != prefix || pending_->mask != mask || pending_->values != values)) flush(out);
    if (!pending_) pending_ = PendingPhase{prefix, mask, values, {}};
    pending_->sum.add(phase, sign);
  }

  /// Writes the collected phase statement: `prefix [modifiers] gphase(phase) controls;`.
  void flush(std::string& out) {
    if (!pending_) return;
    const PendingPhase p = std::move(*pending_);
    pending_.reset();
    if (p.sum.is_zero()) return;
    const auto [mods, operands] = controls(p.mask, p.values);
    out += indent_ + p.prefix + mods + "gphase(" + phase_text(p.sum, names_->params) + ")";
    out += operands.empty() ? ";\n" : " " + join(operands) + ";\n";
  }

  void write_operation(const Operation& op, const Scope& scope, std::string& out, PhaseSum& global, bool top) {
    names_ = &scope;
    indent_ = top ? "" : "  ";
    const std::string prefix = op.condition ? condition_text(*op.condition) : "";
    if (op.kind != GateKind::GPhase) flush(out);
    std::vector<std::string> qubits;
    for (Qubit q : op.qubits) qubits.push_back(scope.qubits[static_cast<std::size_t>(q)]);
    switch (op.kind) {
      case GateKind::Measure: out += indent_ + prefix + clbit_text(op.clbit) + " = measure " + qubits[0] + ";\n"; return;
      case GateKind::Reset: out += indent_ + prefix + "reset " + qubits[0] + ";\n"; return;
      case GateKind::Barrier: out += indent_ + prefix + "barrier " + join(qubits) + ";\n"; return;
      case GateKind::GPhase:
        add_phase(PhaseSum::from_term(op.params[0], 1.0), 1.0, prefix, op.control_mask, op.control_values, out, global);
        return;
      default: break;
    }
    const Spelling s = spell(op);
    const auto [mods, operands] = controls(op.control_mask, op.control_values);
    std::vector<std::string> all = operands;
    all.insert(all.end(), qubits.begin(), qubits.end());
    std::string line = indent_ + prefix + mods + s.modifiers + s.name;
    if (!s.params.empty()) line += "(" + join(s.params) + ")";
    out += line + " " + join(all) + ";\n";
    // The phase the written gate lacks (1-qubit unitaries written as U).
    if (s.phase != 0.0)
      add_phase(PhaseSum::from_constant(s.phase), 1.0, prefix, op.control_mask, op.control_values, out, global);
  }

  std::optional<PendingPhase> pending_;
  const Program& program_;
  const Circuit& circuit_;
  std::vector<Register> qregs_, cregs_;
  std::set<std::string> used_names_;
  Scope top_;
  const Scope* names_ = nullptr;
  std::string indent_;
  std::set<std::string> defined_;
  std::string definitions_;
  int unitary_count_ = 0;
};

}  // namespace

std::string to_qasm3(const Program& program) { return Writer(program).run(); }

}  // namespace qmlsim::qasm

#include "simulator/qasm/lowering.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <span>
#include <string>
#include <unordered_map>

#include "simulator/circuit/circuit.hpp"
#include "simulator/core/bits.hpp"
#include "simulator/core/validate.hpp"
#include "simulator/qasm/emitter.hpp"
#include "simulator/qasm/expression.hpp"
#include "simulator/qasm/parser.hpp"
#include "simulator/qasm/small_unitary.hpp"
#include "simulator/qasm/std_gates.hpp"

namespace qmlsim::qasm::detail {
namespace {

constexpr double kEuler = 2.71828182845904523536;

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string where(Location loc) {
  if (!loc.file) return "built in";
  return "line " + std::to_string(loc.file->line_of(loc.offset));
}

/// A modifier with its count evaluated (ctrl / negctrl); pow's exponent is evaluated when applied.
struct ModifierSpec {
  Modifier::Kind kind = Modifier::Kind::Inv;
  int count = 1;
  const ExprNode* exponent = nullptr;
  Location loc;
};

struct GateEntry;

/// One statement of a user gate's body, resolved when the gate is defined.
struct BodyStatement {
  const GateCall* call = nullptr;  // null for a barrier
  const GateEntry* gate = nullptr;
  std::vector<ModifierSpec> modifiers;
  std::vector<int> operands;  // indices into the definition's qubits
};

struct GateEntry {
  enum class Kind : std::uint8_t { Qiskit, GPhase, User, Opaque };
  Kind kind = Kind::Qiskit;
  std::string_view name;
  int num_params = 0;
  int num_qubits = 0;
  GateKind qiskit = GateKind::I;
  const GateDef* def = nullptr;
  std::vector<BodyStatement> body;
  bool broken = false;  // its definition had errors (already reported): applying it does nothing
  const char* origin = "built in";
};

struct Symbol {
  enum class Kind : std::uint8_t { QReg, CReg, Const, Input };
  Kind kind = Kind::QReg;
  int offset = 0;
  int size = 0;
  bool scalar = false;
  Value value;
  Location decl;
};

/// Qubits (or clbits) an operand names: start, start + step, ... (count of them), and whether
/// it named a whole register or a slice (broadcast).
struct Resolved {
  int start = 0;
  int step = 1;
  int count = 0;
  bool whole = false;
  Location loc;
  std::string_view name;
  [[nodiscard]] int at(int j) const noexcept { return start + j * step; }
};

class Lowerer final : public LoweringImpl {
 public:
  Lowerer(int version, const Options& options, Diagnostics& diags)
      : options_(options), diags_(diags), version_(version), emitter_(options.max_operations) {
    // U is Qiskit's U in both versions (OpenQASM 3's included: see std_gates.hpp).
    add_builtin("U", GateEntry::Kind::Qiskit, GateKind::U, 3, 1);
    if (version_ < 3) {
      add_builtin("CX", GateEntry::Kind::Qiskit, GateKind::CX, 0, 2);
    } else {
      add_builtin("gphase", GateEntry::Kind::GPhase, GateKind::GPhase, 1, 0);
    }
  }

  /// Lowers one top-level statement, unless a syntax error has been reported.
  void statement(Statement&& s) override {
    if (stopped_ || diags_.size() > own_errors_) {
      stopped_ = true;
      return;
    }
    try {
      if (auto* def = std::get_if<GateDef>(&s.node)) {
        definitions_.push_back(std::move(*def));  // kept: the gate table points into it
        define_gate(definitions_.back());
      } else {
        top_level(s);
      }
    } catch (const SourceError& e) {
      report(e.loc, e.message);
    }
  }

  Program finish(Location end) override {
    Program program;
    program.version = version_;
    program.qregs = qregs_;
    program.cregs = cregs_;
    program.inputs = inputs_;
    if (!diags_.empty() || stopped_) return program;
    if (num_qubits_ == 0) {
      report(end, "the program declares no qubits (expected a qreg or qubit declaration)");
      return program;
    }
    try {
      program.circuit = emitter_.finish(end);
      program.circuit.set_parameter_names(inputs_);
    } catch (const SourceError& e) {
      report(e.loc, e.message);
    }
    return program;
  }

 private:
  // ---- scopes -------------------------------------------------------------------------------
  const Value* builtin_constant(std::string_view name) const noexcept {
    if (name == "pi") return &pi_;
    if (version_ < 3) return nullptr;
    if (name == "\xCF\x80") return &pi_;
    if (name == "tau" || name == "\xCF\x84") return &tau_;
    if (name == "euler" || name == "\xE2\x84\x87") return &euler_;
    return nullptr;
  }
  void builtin_names(std::vector<std::string_view>& out) const {
    out.push_back("pi");
    if (version_ >= 3) out.insert(out.end(), {"tau", "euler"});
  }

  /// Program-level values: constants, inputs (as parameters), pi & co.
  class TopScope : public Scope {
   public:
    TopScope(const Lowerer& l, bool allow_inputs) : l_(l), allow_inputs_(allow_inputs) {}
    const Value* find(std::string_view name, Location at) const override {
      if (const auto it = l_.symbols_.find(name); it != l_.symbols_.end()) {
        const Symbol& s = it->second;
        if (s.kind == Symbol::Kind::Const) return &s.value;
        if (s.kind == Symbol::Kind::Input) {
          if (!allow_inputs_) throw SourceError{at, "input " + in_quotes(name) + " is not a constant; a constant is needed here"};
          return &s.value;
        }
        throw SourceError{at, in_quotes(name) + " is a register, not a value"};
      }
      return l_.builtin_constant(name);
    }
    void candidates(std::vector<std::string_view>& out) const override {
      for (const auto& [name, s] : l_.symbols_)
        if (s.kind == Symbol::Kind::Const || (allow_inputs_ && s.kind == Symbol::Kind::Input)) out.push_back(name);
      l_.builtin_names(out);
    }

   private:
    const Lowerer& l_;
    bool allow_inputs_;
  };

  /// Inside a gate body: the gate's parameters, then program constants (not inputs).
  class BodyScope : public Scope {
   public:
    BodyScope(const Lowerer& l, const GateDef& def, std::span<const Value> params) : l_(l), def_(def), params_(params) {}
    const Value* find(std::string_view name, Location at) const override {
      for (std::size_t i = 0; i < def_.params.size(); ++i)
        if (def_.params[i].name == name) return &params_[i];
      if (const auto it = l_.symbols_.find(name); it != l_.symbols_.end() && it->second.kind == Symbol::Kind::Input)
        throw SourceError{at, "input " + in_quotes(name) + " cannot be used inside gate " + in_quotes(def_.name.name) +
                                  "; pass it as a parameter"};
      return TopScope(l_, false).find(name, at);
    }
    void candidates(std::vector<std::string_view>& out) const override {
      for (const Identifier& p : def_.params) out.push_back(p.name);
      TopScope(l_, false).candidates(out);
    }

   private:
    const Lowerer& l_;
    const GateDef& def_;
    std::span<const Value> params_;
  };

  // ---- declarations -------------------------------------------------------------------------
  void add_builtin(std::string_view name, GateEntry::Kind kind, GateKind qiskit, int num_params, int num_qubits) {
    GateEntry& e = store_.emplace_back();
    e.kind = kind;
    e.name = name;
    e.qiskit = qiskit;
    e.num_params = num_params;
    e.num_qubits = num_qubits;
    gates_[name] = &e;
  }

  void declare_gate_name(const Identifier& name, const char* what) {
    if (const auto it = gates_.find(name.name); it != gates_.end()) {
      const GateEntry& old = *it->second;
      const std::string at = old.def ? "at " + where(old.def->loc) : std::string("by ") + old.origin;
      throw SourceError{name.loc, std::string(what) + " " + in_quotes(name.name) + " is already defined (" + at + ")"};
    }
  }

  void include_library(const BuiltinInclude& inc) {
    const auto library = static_cast<int>(inc.library);
    if (included_[library]) return;  // a second include of the same library adds nothing
    included_[library] = true;
    // Each name means the GateKind with Qiskit's matrix (std_gates.hpp).
    auto add = [&](std::string_view name, GateKind kind, const char* origin) {
      const GateInfo info = gate_info(kind);
      declare_gate_name({name, inc.loc}, "gate");
      GateEntry& e = store_.emplace_back();
      e.kind = GateEntry::Kind::Qiskit;
      e.name = name;
      e.qiskit = kind;
      e.num_params = info.num_params;
      e.num_qubits = info.num_qubits;
      e.origin = origin;
      gates_[e.name] = &e;
    };
    if (inc.library == BuiltinInclude::Library::Qelib1) {
      for (GateKind kind : qelib1_gates()) add(gate_info(kind).name, kind, "qelib1.inc");
    } else {
      for (const StdGateInfo& g : std_gates()) add(g.name, g.kind, "stdgates.inc");
    }
  }

  void declare_symbol(const Identifier& name, Symbol symbol) {
    if (const auto it = symbols_.find(name.name); it != symbols_.end())
      throw SourceError{name.loc, in_quotes(name.name) + " is already declared (at " + where(it->second.decl) + ")"};
    if (builtin_constant(name.name)) throw SourceError{name.loc, in_quotes(name.name) + " is a built-in constant"};
    symbol.decl = name.loc;
    symbols_.emplace(name.name, std::move(symbol));
    emitter_.set_sizes(num_qubits_, num_clbits_);
  }

  int constant_int(const ExprNode& node, const char* what) const {
    const Value v = evaluate(node, TopScope(*this, false));
    if (v.kind != Value::Kind::Int) throw SourceError{node.loc, std::string(what) + " must be an integer"};
    if (std::abs(v.number) > 2147483647.0) throw SourceError{node.loc, std::string(what) + " " + format_number(v.number) + " is too large"};
    return static_cast<int>(v.number);
  }

  void declare_register(const RegisterDecl& decl) {
    int size = 1;
    if (decl.size) {
      size = constant_int(*decl.size, "a register size");
      if (size < 1) throw SourceError{decl.size->loc, "register size must be at least 1, found " + std::to_string(size)};
    }
    std::vector<Register>& regs = decl.quantum ? qregs_ : cregs_;
    int& total = decl.quantum ? num_qubits_ : num_clbits_;
    const int limit = decl.quantum ? kMaxQubits : (1 << 20);
    if (size > limit - total)
      throw SourceError{decl.name.loc, std::string("too many ") + (decl.quantum ? "qubits" : "classical bits") + ": " +
                                           in_quotes(decl.name.name) + " brings the total to " +
                                           std::to_string(static_cast<long long>(total) + size) + ", at most " +
                                           std::to_string(limit) + " are supported"};
    Symbol s;
    s.kind = decl.quantum ? Symbol::Kind::QReg : Symbol::Kind::CReg;
    s.offset = total;
    s.size = size;
    s.scalar = decl.scalar;
    declare_symbol(decl.name, s);
    regs.push_back({std::string(decl.name.name), total, size});
    total += size;
    emitter_.set_sizes(num_qubits_, num_clbits_);
  }

  void declare_input(const InputDecl& decl) {
    Symbol s;
    s.kind = Symbol::Kind::Input;
    s.value = Value::parameter(static_cast<int>(inputs_.size()));
    declare_symbol(decl.name, s);
    inputs_.emplace_back(decl.name.name);
  }

  void declare_const(const ConstDecl& decl) {
    Value v = evaluate(*decl.value, TopScope(*this, true));
    if (!v.is_constant())
      throw SourceError{decl.value->loc, "the value of const " + in_quotes(decl.name.name) + " depends on an input; it must be a constant"};
    if (decl.type == ConstDecl::Type::Int || decl.type == ConstDecl::Type::Uint) {
      if (v.number != std::floor(v.number))
        throw SourceError{decl.value->loc, "const " + in_quotes(decl.name.name) + " is an integer but its value is not"};
      if (decl.type == ConstDecl::Type::Uint && v.number < 0)
        throw SourceError{decl.value->loc, "const " + in_quotes(decl.name.name) + " is unsigned but its value is negative"};
      v = Value::integer(v.number);
    } else {
      v = Value::real(v.number);
    }
    Symbol s;
    s.kind = Symbol::Kind::Const;
    s.value = v;
    declare_symbol(decl.name, s);
  }

  // ---- gate definitions ----------------------------------------------------------------------
  const GateEntry& find_gate(const Identifier& name) const {
    if (const auto it = gates_.find(name.name); it != gates_.end()) return *it->second;
    std::string message = "unknown gate " + in_quotes(name.name);
    const bool in_qelib1 = std::any_of(qelib1_gates().begin(), qelib1_gates().end(),
                                       [&](GateKind k) { return gate_info(k).name == name.name; });
    const bool in_std = std::any_of(std_gates().begin(), std_gates().end(), [&](const StdGateInfo& g) { return g.name == name.name; });
    if (version_ < 3 && in_qelib1 && !included_[0]) {
      message += " (it is defined in qelib1.inc: add 'include \"qelib1.inc\";')";
    } else if (version_ >= 3 && in_std && !included_[1]) {
      message += " (it is defined in stdgates.inc: add 'include \"stdgates.inc\";')";
    } else {
      std::vector<std::string_view> names;
      for (const auto& [n, g] : gates_) names.push_back(n);
      if (auto guess = closest_name(name.name, names)) message += "; did you mean " + in_quotes(*guess) + "?";
    }
    throw SourceError{name.loc, message};
  }

  std::vector<ModifierSpec> modifier_specs(const GateCall& call) const {
    std::vector<ModifierSpec> specs;
    for (const Modifier& m : call.modifiers) {
      ModifierSpec s;
      s.kind = m.kind;
      s.loc = m.loc;
      if (m.kind == Modifier::Kind::Pow) s.exponent = m.arg.get();
      if ((m.kind == Modifier::Kind::Ctrl || m.kind == Modifier::Kind::NegCtrl) && m.arg) {
        s.count = constant_int(*m.arg, "the number of controls");
        if (s.count < 1) throw SourceError{m.arg->loc, "the number of controls must be at least 1, found " + std::to_string(s.count)};
      }
      specs.push_back(s);
    }
    return specs;
  }

  static std::size_t control_count(const std::vector<ModifierSpec>& specs) {
    std::size_t n = 0;
    for (const ModifierSpec& s : specs)
      if (s.kind == Modifier::Kind::Ctrl || s.kind == Modifier::Kind::NegCtrl) n += static_cast<std::size_t>(s.count);
    return n;
  }

  void check_counts(const GateCall& call, const GateEntry& gate, const std::vector<ModifierSpec>& specs) const {
    if (call.params.size() != static_cast<std::size_t>(gate.num_params))
      throw SourceError{call.name.loc, "gate " + in_quotes(gate.name) + " expects " + plural(static_cast<std::size_t>(gate.num_params), "parameter") +
                                           ", found " + std::to_string(call.params.size())};
    const std::size_t controls = control_count(specs);
    const std::size_t expected = static_cast<std::size_t>(gate.num_qubits) + controls;
    if (call.operands.size() != expected) {
      std::string message = "gate " + in_quotes(gate.name) + " expects " + plural(expected, "qubit argument");
      if (controls > 0) message += " (" + std::to_string(controls) + " for the controls)";
      const Location at = call.operands.empty() ? call.name.loc : call.operands.front().loc;
      throw SourceError{at, message + ", found " + std::to_string(call.operands.size())};
    }
  }

  static void check_identifiers(const ExprNode& node, const Scope& scope) {
    if (node.kind == ExprKind::Identifier) (void)evaluate(node, scope);  // throws if unknown
    if (node.lhs) check_identifiers(*node.lhs, scope);
    if (node.rhs) check_identifiers(*node.rhs, scope);
  }

  std::vector<int> body_operands(const GateDef& def, const std::vector<Operand>& operands, std::string_view gate_name) const {
    std::vector<int> indices;
    for (const Operand& op : operands) {
      if (op.select != Operand::Select::Whole)
        throw SourceError{op.loc, "qubit arguments of a gate definition cannot be indexed (" + in_quotes(op.name) + ")"};
      const auto it = std::find_if(def.qubits.begin(), def.qubits.end(), [&](const Identifier& q) { return q.name == op.name; });
      if (it == def.qubits.end()) {
        std::vector<std::string_view> names;
        for (const Identifier& q : def.qubits) names.push_back(q.name);
        std::string message = "unknown qubit " + in_quotes(op.name) + " in gate " + in_quotes(def.name.name);
        if (auto guess = closest_name(op.name, names)) message += "; did you mean " + in_quotes(*guess) + "?";
        throw SourceError{op.loc, message};
      }
      const int index = static_cast<int>(it - def.qubits.begin());
      if (std::find(indices.begin(), indices.end(), index) != indices.end())
        throw SourceError{op.loc, "qubit " + in_quotes(op.name) + " is used twice in " + in_quotes(gate_name)};
      indices.push_back(index);
    }
    return indices;
  }

  BodyStatement compile_body_call(const GateDef& def, const GateCall& call) const {
    if (call.name.name == def.name.name)
      throw SourceError{call.name.loc, "recursive gate definition: " + in_quotes(def.name.name) + " uses itself"};
    BodyStatement s;
    s.call = &call;
    s.gate = &find_gate(call.name);
    s.modifiers = modifier_specs(call);
    check_counts(call, *s.gate, s.modifiers);
    const std::vector<Value> dummy(def.params.size(), Value::real(0.0));
    const BodyScope scope(*this, def, dummy);
    for (const ExprPtr& p : call.params) check_identifiers(*p, scope);
    for (const ModifierSpec& m : s.modifiers)
      if (m.exponent) check_identifiers(*m.exponent, scope);
    s.operands = body_operands(def, call.operands, call.name.name);
    return s;
  }

  void define_gate(const GateDef& def) {
    declare_gate_name(def.name, def.opaque ? "opaque gate" : "gate");
    for (std::size_t i = 0; i < def.params.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (def.params[i].name == def.params[j].name)
          throw SourceError{def.params[i].loc, "parameter " + in_quotes(def.params[i].name) + " is declared twice"};
    for (std::size_t i = 0; i < def.qubits.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (def.qubits[i].name == def.qubits[j].name)
          throw SourceError{def.qubits[i].loc, "qubit argument " + in_quotes(def.qubits[i].name) + " is declared twice"};
    GateEntry& e = store_.emplace_back();
    e.kind = def.opaque ? GateEntry::Kind::Opaque : GateEntry::Kind::User;
    e.name = def.name.name;
    e.num_params = static_cast<int>(def.params.size());
    e.num_qubits = static_cast<int>(def.qubits.size());
    e.def = &def;
    for (const Statement& st : def.body) {
      try {
        if (const auto* call = std::get_if<GateCall>(&st.node)) {
          e.body.push_back(compile_body_call(def, *call));
        } else if (const auto* b = std::get_if<Barrier>(&st.node)) {
          BodyStatement s;
          s.operands = b->operands.empty() ? std::vector<int>() : body_operands(def, b->operands, "barrier");
          if (b->operands.empty())
            for (int i = 0; i < e.num_qubits; ++i) s.operands.push_back(i);
          e.body.push_back(std::move(s));
        }
      } catch (const SourceError& err) {
        report(err.loc, err.message);
        e.broken = true;
      }
    }
    gates_[e.name] = &e;
  }

  // ---- operands -----------------------------------------------------------------------------
  const Symbol& find_register(const Operand& op, Symbol::Kind kind) const {
    const auto it = symbols_.find(op.name);
    const char* what = kind == Symbol::Kind::QReg ? "qubit register" : "classical register";
    if (it == symbols_.end()) {
      std::vector<std::string_view> names;
      for (const auto& [n, s] : symbols_)
        if (s.kind == kind) names.push_back(n);
      std::string message = "undeclared " + std::string(what) + " " + in_quotes(op.name);
      if (auto guess = closest_name(op.name, names)) message += "; did you mean " + in_quotes(*guess) + "?";
      throw SourceError{op.loc, message};
    }
    if (it->second.kind != kind)
      throw SourceError{op.loc, in_quotes(op.name) + " is not a " + what + " (declared at " + where(it->second.decl) + ")"};
    return it->second;
  }

  int register_index(const ExprNode* node, std::int64_t literal, const Symbol& reg, const Operand& op) const {
    long long i = literal;
    Location at = op.index_loc.file ? op.index_loc : op.loc;
    if (node) {
      at = node->loc;
      const Value v = evaluate(*node, TopScope(*this, false));
      if (v.kind != Value::Kind::Int) throw SourceError{at, "an index must be an integer"};
      if (std::abs(v.number) > 9.0e15)
        throw SourceError{at, "index " + format_number(v.number) + " out of range " + half_open_range(0, reg.size) +
                                  " for register " + in_quotes(op.name)};
      i = static_cast<long long>(v.number);
    }
    if (i < 0 && version_ >= 3 && -i <= reg.size) i += reg.size;  // OpenQASM 3: q[-1] is the last
    if (i < 0 || i >= reg.size)
      throw SourceError{at, "index " + std::to_string(i) + " out of range " + half_open_range(0, reg.size) +
                                " for register " + in_quotes(op.name)};
    return static_cast<int>(i);
  }

  Resolved resolve(const Operand& op, Symbol::Kind kind) const {
    const Symbol& reg = find_register(op, kind);
    Resolved r;
    r.loc = op.loc;
    r.name = op.name;
    if (op.select != Operand::Select::Whole && reg.scalar)
      throw SourceError{op.loc, in_quotes(op.name) + " is a single " + (kind == Symbol::Kind::QReg ? "qubit" : "bit") + " and cannot be indexed"};
    switch (op.select) {
      case Operand::Select::Whole:
        r.start = reg.offset;
        r.count = reg.size;
        r.whole = !reg.scalar;
        break;
      case Operand::Select::Index:
        r.start = reg.offset + register_index(op.index.get(), op.literal_index, reg, op);
        r.count = 1;
        break;
      case Operand::Select::Slice: {
        const int first = register_index(op.start.get(), 0, reg, op);
        const int last = register_index(op.stop.get(), 0, reg, op);
        const int step = op.step ? constant_int(*op.step, "a slice step") : 1;
        if (step == 0) throw SourceError{op.step->loc, "a slice step cannot be zero"};
        const long long span = static_cast<long long>(last) - first;
        if ((span < 0 && step > 0) || (span > 0 && step < 0)) throw SourceError{op.loc, "empty slice of register " + in_quotes(op.name)};
        r.start = reg.offset + first;
        r.step = step;
        r.count = static_cast<int>(span / step + 1);
        r.whole = true;
        break;
      }
    }
    return r;
  }

  std::string qubit_name(int q) const {
    for (const Register& r : qregs_)
      if (q >= r.offset && q < r.offset + r.size) return r.name + "[" + std::to_string(q - r.offset) + "]";
    return "qubit " + std::to_string(q);
  }

  /// The common size of the broadcast operands (1 if none is a whole register).
  static int broadcast_size(const std::vector<Resolved>& operands, const char* unit) {
    int n = 0;
    const Resolved* first = nullptr;
    for (const Resolved& r : operands) {
      if (!r.whole) continue;
      if (!first) {
        first = &r;
        n = r.count;
      } else if (r.count != n) {
        throw SourceError{r.loc, "register sizes differ in broadcast: " + in_quotes(first->name) + " has " +
                                     plural(static_cast<std::size_t>(n), unit) + ", " + in_quotes(r.name) + " has " +
                                     std::to_string(r.count)};
      }
    }
    return first ? n : 1;
  }

  // ---- expansion ----------------------------------------------------------------------------
  void check_budget(std::uint64_t pending, std::uint64_t more, Location at) const {
    const std::uint64_t limit = options_.max_operations;
    if (more > limit || pending > limit) more = limit + 1;  // saturate: the check below fails
    emitter_.reserve(pending + more, at);
  }

  void expand_base(const GateEntry& gate, std::span<const Value> params, std::span<const Qubit> qubits, int depth,
                   Location at, std::vector<Operation>& out) {
    switch (gate.kind) {
      case GateEntry::Kind::Qiskit: {
        std::vector<Param> ps;
        for (const Value& v : params) ps.push_back(v.to_param());
        out.push_back(make_operation(gate.qiskit, {qubits.begin(), qubits.end()}, std::move(ps)));
        return;
      }
      case GateEntry::Kind::GPhase: {
        PhaseSum s;
        s.add(params[0], 1.0);
        out.push_back(make_phase(s));
        return;
      }
      case GateEntry::Kind::Opaque:
        throw SourceError{at, "gate " + in_quotes(gate.name) + " is opaque (declared at " + where(gate.def->loc) +
                                  "): it has no definition and cannot be simulated"};
      case GateEntry::Kind::User: expand_user(gate, params, qubits, depth, at, out); return;
    }
  }

  void expand_user(const GateEntry& gate, std::span<const Value> params, std::span<const Qubit> qubits, int depth,
                   Location at, std::vector<Operation>& out) {
    if (gate.broken) return;
    if (depth > kMaxNesting)
      throw SourceError{at, "nesting too deep: gate expansion exceeds " + std::to_string(kMaxNesting) + " levels"};
    const BodyScope scope(*this, *gate.def, params);
    std::vector<Value> args;
    std::vector<Qubit> qs;
    for (const BodyStatement& s : gate.body) {
      qs.clear();
      for (int i : s.operands) qs.push_back(qubits[static_cast<std::size_t>(i)]);
      if (!s.call) {
        out.push_back(make_operation(GateKind::Barrier, qs));
        continue;
      }
      args.clear();
      for (const ExprPtr& p : s.call->params) args.push_back(evaluate(*p, scope));
      apply(*s.gate, s.modifiers, 0, args, qs, scope, depth + 1, s.call->name.loc, out);
      check_budget(out.size(), 0, at);
    }
  }

  /// Applies `gate` with modifiers [m, end) to `qubits` (the controls of those modifiers first).
  void apply(const GateEntry& gate, const std::vector<ModifierSpec>& mods, std::size_t m, std::span<const Value> params,
             std::span<const Qubit> qubits, const Scope& scope, int depth, Location at, std::vector<Operation>& out) {
    if (m == mods.size()) return expand_base(gate, params, qubits, depth, at, out);
    const ModifierSpec& mod = mods[m];
    std::vector<Operation> inner;
    switch (mod.kind) {
      case Modifier::Kind::Ctrl:
      case Modifier::Kind::NegCtrl: {
        const auto n = static_cast<std::size_t>(mod.count);
        apply(gate, mods, m + 1, params, qubits.subspan(n), scope, depth, at, inner);
        Index mask = 0;
        for (std::size_t i = 0; i < n; ++i) mask |= bit(qubits[i]);
        for (Operation& op : inner) {
          if (op.kind == GateKind::Barrier) continue;  // a barrier has no controlled form
          op.control_mask |= mask;
          if (mod.kind == Modifier::Kind::Ctrl) op.control_values |= mask;
          out.push_back(std::move(op));
        }
        return;
      }
      case Modifier::Kind::Inv:
        apply(gate, mods, m + 1, params, qubits, scope, depth, at, inner);
        for (auto it = inner.rbegin(); it != inner.rend(); ++it) out.push_back(inverse_operation(*it));
        return;
      case Modifier::Kind::Pow: return apply_pow(gate, mods, m, params, qubits, scope, depth, at, out);
    }
  }

  void apply_pow(const GateEntry& gate, const std::vector<ModifierSpec>& mods, std::size_t m, std::span<const Value> params,
                 std::span<const Qubit> qubits, const Scope& scope, int depth, Location at, std::vector<Operation>& out) {
    const ModifierSpec& mod = mods[m];
    const Value k = evaluate(*mod.exponent, scope);
    if (!k.is_constant()) throw SourceError{mod.exponent->loc, "the exponent of pow must be a constant"};
    std::vector<Operation> inner;
    apply(gate, mods, m + 1, params, qubits, scope, depth, at, inner);
    if (k.number == std::floor(k.number)) {
      if (std::abs(k.number) > static_cast<double>(options_.max_operations)) check_budget(out.size(), ~std::uint64_t{0}, mod.loc);
      const auto times = static_cast<std::size_t>(std::abs(k.number));
      if (times > 0 && !inner.empty()) {
        const double total = static_cast<double>(inner.size()) * static_cast<double>(times);
        check_budget(out.size(), total > 1.8e19 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(total), mod.loc);
      }
      if (k.number < 0) {
        std::vector<Operation> inverse;
        for (auto it = inner.rbegin(); it != inner.rend(); ++it) inverse.push_back(inverse_operation(*it));
        inner = std::move(inverse);
      }
      for (std::size_t t = 0; t < times; ++t) out.insert(out.end(), inner.begin(), inner.end());
      return;
    }
    if (qubits.size() > 2)
      throw SourceError{mod.loc, "pow with a non-integer exponent is supported on gates of at most 2 qubits (" +
                                     in_quotes(gate.name) + " here acts on " + std::to_string(qubits.size()) + ")"};
    for (const Operation& op : inner)
      for (const Param& p : op.params)
        if (!p.is_constant())
          throw SourceError{mod.loc, "pow with a non-integer exponent needs constant gate parameters (" +
                                         in_quotes(gate.name) + " depends on an input)"};
    const GateMatrix power = principal_power(operations_matrix(inner, qubits), k.number);
    if (qubits.empty()) {
      PhaseSum s;
      s.add_constant(std::arg(power(0, 0)));
      out.push_back(make_phase(s));
      return;
    }
    Operation op;
    op.kind = GateKind::Unitary;
    op.qubits.assign(qubits.begin(), qubits.end());
    op.matrix = std::make_shared<const GateMatrix>(power);
    out.push_back(std::move(op));
  }

  // ---- statements ---------------------------------------------------------------------------
  void top_level(const Statement& s) {
    std::visit(
        [&](const auto& node) {
          using T = std::decay_t<decltype(node)>;
          if constexpr (std::is_same_v<T, RegisterDecl>) declare_register(node);
          else if constexpr (std::is_same_v<T, InputDecl>) declare_input(node);
          else if constexpr (std::is_same_v<T, ConstDecl>) declare_const(node);
          else if constexpr (std::is_same_v<T, GateDef>) define_gate(node);
          else if constexpr (std::is_same_v<T, BuiltinInclude>) include_library(node);
          else if constexpr (std::is_same_v<T, If>) lower_if(node);
          else lower_operation(node, std::nullopt);
        },
        s.node);
  }

  void lower_operation(const GateCall& call, const std::optional<Condition>& cond) { lower_call(call, cond); }
  void lower_operation(const Measure& m, const std::optional<Condition>& cond) { lower_measure(m, cond); }
  void lower_operation(const Reset& r, const std::optional<Condition>& cond) {
    const Resolved q = resolve(r.qubits, Symbol::Kind::QReg);
    for (int j = 0; j < q.count; ++j) emit(make_operation(GateKind::Reset, {q.at(j)}), cond, r.loc);
  }
  void lower_operation(const Barrier& b, const std::optional<Condition>& cond) {
    std::vector<Qubit> qubits;
    if (b.operands.empty())
      for (int q = 0; q < num_qubits_; ++q) qubits.push_back(q);
    for (const Operand& op : b.operands) {
      const Resolved r = resolve(op, Symbol::Kind::QReg);
      for (int j = 0; j < r.count; ++j)
        if (std::find(qubits.begin(), qubits.end(), r.at(j)) == qubits.end()) qubits.push_back(r.at(j));
    }
    if (!qubits.empty()) emit(make_operation(GateKind::Barrier, std::move(qubits)), cond, b.loc);
  }
  template <class T>
  void lower_operation(const T& node, const std::optional<Condition>&) {
    throw SourceError{node.loc, "this statement is not allowed here"};
  }

  void emit(Operation op, const std::optional<Condition>& cond, Location at) {
    op.condition = cond;
    emitter_.emit(std::move(op), at);
  }

  void lower_call(const GateCall& call, const std::optional<Condition>& cond) {
    const GateEntry& gate = find_gate(call.name);
    const std::vector<ModifierSpec> specs = modifier_specs(call);
    check_counts(call, gate, specs);
    const TopScope scope(*this, true);
    std::vector<Value>& params = call_params_;
    params.clear();
    for (const ExprPtr& p : call.params) params.push_back(evaluate(*p, scope));
    std::vector<Resolved>& operands = call_operands_;
    operands.clear();
    for (const Operand& op : call.operands) operands.push_back(resolve(op, Symbol::Kind::QReg));
    const int n = broadcast_size(operands, "qubit");
    std::vector<Qubit>& qubits = call_qubits_;
    qubits.assign(operands.size(), 0);
    for (int j = 0; j < n; ++j) {
      for (std::size_t i = 0; i < operands.size(); ++i) {
        const Resolved& r = operands[i];
        qubits[i] = r.at(r.whole ? j : 0);
        for (std::size_t p = 0; p < i; ++p)
          if (qubits[p] == qubits[i])
            throw SourceError{r.loc, "qubit " + qubit_name(qubits[i]) + " is used twice in " + in_quotes(call.name.name)};
      }
      scratch_.clear();
      apply(gate, specs, 0, params, qubits, scope, 0, call.loc, scratch_);
      for (Operation& op : scratch_) emit(std::move(op), cond, call.loc);
    }
  }

  void lower_measure(const Measure& m, const std::optional<Condition>& cond) {
    const Resolved q = resolve(m.qubits, Symbol::Kind::QReg);
    const Resolved c = resolve(m.bits, Symbol::Kind::CReg);
    if (q.count != c.count)
      throw SourceError{m.bits.loc, "size mismatch in measure: " + plural(static_cast<std::size_t>(q.count), "qubit") +
                                        " into " + plural(static_cast<std::size_t>(c.count), "bit")};
    for (int i = 0; i < q.count; ++i) {
      Operation op = make_operation(GateKind::Measure, {q.at(i)});
      op.clbit = c.at(i);
      emit(std::move(op), cond, m.loc);
    }
  }

  void lower_if(const If& s) {
    const Resolved bits = resolve(s.bits, Symbol::Kind::CReg);
    if (bits.count > 1 && bits.step != 1)
      throw SourceError{s.bits.loc, "a condition must read consecutive bits in ascending order"};
    if (bits.count > 64) throw SourceError{s.bits.loc, "a condition can read at most 64 bits"};
    Condition cond;
    cond.first_clbit = bits.start;
    cond.width = bits.count;
    cond.value = 1;
    if (s.value) {
      const Value v = evaluate(*s.value, TopScope(*this, false));
      if (v.kind != Value::Kind::Int || v.number < 0)
        throw SourceError{s.value->loc, "a condition value must be a non-negative integer"};
      if (cond.width < 64 && v.number >= std::ldexp(1.0, cond.width))
        throw SourceError{s.value->loc, "condition value " + std::to_string(static_cast<unsigned long long>(v.number)) +
                                            " does not fit in the " + plural(static_cast<std::size_t>(cond.width), "bit") +
                                            " of " + in_quotes(s.bits.name)};
      cond.value = static_cast<std::uint64_t>(v.number);
    } else if (cond.width != 1) {
      throw SourceError{s.bits.loc, "'if (c)' needs a single bit; compare a register with a value: if (c == 1)"};
    }
    for (const Statement& body : s.body) {
      try {
        std::visit([&](const auto& node) { lower_operation(node, cond); }, body.node);
      } catch (const SourceError& e) {
        report(e.loc, e.message);
      }
    }
  }

  void report(Location loc, std::string message) {
    ++own_errors_;
    diags_.error(loc, std::move(message));
  }

  const Options& options_;
  Diagnostics& diags_;
  int version_;
  Emitter emitter_;
  std::deque<GateEntry> store_;
  std::unordered_map<std::string_view, const GateEntry*> gates_;
  std::unordered_map<std::string_view, Symbol> symbols_;
  std::vector<Register> qregs_, cregs_;
  std::vector<std::string> inputs_;
  int num_qubits_ = 0, num_clbits_ = 0;
  bool included_[2] = {false, false};
  std::deque<GateDef> definitions_;
  std::size_t own_errors_ = 0;
  bool stopped_ = false;
  std::vector<Operation> scratch_;
  std::vector<Value> call_params_;  // reused by lower_call (not re-entrant: top level only)
  std::vector<Resolved> call_operands_;
  std::vector<Qubit> call_qubits_;
  const Value pi_ = Value::real(kPi), tau_ = Value::real(2 * kPi), euler_ = Value::real(kEuler);
};

}  // namespace

Lowering::Lowering(const Options& options, Diagnostics& diags) : options_(options), diags_(diags) {}
Lowering::~Lowering() = default;

void Lowering::begin(int version) { impl_ = std::make_unique<Lowerer>(version, options_, diags_); }

void Lowering::statement(Statement&& s) { impl_->statement(std::move(s)); }

Program Lowering::finish(Location end) {
  if (!impl_) return Program{};
  return impl_->finish(end);
}

}  // namespace qmlsim::qasm::detail

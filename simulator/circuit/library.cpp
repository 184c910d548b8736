#include "simulator/circuit/library.hpp"

#include <cmath>

#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::library {

Circuit ghz(int n) {
  Circuit c(n);
  c.h(0);
  for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  return c;
}

Circuit qft(int n) {
  Circuit c(n);
  for (int j = n - 1; j >= 0; --j) {
    c.h(j);
    for (int k = j - 1; k >= 0; --k) c.cp(kPi / std::ldexp(1.0, j - k), k, j);
  }
  for (int i = 0; i < n / 2; ++i) c.swap(i, n - 1 - i);
  return c;
}

Circuit layered(int n, int layers) {
  check_non_negative(layers, "layers: depth");
  Circuit c(n);
  int p = 0;
  for (int l = 0; l < layers; ++l) {
    for (int q = 0; q < n; ++q) c.rx(Param::parameter(p++), q);
    for (int q = 0; q < n; ++q) c.rz(Param::parameter(p++), q);
    for (int q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  }
  return c;
}

Circuit random(int n, int depth, std::uint64_t seed) {
  check_non_negative(depth, "random: depth");
  Circuit c(n);
  Rng rng(seed);
  std::vector<GateKind> kinds;
  for (GateKind k : all_gate_kinds()) {
    const GateInfo info = gate_info(k);
    if (info.unitary && k != GateKind::Unitary && k != GateKind::Barrier && info.num_qubits <= n) kinds.push_back(k);
  }
  for (int layer = 0; layer < depth; ++layer) {
    for (int g = 0; g < n; ++g) {
      const GateKind k = kinds[rng.below(kinds.size())];
      const GateInfo info = gate_info(k);
      std::vector<Qubit> all(static_cast<std::size_t>(n));
      for (int q = 0; q < n; ++q) all[static_cast<std::size_t>(q)] = q;
      for (int i = 0; i < info.num_qubits; ++i)  // partial Fisher-Yates: distinct random qubits
        std::swap(all[static_cast<std::size_t>(i)], all[static_cast<std::size_t>(i) + rng.below(static_cast<std::uint64_t>(n - i))]);
      std::vector<Param> params;
      for (int j = 0; j < info.num_params; ++j) params.emplace_back((rng.uniform() * 2 - 1) * kPi);
      c.gate(k, std::vector<Qubit>(all.begin(), all.begin() + info.num_qubits), std::move(params));
    }
  }
  return c;
}

const std::vector<std::string>& names() {
  static const std::vector<std::string> kNames = {"ghz", "qft", "layers", "random"};
  return kNames;
}

Circuit by_name(const std::string& name, int n, int depth, std::uint64_t seed) {
  if (name == "ghz") return ghz(n);
  if (name == "qft") return qft(n);
  if (name == "layers") return layered(n, depth);
  if (name == "random") return random(n, depth, seed);
  std::string known;
  for (const auto& k : names()) known += (known.empty() ? "" : ", ") + k;
  throw InvalidArgument("unknown circuit '" + name + "' (known: " + known + ")");
}

}  // namespace qmlsim::library

#include "simulator/core/types.hpp"

#include "simulator/core/errors.hpp"

namespace qmlsim {

std::string to_bitstring(Index index, int num_qubits) {
  std::string s(static_cast<std::size_t>(num_qubits), '0');
  for (int q = 0; q < num_qubits; ++q)
    if ((index >> q) & 1U) s[static_cast<std::size_t>(num_qubits - 1 - q)] = '1';
  return s;
}

Index from_bitstring(const std::string& bits) {
  if (bits.empty() || bits.size() > 64) throw InvalidArgument("bitstring '" + bits + "' must have 1 to 64 characters");
  Index v = 0;
  for (char c : bits) {
    if (c != '0' && c != '1') throw InvalidArgument("bitstring '" + bits + "' may contain only 0 and 1");
    v = (v << 1) | static_cast<Index>(c == '1');
  }
  return v;
}

}  // namespace qmlsim

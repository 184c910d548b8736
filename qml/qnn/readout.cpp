#include "qml/qnn/readout.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numbers>

#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

constexpr int kMaxModuloQubits = 20;  // 2^20 values per class observable (8 MiB each)

std::vector<Qubit> all_qubits(int n) {
  std::vector<Qubit> q(static_cast<std::size_t>(n));
  for (int j = 0; j < n; ++j) q[static_cast<std::size_t>(j)] = j;
  return q;
}

// One diagonal observable per class: values[b] = 1 when class_of(b) == c.
template <class ClassOf>
std::vector<Observable> class_projectors(int classes, int qubits, ClassOf class_of) {
  const Index dim = Index{1} << qubits;
  std::vector<Observable> out;
  for (int c = 0; c < classes; ++c) {
    std::vector<double> values(static_cast<std::size_t>(dim));
    for (Index b = 0; b < dim; ++b) values[static_cast<std::size_t>(b)] = class_of(b) == c ? 1.0 : 0.0;
    out.emplace_back(DiagonalObservable(all_qubits(qubits), std::move(values)));
  }
  return out;
}

std::string classes_text(int n) { return std::to_string(n) + (n == 1 ? " class" : " classes"); }

double class_angle(int c, int classes) { return 2.0 * std::numbers::pi * c / classes; }

}  // namespace

std::vector<std::string> readout_names() { return {"modulo", "parity", "per-class-z", "class-states"}; }

ReadoutKind readout_kind(const std::string& name) {
  const std::vector<std::string> names = readout_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string valid;
    for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
    throw InvalidArgument("unknown readout '" + name + "' (valid: " + valid + ")");
  }
  return static_cast<ReadoutKind>(it - names.begin());
}

Readout::Readout(ReadoutKind kind, int num_classes, int num_qubits, double temperature)
    : kind_(kind), classes_(num_classes), temperature_(temperature) {
  const std::string name = readout_names()[static_cast<std::size_t>(kind)];
  if (num_classes < 2) throw InvalidArgument(name + " readout: " + classes_text(num_classes) + " (needs at least 2)");
  check_range(num_qubits, 1, 64, name + " readout: number of qubits");
  switch (kind) {
    case ReadoutKind::Modulo:
      if (num_qubits > kMaxModuloQubits)
        throw InvalidArgument("modulo readout: " + plural(num_qubits, "qubit") + " is more than the " +
                              std::to_string(kMaxModuloQubits) + " it supports (use per-class-z)");
      if ((Index{1} << num_qubits) < static_cast<Index>(num_classes))
        throw InvalidArgument("modulo readout: " + classes_text(num_classes) + " need at least " +
                              std::to_string(std::bit_width(static_cast<unsigned>(num_classes - 1))) +
                              " qubits, the circuit has " + std::to_string(num_qubits) +
                              " (more qubits, or the class-states readout)");
      observables_ = class_projectors(num_classes, num_qubits,
                                      [&](Index b) { return static_cast<int>(b % static_cast<Index>(num_classes)); });
      break;
    case ReadoutKind::Parity:
      if (num_classes != 2)
        throw InvalidArgument("parity readout: " + classes_text(num_classes) + " (it separates 2 classes; use modulo or per-class-z)");
      if (num_qubits > kMaxModuloQubits)
        throw InvalidArgument("parity readout: " + plural(num_qubits, "qubit") + " is more than the " +
                              std::to_string(kMaxModuloQubits) + " it supports");
      observables_ = class_projectors(2, num_qubits, [](Index b) { return std::popcount(static_cast<std::uint64_t>(b)) & 1; });
      break;
    case ReadoutKind::PerClassZ:
      if (num_qubits < num_classes)
        throw InvalidArgument("per-class-z readout: " + classes_text(num_classes) + " need as many qubits, the circuit has " +
                              std::to_string(num_qubits));
      check_positive(temperature, "per-class-z readout: temperature");
      for (int j = 0; j < num_classes; ++j) observables_.emplace_back(PauliSum(PauliString::single(Pauli::Z, j)));
      break;
    case ReadoutKind::ClassStates:
      observables_.emplace_back(PauliSum(PauliString::single(Pauli::X, 0)));
      observables_.emplace_back(PauliSum(PauliString::single(Pauli::Z, 0)));
      break;
  }
}

void Readout::probabilities(std::span<const double> values, std::span<double> p) const {
  switch (kind_) {
    case ReadoutKind::Modulo:
    case ReadoutKind::Parity:
      std::copy(values.begin(), values.end(), p.begin());
      return;
    case ReadoutKind::PerClassZ: {
      // Softmax with the maximum subtracted (no overflow for small temperatures).
      const double top = *std::max_element(values.begin(), values.end()) / temperature_;
      double sum = 0.0;
      for (int c = 0; c < classes_; ++c) sum += p[c] = std::exp(values[c] / temperature_ - top);
      for (int c = 0; c < classes_; ++c) p[c] /= sum;
      return;
    }
    case ReadoutKind::ClassStates:
      for (int c = 0; c < classes_; ++c) {
        const double a = class_angle(c, classes_);
        p[c] = (1.0 + std::sin(a) * values[0] + std::cos(a) * values[1]) / classes_;
      }
      return;
  }
}

void Readout::backward(std::span<const double> values, std::span<const double> p, std::span<const double> dp,
                       std::span<double> dvalues) const {
  (void)values;
  switch (kind_) {
    case ReadoutKind::Modulo:
    case ReadoutKind::Parity:
      std::copy(dp.begin(), dp.end(), dvalues.begin());
      return;
    case ReadoutKind::PerClassZ: {
      // dp_c/dz_j = p_c (delta_cj - p_j) / T, so dL/dz_j = p_j (dL/dp_j - sum_c dL/dp_c p_c) / T.
      double mean = 0.0;
      for (int c = 0; c < classes_; ++c) mean += dp[c] * p[c];
      for (int j = 0; j < classes_; ++j) dvalues[j] = p[j] * (dp[j] - mean) / temperature_;
      return;
    }
    case ReadoutKind::ClassStates:
      dvalues[0] = dvalues[1] = 0.0;
      for (int c = 0; c < classes_; ++c) {
        const double a = class_angle(c, classes_);
        dvalues[0] += dp[c] * std::sin(a) / classes_;
        dvalues[1] += dp[c] * std::cos(a) / classes_;
      }
      return;
  }
}

}  // namespace qmlsim::qml

#include "qml/qnn/loss.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "simulator/core/errors.hpp"

namespace qmlsim::qml {

std::vector<std::string> loss_names() { return {"cross-entropy", "cross-entropy-log2", "squared-error", "fidelity"}; }

LossKind loss_kind(const std::string& name) {
  const std::vector<std::string> names = loss_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string valid;
    for (const std::string& n : names) valid += (valid.empty() ? "" : ", ") + n;
    throw InvalidArgument("unknown loss '" + name + "' (valid: " + valid + ")");
  }
  return static_cast<LossKind>(it - names.begin());
}

double classification_loss(LossKind kind, std::span<const double> p, int label, std::span<double> dp) {
  const auto y = static_cast<std::size_t>(label);
  std::fill(dp.begin(), dp.end(), 0.0);
  switch (kind) {
    case LossKind::CrossEntropy:
    case LossKind::CrossEntropyLog2: {
      const bool natural = kind == LossKind::CrossEntropy;
      const double q = std::max(p[y], kProbabilityClip);
      if (p[y] > kProbabilityClip) dp[y] = -1.0 / (p[y] * (natural ? 1.0 : std::numbers::ln2));
      return natural ? -std::log(q) : -std::log2(q);
    }
    case LossKind::SquaredError: {
      double sum = 0.0;
      for (std::size_t c = 0; c < p.size(); ++c) {
        const double e = p[c] - (c == y ? 1.0 : 0.0);
        sum += e * e;
        dp[c] = 2.0 * e;
      }
      return sum;
    }
    case LossKind::Fidelity:
      dp[y] = -1.0;
      return 1.0 - p[y];
  }
  return 0.0;
}

double squared_error(double prediction, double target, double& derivative) {
  const double e = prediction - target;
  derivative = 2.0 * e;
  return e * e;
}

}  // namespace qmlsim::qml

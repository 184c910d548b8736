// PennyLane's AmplitudeEmbedding: the sample, padded with `pad` to 2^n entries, is the state's
// amplitude vector (feature j -> basis index j, qubit 0 the least significant bit: PennyLane's
// wire 0 is the most significant, so its wires are ours reversed; kernels do not see the
// difference). The one map that writes states directly instead of running a circuit.
// Padding comes before normalising, as in PennyLane. normalize=true divides by the norm (a zero
// norm is refused); normalize=false requires a unit vector within PennyLane's tolerance (its
// squared norm within 1e-10 of 1) and uses it as given.
#include <algorithm>
#include <cmath>

#include "qml/encoding/builtin_feature_maps.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml::detail {

namespace {

constexpr double kNormTolerance = 1e-10;

// The smallest n >= 1 with 2^n >= count.
int qubits_for(int count) {
  int n = 1;
  while ((Index{1} << n) < static_cast<Index>(count)) ++n;
  return n;
}

std::string sample_text(std::span<const double> x) {
  std::string out = "(";
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i == 8 && x.size() > 9) return out + ", ...)";
    out += (i == 0 ? "" : ", ") + format_number(x[i]);
  }
  return out + ")";
}

class AmplitudeEmbedding final : public FeatureMap {
 public:
  AmplitudeEmbedding(int num_features, int num_qubits, double pad, bool normalize, bool default_qubits)
      : num_features_(num_features), num_qubits_(num_qubits), pad_(pad), normalize_(normalize),
        default_qubits_(default_qubits) {}
  [[nodiscard]] int num_qubits() const noexcept override { return num_qubits_; }
  [[nodiscard]] int num_features() const noexcept override { return num_features_; }
  [[nodiscard]] const Circuit* circuit() const noexcept override { return nullptr; }

  void encode(std::span<const double> x, std::span<cdouble> state) const override {
    check_sample(*this, x, state);
    double norm2 = 0.0;
    for (std::size_t i = 0; i < state.size(); ++i) {
      const double v = i < x.size() ? x[i] : pad_;
      state[i] = v;
      norm2 += v * v;
    }
    if (normalize_) {
      if (norm2 == 0.0)
        throw InvalidArgument("feature map amplitude: the sample " + sample_text(x) +
                              " is all zeros and cannot be normalised");
      if (!std::isfinite(norm2)) {
        // Entries near the top of the double range (1e200) overflow the squared norm, which would
        // zero the state: scale by the largest entry first (only then, so that ordinary samples
        // keep their exact arithmetic).
        double largest = 0.0;
        for (const cdouble& a : state) largest = std::max(largest, std::abs(a.real()));
        for (cdouble& a : state) a /= largest;
        norm2 = 0.0;
        for (const cdouble& a : state) norm2 += a.real() * a.real();
      }
      const double norm = std::sqrt(norm2);
      for (cdouble& a : state) a /= norm;
    } else if (!(std::abs(norm2 - 1.0) <= kNormTolerance)) {
      throw InvalidArgument("feature map amplitude: the sample " + sample_text(x) + " has norm " +
                            format_number(std::sqrt(norm2)) + ", not 1 (use normalize=true)");
    }
  }

  [[nodiscard]] ComponentSpec spec() const override {
    ComponentSpec s{"amplitude", {}};
    if (!default_qubits_) s.set("qubits", std::to_string(num_qubits_));
    s.set("pad", format_number(pad_));
    s.set("normalize", normalize_ ? "true" : "false");
    return s;
  }

  [[nodiscard]] std::string description() const override {
    return "AmplitudeEmbedding (PennyLane): " + plural(num_features_, "feature") + " in " +
           plural(num_qubits_, "qubit") + ", pad " + format_number(pad_) + ", normalize " +
           (normalize_ ? "true" : "false");
  }

 private:
  int num_features_;
  int num_qubits_;
  double pad_;
  bool normalize_;
  bool default_qubits_;
};

}  // namespace

std::unique_ptr<FeatureMap> make_amplitude_embedding(const ComponentSpec& spec, int num_features) {
  const std::string context = map_context("amplitude");
  check_positive(num_features, context + ": number of features");
  ComponentOptions options(spec, context);
  const int minimum = qubits_for(num_features);
  const int n = options.integer("qubits", minimum, 1, kMaxQubits);
  if (n < minimum)
    throw InvalidArgument(context + ": qubits=" + std::to_string(n) + " gives " + std::to_string(Index{1} << n) +
                          " amplitudes but the data has " + plural(num_features, "feature") + " (at least " +
                          plural(minimum, "qubit") + " needed)");
  const double pad = options.real("pad", 0.0);
  const bool normalize = options.flag("normalize", true);
  options.finish();
  return std::make_unique<AmplitudeEmbedding>(num_features, n, pad, normalize, n == minimum);
}

}  // namespace qmlsim::qml::detail

#pragma once
/// The floating-point type of a state vector as a run-time choice: `Precision` names it, and
/// with_precision() turns it back into the type R of StateVector<R> (the one place a command, a
/// model or a benchmark branches on it). Double is the default everywhere; single halves the
/// memory and the memory traffic of every pass, at about 1e-6 relative accuracy.
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <utility>

namespace qmlsim {

/// The floating-point type of the state vector: Double (R = double), Single (R = float).
enum class Precision { Double, Single };

/// "double" or "single" (what the CLI's --precision accepts and its output prints).
[[nodiscard]] constexpr std::string_view to_string(Precision precision) noexcept {
  switch (precision) {
    case Precision::Double: return "double";
    case Precision::Single: return "single";
  }
  return "double";
}

/// Bytes of one real number: 8 (double) or 4 (single). An amplitude holds two.
[[nodiscard]] constexpr std::size_t real_bytes(Precision precision) noexcept {
  return precision == Precision::Single ? sizeof(float) : sizeof(double);
}

/// Bytes of one complex amplitude: 16 (double) or 8 (single).
[[nodiscard]] constexpr std::size_t amplitude_bytes(Precision precision) noexcept {
  return 2 * real_bytes(precision);
}

/// The Precision of R (double or float only).
template <class R>
inline constexpr Precision precision_of = [] {
  static_assert(std::is_same_v<R, double> || std::is_same_v<R, float>, "R must be double or float");
  return std::is_same_v<R, float> ? Precision::Single : Precision::Double;
}();

/// Calls `f.template operator()<R>()` with R = double or float as `precision` says, and returns
/// its result (both instantiations must return the same type):
///   with_precision(p, [&]<class R>() { return run<R>(circuit); });
template <class F>
decltype(auto) with_precision(Precision precision, F&& f) {
  if (precision == Precision::Single) return std::forward<F>(f).template operator()<float>();
  return std::forward<F>(f).template operator()<double>();
}

}  // namespace qmlsim

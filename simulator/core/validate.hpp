#pragma once
/// Argument validation and the wording of its messages, in one place (QuEST's spirit: validate at
/// the boundary; every message names the bad value and the valid range, worded identically
/// everywhere). Each check throws InvalidArgument (core/errors.hpp) with:
///
///   check_index(5, 4, "cx: qubit")                       "cx: qubit 5 out of range [0, 4)"
///   check_range(0, 1, 40, "circuit: number of qubits")   "circuit: number of qubits 0 out of range [1, 40]"
///   check_finite(nan, "rx: parameter 0")                 "rx: parameter 0 = nan is not finite"
///   check_positive(0.0, "step")                          "step 0 must be positive and finite"
///   check_positive(0, "bandwidth sweeps")                "bandwidth sweeps 0 must be positive"
///   check_non_negative(-1, "layers: depth")              "layers: depth -1 must be >= 0"
///   check_count(1, 2, "cx", "qubit")                     "cx: expects 2 qubits, got 1"
///
/// plural() (core/errors.hpp) writes counts: "1 parameter", "3 parameters".
///
/// `what` names the quantity, prefixed by its context ("<function or object>: <noun>"). Integers
/// print in decimal (any integer type, exactly, signed or not); doubles with format_number.
/// Range and sign checks write "<what> <value> <valid range>"; check_finite writes
/// "<what> = <value>" because its `what` usually ends in a name ("parameter alpha = nan").
///
/// Cost: a check is an inline comparison; the message is built and thrown by an out-of-line
/// [[noreturn]] function, so checks in hot loops cost a compare and a branch. `what` is either a
/// string_view (a literal or a string that already exists) or a callable returning std::string,
/// called only when the check fails: use the callable when the context is built per iteration,
/// e.g. check_finite(v, [&] { return "batch row " + std::to_string(i) + ": weight"; }).
#include <cmath>
#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "simulator/core/errors.hpp"

namespace qmlsim {

// ---------------------------------------------------------------------------------------------
// Message parts

/// The one number formatter for messages: the shortest text that reads back to the same double
/// ("0.1", "1e-05", "-2.5", "1e+300"), and "nan", "inf", "-inf" (never "-nan").
[[nodiscard]] std::string format_number(double value);

/// The one spelling of a circuit parameter in messages: names[index] when it exists and is not
/// empty, else "theta[<index>]" (as Param and Expr print an unnamed parameter).
[[nodiscard]] std::string parameter_name(std::size_t index, std::span<const std::string> names = {});

/// Why a circuit cannot be run to one state vector (probabilities, expectation values,
/// gradients): "the circuit has a mid-circuit measurement, reset or classical condition
/// (<reason>), so it has no single final state". `reason` is Circuit::trajectory_reason() (left
/// out when empty). Callers prefix their context and add what to do instead:
/// "run: " + no_single_final_state(r) + "; sample it shot by shot instead".
[[nodiscard]] std::string no_single_final_state(std::string_view reason);

namespace detail {

/// An integer of any type, exactly (the magnitude and the sign), for messages.
struct Integer {
  std::uint64_t magnitude = 0;
  bool negative = false;
};

template <std::integral T>
[[nodiscard]] constexpr Integer integer(T v) noexcept {
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) return {std::uint64_t{0} - static_cast<std::uint64_t>(v), true};
  }
  return {static_cast<std::uint64_t>(v), false};
}

[[nodiscard]] std::string range_text(Integer lo, Integer hi, bool closed);

}  // namespace detail

/// "[0, 4)": a half-open range as messages write it.
template <std::integral L, std::integral H>
[[nodiscard]] std::string half_open_range(L lo, H hi) {
  return detail::range_text(detail::integer(lo), detail::integer(hi), false);
}

/// "[1, 40]": a closed range as messages write it.
template <std::integral L, std::integral H>
[[nodiscard]] std::string closed_range(L lo, H hi) {
  return detail::range_text(detail::integer(lo), detail::integer(hi), true);
}

// ---------------------------------------------------------------------------------------------
// Checks

/// `what` for a check: text, or a callable giving the text when the check fails.
template <class W>
concept CheckContext = std::convertible_to<const W&, std::string_view> ||
                       (std::invocable<const W&> && std::convertible_to<std::invoke_result_t<const W&>, std::string>);

namespace detail {

template <class W>
[[nodiscard]] decltype(auto) context_text(const W& what) {
  if constexpr (std::convertible_to<const W&, std::string_view>) {
    return std::string_view(what);
  } else {
    return std::string(what());
  }
}

// The cold paths: build the message and throw InvalidArgument.
[[noreturn]] void fail_index(Integer value, Integer bound, std::string_view what);
[[noreturn]] void fail_range(Integer value, Integer lo, Integer hi, std::string_view what);
[[noreturn]] void fail_range(double value, double lo, double hi, std::string_view what);
[[noreturn]] void fail_finite(double value, std::string_view what);
[[noreturn]] void fail_positive(Integer value, std::string_view what);
[[noreturn]] void fail_positive(double value, std::string_view what);
[[noreturn]] void fail_non_negative(Integer value, std::string_view what);
[[noreturn]] void fail_count(Integer got, Integer expected, std::string_view what, std::string_view noun);

}  // namespace detail

/// 0 <= value < bound, else "<what> <value> out of range [0, <bound>)".
template <std::integral T, std::integral B, CheckContext W>
inline void check_index(T value, B bound, const W& what) {
  if (std::cmp_less(value, 0) || std::cmp_greater_equal(value, bound)) [[unlikely]]
    detail::fail_index(detail::integer(value), detail::integer(bound), detail::context_text(what));
}

/// lo <= value <= hi, else "<what> <value> out of range [<lo>, <hi>]".
template <std::integral T, std::integral L, std::integral H, CheckContext W>
inline void check_range(T value, L lo, H hi, const W& what) {
  if (std::cmp_less(value, lo) || std::cmp_greater(value, hi)) [[unlikely]]
    detail::fail_range(detail::integer(value), detail::integer(lo), detail::integer(hi), detail::context_text(what));
}

/// lo <= value <= hi (NaN fails), else "<what> <value> out of range [<lo>, <hi>]".
template <CheckContext W>
inline void check_range(double value, double lo, double hi, const W& what) {
  if (!(value >= lo && value <= hi)) [[unlikely]]
    detail::fail_range(value, lo, hi, detail::context_text(what));
}

/// A finite value, else "<what> = <value> is not finite".
template <CheckContext W>
inline void check_finite(double value, const W& what) {
  if (!std::isfinite(value)) [[unlikely]]
    detail::fail_finite(value, detail::context_text(what));
}

/// 0 < value < inf (NaN fails), else "<what> <value> must be positive and finite".
template <CheckContext W>
inline void check_positive(double value, const W& what) {
  if (!(value > 0.0 && std::isfinite(value))) [[unlikely]]
    detail::fail_positive(value, detail::context_text(what));
}

/// value >= 1, else "<what> <value> must be positive".
template <std::integral T, CheckContext W>
inline void check_positive(T value, const W& what) {
  if (std::cmp_less_equal(value, 0)) [[unlikely]]
    detail::fail_positive(detail::integer(value), detail::context_text(what));
}

/// value >= 0, else "<what> <value> must be >= 0".
template <std::integral T, CheckContext W>
inline void check_non_negative(T value, const W& what) {
  if (std::cmp_less(value, 0)) [[unlikely]]
    detail::fail_non_negative(detail::integer(value), detail::context_text(what));
}

/// got == expected, else "<what>: expects <expected> <noun>(s), got <got>" (the noun is singular;
/// plural() adds the "s").
template <std::integral G, std::integral E, CheckContext W>
inline void check_count(G got, E expected, const W& what, std::string_view noun) {
  if (std::cmp_not_equal(got, expected)) [[unlikely]]
    detail::fail_count(detail::integer(got), detail::integer(expected), detail::context_text(what), noun);
}

}  // namespace qmlsim

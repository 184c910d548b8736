#include "simulator/core/validate.hpp"

#include <array>
#include <charconv>

namespace qmlsim {
namespace {

// Appends with += throughout: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
std::string integer_text(detail::Integer v) {
  std::string text = v.negative ? "-" : "";
  text += std::to_string(v.magnitude);
  return text;
}

// "<what> <value>" or "<value>" when there is no context.
std::string subject(std::string_view what, const std::string& value) {
  std::string text(what);
  if (!text.empty()) text += ' ';
  text += value;
  return text;
}

}  // namespace

// Shortest round-trip rather than %.17g: "0.1" stays "0.1" (not "0.10000000000000001") and the
// text still reads back to the same double, so a message never hides which value was refused.
std::string format_number(double value) {
  if (std::isnan(value)) return "nan";  // to_chars writes "-nan" for a negative NaN
  std::array<char, 32> buf{};
  const auto result = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  return std::string(buf.data(), result.ptr);
}

std::string parameter_name(std::size_t index, std::span<const std::string> names) {
  if (index < names.size() && !names[index].empty()) return names[index];
  std::string text = "theta[";
  text += std::to_string(index);
  text += ']';
  return text;
}

std::string no_single_final_state(std::string_view reason) {
  std::string text = "the circuit has a mid-circuit measurement, reset or classical condition";
  if (!reason.empty()) {
    text += " (";
    text += reason;
    text += ')';
  }
  text += ", so it has no single final state";
  return text;
}

namespace detail {

std::string range_text(Integer lo, Integer hi, bool closed) {
  std::string text = "[";
  text += integer_text(lo);
  text += ", ";
  text += integer_text(hi);
  text += closed ? ']' : ')';
  return text;
}

void fail_index(Integer value, Integer bound, std::string_view what) {
  throw InvalidArgument(subject(what, integer_text(value)) + " out of range " + range_text({}, bound, false));
}

void fail_range(Integer value, Integer lo, Integer hi, std::string_view what) {
  throw InvalidArgument(subject(what, integer_text(value)) + " out of range " + range_text(lo, hi, true));
}

void fail_range(double value, double lo, double hi, std::string_view what) {
  throw InvalidArgument(subject(what, format_number(value)) + " out of range [" + format_number(lo) + ", " +
                        format_number(hi) + "]");
}

void fail_finite(double value, std::string_view what) {
  std::string text(what);
  if (!text.empty()) text += " = ";
  text += format_number(value);
  text += " is not finite";
  throw InvalidArgument(text);
}

void fail_positive(Integer value, std::string_view what) {
  throw InvalidArgument(subject(what, integer_text(value)) + " must be positive");
}

void fail_positive(double value, std::string_view what) {
  throw InvalidArgument(subject(what, format_number(value)) + " must be positive and finite");
}

void fail_non_negative(Integer value, std::string_view what) {
  throw InvalidArgument(subject(what, integer_text(value)) + " must be >= 0");
}

void fail_count(Integer got, Integer expected, std::string_view what, std::string_view noun) {
  std::string text(what);
  if (!text.empty()) text += ": ";
  text += "expects ";
  text += integer_text(expected);
  text += ' ';
  text += noun;
  if (expected.negative || expected.magnitude != 1) text += 's';
  text += ", got ";
  text += integer_text(got);
  throw InvalidArgument(text);
}

}  // namespace detail
}  // namespace qmlsim

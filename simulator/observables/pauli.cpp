#include "simulator/observables/pauli.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <system_error>
#include <utility>

#include "simulator/core/bits.hpp"
#include "simulator/core/parallel.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim {
namespace {

// A combined coefficient of the operator of `t` in a Pauli sum: "Pauli sum: coefficient of X1 = inf
// is not finite".
void check_sum_coefficient(double c, const PauliString& t) {
  check_finite(c, [&] { return "Pauli sum: coefficient of " + t.operator_string(); });
}

// Adds `scale * add` into `terms`, combining equal operators; new operators are appended in order.
void combine_into(std::vector<PauliString>& terms, std::span<const PauliString> add, double scale) {
  std::map<std::pair<Index, Index>, std::size_t> where;
  for (std::size_t k = 0; k < terms.size(); ++k) where.emplace(std::pair{terms[k].x_mask(), terms[k].z_mask()}, k);
  for (const PauliString& t : add) {
    const double c = scale * t.coefficient();
    const auto [it, inserted] = where.emplace(std::pair{t.x_mask(), t.z_mask()}, terms.size());
    if (inserted) {
      check_sum_coefficient(c, t);
      terms.push_back(t.with_coefficient(c));
    } else {
      const double sum = terms[it->second].coefficient() + c;
      check_sum_coefficient(sum, t);
      terms[it->second] = terms[it->second].with_coefficient(sum);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parser: a hand-written scanner so that every error names its 0-based column and what would
// have been accepted there.

constexpr const char* kExpectTermStart = "a Pauli term such as Z0 or a coefficient";
constexpr const char* kExpectAfterStar = "a Pauli term such as Z0 or a number";
constexpr const char* kExpectAfterPauli = "'*', a Pauli such as Z1, '+', '-' or the end of the text";
constexpr const char* kExpectAfterNumber = "'*', a Pauli such as Z0, '+', '-' or the end of the text";
constexpr const char* kExpectNumberAfterPauli = "'*' before a number, a Pauli such as Z1, '+', '-' or the end of the text";

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char upper(char c) noexcept { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool is_pauli_letter(char c) noexcept {
  const char u = upper(c);
  return u == 'I' || u == 'X' || u == 'Y' || u == 'Z';
}

// "inf", "Infinity", "NaN", ...: reported as a non-finite coefficient rather than a stray letter.
bool starts_non_finite_word(std::string_view rest) noexcept {
  if (rest.size() < 3) return false;
  std::string head;
  for (std::size_t k = 0; k < 3; ++k) head += upper(rest[k]);
  return head == "INF" || head == "NAN";
}

std::string describe_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "byte 0x%02X", static_cast<unsigned>(u));
  return buf.data();
}

// Decimal order of magnitude of a number token that from_chars reported out of range: > 0 means
// overflow, otherwise the value underflows to zero.
long order_of_magnitude(std::string_view token) {
  std::size_t k = 0;
  long int_digits = 0, leading_frac_zeros = 0;
  bool nonzero_seen = false;
  while (k < token.size() && is_digit(token[k])) {
    if (token[k] != '0' || nonzero_seen) {
      nonzero_seen = true;
      ++int_digits;
    }
    ++k;
  }
  if (k < token.size() && token[k] == '.') {
    ++k;
    while (k < token.size() && is_digit(token[k])) {
      if (!nonzero_seen && token[k] == '0') ++leading_frac_zeros;
      else nonzero_seen = true;
      ++k;
    }
  }
  long exponent = 0;
  if (k < token.size() && (token[k] == 'e' || token[k] == 'E')) {
    ++k;
    bool negative = false;
    if (k < token.size() && (token[k] == '+' || token[k] == '-')) negative = token[k++] == '-';
    for (; k < token.size(); ++k) exponent = std::min(exponent * 10 + (token[k] - '0'), 100000L);
    if (negative) exponent = -exponent;
  }
  return exponent + (int_digits > 0 ? int_digits : -leading_frac_zeros);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  PauliSum parse() {
    skip_ws();
    if (at_end())
      throw InvalidArgument("observable: empty text; expected a sum of Pauli terms such as 0.5*Z0 Z1 + 0.2*X0");
    std::vector<PauliString> terms;
    double sign = read_signs(/*after_operator=*/false);
    while (true) {
      terms.push_back(parse_term(sign));
      // parse_term stops only at the end of the text or at a '+' / '-'.
      if (at_end()) break;
      sign = read_signs(/*after_operator=*/true);
    }
    std::vector<PauliString> combined;
    combine_into_parsed(combined, terms);
    return PauliSum(std::move(combined));
  }

 private:
  [[nodiscard]] bool at_end() const noexcept { return pos_ >= s_.size(); }
  [[nodiscard]] char peek() const noexcept { return s_[pos_]; }
  void skip_ws() noexcept {
    while (!at_end() && is_space(peek())) ++pos_;
  }

  [[noreturn]] void unexpected(std::string_view expected) const {
    std::string msg = "observable: ";
    if (at_end()) msg += "unexpected end of text at column " + std::to_string(pos_);
    else msg += "unexpected character " + describe_char(peek()) + " at column " + std::to_string(pos_);
    msg += "; expected ";
    msg += expected;
    throw InvalidArgument(msg);
  }

  [[noreturn]] static void dangling(char op, std::size_t at) {
    throw InvalidArgument(std::string("observable: dangling '") + op + "' at column " + std::to_string(at) +
                          "; expected a Pauli term such as Z0 after it");
  }

  // The operator between terms (if after_operator: one '+' / '-' is there) and at most one more
  // sign: "a - b", "a + -b", "-a". Leaves pos_ at the start of the next term.
  double read_signs(bool after_operator) {
    double sign = 1.0;
    int signs = 0;
    const int allowed = after_operator ? 2 : 1;
    while (!at_end() && (peek() == '+' || peek() == '-') && signs < allowed) {
      if (peek() == '-') sign = -sign;
      const std::size_t at = pos_;
      ++pos_;
      ++signs;
      skip_ws();
      if (at_end()) dangling(s_[at], at);
    }
    return sign;
  }

  // A real number token starting at pos_ (a digit or '.'): digits [. digits] [e [sign] digits].
  double parse_number() {
    const std::size_t start = pos_;
    std::size_t mantissa_digits = 0;
    while (!at_end() && is_digit(peek())) ++pos_, ++mantissa_digits;
    if (!at_end() && peek() == '.') {
      ++pos_;
      while (!at_end() && is_digit(peek())) ++pos_, ++mantissa_digits;
    }
    if (mantissa_digits == 0)
      throw InvalidArgument("observable: malformed number '" + std::string(s_.substr(start, pos_ - start)) +
                            "' at column " + std::to_string(start) + "; expected digits such as 0.5");
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      std::size_t exponent_digits = 0;
      while (!at_end() && is_digit(peek())) ++pos_, ++exponent_digits;
      if (exponent_digits == 0)
        throw InvalidArgument("observable: malformed number '" + std::string(s_.substr(start, pos_ - start)) +
                              "' at column " + std::to_string(start) + "; expected digits in the exponent, as in 1e-3");
    }
    const std::string_view token = s_.substr(start, pos_ - start);
    double value = 0.0;
    const auto result = std::from_chars(token.data(), token.data() + token.size(), value);
    if (result.ec == std::errc::result_out_of_range) {
      if (order_of_magnitude(token) > 0)
        throw InvalidArgument("observable: coefficient '" + std::string(token) + "' at column " +
                              std::to_string(start) + " is not finite");
      value = 0.0;  // below the smallest subnormal: rounds to zero
    } else if (result.ec != std::errc{} || result.ptr != token.data() + token.size()) {
      throw InvalidArgument("observable: malformed number '" + std::string(token) + "' at column " +
                            std::to_string(start));
    }
    return value;
  }

  // A term: factors (numbers, Paulis) separated by '*' or whitespace, up to '+', '-' or the end.
  PauliString parse_term(double sign) {
    enum class Last { None, Number, Pauli, Star };
    const std::size_t term_start = pos_;
    std::size_t term_end = pos_, star_at = 0;
    Last last = Last::None;
    double coefficient = sign;
    Index x = 0, z = 0, seen = 0;
    int repeated_qubit = -1;
    std::size_t repeated_at = 0;
    while (true) {
      skip_ws();
      if (at_end() || peek() == '+' || peek() == '-') {
        if (last == Last::None) unexpected(kExpectTermStart);
        if (last == Last::Star) {
          if (at_end()) dangling('*', star_at);
          unexpected(kExpectAfterStar);
        }
        break;
      }
      const char c = peek();
      const std::size_t at = pos_;
      if (c == '*') {
        if (last == Last::None) unexpected(kExpectTermStart);
        if (last == Last::Star) unexpected(kExpectAfterStar);
        last = Last::Star;
        star_at = at;
        ++pos_;
      } else if (is_digit(c) || c == '.') {
        if (last == Last::Number) unexpected(kExpectAfterNumber);
        if (last == Last::Pauli) unexpected(kExpectNumberAfterPauli);
        const double value = parse_number();
        coefficient *= value;
        if (!std::isfinite(coefficient))
          throw InvalidArgument("observable: coefficient '" + std::string(s_.substr(at, pos_ - at)) + "' at column " +
                                std::to_string(at) + " makes the term's coefficient non-finite");
        last = Last::Number;
      } else if (starts_non_finite_word(s_.substr(pos_))) {
        std::size_t e = pos_;
        while (e < s_.size() && is_alpha(s_[e])) ++e;
        throw InvalidArgument("observable: coefficient '" + std::string(s_.substr(pos_, e - pos_)) + "' at column " +
                              std::to_string(pos_) + " is not finite");
      } else if (is_pauli_letter(c)) {
        const char letter = upper(c);
        ++pos_;
        const std::size_t digits_at = pos_;
        while (!at_end() && is_digit(peek())) ++pos_;
        const std::string_view digits = s_.substr(digits_at, pos_ - digits_at);
        if (digits.empty()) {
          if (letter != 'I') unexpected(std::string("a qubit index after '") + c + "', such as " + letter + "0");
        } else {
          int q = 0;
          for (const char d : digits) q = std::min(q * 10 + (d - '0'), kMaxPauliQubits);
          if (q >= kMaxPauliQubits)
            throw InvalidArgument("observable: qubit " + std::string(digits) + " at column " + std::to_string(at) +
                                  " out of range " + half_open_range(0, kMaxPauliQubits));
          if ((seen & bit(q)) != 0 && repeated_qubit < 0) {
            repeated_qubit = q;
            repeated_at = at;
          }
          seen |= bit(q);
          if (letter == 'X' || letter == 'Y') x |= bit(q);
          if (letter == 'Z' || letter == 'Y') z |= bit(q);
        }
        last = Last::Pauli;
      } else {
        switch (last) {
          case Last::None: unexpected(kExpectTermStart);
          case Last::Star: unexpected(kExpectAfterStar);
          case Last::Number: unexpected(kExpectAfterNumber);
          case Last::Pauli: unexpected(kExpectAfterPauli);
        }
      }
      if (last != Last::Star) term_end = pos_;
    }
    if (repeated_qubit >= 0)
      throw InvalidArgument("observable: qubit " + std::to_string(repeated_qubit) + " appears twice in term '" +
                            std::string(s_.substr(term_start, term_end - term_start)) + "' at column " +
                            std::to_string(repeated_at));
    return PauliString(coefficient, x, z);
  }

  static void combine_into_parsed(std::vector<PauliString>& out, const std::vector<PauliString>& terms) {
    std::map<std::pair<Index, Index>, std::size_t> where;
    for (const PauliString& t : terms) {
      const auto [it, inserted] = where.emplace(std::pair{t.x_mask(), t.z_mask()}, out.size());
      if (inserted) {
        out.push_back(t);
        continue;
      }
      const double sum = out[it->second].coefficient() + t.coefficient();
      if (!std::isfinite(sum))
        throw InvalidArgument("observable: coefficient of " + t.operator_string() +
                              " is not finite after adding its equal terms");
      out[it->second] = out[it->second].with_coefficient(sum);
    }
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Expectation values and H|psi>

// Parity of the set bits as 0/1. __builtin_parityll stays inline without -mpopcnt (std::popcount
// calls a libgcc routine there).
[[nodiscard]] inline Index parity_bit(Index v) noexcept {
#if defined(__GNUC__)
  return static_cast<Index>(__builtin_parityll(v));
#else
  return static_cast<Index>(std::popcount(v) & 1);
#endif
}

// v or -v by flipping the sign bit: exact and branch-free.
[[nodiscard]] inline double flip_sign(double v, Index parity) noexcept {
  return std::bit_cast<double>(std::bit_cast<std::uint64_t>(v) ^ (parity << 63));
}

// Amplitudes (or pairs) per sub-block. A sub-block's values are staged in small stack buffers
// (L1-resident) so that each term of a group is one short loop with four independent
// accumulators, whatever the number of terms. Divides kSumChunk, so sub-blocks never straddle the
// fixed reduction chunks and the summation order is the same on any thread count.
constexpr Index kSubBlock = 256;
static_assert(kSumChunk % kSubBlock == 0);

// Item s0 + q of a pass (s0 a multiple of kSubBlock, q < kSubBlock) is the basis index
// spread(s0) | spread(q), spread = insert a zero bit at h (or the identity when h < 0): the two
// parts have disjoint bits, so (-1)^{parity(i & z)} = (-1)^{parity(spread(s0) & z)} (-1)^{parity(spread(q) & z)}.
// The second factor depends on q only: it is tabulated once per term as sign-bit masks.
[[nodiscard]] inline Index spread(Index k, Qubit h) noexcept { return h < 0 ? k : insert_zero_bit(k, h); }

// sum_q v[q] with the sign bits `mask[q]` applied, over four interleaved partial sums in a fixed order.
[[nodiscard]] inline double masked_sum(const double* v, const std::uint64_t* mask, std::size_t len) noexcept {
  double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
  std::size_t k = 0;
  for (; k + 4 <= len; k += 4) {
    a0 += std::bit_cast<double>(std::bit_cast<std::uint64_t>(v[k]) ^ mask[k]);
    a1 += std::bit_cast<double>(std::bit_cast<std::uint64_t>(v[k + 1]) ^ mask[k + 1]);
    a2 += std::bit_cast<double>(std::bit_cast<std::uint64_t>(v[k + 2]) ^ mask[k + 2]);
    a3 += std::bit_cast<double>(std::bit_cast<std::uint64_t>(v[k + 3]) ^ mask[k + 3]);
  }
  for (; k < len; ++k) a0 += std::bit_cast<double>(std::bit_cast<std::uint64_t>(v[k]) ^ mask[k]);
  return (a0 + a1) + (a2 + a3);
}

void check_qubits(const PauliSum& h, int num_qubits) { check_observable_fits(h.num_qubits_needed(), num_qubits); }

// values[k] = <psi|P_k|psi> for the bare operators P_k = i^{nY} X^x Z^{zs[k]} (coefficient 1).
//
// x = 0: sum_i |psi_i|^2 (-1)^{popcount(i & z)}.
// x != 0: with h the highest bit of x, pair i (bit h clear) with j = i ^ x and w = conj(psi_j) psi_i.
// The two indices contribute i^{nY} [w s(i) + conj(w) s(j)] with s(j) = (-1)^{nY} s(i), that is
// 2 (-1)^{nY/2} s(i) Re w for even nY and 2 (-1)^{(nY+1)/2} s(i) Im w for odd nY: one real
// accumulator per term over 2^(n-1) pairs.
template <class R>
void group_expectations(const StateVector<R>& state, Index x, std::span<const Index> zs, double* values,
                        const Parallelism& par) {
  const Complex<R>* psi = state.data();
  const std::size_t k = zs.size();
  const Qubit h = x == 0 ? -1 : std::bit_width(x) - 1;
  const Index items = x == 0 ? state.size() : state.size() / 2;
  const std::size_t block = static_cast<std::size_t>(std::min(kSubBlock, items));

  // Per term: sign masks of the in-block offsets, and whether it reads Im w (odd number of Y).
  std::vector<std::uint64_t> masks(k * block);
  std::vector<std::uint8_t> odd(k);
  for (std::size_t t = 0; t < k; ++t) {
    odd[t] = static_cast<std::uint8_t>(popcount(x & zs[t]) & 1);
    for (std::size_t q = 0; q < block; ++q) masks[t * block + q] = parity_bit(spread(q, h) & zs[t]) << 63;
  }

  // How pairs read psi[i] and psi[j = i ^ x]. Directly when the access is sequential at cache-line
  // granularity (i and j in one line) or i and j both run through long contiguous stretches
  // (2^ctz(x) amplitudes, at least 64 KiB). Otherwise the direct gather defeats the hardware
  // prefetchers (short runs that leapfrog or alternate), so each sub-block's amplitudes are first
  // copied, in ascending address order, to a stack buffer: with h < 8 its 2 * 256 amplitudes are
  // one contiguous range, otherwise two runs of 256 (the i run, and the j run permuted inside by
  // the low bits of x). Measured on 2^24 double amplitudes (serial, 2-core EPYC VM): direct 16 ms
  // for x = 1 or 1 << 23 but 30-50 ms for x = 1 << 5, 0b1100000, 1 << 8 or (1 << 23) | 32;
  // staged 24-32 ms for all of these; norm_squared() 14 ms.
  constexpr Index kLine = 64 / sizeof(Complex<R>);  // amplitudes per cache line
  const bool direct = x != 0 && ((Index{2} << h) <= kLine || std::countr_zero(x) >= 12);
  const bool low = h >= 0 && (Index{1} << h) < kSubBlock;
  std::vector<std::uint16_t> i_off(x == 0 || direct ? 0 : block), j_off(i_off.size());
  for (std::size_t q = 0; q < i_off.size(); ++q) {
    const Index iq = spread(q, h);
    i_off[q] = static_cast<std::uint16_t>(low ? iq : q);
    j_off[q] = static_cast<std::uint16_t>(low ? (iq ^ x) : kSubBlock + (q ^ (x & (kSubBlock - 1))));
  }
  const Index x_high = x & ~(kSubBlock - 1);

  parallel_sums(items, k, values, par, [&](Index b, Index e, double* acc) noexcept {
    double v_re[kSubBlock], v_im[kSubBlock];
    double a_re[2 * kSubBlock], a_im[2 * kSubBlock];
    for (Index s0 = b; s0 < e; s0 += kSubBlock) {
      const std::size_t len = static_cast<std::size_t>(std::min(kSubBlock, e - s0));
      const Index base = spread(s0, h);
      if (x == 0) {
        for (std::size_t q = 0; q < len; ++q) {
          const Complex<R> a = psi[base + q];
          const double re = static_cast<double>(a.real()), im = static_cast<double>(a.imag());
          v_re[q] = re * re + im * im;
        }
      } else if (direct) {
        for (std::size_t q = 0; q < len; ++q) {
          const Index i = base | spread(q, h), j = i ^ x;
          const double ir = static_cast<double>(psi[i].real()), ii = static_cast<double>(psi[i].imag());
          const double jr = static_cast<double>(psi[j].real()), ji = static_cast<double>(psi[j].imag());
          v_re[q] = jr * ir + ji * ii;  // conj(psi_j) psi_i
          v_im[q] = jr * ii - ji * ir;
        }
      } else {
        const auto stage = [&](std::size_t to, Index from, std::size_t count) noexcept {
          for (std::size_t r = 0; r < count; ++r) {
            a_re[to + r] = static_cast<double>(psi[from + r].real());
            a_im[to + r] = static_cast<double>(psi[from + r].imag());
          }
        };
        if (low) {
          stage(0, base, 2 * len);
        } else {
          stage(0, base, len);
          stage(kSubBlock, base ^ x_high, len);
        }
        for (std::size_t q = 0; q < len; ++q) {
          const std::size_t i = i_off[q], j = j_off[q];
          v_re[q] = a_re[j] * a_re[i] + a_im[j] * a_im[i];  // conj(psi_j) psi_i
          v_im[q] = a_re[j] * a_im[i] - a_im[j] * a_re[i];
        }
      }
      for (std::size_t t = 0; t < k; ++t) {
        const double sum = masked_sum(odd[t] != 0 ? v_im : v_re, masks.data() + t * block, len);
        acc[t] += flip_sign(sum, parity_bit(base & zs[t]));
      }
    }
  });
  if (x == 0) return;  // diagonal: already the value; pairs count each twice, with the phase of i^{nY}
  for (std::size_t t = 0; t < k; ++t) {
    const int ny = popcount(x & zs[t]);
    const int quarter_turns = (ny & 1) != 0 ? (ny + 1) / 2 : ny / 2;
    values[t] *= (quarter_turns & 1) != 0 ? -2.0 : 2.0;
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PauliString

void check_observable_fits(int needed, int num_qubits) {
  if (needed > num_qubits)
    throw InvalidArgument("observable acts on qubit " + std::to_string(needed - 1) + " but the state has " +
                          plural(num_qubits, "qubit"));
}

PauliString::PauliString(double coefficient, Index x_mask, Index z_mask)
    : coefficient_(coefficient), x_mask_(x_mask), z_mask_(z_mask) {
  check_finite(coefficient, "Pauli string: coefficient");
}

PauliString PauliString::single(Pauli pauli, Qubit q, double coefficient) {
  check_index(q, kMaxPauliQubits, "Pauli string: qubit");
  const Index b = bit(q);
  switch (pauli) {
    case Pauli::I: return PauliString(coefficient, 0, 0);
    case Pauli::X: return PauliString(coefficient, b, 0);
    case Pauli::Y: return PauliString(coefficient, b, b);
    case Pauli::Z: return PauliString(coefficient, 0, b);
  }
  throw InvalidArgument("Pauli string: unknown Pauli");
}

int PauliString::num_y() const noexcept { return popcount(x_mask_ & z_mask_); }

int PauliString::num_qubits_needed() const noexcept { return static_cast<int>(std::bit_width(x_mask_ | z_mask_)); }

Pauli PauliString::pauli(Qubit q) const noexcept {
  if (q < 0 || q >= kMaxPauliQubits) return Pauli::I;
  const bool xb = ((x_mask_ >> q) & 1U) != 0, zb = ((z_mask_ >> q) & 1U) != 0;
  if (xb) return zb ? Pauli::Y : Pauli::X;
  return zb ? Pauli::Z : Pauli::I;
}

PauliString PauliString::with_coefficient(double coefficient) const {
  return PauliString(coefficient, x_mask_, z_mask_);
}

std::string PauliString::operator_string() const {
  if (is_identity()) return "I";
  std::string out;
  for (Index m = x_mask_ | z_mask_; m != 0; m &= m - 1) {
    const int q = std::countr_zero(m);
    if (!out.empty()) out += ' ';
    out += static_cast<char>(pauli(q));
    out += std::to_string(q);
  }
  return out;
}

std::string PauliString::to_string() const {
  if (is_identity()) return format_number(coefficient_);
  if (coefficient_ == 1.0) return operator_string();
  // Appending (not "-" + string): GCC 12 warns falsely (-Wrestrict) on operator+(const char*, string&&).
  std::string out = coefficient_ == -1.0 ? std::string("-") : format_number(coefficient_) + "*";
  out += operator_string();
  return out;
}

PauliString operator*(double scalar, const PauliString& p) { return p.with_coefficient(scalar * p.coefficient()); }
PauliString operator*(const PauliString& p, double scalar) { return scalar * p; }

// ---------------------------------------------------------------------------------------------
// PauliSum

PauliSum::PauliSum(std::vector<PauliString> terms) { combine_into(terms_, terms, 1.0); }

PauliSum::PauliSum(const PauliString& term) : terms_{term} {}

PauliSum PauliSum::parse(std::string_view text) { return Parser(text).parse(); }

int PauliSum::num_qubits_needed() const noexcept {
  int n = 0;
  for (const PauliString& t : terms_) n = std::max(n, t.num_qubits_needed());
  return n;
}

bool PauliSum::is_diagonal() const noexcept {
  return std::all_of(terms_.begin(), terms_.end(), [](const PauliString& t) { return t.is_diagonal(); });
}

double PauliSum::constant() const noexcept {
  for (const PauliString& t : terms_)
    if (t.is_identity()) return t.coefficient();
  return 0.0;
}

PauliSum PauliSum::simplified(double tolerance) const {
  PauliSum out;
  for (const PauliString& t : terms_)
    if (std::abs(t.coefficient()) > tolerance) out.terms_.push_back(t);
  return out;
}

std::string PauliSum::to_string() const {
  if (terms_.empty()) return "0";
  std::string out;
  for (const PauliString& t : terms_) {
    if (out.empty()) {
      out = t.to_string();
    } else if (std::signbit(t.coefficient())) {
      out += " - " + t.with_coefficient(-t.coefficient()).to_string();
    } else {
      out += " + " + t.to_string();
    }
  }
  return out;
}

PauliSum& PauliSum::operator+=(const PauliSum& other) {
  // Copy first: `other` may be *this.
  const std::vector<PauliString> add = other.terms_;
  combine_into(terms_, add, 1.0);
  return *this;
}

PauliSum& PauliSum::operator-=(const PauliSum& other) {
  const std::vector<PauliString> add = other.terms_;
  combine_into(terms_, add, -1.0);
  return *this;
}

PauliSum& PauliSum::operator*=(double scalar) {
  std::vector<PauliString> scaled;
  scaled.reserve(terms_.size());
  for (const PauliString& t : terms_) {
    const double c = scalar * t.coefficient();
    check_sum_coefficient(c, t);
    scaled.push_back(t.with_coefficient(c));
  }
  terms_ = std::move(scaled);
  return *this;
}

PauliSum operator+(PauliSum a, const PauliSum& b) {
  a += b;
  return a;
}
PauliSum operator-(PauliSum a, const PauliSum& b) {
  a -= b;
  return a;
}
PauliSum operator-(PauliSum a) {
  a *= -1.0;
  return a;
}
PauliSum operator*(double scalar, PauliSum a) {
  a *= scalar;
  return a;
}
PauliSum operator*(PauliSum a, double scalar) {
  a *= scalar;
  return a;
}

// ---------------------------------------------------------------------------------------------
// Expectation values

template <class R>
std::vector<double> expectations(std::span<const PauliSum> observables, const StateVector<R>& state,
                                 const Parallelism& par) {
  for (const PauliSum& h : observables) check_qubits(h, state.num_qubits());

  // Distinct operators of all sums, sorted by (x, z): equal x masks are adjacent and form a group.
  std::vector<std::pair<Index, Index>> keys;
  for (const PauliSum& h : observables)
    for (const PauliString& t : h.terms()) keys.emplace_back(t.x_mask(), t.z_mask());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());

  // Each operator's value depends only on its own accumulator, so it is bit-identical whatever
  // else shares its pass: expectations() and expectation() agree exactly.
  std::vector<double> values(keys.size());
  std::vector<Index> zs;
  for (std::size_t g0 = 0; g0 < keys.size();) {
    std::size_t g1 = g0;
    zs.clear();
    while (g1 < keys.size() && keys[g1].first == keys[g0].first) zs.push_back(keys[g1++].second);
    group_expectations(state, keys[g0].first, zs, values.data() + g0, par);
    g0 = g1;
  }

  std::vector<double> out;
  out.reserve(observables.size());
  for (const PauliSum& h : observables) {
    double e = 0.0;
    for (const PauliString& t : h.terms()) {
      const auto it = std::lower_bound(keys.begin(), keys.end(), std::pair{t.x_mask(), t.z_mask()});
      e += t.coefficient() * values[static_cast<std::size_t>(it - keys.begin())];
    }
    out.push_back(e);
  }
  return out;
}

template <class R>
double expectation(const PauliSum& observable, const StateVector<R>& state, const Parallelism& par) {
  return expectations(std::span<const PauliSum>(&observable, 1), state, par)[0];
}

template <class R>
void apply(const PauliSum& observable, const StateVector<R>& in, StateVector<R>& out, const Parallelism& par) {
  if (&in == &out) throw InvalidArgument("observable apply: the output state must differ from the input state");
  if (in.num_qubits() != out.num_qubits())
    throw InvalidArgument("observable apply: output state has " + std::to_string(out.num_qubits()) +
                          " qubits but the input has " + std::to_string(in.num_qubits()));
  check_qubits(observable, in.num_qubits());

  // (P in)[j] = i^{nY} (-1)^{popcount((j ^ x) & z)} in[j ^ x]. Fold c i^{nY} into a real factor f
  // and a flag for the odd powers of i. Terms sorted by (x, z): equal x masks form a group.
  struct Term {
    Index x, z, odd;
    double f;
  };
  std::vector<Term> terms;
  terms.reserve(observable.size());
  for (const PauliString& t : observable.terms()) {
    const int ny = t.num_y();
    const double f = ((ny / 2) & 1) != 0 ? -t.coefficient() : t.coefficient();
    terms.push_back({t.x_mask(), t.z_mask(), static_cast<Index>(ny & 1), f});
  }
  std::sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.x != b.x ? a.x < b.x : a.z < b.z; });
  std::vector<std::size_t> group_begin;
  for (std::size_t k = 0; k < terms.size(); ++k)
    if (k == 0 || terms[k].x != terms[k - 1].x) group_begin.push_back(k);
  group_begin.push_back(terms.size());
  const std::size_t groups = group_begin.size() - 1;

  // Outputs in sub-blocks j = s0 + q (s0 a multiple of kSubBlock): i = j ^ x = (s0 ^ x_high) | (q ^ x_low),
  // so the sign (-1)^{parity(i & z)} is a per-block factor times a per-term table over q. Each
  // group stages in[j ^ x] once (as doubles); each term is then a branch-free loop over the block.
  // Every output is a sum over the terms in one fixed order: the thread count changes nothing.
  const Index size = in.size();
  const std::size_t block = static_cast<std::size_t>(std::min(kSubBlock, size));
  std::vector<std::uint64_t> masks(terms.size() * block);
  for (std::size_t t = 0; t < terms.size(); ++t)
    for (std::size_t q = 0; q < block; ++q)
      masks[t * block + q] = parity_bit((q ^ (terms[t].x & (kSubBlock - 1))) & terms[t].z) << 63;

  const Complex<R>* src = in.data();
  Complex<R>* dst = out.data();
  parallel_for(size, kSubBlock, par, [&](Index b, Index e) noexcept {
    double acc_re[kSubBlock], acc_im[kSubBlock], a_re[kSubBlock], a_im[kSubBlock];
    for (Index s0 = b; s0 < e; s0 += kSubBlock) {
      const std::size_t len = static_cast<std::size_t>(std::min(kSubBlock, e - s0));
      std::fill(acc_re, acc_re + len, 0.0);
      std::fill(acc_im, acc_im + len, 0.0);
      for (std::size_t g = 0; g < groups; ++g) {
        const Index x = terms[group_begin[g]].x;
        for (std::size_t q = 0; q < len; ++q) {
          const Complex<R> a = src[(s0 + q) ^ x];
          a_re[q] = static_cast<double>(a.real());
          a_im[q] = static_cast<double>(a.imag());
        }
        const Index high = (s0 ^ x) & ~(kSubBlock - 1);
        for (std::size_t t = group_begin[g]; t < group_begin[g + 1]; ++t) {
          const double f = flip_sign(terms[t].f, parity_bit(high & terms[t].z));
          const std::uint64_t* m = masks.data() + t * block;
          if (terms[t].odd != 0) {  // times i: (re, im) -> (-im, re)
            for (std::size_t q = 0; q < len; ++q) {
              const double fq = std::bit_cast<double>(std::bit_cast<std::uint64_t>(f) ^ m[q]);
              acc_re[q] -= fq * a_im[q];
              acc_im[q] += fq * a_re[q];
            }
          } else {
            for (std::size_t q = 0; q < len; ++q) {
              const double fq = std::bit_cast<double>(std::bit_cast<std::uint64_t>(f) ^ m[q]);
              acc_re[q] += fq * a_re[q];
              acc_im[q] += fq * a_im[q];
            }
          }
        }
      }
      for (std::size_t q = 0; q < len; ++q)
        dst[s0 + q] = Complex<R>(static_cast<R>(acc_re[q]), static_cast<R>(acc_im[q]));
    }
  });
}

template double expectation<double>(const PauliSum&, const StateVector<double>&, const Parallelism&);
template double expectation<float>(const PauliSum&, const StateVector<float>&, const Parallelism&);
template std::vector<double> expectations<double>(std::span<const PauliSum>, const StateVector<double>&, const Parallelism&);
template std::vector<double> expectations<float>(std::span<const PauliSum>, const StateVector<float>&, const Parallelism&);
template void apply<double>(const PauliSum&, const StateVector<double>&, StateVector<double>&, const Parallelism&);
template void apply<float>(const PauliSum&, const StateVector<float>&, StateVector<float>&, const Parallelism&);

}  // namespace qmlsim

#include "simulator/observables/pauli.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "simulator/circuit/library.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/state_vector.hpp"
#include "simulator/execution/simulator.hpp"

namespace qmlsim {
namespace {

using testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Dense reference: 2^n x 2^n matrices built by Kronecker products of 2x2 Paulis, qubit 0 the least
// significant bit, so the matrix of "P_{n-1} ... P_1 P_0" is P_{n-1} (x) ... (x) P_1 (x) P_0.

struct Dense {
  std::size_t dim = 0;
  std::vector<cdouble> a;  // row-major
  cdouble& operator()(std::size_t r, std::size_t c) { return a[r * dim + c]; }
  cdouble operator()(std::size_t r, std::size_t c) const { return a[r * dim + c]; }
};

Dense zeros(std::size_t dim) { return Dense{dim, std::vector<cdouble>(dim * dim)}; }

Dense pauli2(char p) {
  const cdouble i(0, 1);
  Dense m = zeros(2);
  switch (p) {
    case 'I': m(0, 0) = 1; m(1, 1) = 1; break;
    case 'X': m(0, 1) = 1; m(1, 0) = 1; break;
    case 'Y': m(0, 1) = -i; m(1, 0) = i; break;
    case 'Z': m(0, 0) = 1; m(1, 1) = -1; break;
    default: ADD_FAILURE() << "bad Pauli " << p;
  }
  return m;
}

Dense kron(const Dense& a, const Dense& b) {
  Dense m = zeros(a.dim * b.dim);
  for (std::size_t r1 = 0; r1 < a.dim; ++r1)
    for (std::size_t c1 = 0; c1 < a.dim; ++c1)
      for (std::size_t r2 = 0; r2 < b.dim; ++r2)
        for (std::size_t c2 = 0; c2 < b.dim; ++c2) m(r1 * b.dim + r2, c1 * b.dim + c2) = a(r1, c1) * b(r2, c2);
  return m;
}

// letters[q] is the Pauli on qubit q.
Dense dense_pauli(const std::string& letters) {
  Dense m = pauli2(letters.back());
  for (std::size_t k = letters.size() - 1; k-- > 0;) m = kron(m, pauli2(letters[k]));
  return m;
}

void add_scaled(Dense& acc, const Dense& m, double c) {
  for (std::size_t k = 0; k < acc.a.size(); ++k) acc.a[k] += c * m.a[k];
}

std::vector<cdouble> mat_vec(const Dense& m, const std::vector<cdouble>& v) {
  std::vector<cdouble> out(m.dim);
  for (std::size_t r = 0; r < m.dim; ++r)
    for (std::size_t c = 0; c < m.dim; ++c) out[r] += m(r, c) * v[c];
  return out;
}

cdouble dense_expectation(const Dense& m, const std::vector<cdouble>& psi) {
  const std::vector<cdouble> mv = mat_vec(m, psi);
  cdouble e = 0;
  for (std::size_t k = 0; k < psi.size(); ++k) e += std::conj(psi[k]) * mv[k];
  return e;
}

std::vector<cdouble> random_amplitudes(int n, Rng& rng) {
  std::vector<cdouble> a(std::size_t{1} << n);
  double norm2 = 0;
  for (auto& x : a) {
    x = cdouble(rng.normal(), rng.normal());
    norm2 += std::norm(x);
  }
  for (auto& x : a) x /= std::sqrt(norm2);
  return a;
}

std::string format_exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A random sum as text (random X/Y/Z/I per qubit, normal coefficients, mixed sign spellings)
// and, if `matrix` is given (small n only), its dense matrix built independently from the letters.
std::string random_sum_text(int n, int terms, Rng& rng, Dense* matrix = nullptr) {
  std::string text;
  for (int t = 0; t < terms; ++t) {
    std::string letters(static_cast<std::size_t>(n), 'I');
    std::string ops;
    for (int q = 0; q < n; ++q) {
      const char l = "IXYZ"[rng.below(4)];
      letters[static_cast<std::size_t>(q)] = l;
      if (l != 'I') {
        if (!ops.empty()) ops += rng.below(2) != 0 ? " " : "*";
        ops += l + std::to_string(q);
      }
    }
    double c = rng.normal();
    if (matrix) add_scaled(*matrix, dense_pauli(letters), c);
    if (t > 0) {
      if (c < 0 && rng.below(2) != 0) {
        text += " - ";
        c = -c;
      } else {
        text += " + ";
      }
    }
    text += format_exact(c);
    if (!ops.empty()) text += "*" + ops;
  }
  return text;
}

struct RandomSum {
  std::string text;
  Dense matrix;
};

RandomSum random_sum(int n, int terms, Rng& rng) {
  RandomSum out{"", zeros(std::size_t{1} << n)};
  out.text = random_sum_text(n, terms, rng, &out.matrix);
  return out;
}

// Reference for larger states: P|v> by applying each factor of `letters` (letters[q] on qubit q)
// as its 2x2 matrix on the amplitude pairs that differ in bit q.
std::vector<cdouble> apply_paulis(const std::string& letters, std::vector<cdouble> v) {
  for (std::size_t q = 0; q < letters.size(); ++q) {
    if (letters[q] == 'I') continue;
    const Dense m = pauli2(letters[q]);
    const std::size_t b = std::size_t{1} << q;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if ((i & b) != 0) continue;
      const cdouble a0 = v[i], a1 = v[i | b];
      v[i] = m(0, 0) * a0 + m(0, 1) * a1;
      v[i | b] = m(1, 0) * a0 + m(1, 1) * a1;
    }
  }
  return v;
}

// The letters of a product written "X8 Y3" on n qubits (read here, not by the code under test).
std::string letters_of(const std::string& spec, int n) {
  std::string letters(static_cast<std::size_t>(n), 'I');
  std::istringstream in(spec);
  std::string factor;
  while (in >> factor) letters[static_cast<std::size_t>(std::stoi(factor.substr(1)))] = factor[0];
  return letters;
}

template <class F>
void expect_invalid(F&& f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "expected InvalidArgument containing: " << message;
  } catch (const InvalidArgument& e) {
    EXPECT_THAT(e.what(), HasSubstr(message));
  }
}

void expect_parse_error(const std::string& text, const std::string& message) {
  SCOPED_TRACE("text: '" + text + "'");
  expect_invalid([&] { (void)PauliSum::parse(text); }, message);
}

// ---------------------------------------------------------------------------------------------
// PauliString

TEST(PauliStringTest, MasksAccessorsAndText) {
  const PauliString p(0.5, 0b0110, 0b1100);  // X1 Y2 Z3
  EXPECT_EQ(p.coefficient(), 0.5);
  EXPECT_EQ(p.num_y(), 1);
  EXPECT_EQ(p.num_qubits_needed(), 4);
  EXPECT_EQ(p.pauli(0), Pauli::I);
  EXPECT_EQ(p.pauli(1), Pauli::X);
  EXPECT_EQ(p.pauli(2), Pauli::Y);
  EXPECT_EQ(p.pauli(3), Pauli::Z);
  EXPECT_EQ(p.pauli(70), Pauli::I);
  EXPECT_FALSE(p.is_diagonal());
  EXPECT_EQ(p.to_string(), "0.5*X1 Y2 Z3");
  EXPECT_EQ(p.operator_string(), "X1 Y2 Z3");

  const PauliString id;
  EXPECT_TRUE(id.is_identity());
  EXPECT_EQ(id.num_qubits_needed(), 0);
  EXPECT_EQ(id.to_string(), "1");
  EXPECT_EQ(id.operator_string(), "I");
  EXPECT_EQ(PauliString(-2.5, 0, 0).to_string(), "-2.5");
  EXPECT_EQ(PauliString(1.0, 0, 0b11).to_string(), "Z0 Z1");
  EXPECT_EQ(PauliString(-1.0, 1, 1).to_string(), "-Y0");

  EXPECT_EQ(PauliString::single(Pauli::Y, 63, 2.0), PauliString(2.0, Index{1} << 63, Index{1} << 63));
  EXPECT_EQ(PauliString::single(Pauli::Y, 63).num_qubits_needed(), 64);
  EXPECT_EQ(PauliString::single(Pauli::X, 2), PauliString(1.0, 4, 0));
  EXPECT_EQ(PauliString::single(Pauli::Z, 0), PauliString(1.0, 0, 1));
  EXPECT_TRUE(PauliString::single(Pauli::I, 5).is_identity());
  EXPECT_EQ(3.0 * PauliString::single(Pauli::Z, 1), PauliString(3.0, 0, 2));
  EXPECT_TRUE(PauliString(2.0, 1, 0).same_operator(PauliString(-1.0, 1, 0)));
  EXPECT_FALSE(PauliString(2.0, 1, 0).same_operator(PauliString(2.0, 1, 1)));
}

TEST(PauliStringTest, RejectsBadValues) {
  expect_invalid([] { (void)PauliString(std::numeric_limits<double>::quiet_NaN(), 0, 1); },
                 "Pauli string: coefficient = nan is not finite");
  expect_invalid([] { (void)PauliString(std::numeric_limits<double>::infinity(), 0, 1); },
                 "Pauli string: coefficient = inf is not finite");
  expect_invalid([] { (void)PauliString::single(Pauli::X, 64); }, "Pauli string: qubit 64 out of range [0, 64)");
  expect_invalid([] { (void)PauliString::single(Pauli::X, -1); }, "Pauli string: qubit -1 out of range [0, 64)");
  expect_invalid([] { (void)(1e300 * PauliString(1e10, 0, 1)); }, "not finite");
}

// ---------------------------------------------------------------------------------------------
// Parsing

TEST(PauliSumParseTest, BriefExamples) {
  const PauliSum h = PauliSum::parse("0.5*Z0 Z1 - 0.2*X2 + 1.5");
  ASSERT_EQ(h.size(), 3U);
  EXPECT_EQ(h.terms()[0], PauliString(0.5, 0, 0b11));
  EXPECT_EQ(h.terms()[1], PauliString(-0.2, 0b100, 0));
  EXPECT_EQ(h.terms()[2], PauliString(1.5, 0, 0));
  EXPECT_EQ(h.constant(), 1.5);
  EXPECT_EQ(h.num_qubits_needed(), 3);
  EXPECT_FALSE(h.is_diagonal());
  EXPECT_EQ(h.to_string(), "0.5*Z0 Z1 - 0.2*X2 + 1.5");

  EXPECT_EQ(PauliSum::parse("Z0*Z1").terms(), std::vector<PauliString>{PauliString(1.0, 0, 0b11)});
  EXPECT_EQ(PauliSum::parse("-Y3").terms(), std::vector<PauliString>{PauliString(-1.0, 8, 8)});
  EXPECT_EQ(PauliSum::parse("2 * X0 X1").terms(), std::vector<PauliString>{PauliString(2.0, 0b11, 0)});
  EXPECT_EQ(PauliSum::parse("Z0 Z1 + 0.25 * X0").terms(),
            (std::vector<PauliString>{PauliString(1.0, 0, 0b11), PauliString(0.25, 1, 0)}));
  const PauliSum small = PauliSum::parse("1e-3*Z5");
  EXPECT_EQ(small.terms(), std::vector<PauliString>{PauliString(1e-3, 0, 32)});
  EXPECT_EQ(small.num_qubits_needed(), 6);
  EXPECT_TRUE(small.is_diagonal());
  for (const char* identity : {"I", "I0", "i", "i7", " I "}) {
    const PauliSum id = PauliSum::parse(identity);
    EXPECT_EQ(id.terms(), std::vector<PauliString>{PauliString()}) << identity;
    EXPECT_EQ(id.num_qubits_needed(), 0) << identity;
  }
}

TEST(PauliSumParseTest, AcceptsSpellingVariants) {
  const auto terms = [](const char* text) { return PauliSum::parse(text).terms(); };
  using V = std::vector<PauliString>;
  EXPECT_EQ(terms("z0 + x1 y2"), (V{PauliString(1, 0, 1), PauliString(1, 0b110, 0b100)}));
  EXPECT_EQ(terms(" \t0.5 * Z0\n+ 1.5E+2*X1 "), (V{PauliString(0.5, 0, 1), PauliString(150, 2, 0)}));
  EXPECT_EQ(terms("Z0Z1"), (V{PauliString(1, 0, 3)}));
  EXPECT_EQ(terms("X0Y1Z2"), (V{PauliString(1, 0b011, 0b110)}));
  EXPECT_EQ(terms("0.5 Z0"), (V{PauliString(0.5, 0, 1)}));
  EXPECT_EQ(terms("0.5Z0"), (V{PauliString(0.5, 0, 1)}));
  EXPECT_EQ(terms("Z0 * 2 * X1"), (V{PauliString(2, 2, 1)}));
  EXPECT_EQ(terms("2*3*Z0"), (V{PauliString(6, 0, 1)}));
  EXPECT_EQ(terms(".5*Z0 + 1.*Z1 + 2.5e-1*Z2"),
            (V{PauliString(0.5, 0, 1), PauliString(1, 0, 2), PauliString(0.25, 0, 4)}));
  EXPECT_EQ(terms("Z0 + -0.5*X1 - -Y2 - +Z3"),
            (V{PauliString(1, 0, 1), PauliString(-0.5, 2, 0), PauliString(1, 4, 4), PauliString(-1, 0, 8)}));
  EXPECT_EQ(terms("+Z0"), (V{PauliString(1, 0, 1)}));
  EXPECT_EQ(terms("Z007"), (V{PauliString(1, 0, 128)}));
  EXPECT_EQ(terms("Z63"), (V{PauliString(1, 0, Index{1} << 63)}));
  EXPECT_EQ(terms("I0 Z1"), (V{PauliString(1, 0, 2)}));
  EXPECT_EQ(terms("3 * I2 + 1"), (V{PauliString(4, 0, 0)}));
  EXPECT_EQ(terms("1e-999*Z0"), (V{PauliString(0, 0, 1)}));  // underflows to zero
}

TEST(PauliSumParseTest, CombinesEqualOperatorsInFirstAppearanceOrder) {
  using V = std::vector<PauliString>;
  EXPECT_EQ(PauliSum::parse("Z0 + X1 + Z0 - 0.5*Z0").terms(), (V{PauliString(1.5, 0, 1), PauliString(1, 2, 0)}));
  EXPECT_EQ(PauliSum::parse("Z0 Z1 + Z1 Z0").terms(), (V{PauliString(2, 0, 3)}));
  EXPECT_EQ(PauliSum::parse("Y1 X0 - 2*X0*Y1").terms(), (V{PauliString(-1, 3, 2)}));
  // Cancelling terms stay (with coefficient zero) until simplified().
  const PauliSum h = PauliSum::parse("Z3 - Z3 + X0");
  EXPECT_EQ(h.terms(), (V{PauliString(0, 0, 8), PauliString(1, 1, 0)}));
  EXPECT_EQ(h.simplified().terms(), (V{PauliString(1, 1, 0)}));
}

TEST(PauliSumParseTest, ToStringRoundTrips) {
  for (const char* text : {"0.5*Z0 Z1 - 0.2*X2 + 1.5", "Z0 Z1", "-Y3", "2*X0 X1", "1", "-0.125*Y62 X63",
                           "0.001*Z5 - 1e-300*X0 + 1e+300"}) {
    const PauliSum h = PauliSum::parse(text);
    EXPECT_EQ(h.to_string(), text);
    EXPECT_EQ(PauliSum::parse(h.to_string()), h) << text;
  }
  Rng rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 1 + static_cast<int>(rng.below(8));
    const std::string text = random_sum_text(n, 1 + static_cast<int>(rng.below(6)), rng);
    const PauliSum h = PauliSum::parse(text);
    EXPECT_EQ(PauliSum::parse(h.to_string()), h) << text << " -> " << h.to_string();
    // Every coefficient survives exactly, including those written with 17 digits.
    for (const PauliString& t : h.terms()) EXPECT_TRUE(std::isfinite(t.coefficient()));
  }
  EXPECT_EQ(PauliSum().to_string(), "0");
  EXPECT_EQ(PauliSum::parse(PauliSum().to_string()).constant(), 0.0);
}

TEST(PauliSumParseTest, ErrorsNameColumnAndExpectation) {
  expect_parse_error("Z0 + 1*%", "observable: unexpected character '%' at column 7; expected a Pauli term such as Z0");
  expect_parse_error("Z0 + %", "observable: unexpected character '%' at column 5; expected a Pauli term such as Z0");
  expect_parse_error("0.5*Z0 %", "observable: unexpected character '%' at column 7; expected '*', a Pauli such as Z1");
  expect_parse_error("Z1 X1", "observable: qubit 1 appears twice in term 'Z1 X1' at column 3");
  expect_parse_error("Z0 + 0.5*Y2 X3 Z2 - X1", "observable: qubit 2 appears twice in term '0.5*Y2 X3 Z2' at column 15");
  expect_parse_error("I1 Z1", "qubit 1 appears twice in term 'I1 Z1'");
  expect_parse_error("", "observable: empty text; expected a sum of Pauli terms");
  expect_parse_error(" \t\n", "observable: empty text");
  expect_parse_error("Z64", "observable: qubit 64 at column 0 out of range [0, 64)");
  expect_parse_error("X0 Z99999999999999999999", "observable: qubit 99999999999999999999 at column 3 out of range [0, 64)");
  expect_parse_error("Z0 +", "observable: dangling '+' at column 3; expected a Pauli term such as Z0 after it");
  expect_parse_error("Z0 -  ", "observable: dangling '-' at column 3");
  expect_parse_error("Z0 + -", "observable: dangling '-' at column 5");
  expect_parse_error("-", "observable: dangling '-' at column 0");
  expect_parse_error("Z0 *", "observable: dangling '*' at column 3; expected a Pauli term such as Z0 after it");
  expect_parse_error("Z0 * + Z1", "observable: unexpected character '+' at column 5; expected a Pauli term such as Z0");
  expect_parse_error("*Z0", "observable: unexpected character '*' at column 0; expected a Pauli term such as Z0");
  expect_parse_error("Z0 ** Z1", "observable: unexpected character '*' at column 4");
  expect_parse_error("Z0 + + + Z1", "observable: unexpected character '+' at column 7");
  expect_parse_error("--Z0", "observable: unexpected character '-' at column 1");
  expect_parse_error("1e999*Z0", "observable: coefficient '1e999' at column 0 is not finite");
  expect_parse_error("Z0 + inf*Z1", "observable: coefficient 'inf' at column 5 is not finite");
  expect_parse_error("NaN*Z1", "observable: coefficient 'NaN' at column 0 is not finite");
  expect_parse_error("1e200*1e200*Z0", "observable: coefficient '1e200' at column 6 makes the term's coefficient non-finite");
  expect_parse_error("1e308*Z0 + 1e308*Z0", "observable: coefficient of Z0 is not finite after adding its equal terms");
  expect_parse_error("ZZ", "observable: unexpected character 'Z' at column 1; expected a qubit index after 'Z', such as Z0");
  expect_parse_error("x", "observable: unexpected end of text at column 1; expected a qubit index after 'x', such as X0");
  expect_parse_error("Z 0", "observable: unexpected character ' ' at column 1; expected a qubit index");
  expect_parse_error("Z-1", "observable: unexpected character '-' at column 1; expected a qubit index");
  expect_parse_error("2 3*Z0", "observable: unexpected character '3' at column 2; expected '*'");
  expect_parse_error("Z0 0.5", "observable: unexpected character '0' at column 3; expected '*' before a number");
  expect_parse_error("Z0.5", "observable: unexpected character '.' at column 2; expected '*' before a number");
  expect_parse_error("1e*Z0", "observable: malformed number '1e' at column 0; expected digits in the exponent");
  expect_parse_error("Z0 + .", "observable: malformed number '.' at column 5; expected digits");
  expect_parse_error("Z0 \x01", "observable: unexpected character byte 0x01 at column 3");
  expect_parse_error("(Z0)", "observable: unexpected character '(' at column 0");
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

TEST(PauliSumTest, Arithmetic) {
  using V = std::vector<PauliString>;
  const PauliSum a = PauliSum::parse("Z0 + 0.5*X1");
  const PauliSum b = PauliSum::parse("2*X1 - Y2 + 3");
  EXPECT_EQ((a + b).terms(), (V{PauliString(1, 0, 1), PauliString(2.5, 2, 0), PauliString(-1, 4, 4), PauliString(3, 0, 0)}));
  EXPECT_EQ((a - b).terms(), (V{PauliString(1, 0, 1), PauliString(-1.5, 2, 0), PauliString(1, 4, 4), PauliString(-3, 0, 0)}));
  EXPECT_EQ((2.0 * a).terms(), (V{PauliString(2, 0, 1), PauliString(1, 2, 0)}));
  EXPECT_EQ(a * 2.0, 2.0 * a);
  EXPECT_EQ((-a).terms(), (V{PauliString(-1, 0, 1), PauliString(-0.5, 2, 0)}));
  PauliSum c = a;
  c += c;
  EXPECT_EQ(c, 2.0 * a);
  c -= c;
  EXPECT_EQ(c.terms(), (V{PauliString(0, 0, 1), PauliString(0, 2, 0)}));
  EXPECT_TRUE(c.simplified().empty());
  EXPECT_EQ(PauliSum::parse("Z0 + 1e-12*X1").simplified(1e-9).terms(), (V{PauliString(1, 0, 1)}));
  EXPECT_EQ(PauliSum(V{PauliString(1, 0, 1), PauliString(2, 0, 1), PauliString(1, 1, 0)}).terms(),
            (V{PauliString(3, 0, 1), PauliString(1, 1, 0)}));
  const PauliSum from_string = PauliString(0.5, 1, 0);
  EXPECT_EQ(from_string.terms(), (V{PauliString(0.5, 1, 0)}));
  EXPECT_EQ(PauliSum().num_qubits_needed(), 0);
  EXPECT_EQ(PauliSum().constant(), 0.0);
  expect_invalid([&] { (void)(1e300 * PauliSum::parse("1e100*Z0")); }, "Pauli sum: coefficient of Z0 ");
  expect_invalid([&] { (void)(PauliSum::parse("1e308*X1") + PauliSum::parse("1e308*X1")); },
                 "Pauli sum: coefficient of X1 = inf is not finite");
}

// ---------------------------------------------------------------------------------------------
// Expectation values and apply() against the dense reference

TEST(PauliExpectationTest, MatchesDenseReferenceDoubleAndFloat) {
  Rng rng(2024);
  for (int n = 1; n <= 6; ++n) {
    for (int trial = 0; trial < 6; ++trial) {
      const RandomSum r = random_sum(n, 1 + static_cast<int>(rng.below(8)), rng);
      const PauliSum h = PauliSum::parse(r.text);
      const std::vector<cdouble> amps = random_amplitudes(n, rng);
      const cdouble ref = dense_expectation(r.matrix, amps);
      ASSERT_NEAR(ref.imag(), 0.0, 1e-12) << "reference not Hermitian: " << r.text;
      const auto psi = StateVector<double>::from_amplitudes(amps);
      EXPECT_NEAR(expectation(h, psi), ref.real(), 1e-12) << "n=" << n << " " << r.text;
      const auto psi_f = StateVector<float>::from_amplitudes(amps);
      EXPECT_NEAR(expectation(h, psi_f), ref.real(), 1e-5) << "n=" << n << " " << r.text;
    }
  }
}

TEST(PauliExpectationTest, EverySingleStringOnThreeQubits) {
  // All 64 strings, one at a time, then all together (groups of 8 terms per x_mask).
  Rng rng(5);
  const std::vector<cdouble> amps = random_amplitudes(3, rng);
  const auto psi = StateVector<double>::from_amplitudes(amps);
  PauliSum all;
  Dense all_matrix = zeros(8);
  for (int code = 0; code < 64; ++code) {
    std::string letters(3, 'I'), text = "I";  // the identity factor keeps the text non-empty
    for (int q = 0; q < 3; ++q) {
      const char l = "IXYZ"[(code >> (2 * q)) & 3];
      letters[static_cast<std::size_t>(q)] = l;
      if (l != 'I') (text += ' ') += l + std::to_string(q);
    }
    const Dense m = dense_pauli(letters);
    const PauliSum p = PauliSum::parse(text);
    EXPECT_NEAR(expectation(p, psi), dense_expectation(m, amps).real(), 1e-12) << text;
    const double c = rng.normal();
    add_scaled(all_matrix, m, c);
    all += c * p;
  }
  EXPECT_EQ(all.size(), 64U);
  EXPECT_NEAR(expectation(all, psi), dense_expectation(all_matrix, amps).real(), 1e-12);
}

TEST(PauliExpectationTest, LargeGroupsOfSharedXMask) {
  // All 256 strings on 4 qubits: 16 z masks per x mask (more than one block of terms per pass).
  Rng rng(6);
  const std::vector<cdouble> amps = random_amplitudes(4, rng);
  PauliSum all;
  Dense all_matrix = zeros(16);
  for (int code = 0; code < 256; ++code) {
    std::string letters(4, 'I');
    for (int q = 0; q < 4; ++q) letters[static_cast<std::size_t>(q)] = "IXYZ"[(code >> (2 * q)) & 3];
    Index x = 0, z = 0;
    for (int q = 0; q < 4; ++q) {
      const char l = letters[static_cast<std::size_t>(q)];
      if (l == 'X' || l == 'Y') x |= Index{1} << q;
      if (l == 'Z' || l == 'Y') z |= Index{1} << q;
    }
    const double c = rng.normal();
    all += PauliString(c, x, z);
    add_scaled(all_matrix, dense_pauli(letters), c);
  }
  EXPECT_NEAR(expectation(all, StateVector<double>::from_amplitudes(amps)),
              dense_expectation(all_matrix, amps).real(), 1e-12);
  EXPECT_NEAR(expectation(all, StateVector<float>::from_amplitudes(amps)),
              dense_expectation(all_matrix, amps).real(), 1e-5);
}

TEST(PauliExpectationTest, MatchesPerQubitReferenceOnLargerStates) {
  // Masks chosen to cover every access path of the pair pass: pairs inside one cache line, pairs
  // staged from one contiguous range (highest X qubit < 8), from two runs (>= 8, with and without
  // low X bits), and long contiguous runs (lowest X qubit >= 12); diagonal terms across sub-blocks.
  struct Case {
    int n;
    std::vector<std::string> specs;
  };
  const std::vector<Case> cases{
      {9, {"X8 Y3", "Y8", "X5 X6", "Z8 X7 Y0", "X1 Z2", "X2 Y0", "Z8 Z2", "Y1 Y0"}},
      {10, {"X8", "Y9 X0", "X9 Y8 Z1", "X5 Z9", "Z0 Z9", "Y4 Y3 Z8"}},
      {13, {"X12", "X12 Z0", "Y12 Y3", "X12 Y11", "Z5 Z12", "X0", "Y12 Z11 X10 Y9 X8 Z7"}},
  };
  Rng rng(8);
  for (const Case& c : cases) {
    const std::vector<cdouble> amps = random_amplitudes(c.n, rng);
    const auto psi = StateVector<double>::from_amplitudes(amps);
    const auto psi_f = StateVector<float>::from_amplitudes(amps);
    std::string text;
    std::vector<cdouble> h_psi(amps.size());
    for (const std::string& spec : c.specs) {
      const double coefficient = rng.normal();
      const std::string term = format_exact(coefficient) + "*" + spec;
      text += (text.empty() ? "" : " + ") + term;
      const std::vector<cdouble> p_psi = apply_paulis(letters_of(spec, c.n), amps);
      cdouble ref = 0;
      for (std::size_t i = 0; i < amps.size(); ++i) {
        ref += std::conj(amps[i]) * p_psi[i];
        h_psi[i] += coefficient * p_psi[i];
      }
      EXPECT_NEAR(expectation(PauliSum::parse(term), psi), coefficient * ref.real(), 1e-12) << term;
      EXPECT_NEAR(expectation(PauliSum::parse(term), psi_f), coefficient * ref.real(), 1e-5) << term;
    }
    const PauliSum h = PauliSum::parse(text);
    cdouble ref = 0;
    for (std::size_t i = 0; i < amps.size(); ++i) ref += std::conj(amps[i]) * h_psi[i];
    EXPECT_NEAR(expectation(h, psi), ref.real(), 1e-12) << text;
    EXPECT_NEAR(expectation(h, psi_f), ref.real(), 1e-5) << text;
    StateVector<double> out(c.n);
    apply(h, psi, out);
    for (Index i = 0; i < psi.size(); ++i) {
      ASSERT_NEAR(out[i].real(), h_psi[i].real(), 1e-12) << text << " i=" << i;
      ASSERT_NEAR(out[i].imag(), h_psi[i].imag(), 1e-12) << text << " i=" << i;
    }
  }
}

TEST(PauliExpectationTest, ExpectationsEqualIndividualExpectations) {
  Rng rng(77);
  for (int n = 1; n <= 6; ++n) {
    std::vector<PauliSum> sums;
    for (int k = 0; k < 5; ++k) sums.push_back(PauliSum::parse(random_sum_text(n, 1 + static_cast<int>(rng.below(6)), rng)));
    sums.push_back(sums[0] + sums[1]);  // shares operators with other sums
    sums.push_back(PauliSum());          // empty sum
    const auto amps = random_amplitudes(n, rng);
    const auto psi = StateVector<double>::from_amplitudes(amps);
    const auto psi_f = StateVector<float>::from_amplitudes(amps);
    const std::vector<double> all = expectations(std::span<const PauliSum>(sums), psi);
    const std::vector<double> all_f = expectations(std::span<const PauliSum>(sums), psi_f);
    ASSERT_EQ(all.size(), sums.size());
    ASSERT_EQ(all_f.size(), sums.size());
    for (std::size_t k = 0; k < sums.size(); ++k) {
      EXPECT_EQ(all[k], expectation(sums[k], psi)) << sums[k].to_string();
      EXPECT_EQ(all_f[k], expectation(sums[k], psi_f)) << sums[k].to_string();
    }
    EXPECT_EQ(all.back(), 0.0);
  }
  EXPECT_TRUE(expectations(std::span<const PauliSum>(), StateVector<double>(2)).empty());
}

TEST(PauliApplyTest, MatchesDenseMatrixVectorProduct) {
  Rng rng(99);
  for (int n = 1; n <= 6; ++n) {
    for (int trial = 0; trial < 4; ++trial) {
      const RandomSum r = random_sum(n, 1 + static_cast<int>(rng.below(8)), rng);
      const PauliSum h = PauliSum::parse(r.text);
      const std::vector<cdouble> amps = random_amplitudes(n, rng);
      const std::vector<cdouble> ref = mat_vec(r.matrix, amps);

      const auto in = StateVector<double>::from_amplitudes(amps);
      auto out = StateVector<double>::basis(n, 0);
      apply(h, in, out);
      const auto in_f = StateVector<float>::from_amplitudes(amps);
      StateVector<float> out_f(n);
      apply(h, in_f, out_f);
      for (Index i = 0; i < in.size(); ++i) {
        EXPECT_NEAR(out[i].real(), ref[i].real(), 1e-12) << r.text << " i=" << i;
        EXPECT_NEAR(out[i].imag(), ref[i].imag(), 1e-12) << r.text << " i=" << i;
        EXPECT_NEAR(out_f[i].real(), ref[i].real(), 1e-5) << r.text << " i=" << i;
        EXPECT_NEAR(out_f[i].imag(), ref[i].imag(), 1e-5) << r.text << " i=" << i;
      }
      // <in|H|in> through apply() agrees with expectation().
      EXPECT_NEAR(in.inner(out).real(), expectation(h, in), 1e-12);
      EXPECT_NEAR(in.inner(out).imag(), 0.0, 1e-12);
    }
  }
  // The zero operator gives the zero vector.
  auto out = StateVector<double>::basis(2, 3);
  apply(PauliSum(), StateVector<double>(2), out);
  EXPECT_EQ(out.norm(), 0.0);
}

TEST(PauliExpectationTest, TwoThreadsBitIdenticalToSerial) {
  constexpr int kQubits = 14;
  Rng rng(314);
  const std::vector<cdouble> amps = random_amplitudes(kQubits, rng);
  auto serial = StateVector<double>::from_amplitudes(amps, false, Parallelism::serial());
  auto threaded = StateVector<double>::from_amplitudes(amps, false, Parallelism{2, 0});
  auto serial_f = StateVector<float>::from_amplitudes(amps, false, Parallelism::serial());
  auto threaded_f = StateVector<float>::from_amplitudes(amps, false, Parallelism{2, 0});
  std::vector<PauliSum> sums;
  for (int k = 0; k < 4; ++k) sums.push_back(PauliSum::parse(random_sum_text(kQubits, 6, rng)));
  sums.push_back(PauliSum::parse("Z0 + 0.5*Z3 Z13 - 0.25*Z7 + 2"));  // diagonal only
  sums.push_back(PauliSum::parse("X13 + Y0 Y13 - 0.3*X5 Z6 Y7"));    // highest bit varies
  sums.push_back(PauliSum::parse("X8 Y3 + X12 - Y13 Y12 + X1 Y0"));  // every pair access path
  const Parallelism one = Parallelism::serial(), two{2, 0};
  for (const PauliSum& h : sums) {
    const double s = expectation(h, serial, one);
    EXPECT_EQ(expectation(h, threaded, two), s) << h.to_string();
    EXPECT_EQ(expectation(h, threaded_f, two), expectation(h, serial_f, one)) << h.to_string();
    EXPECT_LE(std::abs(s), 1e6);  // a real number, not NaN
  }
  EXPECT_EQ(expectations(std::span<const PauliSum>(sums), threaded, two),
            expectations(std::span<const PauliSum>(sums), serial, one));

  auto out_serial = StateVector<double>(kQubits, one);
  auto out_threaded = StateVector<double>(kQubits, two);
  apply(sums[0], serial, out_serial, one);
  apply(sums[0], threaded, out_threaded, two);
  for (Index i = 0; i < serial.size(); ++i) ASSERT_EQ(out_serial[i], out_threaded[i]) << "i=" << i;
}

// ---------------------------------------------------------------------------------------------
// Analytic values

TEST(PauliExpectationTest, AnalyticSingleQubitValues) {
  const double r = 1.0 / std::sqrt(2.0);
  EXPECT_EQ(expectation(PauliSum::parse("Z0"), StateVector<double>::basis(1, 1)), -1.0);
  EXPECT_EQ(expectation(PauliSum::parse("Z0"), StateVector<double>::basis(1, 0)), 1.0);
  const std::vector<cdouble> plus{r, r}, plus_i{r, cdouble(0, r)}, minus_i{r, cdouble(0, -r)};
  EXPECT_NEAR(expectation(PauliSum::parse("X0"), StateVector<double>::from_amplitudes(plus)), 1.0, 1e-15);
  EXPECT_NEAR(expectation(PauliSum::parse("Y0"), StateVector<double>::from_amplitudes(plus)), 0.0, 1e-15);
  EXPECT_NEAR(expectation(PauliSum::parse("Y0"), StateVector<double>::from_amplitudes(plus_i)), 1.0, 1e-15);
  EXPECT_NEAR(expectation(PauliSum::parse("Y0"), StateVector<double>::from_amplitudes(minus_i)), -1.0, 1e-15);
  EXPECT_NEAR(expectation(PauliSum::parse("Y0"), StateVector<float>::from_amplitudes(plus_i)), 1.0, 1e-6);
  // Identity and constants: <psi|c I|psi> = c.
  EXPECT_NEAR(expectation(PauliSum::parse("2.5 + Z1"), StateVector<double>::basis(2, 2)), 1.5, 1e-15);
  // Z on qubit 1 of |q1 q0> = |10> (index 2) is -1, on qubit 0 it is +1.
  EXPECT_EQ(expectation(PauliSum::parse("Z1"), StateVector<double>::basis(2, 2)), -1.0);
  EXPECT_EQ(expectation(PauliSum::parse("Z0"), StateVector<double>::basis(2, 2)), 1.0);
}

TEST(PauliExpectationTest, GhzState) {
  const auto psi = Simulator().run(library::ghz(3));
  EXPECT_NEAR(expectation(PauliSum::parse("Z0 Z1"), psi), 1.0, 1e-12);
  EXPECT_NEAR(expectation(PauliSum::parse("Z1 Z2"), psi), 1.0, 1e-12);
  EXPECT_NEAR(expectation(PauliSum::parse("X0 X1 X2"), psi), 1.0, 1e-12);
  EXPECT_NEAR(expectation(PauliSum::parse("Z0"), psi), 0.0, 1e-12);
  EXPECT_NEAR(expectation(PauliSum::parse("X0"), psi), 0.0, 1e-12);
  // Y0 Y1 X2 |000> = i*i |111> = -|111> and Y0 Y1 X2 |111> = (-i)(-i)|000> = -|000>.
  EXPECT_NEAR(expectation(PauliSum::parse("Y0 Y1 X2"), psi), -1.0, 1e-12);
  EXPECT_NEAR(expectation(PauliSum::parse("0.5*Z0 Z1 + 2*X0 X1 X2 - 3*Z2 + 1"), psi), 3.5, 1e-12);
  const auto psi_f = Simulator().run<float>(library::ghz(3));
  EXPECT_NEAR(expectation(PauliSum::parse("X0 X1 X2"), psi_f), 1.0, 1e-6);
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST(PauliExpectationTest, RejectsObservablesOnMissingQubits) {
  const StateVector<double> psi(4);
  expect_invalid([&] { (void)expectation(PauliSum::parse("Z0 + X5"), psi); },
                 "observable acts on qubit 5 but the state has 4 qubits");
  expect_invalid([&] { (void)expectation(PauliSum::parse("Z4"), StateVector<float>(4)); },
                 "observable acts on qubit 4 but the state has 4 qubits");
  const std::vector<PauliSum> sums{PauliSum::parse("Z0"), PauliSum::parse("Y7")};
  expect_invalid([&] { (void)expectations(std::span<const PauliSum>(sums), psi); },
                 "observable acts on qubit 7 but the state has 4 qubits");
  // An identity on a high qubit acts on nothing.
  EXPECT_EQ(expectation(PauliSum::parse("I9"), psi), 1.0);
}

TEST(PauliApplyTest, RejectsBadStates) {
  const StateVector<double> in(3);
  StateVector<double> out2(2), out3(3);
  expect_invalid([&] { apply(PauliSum::parse("Z0"), in, out2); },
                 "observable apply: output state has 2 qubits but the input has 3");
  expect_invalid([&] { apply(PauliSum::parse("Z3"), in, out3); },
                 "observable acts on qubit 3 but the state has 3 qubits");
  expect_invalid([&] { apply(PauliSum::parse("Z0"), out3, out3); },
                 "observable apply: the output state must differ from the input state");
}

}  // namespace
}  // namespace qmlsim

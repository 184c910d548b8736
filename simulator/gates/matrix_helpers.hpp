#pragma once
/// Small helpers shared by the gate-matrix formulas (matrices.cpp) and their derivatives
/// (derivatives.cpp), so that both read the same way. Internal to simulator/gates.
#include <cmath>

#include "simulator/core/types.hpp"

namespace qmlsim::detail {

inline constexpr cdouble kI{0.0, 1.0};

/// e^{i a}
[[nodiscard]] inline cdouble expi(double a) noexcept { return {std::cos(a), std::sin(a)}; }

/// A row-major 2 x 2 matrix [[a, b], [c, d]].
inline void set2(cdouble* m, cdouble a, cdouble b, cdouble c, cdouble d) noexcept {
  m[0] = a;
  m[1] = b;
  m[2] = c;
  m[3] = d;
}

}  // namespace qmlsim::detail

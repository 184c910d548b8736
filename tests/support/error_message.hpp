#pragma once
/// Test helper: the message of the InvalidArgument that f() throws, for checks by substring.
#include <string>

#include "simulator/core/errors.hpp"

namespace qmlsim::testing {

template <class F>
std::string invalid_argument_of(F&& f) {
  try {
    f();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "(no InvalidArgument thrown)";
}

}  // namespace qmlsim::testing

#pragma once
/// Test helpers: the message of the exception f() throws, for checks by substring.
#include <string>
#include <utility>

#include "simulator/core/errors.hpp"

namespace qmlsim::testing {

/// The what() of the E that f() throws, or "(no E thrown)" (other exceptions propagate).
template <class E, class F>
std::string message_of(F&& f, const char* name) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return std::string("(no ") + name + " thrown)";
}

template <class F>
std::string invalid_argument_of(F&& f) {
  return message_of<InvalidArgument>(std::forward<F>(f), "InvalidArgument");
}

template <class F>
std::string dataset_error_of(F&& f) {
  return message_of<DatasetError>(std::forward<F>(f), "DatasetError");
}

}  // namespace qmlsim::testing

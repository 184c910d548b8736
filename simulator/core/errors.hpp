#pragma once
/// Typed exceptions thrown by the library. Only the CLI's main maps them to exit codes:
/// InvalidArgument, ParseError and DatasetError are bad input (exit 3), ResourceError too
/// (the request cannot be served on this machine), anything else is an internal error (exit 1).
/// The checks that throw InvalidArgument, and the wording of their messages (value and valid
/// range, one number formatter, one spelling of a parameter), live in core/validate.hpp.
#include <stdexcept>
#include <string>

namespace qmlsim {

/// Base of every qmlsim exception.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A value outside its valid range; the message names the value and the range.
class InvalidArgument : public Error {
 public:
  using Error::Error;
};

/// The request needs more memory (or another resource) than is available.
class ResourceError : public Error {
 public:
  using Error::Error;
};

/// A data file (CSV, JSON) with missing or malformed values.
class DatasetError : public Error {
 public:
  using Error::Error;
};

/// A malformed input text, with its position. what() is "file:line:column: message".
class ParseError : public Error {
 public:
  ParseError(std::string file, int line, int column, const std::string& message)
      : Error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message),
        file_(std::move(file)), line_(line), column_(column), message_(message) {}
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] int line() const noexcept { return line_; }
  [[nodiscard]] int column() const noexcept { return column_; }
  /// The message without the position prefix.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string message_;
};

/// "1 parameter", "3 parameters", "2 classes": counts in error messages.
[[nodiscard]] inline std::string plural(long long n, const char* word) {
  const std::string w = word;
  const bool sibilant = w.ends_with('s') || w.ends_with('x') || w.ends_with("sh") || w.ends_with("ch");
  return std::to_string(n) + " " + w + (n == 1 ? "" : sibilant ? "es" : "s");
}

}  // namespace qmlsim

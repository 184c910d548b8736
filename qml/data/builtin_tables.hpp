#pragma once
/// The built-in tables (qml/data/builtin/*.csv) as compiled into the library: the build embeds
/// each file's bytes and sha256 (qml/data/builtin/embed.cmake writes the definitions).
#include <span>
#include <string>
#include <string_view>

namespace qmlsim::qml::detail {

struct EmbeddedTable {
  std::string_view file;    ///< "iris.csv"
  std::string_view sha256;  ///< of the file as shipped, lower-case hex
  std::span<const std::string_view> pieces;  ///< the text, in order
  /// The whole text.
  [[nodiscard]] std::string text() const {
    std::string out;
    for (std::string_view p : pieces) out += p;
    return out;
  }
};

/// Every embedded table, in the order qml/CMakeLists.txt lists them.
[[nodiscard]] std::span<const EmbeddedTable> embedded_tables() noexcept;

}  // namespace qmlsim::qml::detail

#pragma once
/// Files the program writes (models, matrices, reports) appear whole or not at all: the text goes
/// to a temporary file next to the target (same file system), is flushed, and is renamed onto the
/// target. On any failure the target is untouched and the temporary file is removed.
#include <filesystem>
#include <string_view>

namespace qmlsim::qml {

/// The process's umask, read without changing it (umask(2) can only be read by setting it, which
/// would race with other threads creating files): the "Umask:" line of /proc/self/status (022
/// when unreadable).
[[nodiscard]] unsigned current_umask();

/// Writes `content` to `path` atomically (mode 0666 & ~umask, like an ordinary file). Throws
/// DatasetError "cannot write <path>: <reason>" (directory missing or not writable, disk full).
void write_file_atomically(const std::filesystem::path& path, std::string_view content);

}  // namespace qmlsim::qml

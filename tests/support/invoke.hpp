#pragma once
/// Runs the qmlsim binary (QMLSIM_BINARY, defined for every test) as a user would, with its
/// standard output and error captured and its exit code.
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "tests/support/temp_files.hpp"

namespace qmlsim::testing {

struct Invocation {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// `qmlsim <args>` through the shell, in `dir` (args are trusted test literals, quoted by the caller).
inline Invocation run_qmlsim(const TempDir& dir, const std::string& args) {
  const std::string out = (dir.path() / ".stdout").string(), err = (dir.path() / ".stderr").string();
  const std::string command = "cd '" + dir.path().string() + "' && '" + std::string(QMLSIM_BINARY) + "' " + args +
                              " >'" + out + "' 2>'" + err + "' </dev/null";
  const int status = std::system(command.c_str());
  Invocation r;
  r.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace qmlsim::testing

#pragma once
/// Options shared by the commands that build quantum kernels (`kernel`, `train`): the feature
/// map, the kernel, the preprocessing, shots, and the simulator's threads and memory.
#include <cstdint>
#include <string>

#include "cli/options.hpp"
#include "qml/encoding/component_spec.hpp"
#include "qml/kernel/quantum_kernel.hpp"

namespace qmlsim::cli {

struct KernelOptionText {
  std::string feature_map = "zz", kernel = "fidelity", gamma, shots, backend = "auto", threads = "0", max_memory;
  bool psd = false;
};

/// Declares --feature-map, --kernel, --gamma, --shots, --psd, --gram-backend, --threads, --max-memory.
void add_kernel_options(po::options_description& desc, KernelOptionText& text);
/// --kernel with --gamma folded in: {"fidelity"} or {"projected", gamma}. UsageError for an
/// unknown kernel or --gamma with the fidelity kernel.
[[nodiscard]] qml::ComponentSpec kernel_spec(const KernelOptionText& text);
/// --feature-map parsed (UsageError for a malformed spec).
[[nodiscard]] qml::ComponentSpec feature_map_spec(const KernelOptionText& text);
/// Threads, memory, backend, shots, seed; progress when stderr is a terminal.
[[nodiscard]] qml::KernelOptions kernel_options(const KernelOptionText& text, std::uint64_t seed);
/// True when stderr is a terminal (progress is shown only then).
[[nodiscard]] bool stderr_is_terminal() noexcept;

}  // namespace qmlsim::cli

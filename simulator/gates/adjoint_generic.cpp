// The adjoint gradient's two-vector kernels compiled for the portable build: whatever the compiler's default target gives (SSE2 on x86-64; other architectures too).
// Separate from kernels_generic.cpp so that the two compile in parallel. All headers first, then the
// target pragma, then the kernels (see kernels_simd.hpp).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "simulator/gates/adjoint_kernels.hpp"
#include "simulator/gates/kernels.hpp"

// 64-byte vectors are passed between inline functions of this file only: no ABI is crossed.
#pragma GCC diagnostic ignored "-Wpsabi"
#define QMLSIM_KERNEL_ISA generic
#include "simulator/gates/kernels_simd.hpp"
#include "simulator/gates/adjoint_simd.hpp"
#undef QMLSIM_KERNEL_ISA
// Instantiated inside the target region: the instructions follow the pragma.
namespace qmlsim::kernels::generic {
template AdjointKernelTable<double> adjoint_table<double>() noexcept;
}  // namespace qmlsim::kernels::generic

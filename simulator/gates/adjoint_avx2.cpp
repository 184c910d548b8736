// The adjoint gradient's two-vector kernels compiled for AVX2 + FMA (x86-64 only; chosen at run time when the CPU has it).
// Separate from kernels_avx2.cpp so that the two compile in parallel. All headers first, then the
// target pragma, then the kernels (see kernels_simd.hpp).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <utility>

#include "simulator/gates/adjoint_kernels.hpp"
#include "simulator/gates/kernels.hpp"

#if defined(QMLSIM_X86_KERNELS)
// 64-byte vectors are passed between inline functions of this file only: no ABI is crossed.
#pragma GCC diagnostic ignored "-Wpsabi"
#pragma GCC push_options
#pragma GCC target("avx2,fma,bmi,bmi2,popcnt")
#define QMLSIM_KERNEL_ISA avx2
#include "simulator/gates/kernels_simd.hpp"
#include "simulator/gates/adjoint_simd.hpp"
#undef QMLSIM_KERNEL_ISA
// Instantiated inside the target region: the instructions follow the pragma.
namespace qmlsim::kernels::avx2 {
template AdjointKernelTable<double> adjoint_table<double>() noexcept;
}  // namespace qmlsim::kernels::avx2
#pragma GCC pop_options
#endif

#pragma once
/// The Gram product's BLAS calls (OpenBLAS), behind one adapter: blas_adapter.cpp is the only file
/// that includes cblas.h. Every call here runs on the calling thread only: the first call sets
/// OpenBLAS to one thread of its own (once per process), so BLAS threads never nest inside
/// qmlsim's; gram.cpp spreads the tiles over qmlsim's threads instead.
#include <string>

#include "simulator/core/types.hpp"

namespace qmlsim::qml::detail {

/// c = a^H a, upper triangle only (column-major, leading dimension ldc): `a` holds `cols` columns
/// of `dim` amplitudes, contiguous. One zherk.
void blas_herk_upper(const cdouble* a, Index dim, Index cols, cdouble* c, Index ldc) noexcept;

/// c = a^H b (column-major, leading dimension ldc): a has a_cols, b has b_cols contiguous columns
/// of `dim` amplitudes. One zgemm.
void blas_gemm_adjoint(const cdouble* a, Index a_cols, const cdouble* b, Index b_cols, Index dim, cdouble* c,
                       Index ldc) noexcept;

/// "OpenBLAS 0.3.21 ... | SkylakeX": the build and the kernel set OpenBLAS chose at load time. In
/// virtual machines whose CPU model it does not recognise, DYNAMIC_ARCH falls back to "Prescott"
/// (SSE3 kernels, about 5x slower on AVX-512 hardware); setting OPENBLAS_CORETYPE=Haswell or
/// SkylakeX in the environment before the process starts fixes it (measured in gram_bench).
[[nodiscard]] std::string blas_config();

/// For benchmarks: one plain zherk over all columns (the reference the tiled product is measured
/// against) with `threads` OpenBLAS threads of its own; restores one thread afterwards. Never
/// call it from inside a parallel region.
void blas_herk_reference(const cdouble* a, Index dim, Index cols, cdouble* c, int threads) noexcept;

}  // namespace qmlsim::qml::detail

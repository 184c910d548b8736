// The only file that includes cblas.h (OpenBLAS's, via Debian's alternatives).
#include "qml/kernel/blas_adapter.hpp"

#include <cblas.h>

#include <mutex>

namespace qmlsim::qml::detail {
namespace {

// OpenBLAS starts its own thread pool per call unless told otherwise; inside our tiles that would
// put threads inside threads (and make the split depend on its pool). Once per process.
void single_threaded_blas() noexcept {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

blasint blas_int(Index v) noexcept { return static_cast<blasint>(v); }

}  // namespace

void blas_herk_upper(const cdouble* a, Index dim, Index cols, cdouble* c, Index ldc) noexcept {
  single_threaded_blas();
  cblas_zherk(CblasColMajor, CblasUpper, CblasConjTrans, blas_int(cols), blas_int(dim), 1.0, a, blas_int(dim), 0.0,
              c, blas_int(ldc));
}

void blas_gemm_adjoint(const cdouble* a, Index a_cols, const cdouble* b, Index b_cols, Index dim, cdouble* c,
                       Index ldc) noexcept {
  single_threaded_blas();
  const cdouble one{1.0, 0.0}, zero{0.0, 0.0};
  cblas_zgemm(CblasColMajor, CblasConjTrans, CblasNoTrans, blas_int(a_cols), blas_int(b_cols), blas_int(dim), &one, a,
              blas_int(dim), b, blas_int(dim), &zero, c, blas_int(ldc));
}

void blas_herk_reference(const cdouble* a, Index dim, Index cols, cdouble* c, int threads) noexcept {
  single_threaded_blas();
  openblas_set_num_threads(threads);
  cblas_zherk(CblasColMajor, CblasUpper, CblasConjTrans, blas_int(cols), blas_int(dim), 1.0, a, blas_int(dim), 0.0,
              c, blas_int(cols));
  openblas_set_num_threads(1);
}

std::string blas_config() { return std::string(openblas_get_config()) + " | " + openblas_get_corename(); }

}  // namespace qmlsim::qml::detail

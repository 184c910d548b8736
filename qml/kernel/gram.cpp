#include "qml/kernel/gram.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <vector>

#include "qml/kernel/blas_adapter.hpp"

namespace qmlsim::qml {
namespace {

using ConstStates = Eigen::Map<const Eigen::MatrixXcd>;
using TileMap = Eigen::Map<Eigen::MatrixXcd, 0, Eigen::OuterStride<>>;

struct TilePair {
  Index row_tile;  // global tile numbers
  Index col_tile;
};

Index tile_count(Index first, Index count) noexcept { return (first + count + kGramTile - 1) / kGramTile - first / kGramTile; }

// c (ld kGramTile) = a_I^H b_J for one tile: `rows` columns at a, `cols` at b.
void tile_product(const cdouble* a, Index rows, const cdouble* b, Index cols, Index dim, bool diagonal,
                  GramBackend backend, cdouble* c) noexcept {
  if (backend == GramBackend::Eigen) {
    const ConstStates sa(a, static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(rows));
    TileMap tile(c, static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols),
                 Eigen::OuterStride<>(static_cast<Eigen::Index>(kGramTile)));
    if (diagonal) {
      tile.setZero();
      tile.selfadjointView<Eigen::Upper>().rankUpdate(sa.adjoint());
    } else {
      const ConstStates sb(b, static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(cols));
      tile.noalias() = sa.adjoint() * sb;
    }
    return;
  }
  if (diagonal) {
    detail::blas_herk_upper(a, dim, rows, c, kGramTile);
  } else {
    detail::blas_gemm_adjoint(a, rows, b, cols, dim, c, kGramTile);
  }
}

}  // namespace

GramBackend resolve_gram_backend(GramBackend backend) noexcept {
  return backend == GramBackend::Auto ? GramBackend::Blas : backend;
}

void fidelity_tiles(const StateColumns& a, const StateColumns& b, bool symmetric, GramBackend backend,
                    const Parallelism& par, Eigen::MatrixXd& k) {
  if (a.count == 0 || b.count == 0) return;
  backend = resolve_gram_backend(backend);
  const Index a_tile0 = a.first / kGramTile, b_tile0 = b.first / kGramTile;
  const bool same_block = symmetric && a.first == b.first;
  std::vector<TilePair> pairs;
  for (Index i = 0; i < tile_count(a.first, a.count); ++i)
    for (Index j = 0; j < tile_count(b.first, b.count); ++j)
      if (!symmetric || b_tile0 + j >= a_tile0 + i) pairs.push_back({a_tile0 + i, b_tile0 + j});

  // Threads by work: a tile reads 2 T dim amplitudes, and the policy's threshold counts amplitudes.
  const Index per_tile = 2 * kGramTile * a.dim;
  const Parallelism tiles_policy{par.threads, std::max<Index>(1, par.threshold / std::max<Index>(per_tile, 1))};
  const int parts = resolve_threads(tiles_policy, static_cast<Index>(pairs.size()));
  std::vector<cdouble> scratch(static_cast<std::size_t>(parts) * kGramTile * kGramTile);
  const Index num_pairs = pairs.size();
  parallel_for(static_cast<Index>(parts), 1, Parallelism{parts, 0}, [&](Index p0, Index p1) {
    for (Index part = p0; part < p1; ++part) {
      cdouble* c = scratch.data() + part * kGramTile * kGramTile;
      // A fixed contiguous run of tiles per part: which thread computes a tile changes nothing in it.
      for (Index t = num_pairs * part / static_cast<Index>(parts); t < num_pairs * (part + 1) / static_cast<Index>(parts);
           ++t) {
        const Index r0 = pairs[t].row_tile * kGramTile, c0 = pairs[t].col_tile * kGramTile;
        const Index rows = std::min(kGramTile, a.first + a.count - r0);
        const Index cols = std::min(kGramTile, b.first + b.count - c0);
        const bool diagonal = same_block && r0 == c0;
        tile_product(a.data + (r0 - a.first) * a.dim, rows, b.data + (c0 - b.first) * b.dim, cols, a.dim, diagonal,
                     backend, c);
        for (Index j = 0; j < cols; ++j) {
          const Index i_end = diagonal ? j + 1 : rows;  // a diagonal tile holds its upper triangle only
          double* out = k.data() + (c0 + j) * static_cast<Index>(k.rows()) + r0;
          const cdouble* col = c + j * kGramTile;
          for (Index i = 0; i < i_end; ++i) out[i] = col[i].real() * col[i].real() + col[i].imag() * col[i].imag();
        }
      }
    }
  });
}

void finish_training_gram(Eigen::MatrixXd& k) noexcept {
  const Eigen::Index n = k.rows();
  for (Eigen::Index j = 0; j < n; ++j) {
    k(j, j) = 1.0;
    for (Eigen::Index i = j + 1; i < n; ++i) k(i, j) = k(j, i);
  }
}

double gram_flops(Index rows, Index cols, Index dim, bool symmetric) noexcept {
  const double products = symmetric ? 0.5 * static_cast<double>(rows) * static_cast<double>(rows + 1)
                                    : static_cast<double>(rows) * static_cast<double>(cols);
  return 8.0 * static_cast<double>(dim) * products;
}

}  // namespace qmlsim::qml

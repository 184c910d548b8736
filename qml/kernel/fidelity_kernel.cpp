#include "qml/kernel/fidelity_kernel.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <vector>

#include "qml/kernel/binomial.hpp"
#include "qml/kernel/gram.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/memory.hpp"
#include "simulator/core/rng.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr std::uint64_t kStateBytes = sizeof(cdouble);
// Cross-Gram entries draw from streams of their own, disjoint from the training pairs'.
constexpr std::uint64_t kCrossStreams = std::uint64_t{1} << 63;

// Bytes the limit leaves for this request (what ensure_memory compares against).
std::uint64_t memory_budget(const MemoryLimit& limit) {
  if (limit.max_bytes) return *limit.max_bytes > limit.held_bytes ? *limit.max_bytes - limit.held_bytes : 0;
  return available_memory_bytes();
}

bool fits(std::uint64_t bytes, const MemoryLimit& limit) {
  try {
    ensure_memory(bytes, "", limit);
    return true;
  } catch (const ResourceError&) {
    return false;
  }
}

// Entry (i, j), i < j, of a training Gram matrix -> Binomial(shots, K_ij) / shots; then mirrored.
void training_shot_noise(Eigen::MatrixXd& k, std::uint64_t shots, std::uint64_t seed, const Parallelism& par) {
  const auto n = static_cast<Index>(k.rows());
  const Parallelism columns{par.threads, std::max<Index>(1, par.threshold / std::max<Index>(n, 1))};
  parallel_for(n, 1, columns, [&](Index j0, Index j1) {
    for (Index j = j0; j < j1; ++j)
      for (Index i = 0; i < j; ++i) {
        Rng rng(seed, upper_pair_index(i, j));
        double& v = k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        v = static_cast<double>(binomial(rng, shots, v)) / static_cast<double>(shots);
      }
  });
  finish_training_gram(k);
}

void cross_shot_noise(Eigen::MatrixXd& k, std::uint64_t shots, std::uint64_t seed, const Parallelism& par) {
  const auto rows = static_cast<Index>(k.rows()), cols = static_cast<Index>(k.cols());
  const Parallelism columns{par.threads, std::max<Index>(1, par.threshold / std::max<Index>(rows, 1))};
  parallel_for(cols, 1, columns, [&](Index j0, Index j1) {
    for (Index j = j0; j < j1; ++j)
      for (Index i = 0; i < rows; ++i) {
        Rng rng(seed, kCrossStreams | (i * cols + j));
        double& v = k(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
        v = static_cast<double>(binomial(rng, shots, v)) / static_cast<double>(shots);
      }
  });
}

// Negative eigenvalues clipped, then D^(-1/2) K D^(-1/2): PSD with unit diagonal (header).
void project_psd(Eigen::MatrixXd& k) {
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(k);
  const Eigen::VectorXd clipped = eig.eigenvalues().cwiseMax(0.0);
  k = eig.eigenvectors() * clipped.asDiagonal() * eig.eigenvectors().transpose();
  Eigen::VectorXd scale = k.diagonal();
  for (Eigen::Index i = 0; i < scale.size(); ++i) scale(i) = scale(i) > 0.0 ? 1.0 / std::sqrt(scale(i)) : 1.0;
  k = scale.asDiagonal() * k * scale.asDiagonal();
  finish_training_gram(k);
}

// Blocks of columns of one sample set: [b * size, min((b + 1) * size, n)).
struct Blocks {
  Index n = 0;
  Index size = 0;
  [[nodiscard]] Index count() const noexcept { return (n + size - 1) / size; }
  [[nodiscard]] Index first(Index b) const noexcept { return b * size; }
  [[nodiscard]] Index length(Index b) const noexcept { return std::min(size, n - b * size); }
};

}  // namespace

FidelityKernel::FidelityKernel(std::shared_ptr<const FeatureMap> map, KernelOptions options)
    : map_(std::move(map)), options_(options) {
  if (!map_) throw InvalidArgument("fidelity kernel: no feature map");
  // The exact sampler walks from the mode: about sqrt(shots) steps per entry, so the count is
  // capped where a 1000 x 1000 matrix still takes seconds.
  if (options_.shots) check_range(*options_.shots, 1, kMaxKernelShots, "fidelity kernel: shots");
  if (const Circuit* circuit = map_->circuit()) executor_.emplace(*circuit, options_.simulator);
}

ComponentSpec FidelityKernel::spec() const { return ComponentSpec{"fidelity", {}}; }

std::string FidelityKernel::description() const {
  std::string text = "fidelity kernel |<phi(x)|phi(y)>|^2 over " + map_->description();
  if (options_.shots) text += ", " + plural(static_cast<long long>(*options_.shots), "shot") + " per entry";
  return text;
}

void FidelityKernel::states_into(const FeatureMatrix& x, Index first, Index count, std::span<cdouble> out) const {
  const auto width = static_cast<std::size_t>(x.cols());
  const std::span<const double> values(x.data() + first * width, count * width);
  if (executor_) {
    executor_->states_into(ParameterRows{values, count, width}, out);
    return;
  }
  encode_states(*map_, ParameterRows{values, count, width}, out, options_.simulator.parallel);
}

Eigen::MatrixXd FidelityKernel::product(const FeatureMatrix& a, const FeatureMatrix* b, KernelTiming& timing) const {
  const bool symmetric = b == nullptr;
  const FeatureMatrix& bx = symmetric ? a : *b;
  const auto na = static_cast<Index>(a.rows()), nb = static_cast<Index>(bx.rows());
  if (na == 0 || nb == 0) return Eigen::MatrixXd(static_cast<Eigen::Index>(na), static_cast<Eigen::Index>(nb));
  const int n = num_qubits();
  const Index dim = Index{1} << n;
  const std::uint64_t state_bytes = dim * kStateBytes;
  const SimulatorOptions& sim = options_.simulator;
  const MemoryLimit& limit = sim.memory;

  // What every plan holds besides the states: the output, the batch workers' states, the tiles.
  const std::uint64_t workers =
      executor_ ? static_cast<std::uint64_t>(plan_batch(n, std::max<Index>(na, nb), sim.parallel).workers) : 0;
  const std::uint64_t tile_bytes =
      static_cast<std::uint64_t>(resolve_threads(Parallelism{sim.parallel.threads, 0}, 1 << 20)) * kGramTile *
      kGramTile * kStateBytes;
  const std::uint64_t fixed = na * nb * sizeof(double) + workers * state_bytes + tile_bytes;
  const Index columns = symmetric ? na : na + nb;
  Blocks blocks_a{na, na}, blocks_b{nb, nb};
  if (!fits(fixed + columns * state_bytes, limit)) {
    const std::uint64_t budget = memory_budget(limit);
    const Index size = budget > fixed ? (budget - fixed) / (2 * state_bytes) / kGramTile * kGramTile : 0;
    if (size < kGramTile) {
      const std::string what = "fidelity kernel: " + plural(static_cast<long long>(columns), "state") + " of " +
                               plural(n, "qubit") + " take " + format_bytes(columns * state_bytes) +
                               " at once; two blocks of " + std::to_string(kGramTile) + " states, the " +
                               std::to_string(na) + " x " + std::to_string(nb) + " output and scratch";
      ensure_memory(fixed + 2 * kGramTile * state_bytes, what, limit);  // throws: nothing smaller works
    }
    blocks_a.size = std::max(size, kGramTile);
    blocks_b.size = blocks_a.size;
  }
  const Index held_a = std::min(blocks_a.size, na), held_b = symmetric ? std::min(blocks_a.size, nb) : std::min(blocks_b.size, nb);
  const bool blocked = blocks_a.count() > 1 || (!symmetric && blocks_b.count() > 1);
  ensure_memory(fixed + (held_a + (blocked || !symmetric ? held_b : 0)) * state_bytes, "fidelity kernel: states", limit);

  Eigen::MatrixXd k(static_cast<Eigen::Index>(na), static_cast<Eigen::Index>(nb));
  Eigen::MatrixXcd block_a(static_cast<Eigen::Index>(dim), static_cast<Eigen::Index>(held_a));
  Eigen::MatrixXcd block_b(static_cast<Eigen::Index>(dim),
                           static_cast<Eigen::Index>(blocked || !symmetric ? held_b : 0));
  const auto produce = [&](const FeatureMatrix& x, const Blocks& blocks, Index index, Eigen::MatrixXcd& into) {
    const auto t0 = Clock::now();
    const Index first = blocks.first(index), count = blocks.length(index);
    states_into(x, first, count, {into.data(), static_cast<std::size_t>(count * dim)});
    timing.state_seconds += seconds_since(t0);
    timing.state_evaluations += count;
  };
  const auto multiply = [&](const Eigen::MatrixXcd& sa, const Blocks& ba, Index ia, const Eigen::MatrixXcd& sb,
                            const Blocks& bb, Index ib) {
    const auto t0 = Clock::now();
    fidelity_tiles(StateColumns{sa.data(), dim, ba.first(ia), ba.length(ia)},
                   StateColumns{sb.data(), dim, bb.first(ib), bb.length(ib)}, symmetric, options_.backend,
                   sim.parallel, k);
    timing.product_seconds += seconds_since(t0);
  };
  const auto progress = [&](Index done, Index total) {
    if (options_.progress && total > 1)
      std::fprintf(stderr, "\rfidelity kernel: block pair %llu of %llu", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
  };

  if (symmetric) {
    const Index count = blocks_a.count(), pairs = count * (count + 1) / 2;
    Index done = 0, in_b = count;  // in_b: the block block_b holds (count = none)
    for (Index i = 0; i < count; ++i) {
      if (in_b == i) {
        block_a.swap(block_b);
      } else {
        produce(a, blocks_a, i, block_a);
      }
      multiply(block_a, blocks_a, i, block_a, blocks_a, i);
      progress(++done, pairs);
      // Last block first, so that block i + 1 is still held when row i + 1 starts.
      for (Index j = count - 1; j > i; --j) {
        produce(a, blocks_a, j, block_b);
        in_b = j;
        multiply(block_a, blocks_a, i, block_b, blocks_a, j);
        progress(++done, pairs);
      }
    }
    timing.blocks = count;
  } else {
    const Index pairs = blocks_a.count() * blocks_b.count();
    Index done = 0;
    for (Index i = 0; i < blocks_a.count(); ++i) {
      produce(a, blocks_a, i, block_a);
      for (Index j = 0; j < blocks_b.count(); ++j) {
        if (blocks_b.count() > 1 || i == 0) produce(bx, blocks_b, j, block_b);
        multiply(block_a, blocks_a, i, block_b, blocks_b, j);
        progress(++done, pairs);
      }
    }
    timing.blocks = std::max(blocks_a.count(), blocks_b.count());
  }
  if (options_.progress && timing.blocks > 1) std::fprintf(stderr, "\n");
  timing.gflops = timing.product_seconds > 0.0
                      ? gram_flops(na, nb, dim, symmetric) / timing.product_seconds * 1e-9
                      : 0.0;
  return k;
}

Eigen::MatrixXd FidelityKernel::gram(const FeatureMatrix& x, KernelTiming* timing) const {
  check_kernel_rows(x, num_features(), "fidelity kernel");
  KernelTiming local;
  Eigen::MatrixXd k = product(x, nullptr, local);
  const auto t0 = Clock::now();
  finish_training_gram(k);
  if (options_.shots) training_shot_noise(k, *options_.shots, options_.seed, options_.simulator.parallel);
  if (options_.psd_projection) project_psd(k);
  local.product_seconds += seconds_since(t0);
  if (timing) *timing = local;
  return k;
}

Eigen::MatrixXd FidelityKernel::cross_gram(const FeatureMatrix& a, const FeatureMatrix& b, KernelTiming* timing) const {
  check_kernel_rows(a, num_features(), "fidelity kernel");
  check_kernel_rows(b, num_features(), "fidelity kernel");
  KernelTiming local;
  Eigen::MatrixXd k = product(a, &b, local);
  if (options_.shots) cross_shot_noise(k, *options_.shots, options_.seed, options_.simulator.parallel);
  if (timing) *timing = local;
  return k;
}

}  // namespace qmlsim::qml

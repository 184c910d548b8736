#include "simulator/observables/observable.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "simulator/core/bits.hpp"
#include "simulator/core/errors.hpp"

namespace qmlsim {
namespace {

constexpr int kMaxDiagonalQubits = 30;

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

DiagonalObservable::DiagonalObservable(std::vector<Qubit> qubits, std::vector<double> values)
    : qubits_(std::move(qubits)), values_(std::move(values)) {
  if (qubits_.size() > static_cast<std::size_t>(kMaxDiagonalQubits))
    throw InvalidArgument("diagonal observable on " + std::to_string(qubits_.size()) + " qubits; at most " +
                          std::to_string(kMaxDiagonalQubits) + " are supported");
  for (std::size_t i = 0; i < qubits_.size(); ++i) {
    if (qubits_[i] < 0 || qubits_[i] >= kMaxQubits)
      throw InvalidArgument("diagonal observable: qubit " + std::to_string(qubits_[i]) + " out of range [0, " +
                            std::to_string(kMaxQubits) + ")");
    for (std::size_t j = 0; j < i; ++j)
      if (qubits_[j] == qubits_[i])
        throw InvalidArgument("diagonal observable: qubit " + std::to_string(qubits_[i]) + " appears twice");
  }
  const std::size_t expected = std::size_t{1} << qubits_.size();
  if (values_.size() != expected)
    throw InvalidArgument("diagonal observable on " + std::to_string(qubits_.size()) + " qubits needs " +
                          std::to_string(expected) + " values (one per outcome); " + std::to_string(values_.size()) +
                          " given");
  for (std::size_t o = 0; o < values_.size(); ++o)
    if (!std::isfinite(values_[o]))
      throw InvalidArgument("diagonal observable: value of outcome " + std::to_string(o) + " is not finite");
}

DiagonalObservable DiagonalObservable::projector(std::vector<Qubit> qubits, Index outcome) {
  if (qubits.size() > static_cast<std::size_t>(kMaxDiagonalQubits) || (outcome >> qubits.size()) != 0)
    throw InvalidArgument("projector: outcome " + std::to_string(outcome) + " out of range [0, 2^" +
                          std::to_string(qubits.size()) + ")");
  std::vector<double> values(std::size_t{1} << qubits.size(), 0.0);
  values[outcome] = 1.0;
  return DiagonalObservable(std::move(qubits), std::move(values));
}

int DiagonalObservable::num_qubits_needed() const noexcept {
  int needed = 0;
  for (Qubit q : qubits_) needed = std::max(needed, q + 1);
  return needed;
}

std::string DiagonalObservable::to_string() const {
  std::string s = "diag(";
  for (std::size_t j = qubits_.size(); j-- > 0;) {  // appended piecewise: GCC 12 PR 105329
    s += 'q';
    s += std::to_string(qubits_[j]);
    if (j) s += ' ';
  }
  s += ":";
  for (std::size_t o = 0; o < values_.size() && o < 8; ++o) {
    s += o ? ", " : " ";
    s += number(values_[o]);
  }
  if (values_.size() > 8) s += ", ...";
  return s + ")";
}

int num_qubits_needed(const Observable& observable) noexcept {
  return std::visit([](const auto& h) { return h.num_qubits_needed(); }, observable);
}

std::string to_string(const Observable& observable) {
  return std::visit([](const auto& h) { return h.to_string(); }, observable);
}

void check_observable(const Observable& observable, int num_qubits) {
  const int needed = num_qubits_needed(observable);
  if (needed > num_qubits)
    throw InvalidArgument("observable acts on qubit " + std::to_string(needed - 1) + " but the state has " +
                          std::to_string(num_qubits) + " qubits");
}

template <class R>
double expectation(const DiagonalObservable& observable, const StateVector<R>& state, const Parallelism& par) {
  check_observable(observable, state.num_qubits());
  const auto* psi = reinterpret_cast<const R*>(state.data());
  const Qubit* qs = observable.qubits().data();
  const int k = static_cast<int>(observable.qubits().size());
  const double* values = observable.values().data();
  return parallel_sum(state.size(), par, [&](Index b, Index e) noexcept {
    double s = 0.0;
    for (Index i = b; i < e; ++i) {
      const double re = psi[2 * i], im = psi[2 * i + 1];
      s += values[extract_bits(i, qs, k)] * (re * re + im * im);
    }
    return s;
  });
}

template <class R>
double expectation(const Observable& observable, const StateVector<R>& state, const Parallelism& par) {
  return std::visit([&](const auto& h) { return expectation(h, state, par); }, observable);
}

template <class R>
void apply_weighted(std::span<const Observable> observables, std::span<const double> weights,
                    const StateVector<R>& in, StateVector<R>& out, const Parallelism& par) {
  if (weights.size() != observables.size())
    throw InvalidArgument(std::to_string(observables.size()) + " observables but " + std::to_string(weights.size()) +
                          " weights");
  if (&in == &out) throw InvalidArgument("apply_weighted: the output must be another state");
  if (in.num_qubits() != out.num_qubits())
    throw InvalidArgument("apply_weighted: states of " + std::to_string(in.num_qubits()) + " and " +
                          std::to_string(out.num_qubits()) + " qubits");
  for (std::size_t j = 0; j < observables.size(); ++j) {
    check_observable(observables[j], in.num_qubits());
    if (!std::isfinite(weights[j])) throw InvalidArgument("weight " + std::to_string(j) + " is not finite");
  }
  // The Pauli sums combine into one sum (one pass per distinct x mask); it writes `out`.
  PauliSum combined;
  bool any_pauli = false;
  for (std::size_t j = 0; j < observables.size(); ++j)
    if (const auto* p = std::get_if<PauliSum>(&observables[j])) {
      combined += weights[j] * *p;
      any_pauli = true;
    }
  R* o = reinterpret_cast<R*>(out.data());
  const R* psi = reinterpret_cast<const R*>(in.data());
  if (any_pauli) {
    apply(combined, in, out, par);
  } else {
    parallel_for(in.size(), kBlock, par, [&](Index b, Index e) noexcept {
      std::fill(o + 2 * b, o + 2 * e, R(0));
    });
  }
  for (std::size_t j = 0; j < observables.size(); ++j) {
    const auto* d = std::get_if<DiagonalObservable>(&observables[j]);
    if (!d || weights[j] == 0.0) continue;
    const Qubit* qs = d->qubits().data();
    const int k = static_cast<int>(d->qubits().size());
    const double* values = d->values().data();
    const double w = weights[j];
    parallel_for(in.size(), kBlock, par, [&](Index b, Index e) noexcept {
      for (Index i = b; i < e; ++i) {
        const auto f = static_cast<R>(w * values[extract_bits(i, qs, k)]);
        o[2 * i] += f * psi[2 * i];
        o[2 * i + 1] += f * psi[2 * i + 1];
      }
    });
  }
}

#define QMLSIM_INSTANTIATE(R)                                                                        \
  template double expectation<R>(const DiagonalObservable&, const StateVector<R>&, const Parallelism&);  \
  template double expectation<R>(const Observable&, const StateVector<R>&, const Parallelism&);          \
  template void apply_weighted<R>(std::span<const Observable>, std::span<const double>,                 \
                                  const StateVector<R>&, StateVector<R>&, const Parallelism&);
QMLSIM_INSTANTIATE(double)
QMLSIM_INSTANTIATE(float)
#undef QMLSIM_INSTANTIATE

}  // namespace qmlsim

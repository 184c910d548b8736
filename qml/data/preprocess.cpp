#include "qml/data/preprocess.hpp"

#include <Eigen/SVD>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "qml/encoding/component_spec.hpp"
#include "simulator/core/errors.hpp"
#include "simulator/core/validate.hpp"

namespace qmlsim::qml {

namespace {

using Step = Pipeline::Step;

constexpr const char* kValidSteps = "standard, minmax:LO:HI, pca:K, none";
constexpr double kEps = std::numeric_limits<double>::epsilon();

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = text.find(sep);
    parts.push_back(trim(text.substr(0, at)));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

/// One step from its text; nothing for "none". Throws InvalidArgument.
std::optional<Step> parse_step(std::string_view text) {
  const auto parts = split(text, ':');
  const std::string quoted = "preprocessing step '" + std::string(text) + "'";
  Step step;
  if (parts[0] == "none" && parts.size() == 1) return std::nullopt;
  if (parts[0] == "standard" && parts.size() == 1) {
    step.kind = Step::Kind::Standard;
  } else if (parts[0] == "minmax" && parts.size() == 3) {
    step.kind = Step::Kind::MinMax;
    step.lo_text = std::string(parts[1]);
    step.hi_text = std::string(parts[2]);
    step.lo = parse_angle_value(parts[1], quoted + ": LO");
    step.hi = parse_angle_value(parts[2], quoted + ": HI");
    if (!(step.lo < step.hi) || !std::isfinite(step.hi - step.lo))
      throw InvalidArgument(quoted + ": needs finite LO < HI, got LO = " + format_number(step.lo) + ", HI = " + format_number(step.hi));
  } else if (parts[0] == "pca" && parts.size() == 2) {
    step.kind = Step::Kind::Pca;
    const std::string k(parts[1]);
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(k, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (k.empty() || used != k.size() || value < 1 || !std::isdigit(static_cast<unsigned char>(k.front())))
      throw InvalidArgument(quoted + ": K must be a positive integer, got '" + k + "'");
    step.components = value;
  } else if (parts[0] == "minmax" || parts[0] == "pca" || parts[0] == "standard" || parts[0] == "none") {
    throw InvalidArgument(quoted + " is malformed (valid: " + kValidSteps + ")");
  } else {
    throw InvalidArgument("unknown preprocessing step '" + std::string(text) + "' (valid: " + kValidSteps + ")");
  }
  return step;
}

std::string step_spec(const Step& s) {
  switch (s.kind) {
    case Step::Kind::Standard: return "standard";
    case Step::Kind::MinMax: return "minmax:" + s.lo_text + ":" + s.hi_text;
    case Step::Kind::Pca: return "pca:" + std::to_string(s.components);
  }
  return {};
}

/// scikit-learn's StandardScaler: population variance (with its rounding correction), and scale
/// 1 for a column its _is_constant_feature calls constant.
void fit_standard(Step& s, const FeatureMatrix& x) {
  const auto n = static_cast<double>(x.rows());
  s.shift = x.colwise().sum() / n;
  s.scale.resize(x.cols());
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const Eigen::ArrayXd d = x.col(j).array() - s.shift(j);
    const double correction = d.sum();
    const double var = (d.square().sum() - correction * correction / n) / n;
    const double bound = n * kEps * var + (n * s.shift(j) * kEps) * (n * s.shift(j) * kEps);
    s.scale(j) = var <= bound ? 1.0 : 1.0 / std::sqrt(var);
  }
}

/// scikit-learn's MinMaxScaler: (x - min) * (hi - lo) / range + lo, a range below 10 eps taken
/// as 1 (so a constant column maps to lo).
void fit_minmax(Step& s, const FeatureMatrix& x) {
  s.shift = x.colwise().minCoeff();
  const Eigen::RowVectorXd range = x.colwise().maxCoeff() - s.shift;
  s.scale = range.unaryExpr([&](double r) { return (s.hi - s.lo) / (r < 10.0 * kEps ? 1.0 : r); });
  s.offset = s.lo;
}

/// scikit-learn's PCA (svd_solver "full"): SVD of the centred rows, signs by svd_flip with
/// u_based_decision (the largest |entry| of each column of U positive; the first on ties).
void fit_pca(Step& s, const FeatureMatrix& x) {
  const Eigen::Index k = s.components;
  if (k > std::min(x.rows(), x.cols()))
    throw InvalidArgument("preprocessing step 'pca:" + std::to_string(k) + "': " + std::to_string(k) +
                          " components out of range [1, " + std::to_string(std::min(x.rows(), x.cols())) +
                          "] (min of " + plural(x.rows(), "row") + " and " + plural(x.cols(), "feature") + ")");
  s.shift = x.colwise().sum() / static_cast<double>(x.rows());
  const Eigen::MatrixXd centred = x.rowwise() - s.shift;
  const Eigen::BDCSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU | Eigen::ComputeThinV);
  s.basis.resize(x.cols(), k);
  for (Eigen::Index c = 0; c < k; ++c) {
    Eigen::Index top = 0;
    const auto u = svd.matrixU().col(c);
    for (Eigen::Index i = 1; i < u.size(); ++i)
      if (std::abs(u(i)) > std::abs(u(top))) top = i;
    const double sign = u(top) < 0.0 ? -1.0 : 1.0;
    s.basis.col(c) = sign * svd.matrixV().col(c);
  }
}

FeatureMatrix apply(const Step& s, const FeatureMatrix& x) {
  if (s.kind == Step::Kind::Pca) return (x.rowwise() - s.shift) * s.basis;
  FeatureMatrix out = ((x.rowwise() - s.shift).array().rowwise() * s.scale.array()).matrix();
  if (s.kind == Step::Kind::MinMax) out.array() += s.offset;
  return out;
}

/// The value `name` of a fitted step, rows x cols, finite; DatasetError otherwise.
const Eigen::MatrixXd& fitted_value(const FittedStep& f, const std::string& name, Eigen::Index rows, Eigen::Index cols) {
  const auto it = std::find_if(f.values.begin(), f.values.end(), [&](const auto& v) { return v.first == name; });
  const std::string where = "fitted preprocessing step '" + f.spec + "'";
  if (it == f.values.end()) throw DatasetError(where + ": value '" + name + "' is missing");
  const Eigen::MatrixXd& m = it->second;
  if (m.rows() != rows || m.cols() != cols)
    throw DatasetError(where + ": value '" + name + "' is " + std::to_string(m.rows()) + " x " + std::to_string(m.cols()) +
                       ", expected " + std::to_string(rows) + " x " + std::to_string(cols));
  if (!m.allFinite()) throw DatasetError(where + ": value '" + name + "' is not finite");
  return m;
}

}  // namespace

Pipeline Pipeline::parse(std::string_view list) {
  Pipeline p;
  for (std::string_view text : split(list, ',')) {
    if (text.empty())
      throw InvalidArgument("empty preprocessing step in '" + std::string(list) + "' (valid: " + kValidSteps + ")");
    if (auto step = parse_step(text)) p.steps_.push_back(std::move(*step));
  }
  return p;
}

Pipeline Pipeline::from_fitted(const std::vector<FittedStep>& steps) {
  Pipeline p;
  Eigen::Index features = -1;
  for (const FittedStep& f : steps) {
    std::optional<Step> step;
    try {
      step = parse_step(f.spec);
    } catch (const InvalidArgument& e) {
      throw DatasetError(std::string("fitted preprocessing: ") + e.what());
    }
    if (!step) continue;
    if (f.values.empty() || f.values.front().second.rows() != 1)
      throw DatasetError("fitted preprocessing step '" + f.spec + "': the first value must be one row of per-feature values");
    if (features < 0) features = f.values.front().second.cols();
    Step& s = *step;
    switch (s.kind) {
      case Step::Kind::Standard:
        s.shift = fitted_value(f, "mean", 1, features);
        s.scale = fitted_value(f, "scale", 1, features);
        break;
      case Step::Kind::MinMax:
        s.shift = fitted_value(f, "min", 1, features);
        s.scale = fitted_value(f, "scale", 1, features);
        s.offset = s.lo;
        break;
      case Step::Kind::Pca:
        if (s.components > features)
          throw DatasetError("fitted preprocessing step '" + f.spec + "': more components than its " +
                             plural(features, "input feature"));
        s.shift = fitted_value(f, "mean", 1, features);
        s.basis = fitted_value(f, "components", s.components, features).transpose();
        features = s.components;
        break;
    }
    if (f.values.size() != 2)
      throw DatasetError("fitted preprocessing step '" + f.spec + "': " + plural(static_cast<long long>(f.values.size()), "value") +
                         ", expected 2");
    if (p.steps_.empty()) p.input_features_ = static_cast<int>(s.shift.size());
    p.steps_.push_back(std::move(s));
  }
  p.fitted_ = true;
  return p;
}

void Pipeline::fit(const FeatureMatrix& train) {
  if (train.rows() == 0) throw InvalidArgument("preprocessing: cannot fit on 0 rows");
  FeatureMatrix x = train;
  for (Step& s : steps_) {
    switch (s.kind) {
      case Step::Kind::Standard: fit_standard(s, x); break;
      case Step::Kind::MinMax: fit_minmax(s, x); break;
      case Step::Kind::Pca: fit_pca(s, x); break;
    }
    x = apply(s, x);
  }
  input_features_ = static_cast<int>(train.cols());
  fitted_ = true;
}

FeatureMatrix Pipeline::transform(const FeatureMatrix& x) const {
  if (!fitted_) throw InvalidArgument("preprocessing '" + spec() + "' is not fitted");
  if (!steps_.empty() && x.cols() != input_features_)
    throw InvalidArgument("preprocessing was fitted on " + plural(input_features_, "feature") + ", got " +
                          std::to_string(x.cols()));
  FeatureMatrix out = x;
  for (const Step& s : steps_) out = apply(s, out);
  return out;
}

FeatureMatrix Pipeline::fit_transform(const FeatureMatrix& train) {
  fit(train);
  return transform(train);
}

int Pipeline::output_features(int input) const {
  int features = input;
  for (const Step& s : steps_)
    if (s.kind == Step::Kind::Pca) features = s.components;
  return features;
}

std::string Pipeline::spec() const {
  if (steps_.empty()) return "none";
  std::string out;
  for (const Step& s : steps_) out.append(out.empty() ? "" : ",").append(step_spec(s));
  return out;
}

std::vector<FittedStep> Pipeline::fitted_steps() const {
  if (!fitted_) throw InvalidArgument("preprocessing '" + spec() + "' is not fitted");
  std::vector<FittedStep> out;
  for (const Step& s : steps_) {
    FittedStep f{step_spec(s), {}};
    switch (s.kind) {
      case Step::Kind::Standard:
        f.values = {{"mean", s.shift}, {"scale", s.scale}};
        break;
      case Step::Kind::MinMax:
        f.values = {{"min", s.shift}, {"scale", s.scale}};
        break;
      case Step::Kind::Pca:
        f.values = {{"mean", s.shift}, {"components", s.basis.transpose()}};
        break;
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace qmlsim::qml

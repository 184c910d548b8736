#pragma once
/// Preprocessing as an explicit pipeline of steps, fitted on training rows only and applied
/// unchanged to test and prediction rows (values outside the training range are not clipped).
/// Steps, comma-separated, in order: "standard" (zero mean, unit variance; a constant column
/// keeps scale 1, as scikit-learn's StandardScaler), "minmax:LO:HI" (bounds are numbers or
/// simple multiples of pi: "0:pi", "-pi/2:pi/2", "0:2pi", "-1:1"), "pca:K" (centred SVD; the
/// signs of the components as scikit-learn fixes them: the largest absolute entry of each
/// column of U positive; the exact SVD, as scikit-learn's svd_solver "full", which it picks for
/// up to 500 rows and features: above that its "auto" is a randomized approximation), "none".
#include <Eigen/Core>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qml/data/dataset.hpp"

namespace qmlsim::qml {

/// The fitted values of one step, by name, as model files store them: standard "mean" and
/// "scale" (1 x F; x' = (x - mean) * scale, scale = 1 / std), minmax "min" and "scale" (1 x F;
/// x' = (x - min) * scale + LO), pca "mean" (1 x F) and "components" (K x F, scikit-learn's
/// components_; x' = (x - mean) * components^T).
struct FittedStep {
  std::string spec;  ///< "standard", "minmax:0:pi", "pca:2"
  std::vector<std::pair<std::string, Eigen::MatrixXd>> values;
};

class Pipeline {
 public:
  /// The empty pipeline (identity).
  Pipeline() = default;
  /// Parses "standard,minmax:0:pi". Throws InvalidArgument naming the bad step and the valid
  /// ones: "unknown preprocessing step 'scale' (valid: standard, minmax:LO:HI, pca:K, none)".
  [[nodiscard]] static Pipeline parse(std::string_view list);
  /// Rebuilds a fitted pipeline from model-file values; throws DatasetError if they do not fit
  /// together (shapes, names).
  [[nodiscard]] static Pipeline from_fitted(const std::vector<FittedStep>& steps);

  /// Fits every step on `train` (each on the output of the previous one). Throws InvalidArgument
  /// when pca:K asks for more components than min(rows, features).
  void fit(const FeatureMatrix& train);
  [[nodiscard]] bool fitted() const noexcept { return fitted_; }
  /// Applies the fitted steps. Throws InvalidArgument if not fitted or for a wrong feature count
  /// ("preprocessing was fitted on 4 features, got 3").
  [[nodiscard]] FeatureMatrix transform(const FeatureMatrix& x) const;
  /// fit(train) then transform(train).
  [[nodiscard]] FeatureMatrix fit_transform(const FeatureMatrix& train);
  /// Features after the pipeline, for `input` features before it.
  [[nodiscard]] int output_features(int input) const;
  /// Features the pipeline was fitted on (0 when not fitted).
  [[nodiscard]] int input_features() const noexcept { return input_features_; }
  /// "standard,minmax:0:pi" ("none" when empty): what was asked, canonical spelling.
  [[nodiscard]] std::string spec() const;
  /// The fitted values (from_fitted(fitted_steps()) transforms bit for bit alike). Throws
  /// InvalidArgument if not fitted.
  [[nodiscard]] std::vector<FittedStep> fitted_steps() const;
  [[nodiscard]] bool empty() const noexcept { return steps_.empty(); }

  struct Step {
    enum class Kind { Standard, MinMax, Pca } kind = Kind::Standard;
    double lo = 0.0, hi = 1.0;  ///< minmax bounds
    std::string lo_text, hi_text;  ///< as written ("pi/2"), for spec()
    int components = 0;         ///< pca
    Eigen::RowVectorXd shift;   ///< subtracted first (mean, or min)
    Eigen::RowVectorXd scale;   ///< multiplied after the shift (standard, minmax)
    Eigen::MatrixXd basis;      ///< pca: features x K, x_reduced = (x - shift) * basis
    double offset = 0.0;        ///< minmax: added last (lo)
  };

 private:
  std::vector<Step> steps_;
  bool fitted_ = false;
  int input_features_ = 0;
};

}  // namespace qmlsim::qml

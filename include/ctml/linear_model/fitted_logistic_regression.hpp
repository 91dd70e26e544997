// logistic_regression's hyperparameters and the fitted model: everything a
// program that loads and scores a model needs, without the solvers. Fitting is
// in logistic_regression.hpp, which includes this header and is what to
// include to fit (the objective, Newton, L-BFGS and Eigen's factorisations are
// a few seconds of compiling in every unit that includes them).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>
#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/linear_model/detail/sigmoid.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/enum_names.hpp"
#include "ctml/pipeline/row_partition.hpp"

namespace ctml {

enum class lr_solver { newton, lbfgs };
constexpr auto enum_names(lr_solver) {
    return std::to_array<enum_name<lr_solver>>({{lr_solver::newton, "newton"}, {lr_solver::lbfgs, "lbfgs"}});
}

enum class class_weighting { none, balanced };
constexpr auto enum_names(class_weighting) {
    return std::to_array<enum_name<class_weighting>>(
        {{class_weighting::none, "none"}, {class_weighting::balanced, "balanced"}});
}

template <int W>
class fitted_logistic_regression;

namespace detail {
/// How logistic_regression fits a model of width W: defined in
/// logistic_regression.hpp, so only units that fit compile the solvers.
template <int W>
struct logistic_regression_fit;

/// The width of the features fit() takes: In's columns when it is a feature
/// matrix, Dynamic otherwise (fit's body then says what it needs). It names
/// fit's result without instantiating fit.
template <class In>
inline constexpr int feature_width = Eigen::Dynamic;
template <class In>
    requires is_feature_matrix<In>::value
inline constexpr int feature_width<In> = In::ColsAtCompileTime;
}  // namespace detail

struct logistic_regression {
    static constexpr stage_kind kind = stage_kind::estimator;
    static constexpr std::string_view stage_name = "logistic_regression";

    /// Inverse regularisation strength; larger C, weaker penalty.
    double C = 1.0;
    bool fit_intercept = true;
    class_weighting class_weight = class_weighting::none;
    lr_solver solver = lr_solver::newton;
    /// Stop when max |∂J̃/∂θ| <= tol, J̃ the per-sample objective.
    double tol = 1e-10;
    int max_iter = 1000;
    /// Return a model that did not converge (converged() == false) instead of throwing.
    bool allow_non_convergence = false;

    [[nodiscard]] bool operator==(const logistic_regression&) const = default;

    template <class In>
    [[nodiscard]] fitted_logistic_regression<detail::feature_width<In>> fit(const In& X, label_span y) const {
        return fit(X, y, all_rows_here());
    }

    /// Fits on this part of rows split over several processes: each Newton (or
    /// L-BFGS) step sums the gradient and Hessian over every part, so every part
    /// takes the same steps to the same model.
    // If your compile breaks here on an incomplete logistic_regression_fit, this
    // unit includes fitted_logistic_regression.hpp only: include
    // <ctml/linear_model/logistic_regression.hpp> to fit.
    template <class In>
    [[nodiscard]] fitted_logistic_regression<detail::feature_width<In>> fit(const In& X, label_span y,
                                                                            const row_partition& rows) const {
        static_assert(detail::is_feature_matrix<In>::value,
                      "ctml: logistic_regression needs numeric features -- put a column_transformer, scaler or "
                      "one_hot_encoder before it");
        return detail::logistic_regression_fit<In::ColsAtCompileTime>::learn(*this, X, y, rows);
    }

    /// fit() on features whose one-hot blocks are kept as codes (what a pipeline
    /// passes when its transformers can make one): the same model, without a
    /// dense matrix. W is the width of the dense features the design stands for.
    template <int W>
    [[nodiscard]] fitted_logistic_regression<W> fit_design(const feature_design& X, label_span y,
                                                           const row_partition& rows = all_rows_here()) const {
        return detail::logistic_regression_fit<W>::learn(*this, X, y, rows);
    }

    // If your compile breaks here, you asked an unfitted logistic_regression for
    // predictions: fit() returns the fitted model, which has them.
    template <class X>
    void predict(const X&) const {
        static_assert(detail::always_false<X>, "ctml: logistic_regression is not fitted -- call fit() first");
    }
    template <class X>
    void predict_proba(const X&) const {
        static_assert(detail::always_false<X>, "ctml: logistic_regression is not fitted -- call fit() first");
    }
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::logistic_regression, C, fit_intercept, class_weight, solver, tol, max_iter,
                        allow_non_convergence);

namespace ctml {

template <int W>
class fitted_logistic_regression {
public:
    static constexpr int version = 1;
    using params_type = logistic_regression;
    using coef_type = Eigen::Matrix<double, 1, W>;

    struct state_type {
        BOOST_HANA_DEFINE_STRUCT(state_type,
                                 /// scikit-learn's coef_ (one row): a weight per feature.
                                 (coef_type, coef),
                                 (double, intercept),
                                 (int, n_iter),
                                 (bool, converged),
                                 /// max |∂J̃/∂θ| at coef, on the per-sample scale tol applies to.
                                 (double, gradient_max),
                                 /// C · Σ s·logloss + ½‖w‖² at coef (scikit-learn's unscaled objective).
                                 (double, objective));
    };

    [[nodiscard]] static fitted_logistic_regression restore(const logistic_regression& params, state_type s) {
        check_params(params);
        constexpr detail::state_checks check(logistic_regression::stage_name);
        check.not_empty(s.coef, "state.coef");
        check.finite(s.coef, "state.coef");
        if (!std::isfinite(s.intercept)) check.fail("state.intercept", "must be a finite number");
        if (!params.fit_intercept && s.intercept != 0.0) check.fail("state.intercept", "must be 0 when fit_intercept is false");
        if (s.n_iter < 0) check.fail("state.n_iter", "cannot be negative");
        return fitted_logistic_regression(params, std::move(s));
    }

    /// The hyperparameters' checks, for a fit before it starts and for a restore: C and tol positive
    /// and finite, max_iter at least 1.
    static void check_params(const logistic_regression& p) {
        constexpr detail::state_checks check(logistic_regression::stage_name);
        if (!(p.C > 0) || !std::isfinite(p.C))
            check.fail("params.C", "C must be a positive finite number, got " + std::to_string(p.C));
        if (!(p.tol > 0) || !std::isfinite(p.tol)) check.fail("params.tol", "tol must be a positive finite number");
        if (p.max_iter < 1) check.fail("params.max_iter", "max_iter must be at least 1");
    }

    [[nodiscard]] const logistic_regression& params() const noexcept { return params_; }
    [[nodiscard]] const state_type& state() const noexcept { return state_; }
    [[nodiscard]] const coef_type& coef() const noexcept { return state_.coef; }
    [[nodiscard]] double intercept() const noexcept { return state_.intercept; }
    /// The encoded classes: 0 and 1.
    [[nodiscard]] static constexpr std::array<int, 2> classes() noexcept { return {0, 1}; }
    [[nodiscard]] int n_iter() const noexcept { return state_.n_iter; }
    [[nodiscard]] bool converged() const noexcept { return state_.converged; }
    /// max |∂J̃/∂θ| at the returned coefficients, J̃ the per-sample objective.
    [[nodiscard]] double gradient_max() const noexcept { return state_.gradient_max; }
    /// C · Σ s·logloss + ½‖w‖² at the returned coefficients.
    [[nodiscard]] double objective_value() const noexcept { return state_.objective; }
    [[nodiscard]] int n_features_in() const noexcept { return static_cast<int>(state_.coef.cols()); }

    /// x·w + b for every row. Summed feature by feature in order, in blocks of rows, exactly as
    /// decision_function_row sums one row: batch and single-record scores agree bit for bit.
    [[nodiscard]] Eigen::VectorXd decision_function(const feature_matrix<W>& X) const {
        check_width(X.cols());
        constexpr Eigen::Index block = 1024;  // the block of z stays in cache across the features
        Eigen::VectorXd z(X.rows());
        for (Eigen::Index r0 = 0; r0 < X.rows(); r0 += block) {
            const Eigen::Index rows = std::min(block, X.rows() - r0);
            auto zb = z.segment(r0, rows);
            zb.setZero();
            for (Eigen::Index j = 0; j < X.cols(); ++j) zb += X.col(j).segment(r0, rows) * state_.coef(j);
            zb.array() += state_.intercept;
        }
        return z;
    }

    [[nodiscard]] probability_matrix predict_proba(const feature_matrix<W>& X) const {
        return probabilities_from_decision(decision_function(X));
    }

    [[nodiscard]] Eigen::VectorXi predict(const feature_matrix<W>& X) const {
        return labels_from_decision(decision_function(X));
    }

    /// [P(0), P(1)] for each decision value x·w + b: how this model turns one into the other,
    /// for callers that compute x·w + b another way (a folded pipeline, linear_fold.hpp).
    [[nodiscard]] static probability_matrix probabilities_from_decision(const Eigen::VectorXd& z) {
        probability_matrix p(z.size(), 2);
        for (Eigen::Index i = 0; i < z.size(); ++i) {
            p(i, 1) = detail::sigmoid(z(i));
            p(i, 0) = 1.0 - p(i, 1);
        }
        return p;
    }
    [[nodiscard]] static std::array<double, 2> probabilities_from_decision(double z) noexcept {
        const double p1 = detail::sigmoid(z);
        return {1.0 - p1, p1};
    }
    [[nodiscard]] static Eigen::VectorXi labels_from_decision(const Eigen::VectorXd& z) {
        return (z.array() > 0.0).template cast<int>();
    }
    [[nodiscard]] static int label_from_decision(double z) noexcept { return z > 0.0 ? 1 : 0; }

    [[nodiscard]] double decision_function_row(const feature_row<W>& x) const {
        check_width(x.cols());
        double z = 0;
        for (Eigen::Index j = 0; j < x.cols(); ++j) z += x(j) * state_.coef(j);
        return z + state_.intercept;
    }
    [[nodiscard]] std::array<double, 2> predict_proba_row(const feature_row<W>& x) const {
        return probabilities_from_decision(decision_function_row(x));
    }
    [[nodiscard]] int predict_row(const feature_row<W>& x) const { return label_from_decision(decision_function_row(x)); }

private:
    fitted_logistic_regression(const logistic_regression& params, state_type s) : params_(params), state_(std::move(s)) {}

    void check_width(Eigen::Index cols) const {
        if constexpr (W == dynamic_width)
            if (cols != state_.coef.cols())
                throw std::invalid_argument("logistic_regression: fitted on " + std::to_string(state_.coef.cols()) +
                                            " features, given " + std::to_string(cols));
    }

    logistic_regression params_;
    state_type state_;
};

}  // namespace ctml

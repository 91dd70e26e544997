// logistic_regression: binary logistic regression with an L2 penalty --
// scikit-learn's LogisticRegression(penalty="l2"), reaching the exact optimum.
//
//   minimise  C · Σ s_i · logloss(y_i, σ(x_i·w + b)) + ½‖w‖²     (b not penalised)
//
// Solvers: `newton` (exact Hessian; the default, for the few-dozen features of
// tabular pipelines) and `lbfgs`. Both stop when the largest component of the
// gradient of the per-sample objective (the one above divided by C·n,
// logistic_objective.hpp) is at most `tol` -- scikit-learn's scaling, so
// whether and when a fit converges does not depend on the number of rows.
// Newton starts from the intercept-only optimum. Not converging within
// max_iter throws convergence_error unless `allow_non_convergence` is set, in
// which case converged() says so -- it is never silent. Labels are 0/1 as
// label_encoder gives them; predict_proba's columns are [P(0), P(1)].
// Example: examples/quickstart.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>
#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/linear_model/detail/row_values.hpp"
#include "ctml/linear_model/detail/sigmoid.hpp"
#include "ctml/linear_model/logistic_objective.hpp"
#include "ctml/linear_model/solvers.hpp"
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

/// Thrown when a solver stops without meeting its tolerance.
class convergence_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <int W>
class fitted_logistic_regression;

namespace detail {
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
    template <class In>
    [[nodiscard]] fitted_logistic_regression<detail::feature_width<In>> fit(const In& X, label_span y,
                                                                            const row_partition& rows) const {
        static_assert(detail::is_feature_matrix<In>::value,
                      "ctml: logistic_regression needs numeric features -- put a column_transformer, scaler or "
                      "one_hot_encoder before it");
        return fitted_logistic_regression<In::ColsAtCompileTime>::learn(*this, X, y, rows);
    }

    /// fit() on features whose one-hot blocks are kept as codes (what a pipeline
    /// passes when its transformers can make one): the same model, without a
    /// dense matrix. W is the width of the dense features the design stands for.
    template <int W>
    [[nodiscard]] fitted_logistic_regression<W> fit_design(const feature_design& X, label_span y,
                                                           const row_partition& rows = all_rows_here()) const {
        return fitted_logistic_regression<W>::learn(*this, X, y, rows);
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

    /// Fits on a feature_matrix<W> or a feature_design of the same features.
    template <class Features>
    [[nodiscard]] static fitted_logistic_regression learn(const logistic_regression& params, const Features& X,
                                                          label_span y, const row_partition& rows) {
        check_params(params);
        if constexpr (std::is_same_v<Features, feature_design>) {
            if (W != dynamic_width && X.cols() != W)
                throw std::invalid_argument("logistic_regression: a design of " + std::to_string(X.cols()) +
                                            " features for a model of " + std::to_string(W));
            check(X.rows(), X.dense().allFinite(), y, rows);
        } else {
            check(X.rows(), X.allFinite(), y, rows);
        }
        const Eigen::Index n = X.rows(), d = X.cols();
        const auto rows_n = static_cast<std::size_t>(n);
        detail::row_values labels(rows_n), weights(rows_n, 1.0);
        // [rows of class 0, rows of class 1], over every part.
        std::array<double, 2> counts{0, 0};
        for (std::size_t i = 0; i < rows_n; ++i) {
            labels[i] = y[i];
            ++counts[static_cast<std::size_t>(y[i])];
        }
        sum_over_parts(rows, counts);
        const double total = counts[0] + counts[1];
        if (params.class_weight == class_weighting::balanced)
            for (std::size_t i = 0; i < rows_n; ++i) weights[i] = total / (2.0 * counts[static_cast<std::size_t>(y[i])]);

        const logistic_objective objective(X, Eigen::Map<const Eigen::VectorXd>(labels.data(), n),
                                           Eigen::Map<const Eigen::VectorXd>(weights.data(), n), params.C,
                                           params.fit_intercept, rows);
        const solver_result r = params.solver == lr_solver::newton
                                    ? newton_minimize(objective, objective.start(), params.tol, params.max_iter)
                                    : lbfgs_minimize(objective, objective.start(), params.tol, params.max_iter);
        state_type s{r.theta.head(d).transpose(), params.fit_intercept ? r.theta(d) : 0.0, r.n_iter, r.converged,
                     r.gradient_max, r.objective * params.C * objective.weight_sum()};
        if (!s.converged && !params.allow_non_convergence) {
            std::ostringstream why;
            why << "logistic_regression: the " << to_string(params.solver) << " solver stopped after " << s.n_iter
                << " iterations with max |gradient| " << s.gradient_max << " > tol " << params.tol
                << " (raise max_iter or tol, scale the features, or set allow_non_convergence)";
            throw convergence_error(why.str());
        }
        return restore(params, std::move(s));
    }

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

    static void check_params(const logistic_regression& p) {
        constexpr detail::state_checks check(logistic_regression::stage_name);
        if (!(p.C > 0) || !std::isfinite(p.C))
            check.fail("params.C", "C must be a positive finite number, got " + std::to_string(p.C));
        if (!(p.tol > 0) || !std::isfinite(p.tol)) check.fail("params.tol", "tol must be a positive finite number");
        if (p.max_iter < 1) check.fail("params.max_iter", "max_iter must be at least 1");
    }

    void check_width(Eigen::Index cols) const {
        if constexpr (W == dynamic_width)
            if (cols != state_.coef.cols())
                throw std::invalid_argument("logistic_regression: fitted on " + std::to_string(state_.coef.cols()) +
                                            " features, given " + std::to_string(cols));
    }

    /// The checks before a fit, each decided on what every part sees (row_partition.hpp):
    /// the first problem of this part, or of another part, throws on every part.
    static void check(Eigen::Index rows, bool finite, label_span y, const row_partition& parts) {
        std::string problem;
        if (static_cast<std::size_t>(rows) != y.size())
            problem = std::to_string(rows) + " rows but " + std::to_string(y.size()) + " labels";
        else if (!finite)
            problem = "the features hold NaN or infinity";
        // [problem?, rows, class 0 seen, class 1 seen], over every part.
        std::array<double, 4> seen{0, static_cast<double>(rows), 0, 0};
        for (std::size_t i = 0; i < y.size() && problem.empty(); ++i) {
            if (y[i] != 0 && y[i] != 1)
                problem = "label " + std::to_string(y[i]) + " in row " + std::to_string(i) +
                          " is not 0 or 1 (encode labels with label_encoder)";
            else
                seen[2 + static_cast<std::size_t>(y[i])] = 1;
        }
        seen[0] = problem.empty() ? 0.0 : 1.0;
        sum_over_parts(parts, seen);
        if (seen[0] > 0)
            throw std::invalid_argument("logistic_regression: " +
                                        (problem.empty() ? std::string("another part's rows cannot be fitted on") : problem));
        if (seen[1] == 0) throw std::invalid_argument("logistic_regression: cannot fit on zero rows");
        if (seen[2] == 0 || seen[3] == 0)
            throw std::invalid_argument("logistic_regression: the labels hold a single class; two are needed");
    }

    logistic_regression params_;
    state_type state_;
};

}  // namespace ctml

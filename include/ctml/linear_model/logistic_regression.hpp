// logistic_regression: binary logistic regression with an L2 penalty --
// scikit-learn's LogisticRegression(penalty="l2"), reaching the exact optimum.
//
//   minimise  C · Σ s_i · logloss(y_i, σ(x_i·w + b)) + ½‖w‖²     (b not penalised)
//
// Solvers: `newton` (exact Hessian; the default, for the few-dozen features of
// tabular pipelines) and `lbfgs`. Both stop on the largest gradient component
// (`tol`), not on a small change of the loss. Not converging within max_iter
// throws convergence_error unless `allow_non_convergence` is set, in which
// case converged() says so -- it is never silent. Labels are 0/1 as
// label_encoder gives them; predict_proba's columns are [P(0), P(1)].
// Example: examples/quickstart.cpp; objective: logistic_objective.hpp.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/linear_model/logistic_objective.hpp"
#include "ctml/linear_model/solvers.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

enum class lr_solver { newton, lbfgs };
enum class class_weighting { none, balanced };

/// Thrown when a solver stops without meeting its tolerance.
class convergence_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

template <int W>
class fitted_logistic_regression;

struct logistic_regression {
    static constexpr stage_kind kind = stage_kind::estimator;
    static constexpr std::string_view stage_name = "logistic_regression";

    /// Inverse regularisation strength; larger C, weaker penalty.
    double C = 1.0;
    bool fit_intercept = true;
    class_weighting class_weight = class_weighting::none;
    lr_solver solver = lr_solver::newton;
    /// Stop when max |∂J/∂θ| <= tol.
    double tol = 1e-10;
    int max_iter = 1000;
    /// Return a model that did not converge (converged() == false) instead of throwing.
    bool allow_non_convergence = false;

    [[nodiscard]] bool operator==(const logistic_regression&) const = default;

    template <class In>
    [[nodiscard]] auto fit(const In& X, label_span y) const {
        static_assert(detail::is_feature_matrix<In>::value,
                      "ctml: logistic_regression needs numeric features -- put a column_transformer, scaler or "
                      "one_hot_encoder before it");
        return fitted_logistic_regression<In::ColsAtCompileTime>(*this, X, y);
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

template <int W>
class fitted_logistic_regression {
public:
    using params_type = logistic_regression;
    using coef_type = Eigen::Matrix<double, 1, W>;

    fitted_logistic_regression(const logistic_regression& params, const feature_matrix<W>& X, label_span y)
        : params_(params) {
        if (!(params.C > 0) || !std::isfinite(params.C))
            throw std::invalid_argument("logistic_regression: C must be a positive finite number, got " +
                                        std::to_string(params.C));
        if (!(params.tol > 0)) throw std::invalid_argument("logistic_regression: tol must be positive");
        if (params.max_iter < 1) throw std::invalid_argument("logistic_regression: max_iter must be at least 1");
        check(X, y);
        const Eigen::Index n = X.rows(), d = X.cols();
        Eigen::VectorXd labels(n), weights = Eigen::VectorXd::Ones(n);
        std::array<double, 2> counts{0, 0};
        for (Eigen::Index i = 0; i < n; ++i) {
            labels(i) = y[static_cast<std::size_t>(i)];
            ++counts[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])];
        }
        if (params.class_weight == class_weighting::balanced)
            for (Eigen::Index i = 0; i < n; ++i)
                weights(i) = static_cast<double>(n) / (2.0 * counts[static_cast<std::size_t>(y[static_cast<std::size_t>(i)])]);

        const logistic_objective objective(X, labels, weights, params.C, params.fit_intercept);
        const Eigen::VectorXd start = Eigen::VectorXd::Zero(objective.dimension());
        const solver_result r = params.solver == lr_solver::newton
                                    ? newton_minimize(objective, start, params.tol, params.max_iter)
                                    : lbfgs_minimize(objective, start, params.tol, params.max_iter);
        coef_ = r.theta.head(d).transpose();
        intercept_ = params.fit_intercept ? r.theta(d) : 0.0;
        n_iter_ = r.n_iter;
        converged_ = r.converged;
        gradient_max_ = r.gradient_max;
        objective_ = r.objective;
        if (!converged_ && !params.allow_non_convergence) {
            std::ostringstream why;
            why << "logistic_regression: the " << (params.solver == lr_solver::newton ? "newton" : "lbfgs")
                << " solver stopped after " << n_iter_ << " iterations with max |gradient| " << gradient_max_
                << " > tol " << params.tol
                << " (raise max_iter or tol, scale the features, or set allow_non_convergence)";
            throw convergence_error(why.str());
        }
    }

    /// Saved state back into a fitted model; the io layer validates it first.
    fitted_logistic_regression(restore_t, const logistic_regression& params, coef_type coef, double intercept,
                               int n_iter, bool converged, double gradient_max, double objective)
        : params_(params), coef_(std::move(coef)), intercept_(intercept), n_iter_(n_iter), converged_(converged),
          gradient_max_(gradient_max), objective_(objective) {}

    [[nodiscard]] const logistic_regression& params() const noexcept { return params_; }
    /// scikit-learn's coef_ (one row): a weight per feature.
    [[nodiscard]] const coef_type& coef() const noexcept { return coef_; }
    [[nodiscard]] double intercept() const noexcept { return intercept_; }
    /// The encoded classes: 0 and 1.
    [[nodiscard]] static constexpr std::array<int, 2> classes() noexcept { return {0, 1}; }
    [[nodiscard]] int n_iter() const noexcept { return n_iter_; }
    [[nodiscard]] bool converged() const noexcept { return converged_; }
    /// max |∂J/∂θ| at the returned coefficients.
    [[nodiscard]] double gradient_max() const noexcept { return gradient_max_; }
    [[nodiscard]] double objective_value() const noexcept { return objective_; }
    [[nodiscard]] int n_features_in() const noexcept { return static_cast<int>(coef_.cols()); }

    [[nodiscard]] Eigen::VectorXd decision_function(const feature_matrix<W>& X) const {
        check_width(X.cols());
        Eigen::VectorXd z = X * coef_.transpose();
        z.array() += intercept_;
        return z;
    }

    [[nodiscard]] probability_matrix predict_proba(const feature_matrix<W>& X) const {
        const Eigen::VectorXd z = decision_function(X);
        probability_matrix p(z.size(), 2);
        for (Eigen::Index i = 0; i < z.size(); ++i) {
            p(i, 1) = detail::sigmoid(z(i));
            p(i, 0) = 1.0 - p(i, 1);
        }
        return p;
    }

    [[nodiscard]] Eigen::VectorXi predict(const feature_matrix<W>& X) const {
        return (decision_function(X).array() > 0.0).template cast<int>();
    }

    [[nodiscard]] double decision_function_row(const feature_row<W>& x) const {
        check_width(x.cols());
        return x.dot(coef_) + intercept_;
    }
    [[nodiscard]] std::array<double, 2> predict_proba_row(const feature_row<W>& x) const {
        const double p1 = detail::sigmoid(decision_function_row(x));
        return {1.0 - p1, p1};
    }
    [[nodiscard]] int predict_row(const feature_row<W>& x) const { return decision_function_row(x) > 0.0 ? 1 : 0; }

private:
    void check_width(Eigen::Index cols) const {
        if constexpr (W == dynamic_width)
            if (cols != coef_.cols())
                throw std::invalid_argument("logistic_regression: fitted on " + std::to_string(coef_.cols()) +
                                            " features, given " + std::to_string(cols));
    }

    static void check(const feature_matrix<W>& X, label_span y) {
        if (X.rows() == 0) throw std::invalid_argument("logistic_regression: cannot fit on zero rows");
        if (static_cast<std::size_t>(X.rows()) != y.size())
            throw std::invalid_argument("logistic_regression: " + std::to_string(X.rows()) + " rows but " +
                                        std::to_string(y.size()) + " labels");
        if (!X.allFinite()) throw std::invalid_argument("logistic_regression: the features hold NaN or infinity");
        bool seen[2] = {false, false};
        for (std::size_t i = 0; i < y.size(); ++i) {
            if (y[i] != 0 && y[i] != 1)
                throw std::invalid_argument("logistic_regression: label " + std::to_string(y[i]) + " in row " +
                                            std::to_string(i) + " is not 0 or 1 (encode labels with label_encoder)");
            seen[y[i]] = true;
        }
        if (!seen[0] || !seen[1])
            throw std::invalid_argument("logistic_regression: the labels hold a single class; two are needed");
    }

    logistic_regression params_;
    coef_type coef_;
    double intercept_ = 0;
    int n_iter_ = 0;
    bool converged_ = false;
    double gradient_max_ = 0;
    double objective_ = 0;
};

}  // namespace ctml

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

#include <array>
#include <cstddef>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

#include <Eigen/Core>

#include "ctml/linear_model/detail/row_values.hpp"
#include "ctml/linear_model/fitted_logistic_regression.hpp"
#include "ctml/linear_model/logistic_objective.hpp"
#include "ctml/linear_model/solvers.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"

namespace ctml {

/// Thrown when a solver stops without meeting its tolerance.
class convergence_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

namespace detail {

template <int W>
struct logistic_regression_fit {
    /// Fits on a feature_matrix<W> or a feature_design of the same features.
    template <class Features>
    [[nodiscard]] static fitted_logistic_regression<W> learn(const logistic_regression& params, const Features& X,
                                                             label_span y, const row_partition& rows) {
        fitted_logistic_regression<W>::check_params(params);
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
        typename fitted_logistic_regression<W>::state_type s{r.theta.head(d).transpose(), params.fit_intercept ? r.theta(d) : 0.0, r.n_iter, r.converged,
                     r.gradient_max, r.objective * params.C * objective.weight_sum()};
        if (!s.converged && !params.allow_non_convergence) {
            std::ostringstream why;
            why << "logistic_regression: the " << to_string(params.solver) << " solver stopped after " << s.n_iter
                << " iterations with max |gradient| " << s.gradient_max << " > tol " << params.tol
                << " (raise max_iter or tol, scale the features, or set allow_non_convergence)";
            throw convergence_error(why.str());
        }
        return fitted_logistic_regression<W>::restore(params, std::move(s));
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

};

}  // namespace detail

}  // namespace ctml

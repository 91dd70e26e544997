// Solvers for smooth convex objectives with evaluate / gradient (/ value_and_derivatives,
// the gradient and Hessian in one pass): Newton's method with the exact
// Hessian, and L-BFGS. Both stop when the largest gradient component is at
// most `tol` -- a statement about the optimum, unlike a stop on a small change
// of the loss, which is how scikit-learn's lbfgs can end 1e-3 away from it.
// The objective decides the scale the tolerance applies to (logistic_objective
// divides by the number of samples, so `tol` does not depend on it). When rounding makes the
// gradient unable to shrink further (a step no longer changes θ), the solver
// stops and reports what it reached: converged() says whether tol was met.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <deque>
#include <limits>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

namespace ctml {

struct solver_result {
    Eigen::VectorXd theta;
    int n_iter = 0;
    bool converged = false;
    double gradient_max = std::numeric_limits<double>::infinity();
    double objective = std::numeric_limits<double>::infinity();
};

namespace detail {

inline constexpr double armijo_c = 1e-4;

// Accepts a step when the objective decreases enough -- or, close to the
// optimum, when the change is below the objective's own rounding noise.
inline bool acceptable(double f_new, double f0, double slope, double t) {
    if (!std::isfinite(f_new)) return false;
    const double noise = 8 * std::numeric_limits<double>::epsilon() * std::abs(f0);
    return f_new <= f0 + armijo_c * t * slope || f_new - f0 <= noise;
}

/// Backtracking line search along `step` from theta (objective f0, slope g·step): the accepted
/// step length t and the objective there.
template <class Objective>
std::pair<double, double> backtrack(const Objective& f, const Eigen::VectorXd& theta, const Eigen::VectorXd& step,
                                    double f0, double slope) {
    double t = 1.0, f_new = f.evaluate(theta + step);
    while (!acceptable(f_new, f0, slope, t) && t > 1e-12) {
        t *= 0.5;
        f_new = f.evaluate(theta + t * step);
    }
    return {t, f_new};
}

inline bool negligible(const Eigen::VectorXd& step, const Eigen::VectorXd& theta) {
    return step.lpNorm<Eigen::Infinity>() <=
           4 * std::numeric_limits<double>::epsilon() * (1.0 + theta.lpNorm<Eigen::Infinity>());
}

}  // namespace detail

/// Newton's method with the exact Hessian and a backtracking line search. The
/// objective, gradient and Hessian at a trial point come from one pass over
/// the data (value_and_derivatives): the full step is accepted almost always,
/// and then they are what the next iteration needs.
template <class Objective>
[[nodiscard]] solver_result newton_minimize(const Objective& f, Eigen::VectorXd theta, double tol, int max_iter) {
    solver_result r;
    Eigen::VectorXd g, g_trial;
    Eigen::MatrixXd H, H_trial;
    double f0 = f.value_and_derivatives(theta, g, H);
    for (;;) {
        r.gradient_max = g.lpNorm<Eigen::Infinity>();
        if (r.gradient_max <= tol) { r.converged = true; break; }
        if (r.n_iter >= max_iter) break;
        Eigen::VectorXd step;
        Eigen::LLT<Eigen::MatrixXd> llt(H);
        if (llt.info() == Eigen::Success) step = llt.solve(-g);
        else step = H.ldlt().solve(-g);
        if (!step.allFinite() || g.dot(step) >= 0) step = -g;  // not a descent direction: fall back
        const double slope = g.dot(step);
        ++r.n_iter;
        if (detail::negligible(step, theta)) break;  // rounding floor: θ cannot move
        Eigen::VectorXd trial = theta + step;
        const double f_full = f.value_and_derivatives(trial, g_trial, H_trial);
        if (detail::acceptable(f_full, f0, slope, 1.0)) {
            theta = std::move(trial);
            f0 = f_full;
            std::swap(g, g_trial);
            std::swap(H, H_trial);
            continue;
        }
        // Backtrack from half the step, then take the derivatives where it stops.
        double t = 0.5, f_new = f.evaluate(theta + t * step);
        while (!detail::acceptable(f_new, f0, slope, t) && t > 1e-12) {
            t *= 0.5;
            f_new = f.evaluate(theta + t * step);
        }
        if (detail::negligible(t * step, theta)) break;
        theta += t * step;
        f0 = f.value_and_derivatives(theta, g, H);
    }
    r.objective = f0;
    r.theta = std::move(theta);
    return r;
}

/// Limited-memory BFGS (two-loop recursion, `memory` pairs) with backtracking.
template <class Objective>
[[nodiscard]] solver_result lbfgs_minimize(const Objective& f, Eigen::VectorXd theta, double tol, int max_iter,
                                           int memory = 10) {
    solver_result r;
    Eigen::VectorXd g, g_new;
    std::deque<Eigen::VectorXd> s_hist, y_hist;
    std::deque<double> rho_hist;
    double f0 = f.evaluate(theta);
    f.gradient(theta, g);
    for (;;) {
        r.gradient_max = g.lpNorm<Eigen::Infinity>();
        if (r.gradient_max <= tol) { r.converged = true; break; }
        if (r.n_iter >= max_iter) break;

        // Two-loop recursion: direction = -H_k g.
        Eigen::VectorXd q = g;
        std::vector<double> alpha(s_hist.size());
        for (std::size_t k = s_hist.size(); k-- > 0;) {
            alpha[k] = rho_hist[k] * s_hist[k].dot(q);
            q -= alpha[k] * y_hist[k];
        }
        if (!s_hist.empty()) q *= s_hist.back().dot(y_hist.back()) / y_hist.back().squaredNorm();
        else q /= std::max(1.0, g.lpNorm<Eigen::Infinity>());
        for (std::size_t k = 0; k < s_hist.size(); ++k) {
            const double beta = rho_hist[k] * y_hist[k].dot(q);
            q += (alpha[k] - beta) * s_hist[k];
        }
        Eigen::VectorXd step = -q;
        if (g.dot(step) >= 0) step = -g;

        const auto [t, f_new] = detail::backtrack(f, theta, step, f0, g.dot(step));
        ++r.n_iter;
        const Eigen::VectorXd s = t * step;
        if (detail::negligible(s, theta)) break;
        theta += s;
        f0 = f_new;
        f.gradient(theta, g_new);
        const Eigen::VectorXd y = g_new - g;
        const double sy = s.dot(y);
        if (sy > 1e-12 * s.norm() * y.norm()) {  // keep the curvature pair only if it is positive
            s_hist.push_back(s);
            y_hist.push_back(y);
            rho_hist.push_back(1.0 / sy);
            if (static_cast<int>(s_hist.size()) > memory) {
                s_hist.pop_front();
                y_hist.pop_front();
                rho_hist.pop_front();
            }
        }
        g = g_new;
    }
    r.objective = f.evaluate(theta);
    r.theta = std::move(theta);
    return r;
}

}  // namespace ctml

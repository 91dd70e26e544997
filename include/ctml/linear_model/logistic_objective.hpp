// The objective binary logistic regression minimises, as scikit-learn states it:
//
//   J(w, b) = C · Σ_i s_i · [softplus(z_i) - y_i · z_i] + ½‖w‖²,   z_i = x_i·w + b
//
// with per-sample weights s_i (1, or "balanced" class weights) and the
// intercept b not penalised. θ = [w; b] (b only when fitting an intercept).
//
//   ∇_w J = C · Xᵀ(s ∘ (p - y)) + w          ∇_b J = C · Σ s ∘ (p - y)
//   ∇²J   = C · X̃ᵀ diag(s ∘ p ∘ (1 - p)) X̃ + diag(1, …, 1, 0)
//
// Kept as its own type (after mlpack) so solvers depend only on evaluate /
// gradient / hessian, and tests can check optimality directly.
#pragma once

#include <cmath>
#include <cstddef>

#include <Eigen/Core>

namespace ctml {

namespace detail {
/// log(1 + e^z) without overflow.
[[nodiscard]] inline double softplus(double z) noexcept {
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}
/// 1 / (1 + e^-z) without overflow.
[[nodiscard]] inline double sigmoid(double z) noexcept {
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}
}  // namespace detail

class logistic_objective {
public:
    /// X: n × d features, y: 0/1 labels, s: sample weights, all of length n.
    logistic_objective(Eigen::Ref<const Eigen::MatrixXd> X, Eigen::Ref<const Eigen::VectorXd> y,
                       Eigen::Ref<const Eigen::VectorXd> s, double C, bool fit_intercept)
        : X_(X), y_(y), s_(s), C_(C), fit_intercept_(fit_intercept) {}

    [[nodiscard]] Eigen::Index dimension() const noexcept { return X_.cols() + (fit_intercept_ ? 1 : 0); }

    [[nodiscard]] Eigen::VectorXd margins(const Eigen::VectorXd& theta) const {
        Eigen::VectorXd z = X_ * theta.head(X_.cols());
        if (fit_intercept_) z.array() += theta(X_.cols());
        return z;
    }

    [[nodiscard]] double evaluate(const Eigen::VectorXd& theta) const {
        const Eigen::VectorXd z = margins(theta);
        double loss = 0;
        for (Eigen::Index i = 0; i < z.size(); ++i) loss += s_(i) * (detail::softplus(z(i)) - y_(i) * z(i));
        return C_ * loss + 0.5 * theta.head(X_.cols()).squaredNorm();
    }

    /// The gradient at theta; also leaves p = σ(z) in `probabilities` for the Hessian.
    void gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::VectorXd& probabilities) const {
        const Eigen::VectorXd z = margins(theta);
        probabilities.resize(z.size());
        Eigen::VectorXd residual(z.size());
        for (Eigen::Index i = 0; i < z.size(); ++i) {
            probabilities(i) = detail::sigmoid(z(i));
            residual(i) = C_ * s_(i) * (probabilities(i) - y_(i));
        }
        g.resize(dimension());
        g.head(X_.cols()).noalias() = X_.transpose() * residual;
        g.head(X_.cols()) += theta.head(X_.cols());
        if (fit_intercept_) g(X_.cols()) = residual.sum();
    }

    /// The exact Hessian, given p = σ(z) at the same theta.
    void hessian(const Eigen::VectorXd& probabilities, Eigen::MatrixXd& H) const {
        const Eigen::Index d = X_.cols();
        Eigen::VectorXd h(probabilities.size());
        for (Eigen::Index i = 0; i < h.size(); ++i)
            h(i) = C_ * s_(i) * probabilities(i) * (1.0 - probabilities(i));
        H.setZero(dimension(), dimension());
        // Only the lower triangle of XᵀDX is formed, then mirrored: half the work.
        Eigen::MatrixXd weighted = X_.array().colwise() * h.array().sqrt();
        H.topLeftCorner(d, d).selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
        H.topLeftCorner(d, d) = H.topLeftCorner(d, d).selfadjointView<Eigen::Lower>();
        H.topLeftCorner(d, d).diagonal().array() += 1.0;
        if (fit_intercept_) {
            const Eigen::VectorXd cross = X_.transpose() * h;
            H.block(0, d, d, 1) = cross;
            H.block(d, 0, 1, d) = cross.transpose();
            H(d, d) = h.sum();
        }
    }

private:
    Eigen::Ref<const Eigen::MatrixXd> X_;
    Eigen::Ref<const Eigen::VectorXd> y_;
    Eigen::Ref<const Eigen::VectorXd> s_;
    double C_;
    bool fit_intercept_;
};

}  // namespace ctml

// The objective binary logistic regression minimises, on scikit-learn's scale:
//
//   J̃(w, b) = (1/S) · Σ_i s_i · [softplus(z_i) - y_i · z_i] + ‖w‖² / (2·C·S),   z_i = x_i·w + b
//
// with per-sample weights s_i (1, or "balanced" class weights), S = Σ s_i
// (= n for both), and the intercept b not penalised. This is scikit-learn's
// C · Σ s_i · logloss + ½‖w‖² divided by C·S: the same minimiser, but a
// gradient that does not grow with the number of rows, so a tolerance on it
// means the same thing at 1,000 rows and at 100,000,000 (scikit-learn's
// newton-cholesky and lbfgs scale it the same way). θ = [w; b].
//
//   ∇J̃  = (1/S) · X̃ᵀ(s ∘ (p - y)) + [w; 0] / (C·S)
//   ∇²J̃ = (1/S) · X̃ᵀ diag(s ∘ p ∘ (1 - p)) X̃ + diag(1, …, 1, 0) / (C·S)
//
// Every sum runs over blocks of rows, each block summed on its own and then
// added: the memory touched per block stays in cache, rounding error grows
// with the number of blocks rather than rows, and the same partial sums are
// what several threads or MPI ranks would combine. Kept as its own type
// (after mlpack) so solvers depend only on evaluate / gradient / derivatives.
#pragma once

#include <algorithm>
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
    /// Rows per block: a block of the credit features (27 columns) is about 440 KB.
    static constexpr Eigen::Index block_rows = 2048;

    /// X: n × d features, y: 0/1 labels, s: sample weights, all of length n.
    logistic_objective(Eigen::Ref<const Eigen::MatrixXd> X, Eigen::Ref<const Eigen::VectorXd> y,
                       Eigen::Ref<const Eigen::VectorXd> s, double C, bool fit_intercept)
        : X_(X), y_(y), s_(s), C_(C), fit_intercept_(fit_intercept), weight_sum_(s.sum()) {}

    [[nodiscard]] Eigen::Index dimension() const noexcept { return X_.cols() + (fit_intercept_ ? 1 : 0); }
    /// S = Σ s_i: the objective is the unscaled one divided by C·S.
    [[nodiscard]] double weight_sum() const noexcept { return weight_sum_; }
    [[nodiscard]] double C() const noexcept { return C_; }

    /// The starting point Newton needs least steps from: w = 0 and b at the
    /// optimum of the intercept-only model, the log-odds of the weighted labels.
    [[nodiscard]] Eigen::VectorXd start() const {
        Eigen::VectorXd theta = Eigen::VectorXd::Zero(dimension());
        if (fit_intercept_) {
            const double positive = s_.dot(y_) / weight_sum_;
            if (positive > 0 && positive < 1) theta(X_.cols()) = std::log(positive / (1 - positive));
        }
        return theta;
    }

    [[nodiscard]] double evaluate(const Eigen::VectorXd& theta) const {
        double loss = 0;
        Eigen::VectorXd z;
        for_each_block([&](Eigen::Index r0, Eigen::Index rows) {
            margins(theta, r0, rows, z);
            double block = 0;
            for (Eigen::Index i = 0; i < rows; ++i) block += s_(r0 + i) * (detail::softplus(z(i)) - y_(r0 + i) * z(i));
            loss += block;
        });
        return loss / weight_sum_ + penalty() * theta.head(X_.cols()).squaredNorm() / 2;
    }

    /// The gradient at theta.
    void gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& g) const {
        accumulate(theta, g, nullptr);
    }

    /// Gradient and exact Hessian at theta, in one pass over the rows.
    void derivatives(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd& H) const {
        accumulate(theta, g, &H);
    }

private:
    [[nodiscard]] double penalty() const noexcept { return 1.0 / (C_ * weight_sum_); }

    template <class F>
    void for_each_block(F&& f) const {
        for (Eigen::Index r0 = 0; r0 < X_.rows(); r0 += block_rows) f(r0, std::min(block_rows, X_.rows() - r0));
    }

    void margins(const Eigen::VectorXd& theta, Eigen::Index r0, Eigen::Index rows, Eigen::VectorXd& z) const {
        z.noalias() = X_.middleRows(r0, rows) * theta.head(X_.cols());
        if (fit_intercept_) z.array() += theta(X_.cols());
    }

    void accumulate(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd* H) const {
        const Eigen::Index d = X_.cols(), k = dimension();
        g.setZero(k);
        if (H) H->setZero(k, k);
        Eigen::VectorXd z, residual, root_h, block_g(k);
        Eigen::MatrixXd weighted;
        for_each_block([&](Eigen::Index r0, Eigen::Index rows) {
            const auto X = X_.middleRows(r0, rows);
            margins(theta, r0, rows, z);
            residual.resize(rows);
            if (H) root_h.resize(rows);
            for (Eigen::Index i = 0; i < rows; ++i) {
                const double p = detail::sigmoid(z(i));
                residual(i) = s_(r0 + i) * (p - y_(r0 + i));
                if (H) root_h(i) = std::sqrt(s_(r0 + i) * p * (1.0 - p));
            }
            block_g.head(d).noalias() = X.transpose() * residual;
            if (fit_intercept_) block_g(d) = residual.sum();
            g += block_g;
            if (H) {
                // X̃ᵀ D X̃ as a rank update of the lower triangle with [X, 1] · √h: half the work.
                weighted.resize(rows, k);
                weighted.leftCols(d) = X.array().colwise() * root_h.array();
                if (fit_intercept_) weighted.col(d) = root_h;
                H->selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
            }
        });
        g /= weight_sum_;
        g.head(d) += penalty() * theta.head(d);
        if (H) {
            *H /= weight_sum_;
            *H = H->selfadjointView<Eigen::Lower>();
            H->topLeftCorner(d, d).diagonal().array() += penalty();
        }
    }

    Eigen::Ref<const Eigen::MatrixXd> X_;
    Eigen::Ref<const Eigen::VectorXd> y_;
    Eigen::Ref<const Eigen::VectorXd> s_;
    double C_;
    bool fit_intercept_;
    double weight_sum_;
};

}  // namespace ctml

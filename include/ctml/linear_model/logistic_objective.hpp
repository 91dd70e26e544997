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
// Every sum runs over blocks of rows, each block summed on its own and the
// partials then added in block order: the memory touched per block stays in
// cache, rounding error grows with the number of blocks rather than rows, the
// blocks run on threads (ctml/threads.hpp) with the same result, bit for bit,
// for any number of them, and the same partial sums are what several MPI
// ranks would combine. Kept as its own type (after mlpack) so solvers depend
// only on evaluate / gradient / derivatives.
//
// The rows come as a dense matrix (detail/dense_rows.hpp) or as a
// feature_design, whose one-hot blocks are codes (detail/design_rows.hpp):
// rows with the same codes are visited together, so a run of them adds its
// residuals and curvatures to its indicator features once -- a few
// multiply-adds a row for the credit features instead of 378 products, and no
// 1,000,000 x 26 matrix. The per-row terms (probability, residual, curvature,
// loss) are computed a block at a time as arrays, so exp and log vectorise
// (detail/logistic_terms.hpp). Both kinds of rows give the same objective,
// gradient and Hessian to rounding (tests/linear_model/test_design_objective.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "ctml/detail/compensated_sum.hpp"
#include "ctml/linear_model/detail/dense_rows.hpp"
#include "ctml/linear_model/detail/design_rows.hpp"
#include "ctml/linear_model/detail/logistic_terms.hpp"
#include "ctml/linear_model/detail/row_values.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/threads.hpp"

namespace ctml {

template <class Rows>
class logistic_objective {
public:
    /// Rows per block: a block of the credit features (27 columns) is about 440 KB.
    static constexpr Eigen::Index block_rows = 2048;

    /// X: n × d features (a dense matrix or a feature_design), y: 0/1 labels, s: sample weights, all of length n.
    /// With `parts`, these rows are one part of rows split over several processes
    /// (row_partition.hpp): every sum below is then over all of them.
    template <class X>
    logistic_objective(const X& features, Eigen::Ref<const Eigen::VectorXd> y, Eigen::Ref<const Eigen::VectorXd> s,
                       double C, bool fit_intercept, const row_partition& parts = all_rows_here())
        : rows_(features), y_(rows_.in_visit_order(y)), s_(rows_.in_visit_order(s)), parts_(&parts), C_(C),
          fit_intercept_(fit_intercept), weight_sum_(summed(s.sum())) {}

    [[nodiscard]] Eigen::Index dimension() const noexcept { return rows_.cols() + (fit_intercept_ ? 1 : 0); }
    /// S = Σ s_i: the objective is the unscaled one divided by C·S.
    [[nodiscard]] double weight_sum() const noexcept { return weight_sum_; }
    [[nodiscard]] double C() const noexcept { return C_; }

    /// The starting point Newton needs least steps from: w = 0 and b at the
    /// optimum of the intercept-only model, the log-odds of the weighted labels.
    [[nodiscard]] Eigen::VectorXd start() const {
        Eigen::VectorXd theta = Eigen::VectorXd::Zero(dimension());
        if (fit_intercept_) {
            const double positive = summed((detail::as_array(s_) * detail::as_array(y_)).sum()) / weight_sum_;
            if (positive > 0 && positive < 1) theta(rows_.cols()) = std::log(positive / (1 - positive));
        }
        return theta;
    }

    [[nodiscard]] double evaluate(const Eigen::VectorXd& theta) const {
        std::vector<double> partial(n_blocks());
        detail::parallel_for_blocks(n_blocks(), [&](std::size_t block) {
            const auto [r0, rows] = extent(block);
            Eigen::VectorXd z;
            margins(theta, r0, rows, z);
            detail::logistic_terms terms;
            partial[block] = terms.loss_only(z.array(), labels(r0, rows), weights(r0, rows));
        });
        double loss = 0;
        for (const double p : partial) loss += p;
        return summed(loss) / weight_sum_ + penalty() * theta.head(rows_.cols()).squaredNorm() / 2;
    }

    /// The gradient at theta.
    void gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& g) const { accumulate(theta, g, nullptr, nullptr); }

    /// Gradient and exact Hessian at theta, in one pass over the rows.
    void derivatives(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd& H) const {
        accumulate(theta, g, &H, nullptr);
    }

    /// The objective, gradient and Hessian at theta in one pass -- what a Newton
    /// step needs at a trial point it will most likely accept.
    [[nodiscard]] double value_and_derivatives(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd& H) const {
        double value = 0;
        accumulate(theta, g, &H, &value);
        return value;
    }

private:
    [[nodiscard]] double penalty() const noexcept { return 1.0 / (C_ * weight_sum_); }
    /// A sum over this part's rows, summed over every part.
    [[nodiscard]] double summed(double mine) const {
        sum_over_parts(*parts_, std::span<double>(&mine, 1));
        return mine;
    }
    [[nodiscard]] std::size_t n_blocks() const noexcept {
        return static_cast<std::size_t>((rows_.rows() + block_rows - 1) / block_rows);
    }
    [[nodiscard]] std::pair<Eigen::Index, Eigen::Index> extent(std::size_t block) const noexcept {
        const Eigen::Index r0 = static_cast<Eigen::Index>(block) * block_rows;
        return {r0, std::min(block_rows, rows_.rows() - r0)};
    }

    [[nodiscard]] auto labels(Eigen::Index r0, Eigen::Index rows) const { return detail::as_array(y_).segment(r0, rows); }
    [[nodiscard]] auto weights(Eigen::Index r0, Eigen::Index rows) const { return detail::as_array(s_).segment(r0, rows); }

    void margins(const Eigen::VectorXd& theta, Eigen::Index r0, Eigen::Index rows, Eigen::VectorXd& z) const {
        rows_.margins(theta.head(rows_.cols()), r0, rows, z);
        if (fit_intercept_) z.array() += theta(rows_.cols());
    }

    void accumulate(const Eigen::VectorXd& theta, Eigen::VectorXd& g, Eigen::MatrixXd* H, double* value) const {
        const Eigen::Index d = rows_.cols(), k = dimension();
        // Blocks run in waves, each wave's partials added in block order before the next:
        // memory stays a few hundred k x k partials whatever the number of rows, and the
        // additions happen in the same order for any wave size or thread count.
        const std::size_t blocks = n_blocks();
        const std::size_t wave = std::min(blocks, 64 * static_cast<std::size_t>(threads()));
        // The gradient's entries are compensated sums (detail/compensated_sum.hpp), block partials included.
        std::vector<std::vector<detail::compensated_sum>> partial_g(wave);
        std::vector<detail::compensated_sum> gradient(static_cast<std::size_t>(k));
        std::vector<Eigen::MatrixXd> partial_H(H ? wave : 0);
        std::vector<double> partial_loss(value ? wave : 0);
        g.setZero(k);
        if (H) H->setZero(k, k);
        double loss = 0;
        for (std::size_t first = 0; first < blocks; first += wave) {
            const std::size_t count = std::min(wave, blocks - first);
            detail::parallel_for_blocks(count, [&](std::size_t slot) {
                const auto [r0, rows] = extent(first + slot);
                Eigen::VectorXd z;
                margins(theta, r0, rows, z);
                detail::logistic_terms terms;
                terms.compute(z.array(), labels(r0, rows), weights(r0, rows), H != nullptr);
                if (value) partial_loss[slot] = terms.loss(z.array(), labels(r0, rows), weights(r0, rows));
                partial_g[slot].assign(static_cast<std::size_t>(k), detail::compensated_sum{});
                rows_.add_gradient(r0, terms.residual, fit_intercept_, partial_g[slot]);
                if (H) {
                    partial_H[slot].setZero(k, k);
                    rows_.add_hessian(r0, terms.curvature, fit_intercept_, partial_H[slot]);
                }
            });
            for (std::size_t slot = 0; slot < count; ++slot) {
                for (Eigen::Index a = 0; a < k; ++a)
                    gradient[static_cast<std::size_t>(a)].add(partial_g[slot][static_cast<std::size_t>(a)]);
                if (H) *H += partial_H[slot];
                if (value) loss += partial_loss[slot];
            }
        }
        for (Eigen::Index a = 0; a < k; ++a) g(a) = gradient[static_cast<std::size_t>(a)].value();
        if (parts_->parts() > 1) {
            // One exchange per pass: the gradient, the Hessian's lower triangle and the loss of every part.
            std::vector<double> sums(static_cast<std::size_t>(k));
            for (Eigen::Index a = 0; a < k; ++a) sums[static_cast<std::size_t>(a)] = g(a);
            if (H)
                for (Eigen::Index c = 0; c < k; ++c)
                    for (Eigen::Index a = c; a < k; ++a) sums.push_back((*H)(a, c));
            sums.push_back(loss);
            sum_over_parts(*parts_, sums);
            std::size_t at = 0;
            for (Eigen::Index a = 0; a < k; ++a) g(a) = sums[at++];
            if (H)
                for (Eigen::Index c = 0; c < k; ++c)
                    for (Eigen::Index a = c; a < k; ++a) (*H)(a, c) = sums[at++];
            loss = sums[at];
        }
        if (value) *value = loss / weight_sum_ + penalty() * theta.head(d).squaredNorm() / 2;
        g /= weight_sum_;
        g.head(d) += penalty() * theta.head(d);
        if (H) {
            *H /= weight_sum_;
            *H = H->selfadjointView<Eigen::Lower>();
            H->topLeftCorner(d, d).diagonal().array() += penalty();
        }
    }

    Rows rows_;
    detail::row_values y_;  // labels and weights in the order rows_ visits the rows
    detail::row_values s_;
    const row_partition* parts_;
    double C_;
    bool fit_intercept_;
    double weight_sum_;
};

logistic_objective(const feature_design&, Eigen::Ref<const Eigen::VectorXd>, Eigen::Ref<const Eigen::VectorXd>, double,
                   bool, const row_partition& = all_rows_here()) -> logistic_objective<detail::design_rows>;
template <class X>
logistic_objective(const X&, Eigen::Ref<const Eigen::VectorXd>, Eigen::Ref<const Eigen::VectorXd>, double, bool,
                   const row_partition& = all_rows_here()) -> logistic_objective<detail::dense_rows>;

}  // namespace ctml

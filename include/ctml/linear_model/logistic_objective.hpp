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
// The rows come as a dense matrix or as a feature_design, whose one-hot
// blocks are codes: then x·w adds one weight per block, the gradient adds the
// residual to the row's category, and the Hessian's one-hot entries are sums
// of p(1-p) by code (and by pair of codes across blocks) -- about 55
// additions a row for the credit features instead of 378 products, and no
// 1,000,000 x 26 matrix. Both give the same objective, gradient and Hessian
// to rounding (tests/linear_model/test_design_objective.cpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/threads.hpp"

namespace ctml {

namespace detail {
/// log(1 + e^z) without overflow.
[[nodiscard]] inline double softplus(double z) noexcept {
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}
/// 1 / (1 + e^-z) without overflow: 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below.
/// Written with one exp and the numerator chosen, not a branch around the exp: the sign
/// of z is a coin toss from row to row, and the mispredicted branch cost a fifth of
/// scoring a frame. The results are the two-branch form's, bit for bit.
[[nodiscard]] inline double sigmoid(double z) noexcept {
    const double e = std::exp(-std::abs(z));
    return (z >= 0 ? 1.0 : e) / (1.0 + e);
}

/// Rows of a dense feature matrix, a block at a time.
class dense_rows {
public:
    explicit dense_rows(Eigen::Ref<const Eigen::MatrixXd> X) : X_(X) {}
    [[nodiscard]] Eigen::Index rows() const noexcept { return X_.rows(); }
    [[nodiscard]] Eigen::Index cols() const noexcept { return X_.cols(); }

    /// z = X[r0 : r0 + n] · w
    void margins(const Eigen::Ref<const Eigen::VectorXd>& w, Eigen::Index r0, Eigen::Index n, Eigen::VectorXd& z) const {
        z.noalias() = X_.middleRows(r0, n) * w;
    }
    /// g[0 : d] += X[r0 : r0 + n]ᵀ · residual
    void add_gradient(Eigen::Index r0, const Eigen::VectorXd& residual, Eigen::VectorXd& g) const {
        g.head(cols()).noalias() += X_.middleRows(r0, residual.size()).transpose() * residual;
    }
    /// Lower triangle of H += X̃ᵀ diag(h) X̃ with X̃ = [X, 1] (the 1 when `intercept`).
    void add_hessian(Eigen::Index r0, const Eigen::VectorXd& h, bool intercept, Eigen::MatrixXd& H) const {
        // A rank update with [X, 1] · √h: half the work of the full product.
        const Eigen::Index d = cols(), n = h.size();
        weighted_.resize(n, d + (intercept ? 1 : 0));
        const Eigen::ArrayXd root = h.array().sqrt();
        weighted_.leftCols(d) = X_.middleRows(r0, n).array().colwise() * root;
        if (intercept) weighted_.col(d) = root.matrix();
        H.selfadjointView<Eigen::Lower>().rankUpdate(weighted_.transpose());
    }

private:
    Eigen::Ref<const Eigen::MatrixXd> X_;
    static inline thread_local Eigen::MatrixXd weighted_;
};

/// Rows of a feature_design: dense columns plus one-hot blocks as codes.
class design_rows {
public:
    explicit design_rows(const feature_design& design) : design_(design) { design.validate(); }
    [[nodiscard]] Eigen::Index rows() const noexcept { return design_.rows(); }
    [[nodiscard]] Eigen::Index cols() const noexcept { return design_.cols(); }

    void margins(const Eigen::Ref<const Eigen::VectorXd>& w, Eigen::Index r0, Eigen::Index n, Eigen::VectorXd& z) const {
        const auto& positions = design_.dense_positions();
        Eigen::VectorXd dense_w(static_cast<Eigen::Index>(positions.size()));
        for (std::size_t j = 0; j < positions.size(); ++j) dense_w(static_cast<Eigen::Index>(j)) = w(positions[j]);
        if (positions.empty()) z.setZero(n);
        else z.noalias() = design_.dense().middleRows(r0, n) * dense_w;
        for (const auto& b : design_.blocks()) {
            const std::int32_t* codes = b.codes.data() + r0;
            const double* wb = w.data() + b.offset;
            for (Eigen::Index i = 0; i < n; ++i)
                if (codes[i] >= 0) z(i) += wb[codes[i]];
        }
    }

    void add_gradient(Eigen::Index r0, const Eigen::VectorXd& residual, Eigen::VectorXd& g) const {
        const auto& positions = design_.dense_positions();
        const Eigen::Index n = residual.size();
        if (!positions.empty()) {
            const Eigen::VectorXd dense_g = design_.dense().middleRows(r0, n).transpose() * residual;
            for (std::size_t j = 0; j < positions.size(); ++j) g(positions[j]) += dense_g(static_cast<Eigen::Index>(j));
        }
        for (const auto& b : design_.blocks()) {
            const std::int32_t* codes = b.codes.data() + r0;
            double* gb = g.data() + b.offset;
            for (Eigen::Index i = 0; i < n; ++i)
                if (codes[i] >= 0) gb[codes[i]] += residual(i);
        }
    }

    void add_hessian(Eigen::Index r0, const Eigen::VectorXd& h, bool intercept, Eigen::MatrixXd& H) const {
        const auto& positions = design_.dense_positions();
        const auto& blocks = design_.blocks();
        const Eigen::Index n = h.size(), p = static_cast<Eigen::Index>(positions.size()), b_index = cols();
        const auto lower = [&](Eigen::Index a, Eigen::Index b) -> double& { return a >= b ? H(a, b) : H(b, a); };

        // Dense with dense (and the intercept): a small rank update, scattered to the features' positions.
        if (p > 0) {
            Eigen::MatrixXd weighted(n, p + (intercept ? 1 : 0));
            const Eigen::ArrayXd root = h.array().sqrt();
            weighted.leftCols(p) = design_.dense().middleRows(r0, n).array().colwise() * root;
            if (intercept) weighted.col(p) = root.matrix();
            Eigen::MatrixXd small = Eigen::MatrixXd::Zero(weighted.cols(), weighted.cols());
            small.selfadjointView<Eigen::Lower>().rankUpdate(weighted.transpose());
            const auto position = [&](Eigen::Index j) { return j < p ? positions[static_cast<std::size_t>(j)] : b_index; };
            for (Eigen::Index a = 0; a < small.cols(); ++a)
                for (Eigen::Index c = a; c < small.rows(); ++c) lower(position(c), position(a)) += small(c, a);
        } else if (intercept) {
            H(b_index, b_index) += h.sum();
        }

        if (blocks.empty()) return;
        // Per row, [h·x_1, …, h·x_p, h] is added to one row of each block's table
        // (indexed by the row's code): the block's rows of H with the dense
        // features, its diagonal and its row of the intercept. Pairs of blocks
        // add h to a table indexed by both codes. Then every table is added to
        // H once. About 5·(p + 1) + 10 additions a row for the credit features.
        // A table row is [h·x_1, …, h·x_p, h] padded to a multiple of 4, so the
        // per-row addition is whole groups of four the compiler vectorises.
        const Eigen::Index q = (p + 1 + 3) / 4 * 4;
        std::vector<std::size_t> table_at(blocks.size() + 1, 0);
        for (std::size_t k = 0; k < blocks.size(); ++k)
            table_at[k + 1] = table_at[k] + static_cast<std::size_t>(blocks[k].width * q);
        std::vector<std::size_t> pair_at;
        std::size_t pair_size = 0;
        for (std::size_t k = 0; k < blocks.size(); ++k)
            for (std::size_t m = k + 1; m < blocks.size(); ++m) {
                pair_at.push_back(pair_size);
                pair_size += static_cast<std::size_t>(blocks[k].width * blocks[m].width);
            }
        std::vector<double> tables(table_at.back(), 0.0), pairs(pair_size, 0.0), v(static_cast<std::size_t>(q));
        std::vector<const std::int32_t*> codes(blocks.size());
        for (std::size_t k = 0; k < blocks.size(); ++k) codes[k] = blocks[k].codes.data() + r0;
        std::vector<const double*> columns(static_cast<std::size_t>(p));
        for (Eigen::Index j = 0; j < p; ++j) columns[static_cast<std::size_t>(j)] = design_.dense().col(j).data() + r0;

        for (Eigen::Index i = 0; i < n; ++i) {
            const double hi = h(i);
            for (Eigen::Index j = 0; j < p; ++j) v[static_cast<std::size_t>(j)] = hi * columns[static_cast<std::size_t>(j)][i];
            v[static_cast<std::size_t>(p)] = hi;  // v[p + 1 …] stay 0
            std::size_t pair = 0;
            for (std::size_t k = 0; k < blocks.size(); ++k) {
                const std::int32_t c = codes[k][i];
                if (c >= 0) {
                    double* t = tables.data() + table_at[k] + static_cast<std::size_t>(c * q);
                    for (Eigen::Index j = 0; j < q; j += 4) {
                        t[j] += v[static_cast<std::size_t>(j)];
                        t[j + 1] += v[static_cast<std::size_t>(j + 1)];
                        t[j + 2] += v[static_cast<std::size_t>(j + 2)];
                        t[j + 3] += v[static_cast<std::size_t>(j + 3)];
                    }
                }
                for (std::size_t m = k + 1; m < blocks.size(); ++m, ++pair) {
                    const std::int32_t c2 = codes[m][i];
                    if (c >= 0 && c2 >= 0)
                        pairs[pair_at[pair] + static_cast<std::size_t>(c * blocks[m].width + c2)] += hi;
                }
            }
        }

        std::size_t pair = 0;
        for (std::size_t k = 0; k < blocks.size(); ++k) {
            const auto& block = blocks[k];
            for (Eigen::Index c = 0; c < block.width; ++c) {
                const double* t = tables.data() + table_at[k] + static_cast<std::size_t>(c * q);
                const Eigen::Index f = block.offset + c;
                for (Eigen::Index j = 0; j < p; ++j) lower(f, positions[static_cast<std::size_t>(j)]) += t[j];
                H(f, f) += t[p];
                if (intercept) H(b_index, f) += t[p];
            }
            for (std::size_t m = k + 1; m < blocks.size(); ++m, ++pair) {
                const auto& other = blocks[m];
                for (Eigen::Index c = 0; c < block.width; ++c)
                    for (Eigen::Index c2 = 0; c2 < other.width; ++c2)
                        lower(other.offset + c2, block.offset + c) +=
                            pairs[pair_at[pair] + static_cast<std::size_t>(c * other.width + c2)];
            }
        }
    }

private:
    const feature_design& design_;
};

}  // namespace detail

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
        : rows_(features), y_(y), s_(s), parts_(&parts), C_(C), fit_intercept_(fit_intercept),
          weight_sum_(summed(s.sum())) {}

    [[nodiscard]] Eigen::Index dimension() const noexcept { return rows_.cols() + (fit_intercept_ ? 1 : 0); }
    /// S = Σ s_i: the objective is the unscaled one divided by C·S.
    [[nodiscard]] double weight_sum() const noexcept { return weight_sum_; }
    [[nodiscard]] double C() const noexcept { return C_; }

    /// The starting point Newton needs least steps from: w = 0 and b at the
    /// optimum of the intercept-only model, the log-odds of the weighted labels.
    [[nodiscard]] Eigen::VectorXd start() const {
        Eigen::VectorXd theta = Eigen::VectorXd::Zero(dimension());
        if (fit_intercept_) {
            const double positive = summed(s_.dot(y_)) / weight_sum_;
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
            double sum = 0;
            for (Eigen::Index i = 0; i < rows; ++i) sum += s_(r0 + i) * (detail::softplus(z(i)) - y_(r0 + i) * z(i));
            partial[block] = sum;
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
        std::vector<Eigen::VectorXd> partial_g(wave);
        std::vector<Eigen::MatrixXd> partial_H(H ? wave : 0);
        std::vector<double> partial_loss(value ? wave : 0);
        g.setZero(k);
        if (H) H->setZero(k, k);
        double loss = 0;
        for (std::size_t first = 0; first < blocks; first += wave) {
            const std::size_t count = std::min(wave, blocks - first);
            detail::parallel_for_blocks(count, [&](std::size_t slot) {
                const auto [r0, rows] = extent(first + slot);
                Eigen::VectorXd z, residual(rows), h(H ? rows : 0);
                margins(theta, r0, rows, z);
                double block_loss = 0;
                for (Eigen::Index i = 0; i < rows; ++i) {
                    // One exponential serves the probability and the loss.
                    const double e = std::exp(-std::abs(z(i)));
                    const double p = z(i) >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
                    residual(i) = s_(r0 + i) * (p - y_(r0 + i));
                    if (H) h(i) = s_(r0 + i) * p * (1.0 - p);
                    if (value) block_loss += s_(r0 + i) * (std::max(z(i), 0.0) + std::log1p(e) - y_(r0 + i) * z(i));
                }
                if (value) partial_loss[slot] = block_loss;
                Eigen::VectorXd& bg = partial_g[slot];
                bg.setZero(k);
                rows_.add_gradient(r0, residual, bg);
                if (fit_intercept_) bg(d) = residual.sum();
                if (H) {
                    partial_H[slot].setZero(k, k);
                    rows_.add_hessian(r0, h, fit_intercept_, partial_H[slot]);
                }
            });
            for (std::size_t slot = 0; slot < count; ++slot) {
                g += partial_g[slot];
                if (H) *H += partial_H[slot];
                if (value) loss += partial_loss[slot];
            }
        }
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
    Eigen::Ref<const Eigen::VectorXd> y_;
    Eigen::Ref<const Eigen::VectorXd> s_;
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

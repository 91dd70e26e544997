// design_rows: the rows of a feature_design as logistic_objective sums them.
//
// Rows with the same one-hot codes (the same category in every block) touch
// the same indicator features: the gradient gets Σ r over them at each of
// those features, the Hessian Σ h at every pair of them and Σ h·x_j with each
// dense feature j. So the rows are visited grouped by their codes -- a stable
// counting sort on the codes' combined key, once per fit, with the dense
// features (and, through in_visit_order, the labels and weights) copied into
// that order -- and a block of rows is a few runs of equal codes, each summed
// as a whole: a row costs a handful of multiply-adds on contiguous arrays
// instead of ~55 additions scattered over tables. For the credit features
// (4 dense, 5 blocks: 3,240 possible code combinations) a 2,048-row block of
// a 1,000,000-row resample holds two or three runs.
//
// When the possible combinations outnumber the rows (many or wide blocks),
// sorting would buy little: the rows keep their order, a run is what
// consecutive rows share, and a row costs about what it did before grouping.
// Either way the visit order depends only on the design, so every thread
// count sums the same blocks in the same order.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "ctml/detail/compensated_sum.hpp"
#include "ctml/detail/huge_page_allocator.hpp"
#include "ctml/linear_model/detail/row_values.hpp"
#include "ctml/pipeline/feature_design.hpp"

namespace ctml::detail {

/// Σ x[0 : n]; Eigen's vectorised sum for long runs, a plain loop for short ones.
[[nodiscard]] inline double run_sum(const double* x, Eigen::Index n) noexcept {
    if (n >= 8) return Eigen::Map<const Eigen::ArrayXd>(x, n).sum();
    double sum = 0;
    for (Eigen::Index i = 0; i < n; ++i) sum += x[i];
    return sum;
}

class design_rows {
public:
    explicit design_rows(const feature_design& design)
        : rows_(design.rows()), cols_(design.cols()), positions_(design.dense_positions()) {
        design.validate();
        const auto& blocks = design.blocks();
        // The codes' combined key: block k's code + 1 (0 for a row without a 1) in mixed radix.
        std::size_t combinations = 1;
        const auto limit = static_cast<std::size_t>(std::max<Eigen::Index>(4096, 2 * rows_));
        for (const auto& b : blocks) {
            combinations *= static_cast<std::size_t>(b.width + 1);
            if (combinations > limit) break;
        }
        // Keys and row numbers are 32-bit: far more rows than that fit in one process's memory anyway.
        if (!blocks.empty() && rows_ > 1 && rows_ < (Eigen::Index{1} << 31) && combinations <= limit)
            group_by_codes(design, combinations);
        else
            find_runs(design);
        dense_ = order_.empty() ? design.dense().data() : dense_copy_.data();
    }

    [[nodiscard]] Eigen::Index rows() const noexcept { return rows_; }
    [[nodiscard]] Eigen::Index cols() const noexcept { return cols_; }

    /// v (one value per row of the design) in the order the blocks visit the rows.
    [[nodiscard]] row_values in_visit_order(const Eigen::Ref<const Eigen::VectorXd>& v) const {
        row_values out(static_cast<std::size_t>(v.size()));
        if (order_.empty()) std::copy(v.data(), v.data() + v.size(), out.begin());
        else
            for (std::size_t i = 0; i < out.size(); ++i) out[i] = v(static_cast<Eigen::Index>(order_[i]));
        return out;
    }

    /// z = x·w for the visited rows [r0, r0 + n).
    void margins(const Eigen::Ref<const Eigen::VectorXd>& w, Eigen::Index r0, Eigen::Index n, Eigen::VectorXd& z) const {
        const auto p = static_cast<Eigen::Index>(positions_.size());
        if (p == 0) {
            z.setZero(n);
        } else {
            Eigen::VectorXd dense_w(p);
            for (Eigen::Index j = 0; j < p; ++j) dense_w(j) = w(positions_[static_cast<std::size_t>(j)]);
            z.noalias() = dense_block(r0, n) * dense_w;
        }
        for_each_run(r0, n, [&](std::size_t run, Eigen::Index a, Eigen::Index length) {
            double indicator_sum = 0;
            for (std::size_t f = feature_begin_[run]; f < feature_begin_[run + 1]; ++f) indicator_sum += w(features_[f]);
            for (Eigen::Index i = a; i < a + length; ++i) z(i) += indicator_sum;
        });
    }

    /// g[0 : d] += x[r0 : r0 + n]ᵀ · residual, and g[d] += Σ residual when `intercept`. A run's
    /// residuals are summed compensated: the intercept and every block's indicators are nearly
    /// collinear, and only sums that do not depend on the rows' order keep the fitted intercept
    /// the same, to 1e-12, whether the rows are grouped on one process or on several.
    void add_gradient(Eigen::Index r0, const Eigen::ArrayXd& residual, bool intercept, std::span<compensated_sum> g) const {
        const auto p = static_cast<Eigen::Index>(positions_.size());
        const Eigen::Index n = residual.size();
        if (p > 0) {
            const Eigen::VectorXd dense_g = dense_block(r0, n).transpose() * residual.matrix();
            for (Eigen::Index j = 0; j < p; ++j) g[static_cast<std::size_t>(positions_[static_cast<std::size_t>(j)])].add(dense_g(j));
        }
        for_each_run(r0, n, [&](std::size_t run, Eigen::Index a, Eigen::Index length) {
            const compensated_sum sum = compensated_total(residual.data() + a, length);
            for (std::size_t f = feature_begin_[run]; f < feature_begin_[run + 1]; ++f)
                g[static_cast<std::size_t>(features_[f])].add(sum);
            if (intercept) g[static_cast<std::size_t>(cols_)].add(sum);
        });
    }

    /// Lower triangle of H += x̃ᵀ diag(h) x̃ over [r0, r0 + n), x̃ = [x, 1] (the 1 when `intercept`).
    void add_hessian(Eigen::Index r0, const Eigen::ArrayXd& h, bool intercept, Eigen::MatrixXd& H) const {
        const auto p = static_cast<Eigen::Index>(positions_.size());
        const Eigen::Index n = h.size(), b_index = cols_;
        const auto lower = [&](Eigen::Index a, Eigen::Index b) -> double& { return a >= b ? H(a, b) : H(b, a); };

        // hx_ = h · x_j for every dense feature j: the dense entries below are its dot products
        // with the columns, a run's entries with its indicators are sums of it over the run.
        hx_.resize(n, p);
        for (Eigen::Index j = 0; j < p; ++j) hx_.col(j) = h.matrix().cwiseProduct(dense_block(r0, n).col(j));
        // Dense with dense and with the intercept: dot products for a few dense features (no
        // square roots, no packing), a rank update of [x, 1]·√h for many.
        const auto position = [&](Eigen::Index j) { return positions_[static_cast<std::size_t>(j)]; };
        if (p <= 8) {
            for (Eigen::Index a = 0; a < p; ++a) {
                for (Eigen::Index c = a; c < p; ++c) lower(position(c), position(a)) += hx_.col(a).dot(dense_block(r0, n).col(c));
                if (intercept) lower(b_index, position(a)) += hx_.col(a).sum();
            }
            if (intercept) H(b_index, b_index) += h.sum();
        } else {
            const Eigen::ArrayXd root = h.sqrt();
            weighted_.resize(n, p + (intercept ? 1 : 0));
            weighted_.leftCols(p) = dense_block(r0, n).array().colwise() * root;
            if (intercept) weighted_.col(p) = root.matrix();
            small_.setZero(weighted_.cols(), weighted_.cols());
            small_.selfadjointView<Eigen::Lower>().rankUpdate(weighted_.transpose());
            const auto row_of = [&](Eigen::Index j) { return j < p ? position(j) : b_index; };
            for (Eigen::Index a = 0; a < small_.cols(); ++a)
                for (Eigen::Index c = a; c < small_.rows(); ++c) lower(row_of(c), row_of(a)) += small_(c, a);
        }

        // A run's indicators with the dense features, the intercept and one another: Σ h·x_j and Σ h.
        // Raw pointers held in locals: through H's own accessors and the members, every store to H
        // could alias them, and the loop reloaded them (and a thread_local's guard) on each addition.
        sums_.resize(static_cast<std::size_t>(p));
        double* const sums = sums_.data();
        const double* const hx = hx_.data();
        double* const Hd = H.data();
        const Eigen::Index ld = H.rows();
        const Eigen::Index* const positions = positions_.data();
        const Eigen::Index* const features = features_.data();
        const double* const hd = h.data();
        const auto at = [Hd, ld](Eigen::Index a, Eigen::Index b) -> double& {
            return a >= b ? Hd[a + b * ld] : Hd[b + a * ld];
        };
        for_each_run(r0, n, [&](std::size_t run, Eigen::Index a, Eigen::Index length) {
            const std::size_t first = feature_begin_[run], last = feature_begin_[run + 1];
            if (first == last) return;
            const double h_sum = run_sum(hd + a, length);
            for (Eigen::Index j = 0; j < p; ++j) sums[j] = run_sum(hx + j * n + a, length);
            for (std::size_t k = first; k < last; ++k) {
                const Eigen::Index f = features[k];
                for (Eigen::Index j = 0; j < p; ++j) at(f, positions[j]) += sums[j];
                Hd[f + f * ld] += h_sum;
                if (intercept) Hd[b_index + f * ld] += h_sum;
                for (std::size_t m = k + 1; m < last; ++m) at(f, features[m]) += h_sum;
            }
        });
    }

    /// How many runs of equal codes the visited rows form (what grouping achieved).
    [[nodiscard]] std::size_t runs() const noexcept { return run_begin_.size() - 1; }

private:
    using index_vector = std::vector<std::uint32_t, huge_page_allocator<std::uint32_t>>;

    [[nodiscard]] Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>> dense_block(Eigen::Index r0,
                                                                                           Eigen::Index n) const {
        return {dense_ + r0, n, static_cast<Eigen::Index>(positions_.size()), Eigen::OuterStride<>(rows_)};
    }

    /// f(run, first row, rows) for every run overlapping the visited rows [r0, r0 + n), rows counted from r0.
    template <class F>
    void for_each_run(Eigen::Index r0, Eigen::Index n, F&& f) const {
        auto run = static_cast<std::size_t>(std::upper_bound(run_begin_.begin(), run_begin_.end(), r0) -
                                            run_begin_.begin() - 1);
        for (; run + 1 < run_begin_.size() && run_begin_[run] < r0 + n; ++run) {
            const Eigen::Index a = std::max(run_begin_[run], r0), b = std::min(run_begin_[run + 1], r0 + n);
            f(run, a - r0, b - a);
        }
    }

    /// order_: a stable counting sort of the rows by their codes' combined key; each
    /// non-empty key is one run; the dense features copied into that order.
    void group_by_codes(const feature_design& design, std::size_t combinations) {
        const auto n = static_cast<std::size_t>(rows_);
        const auto& blocks = design.blocks();
        index_vector key(n, 0);
        std::uint32_t radix = 1;
        for (const auto& b : blocks) {
            for (std::size_t i = 0; i < n; ++i) key[i] += static_cast<std::uint32_t>(b.codes[i] + 1) * radix;
            radix *= static_cast<std::uint32_t>(b.width + 1);
        }
        std::vector<std::size_t> start(combinations + 1, 0);
        for (std::size_t i = 0; i < n; ++i) ++start[key[i] + 1];
        for (std::size_t c = 0; c < combinations; ++c) start[c + 1] += start[c];
        feature_begin_.push_back(0);
        for (std::size_t c = 0; c < combinations; ++c) {
            if (start[c] == start[c + 1]) continue;
            run_begin_.push_back(static_cast<Eigen::Index>(start[c]));
            std::size_t code = c;  // the key's digits are the run's codes + 1
            for (const auto& b : blocks) {
                const auto digit = static_cast<Eigen::Index>(code % static_cast<std::size_t>(b.width + 1));
                code /= static_cast<std::size_t>(b.width + 1);
                if (digit > 0) features_.push_back(b.offset + digit - 1);
            }
            feature_begin_.push_back(features_.size());
        }
        run_begin_.push_back(rows_);
        order_.resize(n);
        for (std::size_t i = 0; i < n; ++i) order_[start[key[i]]++] = static_cast<std::uint32_t>(i);

        const auto dense = design.dense();
        dense_copy_.resize(n * positions_.size());
        for (Eigen::Index j = 0; j < dense.cols(); ++j) {
            const double* from = dense.col(j).data();
            double* to = dense_copy_.data() + static_cast<std::size_t>(j) * n;
            for (std::size_t i = 0; i < n; ++i) to[i] = from[order_[i]];
        }
    }

    /// Without grouping: runs of consecutive rows with the same codes, and each run's indicator features.
    void find_runs(const feature_design& design) {
        const auto& blocks = design.blocks();
        const auto same_codes = [&](std::size_t a, std::size_t b) {
            return std::all_of(blocks.begin(), blocks.end(), [&](const auto& block) { return block.codes[a] == block.codes[b]; });
        };
        feature_begin_.push_back(0);
        for (std::size_t row = 0; row < static_cast<std::size_t>(rows_); ++row) {
            if (row > 0 && same_codes(row, row - 1)) continue;
            run_begin_.push_back(static_cast<Eigen::Index>(row));
            for (const auto& block : blocks)
                if (const auto c = block.codes[row]; c >= 0) features_.push_back(block.offset + c);
            feature_begin_.push_back(features_.size());
        }
        if (rows_ == 0) {  // one empty run keeps the loops above uniform
            run_begin_.push_back(0);
            feature_begin_.push_back(0);
        }
        run_begin_.push_back(rows_);
    }

    Eigen::Index rows_ = 0;
    Eigen::Index cols_ = 0;
    std::vector<Eigen::Index> positions_;
    index_vector order_;      // visited row -> design row; empty: the design's own order
    row_values dense_copy_;   // the dense features in visit order, column after column (when order_ is set)
    const double* dense_ = nullptr;
    std::vector<Eigen::Index> run_begin_;     // the first visited row of each run, then rows_
    std::vector<std::size_t> feature_begin_;  // run r's indicator features: features_[feature_begin_[r] .. [r + 1])
    std::vector<Eigen::Index> features_;
    static inline thread_local Eigen::MatrixXd weighted_, small_, hx_;
    static inline thread_local std::vector<double> sums_;
};

}  // namespace ctml::detail

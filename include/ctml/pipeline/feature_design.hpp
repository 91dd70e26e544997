// feature_design: an estimator's input with its one-hot blocks kept as codes.
//
// A one-hot block has one 1 per row (or none, for an ignored unknown
// category); as a dense matrix it is mostly zeros, and an estimator that
// multiplies by it spends most of its time on them. A design keeps the dense
// features as columns and each one-hot block as one code per row: the
// position of that row's 1 within the block, or -1. The feature positions are
// those of the dense matrix, so coefficients learned on a design are in the
// usual order. For the credit features (4 dense, 5 blocks of 22 indicators)
// a 1,000,000-row design takes 52 MB instead of 208 MB, and a logistic
// regression sums rows with the same codes together instead of multiplying
// by 22 mostly-zero columns (linear_model/detail/design_rows.hpp).
//
// Stages that output features may provide `design_into(x, design, offset)`;
// the others write their columns straight into the design's dense part
// (append_design below). Storage comes from huge pages (huge_page_allocator):
// a fresh 52 MB is otherwise 175 ms of page faults on a virtual machine. Law:
// to_dense() equals transform(x), bit for bit.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ctml/detail/huge_page_allocator.hpp"

namespace ctml {

namespace detail {
/// Frees `size` doubles from huge_page_allocator.
struct huge_page_deleter {
    std::size_t size = 0;
    void operator()(double* p) const noexcept { huge_page_allocator<double>{}.deallocate(p, size); }
};
}  // namespace detail

class feature_design {
public:
    using code_vector = std::vector<std::int32_t, detail::huge_page_allocator<std::int32_t>>;

    /// One one-hot block: features [offset, offset + width), one code per row.
    struct indicator_block {
        Eigen::Index offset = 0;
        Eigen::Index width = 0;
        /// The position of the row's 1 within the block, or -1 when the row has none.
        code_vector codes;
    };
    // add_block hands out spans into each block's codes while later blocks are added:
    // moving a block on reallocation must hand its buffer over, not copy it.
    static_assert(std::is_nothrow_move_constructible_v<code_vector>);

    feature_design() = default;
    feature_design(Eigen::Index rows, Eigen::Index width) : rows_(rows), width_(width) {}

    [[nodiscard]] Eigen::Index rows() const noexcept { return rows_; }
    /// The number of features, as in the dense matrix.
    [[nodiscard]] Eigen::Index cols() const noexcept { return width_; }
    /// The dense features, one column each, at the positions dense_positions() gives.
    [[nodiscard]] Eigen::Map<const Eigen::MatrixXd> dense() const noexcept {
        return {dense_storage_.get(), rows_, static_cast<Eigen::Index>(dense_positions_.size())};
    }
    [[nodiscard]] const std::vector<Eigen::Index>& dense_positions() const noexcept { return dense_positions_; }
    [[nodiscard]] const std::vector<indicator_block>& blocks() const noexcept { return blocks_; }

    /// Room for `width` dense features at positions [offset, offset + width), for a stage to
    /// write its columns into (transform_into) without a matrix of its own.
    [[nodiscard]] Eigen::Map<Eigen::MatrixXd> add_dense(Eigen::Index offset, Eigen::Index width) {
        check_span(offset, width);
        // Storage for every feature is reserved once, uninitialised: only the columns
        // written are ever touched, so the pages of the one-hot features never are.
        if (!dense_storage_) {
            const auto n = static_cast<std::size_t>(rows_ * width_);
            dense_storage_ = {detail::huge_page_allocator<double>{}.allocate(n), detail::huge_page_deleter{n}};
        }
        const auto first = static_cast<Eigen::Index>(dense_positions_.size());
        // The storage holds width_ columns: more dense ones than that means a position is placed twice.
        if (first + width > width_)
            throw std::invalid_argument("feature_design: " + std::to_string(first + width) +
                                        " dense features in a design of " + std::to_string(width_));
        for (Eigen::Index j = 0; j < width; ++j) dense_positions_.push_back(offset + j);
        return {dense_storage_.get() + first * rows_, rows_, width};
    }

    /// Places `columns` (rows() rows) as dense features from position `offset` on.
    void add_dense(const Eigen::Ref<const Eigen::MatrixXd>& columns, Eigen::Index offset) {
        check_rows(columns.rows());
        add_dense(offset, columns.cols()) = columns;
    }

    /// Room for a one-hot block of `width` features at `offset`: one code per row, to be
    /// written in [-1, width) (validate() checks).
    [[nodiscard]] std::span<std::int32_t> add_block(Eigen::Index offset, Eigen::Index width) {
        check_span(offset, width);
        blocks_.push_back({offset, width, code_vector(static_cast<std::size_t>(rows_))});
        return blocks_.back().codes;
    }

    /// Places a one-hot block of `width` features at `offset`; codes in [-1, width).
    void add_block(Eigen::Index offset, Eigen::Index width, std::span<const std::int32_t> codes) {
        check_rows(static_cast<Eigen::Index>(codes.size()));
        check_codes(codes, width);
        const auto room = add_block(offset, width);
        std::copy(codes.begin(), codes.end(), room.begin());
    }

    /// Throws unless every feature position is covered exactly once and every code is in range.
    void validate() const {
        std::vector<bool> seen(static_cast<std::size_t>(width_), false);
        const auto cover = [&](Eigen::Index position) {
            if (seen[static_cast<std::size_t>(position)])
                throw std::invalid_argument("feature_design: feature " + std::to_string(position) + " is placed twice");
            seen[static_cast<std::size_t>(position)] = true;
        };
        for (const auto p : dense_positions_) cover(p);
        for (const auto& b : blocks_) {
            for (Eigen::Index j = 0; j < b.width; ++j) cover(b.offset + j);
            check_codes(b.codes, b.width);
        }
        if (const auto it = std::find(seen.begin(), seen.end(), false); it != seen.end())
            throw std::invalid_argument("feature_design: the design does not cover every feature once (feature " +
                                        std::to_string(it - seen.begin()) + " is missing)");
    }

    /// The dense matrix this design stands for.
    [[nodiscard]] Eigen::MatrixXd to_dense() const {
        Eigen::MatrixXd out = Eigen::MatrixXd::Zero(rows_, width_);
        const auto d = dense();
        for (std::size_t j = 0; j < dense_positions_.size(); ++j)
            out.col(dense_positions_[j]) = d.col(static_cast<Eigen::Index>(j));
        for (const auto& b : blocks_)
            for (Eigen::Index i = 0; i < rows_; ++i)
                if (const auto c = b.codes[static_cast<std::size_t>(i)]; c >= 0) out(i, b.offset + c) = 1.0;
        return out;
    }

private:
    void check_rows(Eigen::Index rows) const {
        if (rows != rows_)
            throw std::invalid_argument("feature_design: a part with " + std::to_string(rows) + " rows in a design of " +
                                        std::to_string(rows_));
    }
    void check_span(Eigen::Index offset, Eigen::Index width) const {
        if (offset < 0 || width < 0 || offset + width > width_)
            throw std::invalid_argument("feature_design: features [" + std::to_string(offset) + ", " +
                                        std::to_string(offset + width) + ") outside a design of " +
                                        std::to_string(width_));
    }
    static void check_codes(std::span<const std::int32_t> codes, Eigen::Index width) {
        for (const auto c : codes)
            if (c < -1 || c >= width)
                throw std::invalid_argument("feature_design: code " + std::to_string(c) + " outside a block of " +
                                            std::to_string(width) + " features");
    }

    Eigen::Index rows_ = 0;
    Eigen::Index width_ = 0;
    std::unique_ptr<double[], detail::huge_page_deleter> dense_storage_;
    std::vector<Eigen::Index> dense_positions_;
    std::vector<indicator_block> blocks_;
};

namespace detail {
/// Stages that keep one-hot blocks as codes say so with design_into.
template <class F, class X>
concept has_design_into = requires(const F& f, const X& x, feature_design& d) { f.design_into(x, d, Eigen::Index{}); };
}  // namespace detail

/// Places `stage`'s output for x in `design` from feature position `offset`:
/// as codes when the stage keeps one-hot blocks, as dense columns otherwise.
template <class Fitted, class X>
void append_design(const Fitted& stage, const X& x, feature_design& design, Eigen::Index offset) {
    if constexpr (detail::has_design_into<Fitted, X>) stage.design_into(x, design, offset);
    else stage.transform_into(x, design.add_dense(offset, stage.n_features_out()));
}

}  // namespace ctml

// linear_fold<frame<S>>: a pipeline of per-column stages and a linear model,
// folded into one sum over the input columns (column_fold.hpp).
//
//   z = b + Σ_j fold_j(x_j)      numeric: slope · x + offset; categorical: a weight per category
//
// fitted_pipeline builds one after fit and after load whenever every stage
// folds, and scores records and frames with it: a record costs a few
// multiply-adds and one short table scan per categorical column, and a frame
// maps each categorical column's vocabulary to weights once, then adds one
// weight per row by dictionary code -- no imputed copy, no feature matrix.
// The sum runs column by column in the same order for a record and for a
// frame, so both give the same value bit for bit. Against scoring through
// the stages the order of operations differs (w · (x - m) / s becomes
// x · (w / s) - w · m / s), so the two agree to about 1e-15, not bit for bit.
//
// A value the fold cannot score (an unknown category the encoder rejects, a
// missing value no imputer fills) makes the decision NaN; the pipeline then
// scores through its stages, which raise the error they always raised.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <type_traits>
#include <string_view>
#include <utility>
#include <vector>

#include "ctml/pipeline/column_fold.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

template <class In>
class linear_fold;

template <class... Columns>
class linear_fold<frame<schema<Columns...>>> {
    using in_schema = schema<Columns...>;
    static constexpr std::size_t n_columns = sizeof...(Columns);

public:
    /// The fold of these columns (one per input column) and intercept, or nothing
    /// when a column cannot be folded.
    [[nodiscard]] static std::optional<linear_fold> make(double intercept, std::vector<column_fold> columns) {
        if (columns.size() != n_columns) return std::nullopt;
        for (const auto& c : columns)
            if (c.unfoldable) return std::nullopt;
        return linear_fold(intercept, std::move(columns));
    }

    [[nodiscard]] double intercept() const noexcept { return intercept_; }
    /// What each input column adds, in schema order.
    [[nodiscard]] const std::array<column_fold, n_columns>& columns() const noexcept { return columns_; }

    /// x·w + b for one record; NaN when a value must be scored through the stages.
    [[nodiscard]] double decision_row(const record<in_schema>& r) const {
        double z = intercept_;
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            const auto& fold = columns_[j];
            if (!fold.used) return;
            const auto& cell = r.template get_at<j>();
            if constexpr (column::is_nullable) {
                z += cell ? value_of<j>(*cell) : fold.missing;
            } else {
                z += value_of<j>(cell);
            }
        });
        return z;
    }

    /// x·w + b for every row of x, into z (x.rows() values); NaN where a value must be
    /// scored through the stages. Returns whether every row was scored.
    bool decision(const frame<in_schema>& x, std::span<double> z) const {
        return each_decision(x, [&](std::size_t i, double zi) { z[i] = zi; });
    }

    /// Calls sink(i, x·w + b of row i) for every row in order; returns whether every row was
    /// scored (false when one needs the stages: its value is NaN). Callers turn each value
    /// into their output on the spot, so no vector of decisions is stored.
    template <class Sink>
    bool each_decision(const frame<in_schema>& x, Sink&& sink) const {
        // Each categorical column's own vocabulary is mapped to weights once: by_code[j][0] is
        // what a missing value adds, by_code[j][1 + c] what code c adds.
        std::array<std::vector<double>, n_columns> by_code;
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            if constexpr (column::is_categorical) {
                const auto vocabulary = x.template column_at<j>().vocabulary();
                by_code[j].reserve(vocabulary.size() + 1);
                by_code[j].push_back(columns_[j].missing);
                for (const auto& v : vocabulary) by_code[j].push_back(columns_[j].value(std::string_view(v)));
            }
        });
        // Plain pointers and numbers in locals: the loop then keeps them in registers, as
        // hand-written code would, and sums a row without storing partial sums.
        const auto readers = [&]<std::size_t... J>(std::index_sequence<J...>) {
            return std::tuple{reader_of<J>(x, by_code[J])...};
        }(std::make_index_sequence<n_columns>{});
        bool every_row = true;
        for (std::size_t i = 0; i < x.rows(); ++i) {
            double z = intercept_;
            std::apply([&](const auto&... r) { ((r.used ? static_cast<void>(z += r(i)) : static_cast<void>(0)), ...); },
                       readers);
            every_row &= !std::isnan(z);
            sink(i, z);
        }
        return every_row;
    }

private:
    linear_fold(double intercept, std::vector<column_fold> columns) : intercept_(intercept) {
        std::move(columns.begin(), columns.end(), columns_.begin());
        // A record's categories are found in one flat table per column, over one buffer of
        // text: a scan touches a few adjacent cache lines, as a hand-written table does.
        for (std::size_t j = 0; j < n_columns; ++j) {
            const auto& fold = columns_[j];
            if (!fold.categorical || fold.categories.size() > column_fold::short_list) continue;
            for (std::size_t k = 0; k < fold.categories.size(); ++k) {
                tables_[j].push_back({static_cast<std::uint32_t>(text_.size()),
                                      static_cast<std::uint32_t>(fold.categories[k].size()), fold.weights[k]});
                text_ += fold.categories[k];
            }
        }
        // A declared category is an index into its type's list: look its weight up by that index.
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            if constexpr (column::has_declared_categories) {
                for (const auto value : column::value_kind::values) by_declared_index_[j].push_back(columns_[j].value(std::string_view(value)));
            }
        });
    }

    // What row i of one column adds, read from the frame's storage.
    struct code_reader {
        bool used;
        const categorical_column::code_type* codes;
        const double* by_code;  // [-1] is a missing value
        double operator()(std::size_t i) const noexcept { return by_code[codes[i]]; }
    };
    template <class T, bool Nullable>
    struct number_reader {
        bool used;
        const T* values;
        const std::uint8_t* missing;  // null when nothing is missing
        double slope, offset, if_missing;
        double operator()(std::size_t i) const noexcept {
            // The same expression as column_fold::value, so a record and a frame row agree bit for bit.
            if constexpr (Nullable)
                if (missing != nullptr && missing[i] != 0) return if_missing;
            return static_cast<double>(values[i]) * slope + offset;
        }
    };

    template <std::size_t J>
    [[nodiscard]] auto reader_of(const frame<in_schema>& x, const std::vector<double>& by_code) const {
        using column = typename in_schema::template column_at<J>;
        const auto& fold = columns_[J];
        const auto& col = x.template column_at<J>();
        if constexpr (column::is_categorical) {
            return code_reader{fold.used, col.codes().data(), by_code.data() + 1};
        } else {
            using value_type = typename std::remove_cvref_t<decltype(col)>::value_type;
            return number_reader<value_type, column::is_nullable>{fold.used, col.values().data(),
                                             col.has_missing() ? col.missing_mask().data() : nullptr,
                                             fold.slope, fold.offset, fold.missing};
        }
    }

    template <std::size_t J, class V>
    [[nodiscard]] double value_of(const V& v) const {
        using column = typename in_schema::template column_at<J>;
        if constexpr (column::has_declared_categories) return by_declared_index_[J][v.index()];
        else if constexpr (column::is_categorical) return category_value(J, std::string_view(v));
        else return columns_[J].value(static_cast<double>(v));
    }

    /// What category `v` of column j adds: a scan of its flat table, or the fold's own
    /// search when the list is long.
    [[nodiscard]] double category_value(std::size_t j, std::string_view v) const noexcept {
        const auto& fold = columns_[j];
        if (fold.categories.size() > column_fold::short_list) return fold.value(v);
        for (const auto& e : tables_[j])
            if (e.size == v.size() && std::memcmp(text_.data() + e.offset, v.data(), v.size()) == 0) return e.weight;
        return fold.unknown;
    }

    struct category_entry {
        std::uint32_t offset;  // into text_: offsets, not pointers, so a copied fold stays valid
        std::uint32_t size;
        double weight;
    };

    double intercept_ = 0.0;
    std::array<column_fold, n_columns> columns_{};
    std::array<std::vector<category_entry>, n_columns> tables_{};
    std::string text_;
    std::array<std::vector<double>, n_columns> by_declared_index_{};
};

}  // namespace ctml

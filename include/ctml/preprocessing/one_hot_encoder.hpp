// one_hot_encoder: one 0/1 feature per category of each categorical column --
// scikit-learn's OneHotEncoder(sparse_output=False, drop=None).
//
// Categories are learned from the data and sorted (scikit-learn's order), or,
// for columns typed `categories<...>`, taken from the type in declared order.
// When every column is declared, the output width is a compile-time constant
// and a single record encodes without touching the heap. An unseen category
// is an error naming column and value, or (`unknown_category::ignore`) a row of
// zeros for that column. Input: a frame of non-nullable categorical columns
// (impute first). Feature names are `column_category`, as in scikit-learn.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/enum_names.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

/// What transform does with a category fit did not see (scikit-learn's handle_unknown).
enum class unknown_category { error, ignore };
constexpr auto enum_names(unknown_category) {
    return std::to_array<enum_name<unknown_category>>({{unknown_category::error, "error"}, {unknown_category::ignore, "ignore"}});
}

namespace detail {
// If your compile breaks here, a one_hot_encoder was given a column that is
// numeric or nullable: the column is the first template argument above.
// Route numeric columns to a scaler, and put a simple_imputer first for
// nullable ones.
template <fixed_string Column, bool Ok>
struct one_hot_encoder_requires_non_nullable_categorical_column {
    static_assert(always_false<one_hot_encoder_requires_non_nullable_categorical_column>,
                  "ctml: one_hot_encoder needs non-nullable categorical columns -- see "
                  "'one_hot_encoder_requires_non_nullable_categorical_column<column, ...>' above");
    static constexpr bool value = true;  // the message above is the one error; do not fail twice
};
template <fixed_string Column>
struct one_hot_encoder_requires_non_nullable_categorical_column<Column, true> {
    static constexpr bool value = true;
};

template <class C>
constexpr int declared_width() {
    if constexpr (C::has_declared_categories) return static_cast<int>(C::value_kind::size);
    else return dynamic_width;
}
}  // namespace detail

template <class In>
class fitted_one_hot_encoder;

struct one_hot_encoder {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "one_hot_encoder";

    unknown_category handle_unknown = unknown_category::error;

    [[nodiscard]] bool operator==(const one_hot_encoder&) const = default;

    template <table In>
    [[nodiscard]] fitted_one_hot_encoder<In> fit(const In& x) const {
        static_assert(frame_type<In>, "ctml: one_hot_encoder works on a frame of categorical columns");
        return fitted_one_hot_encoder<In>::learn(*this, x, all_rows_here());
    }

    /// Fits on this part of rows split over several processes: the categories are every part's, sorted.
    template <table In>
    [[nodiscard]] fitted_one_hot_encoder<In> fit(const In& x, const row_partition& rows) const {
        static_assert(frame_type<In>, "ctml: one_hot_encoder works on a frame of categorical columns");
        return fitted_one_hot_encoder<In>::learn(*this, x, rows);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: one_hot_encoder is not fitted -- call fit() first; it returns the fitted stage");
    }
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::one_hot_encoder, handle_unknown);

namespace ctml {

template <class... Columns>
class fitted_one_hot_encoder<frame<schema<Columns...>>> {
    static_assert((detail::one_hot_encoder_requires_non_nullable_categorical_column<
                       Columns::name, Columns::is_categorical && !Columns::is_nullable>::value &&
                   ...));
    using in_schema = schema<Columns...>;
    static constexpr std::size_t n_columns = sizeof...(Columns);

public:
    static constexpr int width = sum_widths<detail::declared_width<Columns>()...>;
    using params_type = one_hot_encoder;
    using output_type = feature_matrix<width>;
    using category_lists = std::array<std::vector<std::string>, n_columns>;

    static constexpr int version = 1;

    struct state_type {
        /// The categories of each column, in output order: sorted when learned, as declared otherwise.
        BOOST_HANA_DEFINE_STRUCT(state_type, (category_lists, categories));
    };

    [[nodiscard]] static fitted_one_hot_encoder learn(const one_hot_encoder& params, const frame<in_schema>& x,
                                                      const row_partition& rows) {
        state_type s;
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            auto& cats = s.categories[j];
            if constexpr (column::has_declared_categories) {
                cats.assign(column::value_kind::values.begin(), column::value_kind::values.end());
            } else {
                const auto& col = x.template column_at<j>();
                std::vector<bool> used(col.vocabulary().size(), false);
                for (auto c : col.codes()) used[static_cast<std::size_t>(c)] = true;
                for (std::size_t k = 0; k < used.size(); ++k)
                    if (used[k]) cats.push_back(col.vocabulary()[k]);
                cats = union_over_parts(rows, std::move(cats));
                if (cats.empty())
                    throw std::invalid_argument("one_hot_encoder: column \"" + std::string(column::name.view()) +
                                                "\" has no values to learn categories from");
            }
        });
        return restore(params, std::move(s));
    }

    [[nodiscard]] static fitted_one_hot_encoder restore(const one_hot_encoder& params, state_type s) {
        constexpr detail::state_checks check(one_hot_encoder::stage_name);
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            const auto& cats = s.categories[j];
            const std::string field = "state.categories[" + std::to_string(j) + "]";
            if (cats.empty()) check.fail(field, "a column needs at least one category");
            if constexpr (column::has_declared_categories) {
                const auto& declared = column::value_kind::values;
                if (!std::equal(cats.begin(), cats.end(), declared.begin(), declared.end()))
                    check.fail(field, "column \"" + std::string(column::name.view()) +
                                          "\" must have exactly its declared categories, in declared order");
            } else {
                for (std::size_t k = 1; k < cats.size(); ++k)
                    if (!(cats[k - 1] < cats[k]))
                        check.fail(field + "[" + std::to_string(k) + "]",
                                   cats[k - 1] == cats[k] ? "category \"" + cats[k] + "\" is duplicated"
                                                          : "categories are out of order (\"" + cats[k - 1] +
                                                                "\" before \"" + cats[k] + "\"); they must be sorted");
            }
        });
        return fitted_one_hot_encoder(params, std::move(s));
    }

    [[nodiscard]] const one_hot_encoder& params() const noexcept { return params_; }
    /// The categories of each column, in output order.
    [[nodiscard]] const category_lists& categories() const noexcept { return state_.categories; }
    [[nodiscard]] const state_type& state() const noexcept { return state_; }
    [[nodiscard]] static constexpr int n_features_in() noexcept { return static_cast<int>(n_columns); }
    [[nodiscard]] int n_features_out() const noexcept { return n_features_out_; }

    [[nodiscard]] output_type transform(const frame<in_schema>& x) const {
        output_type out(static_cast<Eigen::Index>(x.rows()), n_features_out_);
        transform_into(x, out);
        return out;
    }

    void transform_into(const frame<in_schema>& x, feature_block out) const {
        out.setZero();
        for_each_code(x, [&](std::size_t j, std::size_t i, int s) {
            if (s >= 0) out(static_cast<Eigen::Index>(i), offsets_[j] + s) = 1.0;
        });
    }

    /// The same features as transform_into, each column's block kept as one code per row.
    void design_into(const frame<in_schema>& x, feature_design& design, Eigen::Index offset) const {
        std::array<std::span<std::int32_t>, n_columns> codes;
        for (std::size_t j = 0; j < n_columns; ++j)
            codes[j] = design.add_block(offset + offsets_[j], static_cast<Eigen::Index>(state_.categories[j].size()));
        for_each_code(x, [&](std::size_t j, std::size_t i, int s) { codes[j][i] = s; });
    }

    void transform_row_into(const record<in_schema>& r, feature_row_block out) const {
        out.setZero();
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            const auto& cell = r.template get_at<j>();
            int s = -1;
            if constexpr (column::has_declared_categories) s = static_cast<int>(cell.index());
            else s = find(j, cell);
            if (s >= 0) out(offsets_[j] + s) = 1.0;
            else if (params_.handle_unknown == unknown_category::error) throw unknown_category(j, cell, "");
        });
    }

    /// What each input column adds to w · features: the weight of its category's indicator;
    /// an unknown category adds 0 when ignored and is left to transform otherwise (column_fold.hpp).
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const {
        std::vector<column_fold> out;
        const double unknown = params_.handle_unknown == unknown_category::ignore ? 0.0 : column_fold::through_stages;
        for (std::size_t j = 0; j < n_columns; ++j) {
            const auto first = w.begin() + offsets_[j];
            out.push_back(column_fold::categorical_weights(
                state_.categories[j],
                std::vector<double>(first, first + static_cast<std::ptrdiff_t>(state_.categories[j].size())),
                !is_declared_[j], unknown));
        }
        return out;
    }

    /// One indicator per category of each input column, named `column_category` as in scikit-learn.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        std::vector<feature_origin> out;
        out.reserve(static_cast<std::size_t>(n_features_out_));
        for (std::size_t j = 0; j < n_columns; ++j)
            for (const auto& c : state_.categories[j]) {
                feature_origin o = inputs[j];
                o.name += "_" + c;
                o.category = c;
                out.push_back(std::move(o));
            }
        return out;
    }

private:
    fitted_one_hot_encoder(const one_hot_encoder& params, state_type s) : params_(params), state_(std::move(s)) {
        int offset = 0;
        for (std::size_t j = 0; j < n_columns; ++j) {
            offsets_[j] = offset;
            offset += static_cast<int>(state_.categories[j].size());
        }
        n_features_out_ = offset;
    }

    /// Calls f(column, row, position among the column's categories or -1) for every cell;
    /// an unknown category throws unless it is ignored.
    template <class F>
    void for_each_code(const frame<in_schema>& x, F&& f) const {
        for_each_column_index<in_schema>([&](auto j) {
            const auto& col = x.template column_at<j>();
            // Map this frame's vocabulary onto the fitted categories once, not per row:
            // frames read in chunks each carry their own vocabulary.
            std::vector<int> slot(col.vocabulary().size(), -1);
            for (std::size_t k = 0; k < slot.size(); ++k) slot[k] = find(j, col.vocabulary()[k]);
            const auto codes = col.codes();
            for (std::size_t i = 0; i < codes.size(); ++i) {
                const int s = slot[static_cast<std::size_t>(codes[i])];
                if (s < 0 && params_.handle_unknown == unknown_category::error)
                    throw unknown_category(j, col.value(i), " in row " + std::to_string(i));
                f(std::size_t{j}, i, s);
            }
        });
    }

    /// Position of `value` among column j's categories, or -1.
    [[nodiscard]] int find(std::size_t j, std::string_view value) const {
        const auto& cats = state_.categories[j];
        if (is_declared_[j]) {
            const auto it = std::find(cats.begin(), cats.end(), value);
            return it == cats.end() ? -1 : static_cast<int>(it - cats.begin());
        }
        const auto it = std::lower_bound(cats.begin(), cats.end(), value);
        return it != cats.end() && *it == value ? static_cast<int>(it - cats.begin()) : -1;
    }

    template <class V>
    [[nodiscard]] std::invalid_argument unknown_category(std::size_t j, const V& value, const std::string& where) const {
        std::string known;
        for (const auto& c : state_.categories[j]) known += (known.empty() ? "\"" : ", \"") + c + "\"";
        std::string text;
        if constexpr (requires { value.view(); }) text = std::string(value.view());
        else text = std::string(value);
        return std::invalid_argument("one_hot_encoder: column \"" + std::string(in_schema::names[j]) +
                                     "\": unknown category \"" + text + "\"" + where + " (fitted categories: " + known + ")");
    }

    one_hot_encoder params_;
    state_type state_;
    std::array<int, n_columns> offsets_{};
    static constexpr std::array<bool, n_columns> is_declared_{Columns::has_declared_categories...};
    int n_features_out_ = 0;
};

}  // namespace ctml

// one_hot_encoder: one 0/1 feature per category of each categorical column --
// scikit-learn's OneHotEncoder(sparse_output=False, drop=None).
//
// Categories are learned from the data and sorted (scikit-learn's order), or,
// for columns typed `categories<...>`, taken from the type in declared order.
// When every column is declared, the output width is a compile-time constant
// and a single record encodes without touching the heap. An unseen category
// is an error naming column and value, or (`handle_unknown::ignore`) a row of
// zeros for that column. Input: a frame of non-nullable categorical columns
// (impute first). Feature names are `column_category`, as in scikit-learn.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ctml/detail/always_false.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

enum class handle_unknown { error, ignore };

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

    handle_unknown unknown = handle_unknown::error;

    [[nodiscard]] bool operator==(const one_hot_encoder&) const = default;

    template <table In>
    [[nodiscard]] fitted_one_hot_encoder<In> fit(const In& x) const {
        static_assert(frame_type<In>, "ctml: one_hot_encoder works on a frame of categorical columns");
        return fitted_one_hot_encoder<In>(*this, x);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: one_hot_encoder is not fitted -- call fit() first; it returns the fitted stage");
    }
};

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

    fitted_one_hot_encoder(const one_hot_encoder& params, const frame<in_schema>& x) : params_(params) {
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            auto& cats = categories_[j];
            if constexpr (column::has_declared_categories) {
                cats.assign(column::value_kind::values.begin(), column::value_kind::values.end());
            } else {
                const auto& col = x.template column_at<j>();
                std::vector<bool> used(col.vocabulary().size(), false);
                for (auto c : col.codes()) used[static_cast<std::size_t>(c)] = true;
                for (std::size_t k = 0; k < used.size(); ++k)
                    if (used[k]) cats.push_back(col.vocabulary()[k]);
                if (cats.empty())
                    throw std::invalid_argument("one_hot_encoder: column \"" + std::string(column::name.view()) +
                                                "\" has no values to learn categories from");
                std::sort(cats.begin(), cats.end());
            }
        });
        compute_offsets();
    }

    /// Saved state back into a fitted stage; the io layer validates it first
    /// (learned categories sorted and distinct, declared ones as declared).
    fitted_one_hot_encoder(restore_t, const one_hot_encoder& params, category_lists categories)
        : params_(params), categories_(std::move(categories)) {
        compute_offsets();
    }

    [[nodiscard]] const one_hot_encoder& params() const noexcept { return params_; }
    /// The categories of each column, in output order.
    [[nodiscard]] const category_lists& categories() const noexcept {
        return categories_;
    }
    [[nodiscard]] int n_features_out() const noexcept { return n_features_out_; }

    [[nodiscard]] output_type transform(const frame<in_schema>& x) const {
        output_type out(static_cast<Eigen::Index>(x.rows()), n_features_out_);
        transform_into(x, out);
        return out;
    }

    void transform_into(const frame<in_schema>& x, feature_block out) const {
        out.setZero();
        for_each_column_index<in_schema>([&](auto j) {
            const auto& col = x.template column_at<j>();
            // Map this frame's vocabulary onto the fitted categories once, not per row:
            // frames read in chunks each carry their own vocabulary.
            std::vector<int> slot(col.vocabulary().size(), -1);
            for (std::size_t k = 0; k < slot.size(); ++k) slot[k] = find(j, col.vocabulary()[k]);
            const auto codes = col.codes();
            for (std::size_t i = 0; i < codes.size(); ++i) {
                const int s = slot[static_cast<std::size_t>(codes[i])];
                if (s >= 0) out(static_cast<Eigen::Index>(i), offsets_[j] + s) = 1.0;
                else if (params_.unknown == handle_unknown::error)
                    throw unknown_category(j, col.value(i), " in row " + std::to_string(i));
            }
        });
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
            else if (params_.unknown == handle_unknown::error) throw unknown_category(j, cell, "");
        });
    }

    [[nodiscard]] std::vector<std::string> feature_names_out(std::span<const std::string> input_names) const {
        std::vector<std::string> names;
        names.reserve(static_cast<std::size_t>(n_features_out_));
        for (std::size_t j = 0; j < n_columns; ++j)
            for (const auto& c : categories_[j]) names.push_back(input_names[j] + "_" + c);
        return names;
    }

private:
    void compute_offsets() {
        int offset = 0;
        for (std::size_t j = 0; j < n_columns; ++j) {
            offsets_[j] = offset;
            offset += static_cast<int>(categories_[j].size());
        }
        n_features_out_ = offset;
    }

    /// Position of `value` among column j's categories, or -1.
    [[nodiscard]] int find(std::size_t j, std::string_view value) const {
        const auto& cats = categories_[j];
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
        for (const auto& c : categories_[j]) known += (known.empty() ? "\"" : ", \"") + c + "\"";
        std::string text;
        if constexpr (requires { value.view(); }) text = std::string(value.view());
        else text = std::string(value);
        return std::invalid_argument("one_hot_encoder: column \"" + std::string(in_schema::names[j]) +
                                     "\": unknown category \"" + text + "\"" + where + " (fitted categories: " + known + ")");
    }

    one_hot_encoder params_;
    category_lists categories_{};
    std::array<int, n_columns> offsets_{};
    static constexpr std::array<bool, n_columns> is_declared_{Columns::has_declared_categories...};
    int n_features_out_ = 0;
};

}  // namespace ctml

#pragma once

// Uniform access to the numeric inputs of a stage: the columns of a frame
// whose columns are all numeric, or the columns of a feature matrix. Stages
// such as the scalers are written once against this and work on both.

#include <cstddef>
#include <span>

#include "ctml/detail/always_false.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/schema/fixed_string.hpp"

namespace ctml::detail {

// If your compile breaks here, a stage that works on numbers only was given a
// column that is not numeric (or may hold missing values): the stage and the
// column are the template arguments shown above. Route categorical columns to
// a one_hot_encoder, and put a simple_imputer before numeric stages for
// nullable columns.
template <fixed_string Stage, fixed_string Column, bool IsNumeric>
struct numeric_stage_requires_numeric_column {
    static_assert(always_false<numeric_stage_requires_numeric_column>,
                  "ctml: a numeric-only stage was routed to a categorical or nullable column -- see "
                  "'numeric_stage_requires_numeric_column<stage, column, ...>' above");
    static constexpr bool value = true;  // the message above is the one error; do not fail twice
};
template <fixed_string Stage, fixed_string Column>
struct numeric_stage_requires_numeric_column<Stage, Column, true> {
    static constexpr bool value = true;
};

template <fixed_string Stage, class In>
struct numeric_input;

template <fixed_string Stage, class... Columns>
struct numeric_input<Stage, frame<schema<Columns...>>> {
    static_assert((numeric_stage_requires_numeric_column<Stage, Columns::name,
                                                         Columns::is_numeric && !Columns::is_nullable>::value &&
                   ...));
    using row_type = record<schema<Columns...>>;
    static constexpr int width = static_cast<int>(sizeof...(Columns));

    static int cols(const frame<schema<Columns...>>&) noexcept { return width; }

    /// f(j, value) for every value of column j, row by row.
    template <class F>
    static void for_each_column(const frame<schema<Columns...>>& x, F&& f) {
        for_each_column_index<schema<Columns...>>([&](auto j) {
            const auto values = x.template column_at<j>().values();
            f(static_cast<std::size_t>(j), values);
        });
    }

    template <class F>
    static void for_each_cell(const row_type& r, F&& f) {
        for_each_column_index<schema<Columns...>>(
            [&](auto j) { f(static_cast<std::size_t>(j), static_cast<double>(r.template get_at<j>())); });
    }
};

template <fixed_string Stage, int W>
struct numeric_input<Stage, feature_matrix<W>> {
    using row_type = feature_row<W>;
    static constexpr int width = W;

    static int cols(const feature_matrix<W>& x) noexcept { return static_cast<int>(x.cols()); }

    template <class F>
    static void for_each_column(const feature_matrix<W>& x, F&& f) {
        for (Eigen::Index j = 0; j < x.cols(); ++j)
            f(static_cast<std::size_t>(j), std::span<const double>(x.col(j).data(), static_cast<std::size_t>(x.rows())));
    }

    template <class F>
    static void for_each_cell(const row_type& r, F&& f) {
        for (Eigen::Index j = 0; j < r.cols(); ++j) f(static_cast<std::size_t>(j), r(j));
    }
};

}  // namespace ctml::detail

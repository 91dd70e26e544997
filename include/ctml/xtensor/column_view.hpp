// as_xtensor: a numeric column seen as a read-only 1-D xtensor expression,
// without copying its values.
//
//   auto ages = ctml::as_xtensor(f.column<"Age">());   // or as_xtensor<"Age">(f)
//   double mean_age = xt::mean(ages)();
//
// The view is an xt::adapt over the column's contiguous values with no
// ownership: it is valid while some frame or column sharing those values is
// alive (a copy of the column is enough -- storage is shared, never copied).
// The numpy counterpart is `df["Age"].to_numpy()` on a single-dtype column.
//
// Missing values: a missing slot holds T{} and means nothing, so by default
// as_xtensor throws on a column with missing values rather than let xt::mean
// average zeros in. Pass `ctml::include_missing_slots` to get the raw values
// anyway and combine them with `column.missing_mask()` yourself.
//
// Tests: tests/xtensor/test_column_view.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include <xtensor/xadapt.hpp>
#include <xtensor/xbuffer_adaptor.hpp>
#include <xtensor/xlayout.hpp>
#include <xtensor/xtensor.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/schema/categorical_column.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/fixed_string.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/numeric_column.hpp"

namespace ctml {

/// The type as_xtensor returns for a numeric_column<T>: a 1-D, read-only,
/// non-owning xtensor adaptor (elements are `const T&`).
template <numeric_value T>
using xtensor_column_view =
    xt::xtensor_adaptor<xt::xbuffer_adaptor<const T*, xt::no_ownership, std::allocator<T>>, 1,
                        xt::layout_type::row_major>;

/// Tag: view a column's values even where they are missing (those slots hold T{}).
struct include_missing_slots_t {
    explicit include_missing_slots_t() = default;
};
inline constexpr include_missing_slots_t include_missing_slots{};

/// The column's values as a 1-D xtensor expression, including missing slots (they hold T{}).
template <numeric_value T>
[[nodiscard]] xtensor_column_view<T> as_xtensor(const numeric_column<T>& column, include_missing_slots_t) noexcept {
    // The pointer goes in as a prvalue on purpose: given an lvalue pointer,
    // xt::adapt stores a *reference* to it, which would dangle on return.
    return xt::adapt(column.values().data(), column.size(), xt::no_ownership(),
                     std::array<std::size_t, 1>{column.size()});
}

/// The column's values as a 1-D xtensor expression. Throws std::invalid_argument
/// when the column holds missing values (see include_missing_slots).
template <numeric_value T>
[[nodiscard]] xtensor_column_view<T> as_xtensor(const numeric_column<T>& column) {
    if (column.has_missing())
        throw std::invalid_argument("ctml::as_xtensor: the column holds " + std::to_string(column.missing_count()) +
                                    " missing values; pass ctml::include_missing_slots to view them as T{} and use "
                                    "missing_mask()");
    return as_xtensor(column, include_missing_slots);
}

// If your compile breaks here, the column is a temporary: the view would
// outlive the values it points to. Keep the column (or its frame) in a variable.
template <numeric_value T>
void as_xtensor(const numeric_column<T>&&) = delete;
template <numeric_value T>
void as_xtensor(const numeric_column<T>&&, include_missing_slots_t) = delete;

namespace detail {
// If your compile breaks here, you asked for an xtensor view of a categorical
// column: it holds integer codes into a vocabulary, not numbers. Its codes are
// column.codes(); encode it (one_hot_encoder) to get numeric features.
template <class Column>
struct xtensor_view_needs_a_numeric_column {
    static_assert(always_false<Column>,
                  "ctml::as_xtensor: the column is categorical, not numeric -- it is the first argument of "
                  "'xtensor_view_needs_a_numeric_column<...>' in the instantiation above");
};
}  // namespace detail

/// as_xtensor(f.column<Name>()), with a compile error naming the column when it is not numeric.
template <fixed_string Name, class S>
[[nodiscard]] auto as_xtensor(const frame<S>& f) {
    using column = typename S::template column_named<Name>;
    if constexpr (column::is_numeric) {
        return as_xtensor(f.template column<Name>());
    } else {
        (void)detail::xtensor_view_needs_a_numeric_column<column>{};
    }
}

/// as_xtensor(f.column<Name>(), include_missing_slots).
template <fixed_string Name, class S>
[[nodiscard]] auto as_xtensor(const frame<S>& f, include_missing_slots_t tag) {
    using column = typename S::template column_named<Name>;
    if constexpr (column::is_numeric) {
        return as_xtensor(f.template column<Name>(), tag);
    } else {
        (void)detail::xtensor_view_needs_a_numeric_column<column>{};
    }
}

// If your compile breaks here, the frame is a temporary: the view would
// outlive the values it points to. Keep the frame in a variable.
template <fixed_string Name, class S>
void as_xtensor(const frame<S>&&) = delete;
template <fixed_string Name, class S>
void as_xtensor(const frame<S>&&, include_missing_slots_t) = delete;

}  // namespace ctml

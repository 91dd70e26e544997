// frame_from_xtensor<Schema>: a frame built from xtensor arrays without
// copying their elements.
//
//   using xy = ctml::schema<ctml::column<"x", double>, ctml::column<"n", int>>;
//   xt::xtensor<double, 1> x = {0.5, 1.5};
//   xt::xtensor<int, 1> n = {3, 4};
//   auto f = ctml::frame_from_xtensor<xy>(std::move(x), std::move(n));
//
//   using xyz = ctml::schema<ctml::column<"x", double>, ctml::column<"y", double>>;
//   xt::xtensor<double, 2, xt::layout_type::column_major> m = {{1, 2}, {3, 4}, {5, 6}};
//   auto g = ctml::frame_from_xtensor<xyz>(std::move(m));   // 3 rows, 2 columns
//
// Either one 1-D xt::xtensor per schema column, or one column-major 2-D
// xt::xtensor whose columns become the schema's columns: column-major is what
// keeps each column one contiguous run, which a frame's numeric column must be.
// The arrays are moved into shared holders that the frame's columns alias, so
// the frame (and any copy or select() of it) keeps them alive; the callers'
// variables are left empty. Passing an lvalue does not compile: copy it
// explicitly if you want to keep it.
//
// Every schema column must be numeric with exactly the arrays' element type
// (a compile error names the column otherwise). Nullable numeric columns are
// accepted, but xtensor has no missing values to give them: every value is
// present. A wrong shape (2-D column count != schema size, 1-D lengths that
// differ) throws std::invalid_argument before anything is moved, so the
// arrays are intact when it throws.
//
// Tests: tests/xtensor/test_frame_from_xtensor.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <xtensor/xlayout.hpp>
#include <xtensor/xtensor.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/shared_buffer.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/numeric_column.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

namespace detail {

template <class A>
struct xtensor_array_traits {
    static constexpr bool is_xtensor = false;
    static constexpr std::size_t rank = 0;
    static constexpr bool column_major = false;
    using value_type = void;
};
// Only xtensor *containers*: their storage is one dense run in their layout.
// Views and adaptors may be strided or borrowed, and cannot be taken over.
template <class EC, std::size_t N, xt::layout_type L, class Tag>
struct xtensor_array_traits<xt::xtensor_container<EC, N, L, Tag>> {
    static constexpr bool is_xtensor = true;
    static constexpr std::size_t rank = N;
    static constexpr bool column_major = L == xt::layout_type::column_major;
    using value_type = typename EC::value_type;
};

template <class A>
using xtensor_traits_of = xtensor_array_traits<std::remove_cvref_t<A>>;

// The two checks below are class templates so that the compiler prints the
// offending column (and element type) in the instantiation note.

// If your compile breaks here, the schema has a categorical column: xtensor
// arrays hold numbers only. Build that frame with frame_builder, or drop the
// column from the schema.
template <class Column>
struct frame_from_xtensor_needs_numeric_columns {
    static_assert(always_false<Column>,
                  "ctml::frame_from_xtensor: every schema column must be numeric -- the categorical column is the "
                  "first argument of 'frame_from_xtensor_needs_numeric_columns<...>' in the instantiation above");
    static constexpr bool value = false;
};

// If your compile breaks here, an array's element type differs from its
// column's type (column<"n", int> needs xt::xtensor<int, ...>). Elements are
// never converted: that would be a copy. Cast explicitly (xt::cast<int>(a)).
template <class Column, class Element>
struct frame_from_xtensor_element_type_mismatch {
    static_assert(always_false<Column, Element>,
                  "ctml::frame_from_xtensor: an array's element type is not its column's type -- see the column and "
                  "the element type in 'frame_from_xtensor_element_type_mismatch<...>' in the instantiation above");
    static constexpr bool value = false;
};

template <class Column, class Element>
consteval bool xtensor_column_fits() {
    if constexpr (!Column::is_numeric)
        return frame_from_xtensor_needs_numeric_columns<Column>::value;
    else if constexpr (!std::is_same_v<typename Column::value_kind, Element>)
        return frame_from_xtensor_element_type_mismatch<Column, Element>::value;
    else
        return true;
}

template <class Array>
numeric_column<typename xtensor_traits_of<Array>::value_type> take_over_1d(Array&& array) {
    using T = typename xtensor_traits_of<Array>::value_type;
    // uvector's move constructor hands over its pointer, so data() survives the move.
    auto holder = std::make_shared<std::remove_cvref_t<Array>>(std::move(array));
    const T* data = holder->data();
    const std::size_t size = holder->size();
    return numeric_column<T>(shared_buffer<T>(std::move(holder), data, size), {});
}

template <class Schema, class... Arrays, std::size_t... I>
frame<Schema> frame_from_1d_xtensors(std::index_sequence<I...>, Arrays&&... arrays) {
    constexpr bool fits =
        (xtensor_column_fits<typename Schema::template column_at<I>, typename xtensor_traits_of<Arrays>::value_type>() &&
         ...);
    if constexpr (!fits) {
        return frame<Schema>{};
    } else {
        if constexpr (sizeof...(Arrays) > 1) {
            const std::size_t sizes[] = {static_cast<std::size_t>(arrays.size())...};
            for (std::size_t k = 1; k < sizeof...(Arrays); ++k)
                if (sizes[k] != sizes[0])
                    throw std::invalid_argument("ctml::frame_from_xtensor: the array for column \"" +
                                                std::string(Schema::names[k]) + "\" has " + std::to_string(sizes[k]) +
                                                " elements, the one for column \"" + std::string(Schema::names[0]) +
                                                "\" has " + std::to_string(sizes[0]));
        }
        return frame<Schema>(take_over_1d(std::move(arrays))...);
    }
}

template <class Schema, class Array, std::size_t... I>
frame<Schema> frame_from_2d_xtensor(std::index_sequence<I...>, Array&& array) {
    using T = typename xtensor_traits_of<Array>::value_type;
    constexpr bool fits = (xtensor_column_fits<typename Schema::template column_at<I>, T>() && ...);
    if constexpr (!fits) {
        return frame<Schema>{};
    } else {
        if (array.shape()[1] != Schema::size)
            throw std::invalid_argument("ctml::frame_from_xtensor: the 2-D array has " +
                                        std::to_string(array.shape()[1]) + " columns, the schema " +
                                        std::to_string(Schema::size));
        const std::size_t rows = array.shape()[0];
        auto holder = std::make_shared<std::remove_cvref_t<Array>>(std::move(array));
        // Column-major: column j is the contiguous run [j * rows, (j + 1) * rows).
        const T* data = holder->data();
        return frame<Schema>(
            numeric_column<T>(shared_buffer<T>(holder, data + I * rows, rows), shared_buffer<std::uint8_t>{})...);
    }
}

}  // namespace detail

/// A frame taking over xtensor arrays without copying their elements: one 1-D
/// xt::xtensor<T, 1> per schema column, or one xt::xtensor<T, 2,
/// xt::layout_type::column_major> with a column per schema column, passed as
/// rvalues. Throws std::invalid_argument on a shape mismatch, leaving the arrays intact.
template <schema_type Schema, class... Arrays>
[[nodiscard]] frame<Schema> frame_from_xtensor(Arrays&&... arrays) {
    static_assert(((!std::is_lvalue_reference_v<Arrays> && !std::is_const_v<std::remove_reference_t<Arrays>>) && ...),
                  "ctml::frame_from_xtensor: pass the arrays as non-const rvalues (std::move(a)) -- the frame takes "
                  "them over instead of copying their elements; to keep yours, pass a copy explicitly");
    static_assert((detail::xtensor_traits_of<Arrays>::is_xtensor && ...),
                  "ctml::frame_from_xtensor: the arguments must be xtensor containers: xt::xtensor<T, 1> (one per "
                  "schema column) or a single xt::xtensor<T, 2, xt::layout_type::column_major>");

    constexpr bool rvalues =
        ((!std::is_lvalue_reference_v<Arrays> && !std::is_const_v<std::remove_reference_t<Arrays>>) && ...);
    constexpr bool containers = (detail::xtensor_traits_of<Arrays>::is_xtensor && ...);
    if constexpr (!rvalues || !containers) {
        return frame<Schema>{};
    } else if constexpr (sizeof...(Arrays) == 1 && ((detail::xtensor_traits_of<Arrays>::rank != 1) && ...)) {
        constexpr bool two_d = ((detail::xtensor_traits_of<Arrays>::rank == 2) && ...);
        constexpr bool column_major = (detail::xtensor_traits_of<Arrays>::column_major && ...);
        static_assert(two_d,
                      "ctml::frame_from_xtensor: a single array must be 2-D (rows x columns) or, for a one-column "
                      "schema, 1-D");
        static_assert(!two_d || column_major,
                      "ctml::frame_from_xtensor: a 2-D array must be column-major, so that each column is contiguous: "
                      "xt::xtensor<T, 2, xt::layout_type::column_major> (converting a row-major array copies it once)");
        if constexpr (two_d && column_major)
            return detail::frame_from_2d_xtensor<Schema>(std::make_index_sequence<Schema::size>{},
                                                         std::forward<Arrays>(arrays)...);
        else
            return frame<Schema>{};
    } else {
        static_assert(((detail::xtensor_traits_of<Arrays>::rank == 1) && ...),
                      "ctml::frame_from_xtensor: with several arrays, each must be 1-D: xt::xtensor<T, 1>");
        static_assert(sizeof...(Arrays) == Schema::size,
                      "ctml::frame_from_xtensor: pass one 1-D array per schema column, in schema order");
        if constexpr (((detail::xtensor_traits_of<Arrays>::rank == 1) && ...) && sizeof...(Arrays) == Schema::size)
            return detail::frame_from_1d_xtensors<Schema>(std::index_sequence_for<Arrays...>{},
                                                          std::forward<Arrays>(arrays)...);
        else
            return frame<Schema>{};
    }
}

}  // namespace ctml

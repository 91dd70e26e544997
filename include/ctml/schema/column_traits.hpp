// How a column's declared type maps to the C++ types that hold it:
//   cell_t<C>      -- one value in a record (std::optional when nullable);
//   storage_t<C>   -- the column in a frame;
//   builder_t<C>   -- what appends values to build that storage.
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "ctml/schema/categorical_column.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/declared_category.hpp"
#include "ctml/schema/numeric_column.hpp"

namespace ctml {

namespace detail {
template <class Kind> struct value_of { using type = Kind; };  // numeric
template <> struct value_of<categorical> { using type = std::string; };
template <fixed_string... Vs> struct value_of<categories<Vs...>> { using type = declared_category<categories<Vs...>>; };

template <class Kind> struct storage_of { using type = numeric_column<Kind>; using builder = numeric_column_builder<Kind>; };
template <> struct storage_of<categorical> { using type = categorical_column; using builder = categorical_column_builder; };
template <fixed_string... Vs> struct storage_of<categories<Vs...>> {
    using type = categorical_column;
    using builder = categorical_column_builder;
};
}  // namespace detail

/// The value of a non-missing cell of column C.
template <column_type C>
using value_t = typename detail::value_of<typename C::value_kind>::type;

/// One cell of column C in a record: value_t<C>, wrapped in std::optional when C is nullable.
template <column_type C>
using cell_t = std::conditional_t<C::is_nullable, std::optional<value_t<C>>, value_t<C>>;

template <column_type C>
using storage_t = typename detail::storage_of<typename C::value_kind>::type;

template <column_type C>
using builder_t = typename detail::storage_of<typename C::value_kind>::builder;

/// A builder ready for column C: declared categories give a closed vocabulary.
template <column_type C>
[[nodiscard]] builder_t<C> make_builder() {
    if constexpr (C::has_declared_categories) {
        using cats = typename C::value_kind;
        return categorical_column_builder(std::vector<std::string>(cats::values.begin(), cats::values.end()), true);
    } else {
        return builder_t<C>{};
    }
}

}  // namespace ctml

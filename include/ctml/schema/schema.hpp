// schema<column<...>...>: the compile-time list of a table's columns.
//
// The pandas counterpart is `df.dtypes`; here it is a type, so selecting a
// column that does not exist fails to compile, naming the column:
//
//   using credit = schema<column<"Age", int>, column<"Sex", categorical>>;
//   credit::index_of<"Agee">   // error: column_not_in_schema<"Agee", ...>
//
// Names are unique within a schema. Example: examples/quickstart.cpp.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctml/detail/always_false.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/fixed_string.hpp"

namespace ctml {

template <class... Columns>
struct schema;

namespace detail {

// If your compile breaks here, you asked a schema for a column it does not
// have: the column's name is the first template argument shown above.
template <fixed_string Name, class Schema>
struct column_not_in_schema {
    static_assert(always_false<Schema>,
                  "ctml: column not in schema -- the requested name is the first argument of "
                  "'column_not_in_schema<...>' in the instantiation above");
    static constexpr std::size_t value = 0;
};

template <fixed_string Name, class... Columns>
consteval std::size_t find_column() {
    constexpr std::array<bool, sizeof...(Columns)> hits{(Columns::name == Name)...};
    for (std::size_t i = 0; i < hits.size(); ++i)
        if (hits[i]) return i;
    return sizeof...(Columns);
}

template <class... Columns>
consteval bool names_are_unique() {
    constexpr std::array<std::string_view, sizeof...(Columns)> names{Columns::name.view()...};
    for (std::size_t i = 0; i < names.size(); ++i)
        for (std::size_t j = i + 1; j < names.size(); ++j)
            if (names[i] == names[j]) return false;
    return true;
}

template <class S1, class S2> struct concat_schemas;
template <class... A, class... B>
struct concat_schemas<schema<A...>, schema<B...>> { using type = schema<A..., B...>; };

}  // namespace detail

template <class... Columns>
struct schema {
    static_assert((column_type<Columns> && ...), "ctml::schema<...>: every argument must be a ctml::column");
    static_assert(detail::names_are_unique<Columns...>(), "ctml::schema<...>: column names must be unique");

    using columns = std::tuple<Columns...>;
    static constexpr std::size_t size = sizeof...(Columns);
    static constexpr std::array<std::string_view, sizeof...(Columns)> names{Columns::name.view()...};

    template <fixed_string Name>
    static constexpr bool contains = detail::find_column<Name, Columns...>() < sizeof...(Columns);

    /// Position of the column called Name; a compile error naming it if absent.
    template <fixed_string Name>
    static constexpr std::size_t index_of = [] {
        if constexpr (contains<Name>)
            return detail::find_column<Name, Columns...>();
        else
            return detail::column_not_in_schema<Name, schema>::value;
    }();

    template <std::size_t I>
    using column_at = std::tuple_element_t<I, columns>;

    template <fixed_string Name>
    using column_named = column_at<index_of<Name>>;

    /// The schema of the named columns, in the order named.
    template <fixed_string... Names>
    using select = schema<column_named<Names>...>;

    /// Position of a run-time name, or `size` if absent.
    [[nodiscard]] static constexpr std::size_t find(std::string_view name) noexcept {
        for (std::size_t i = 0; i < size; ++i)
            if (names[i] == name) return i;
        return size;
    }
};

/// True for any instantiation of ctml::schema.
template <class S>
concept schema_type = requires {
    typename S::columns;
    { S::size } -> std::convertible_to<std::size_t>;
    S::names;
};

/// The columns of A followed by those of B.
template <class A, class B>
using concat_schema_t = typename detail::concat_schemas<A, B>::type;

/// Calls f(std::integral_constant<std::size_t, I>{}) for every column position.
template <schema_type S, class F>
constexpr void for_each_column_index(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (f(std::integral_constant<std::size_t, I>{}), ...);
    }(std::make_index_sequence<S::size>{});
}

}  // namespace ctml

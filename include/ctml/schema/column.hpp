// column<Name, Type>: one named, typed column of a schema.
//
// Type is one of
//   - a numeric type: a floating-point type or an integer type other than bool;
//   - `categorical`: string values, vocabulary learned from the data;
//   - `categories<"a", "b", ...>`: string values from a vocabulary declared in
//     the type, so widths derived from it (one-hot) are compile-time constants;
//   - `nullable<T>` for any of the above: the column may hold missing values.
//
// scikit-learn has no counterpart: pandas dtypes are run-time facts, here they
// are part of the pipeline's type. Example: examples/quickstart.cpp.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "ctml/schema/fixed_string.hpp"

namespace ctml {

/// Tag: string values whose vocabulary is learned from data.
struct categorical {};

/// Tag: string values from a vocabulary fixed in the type, in the order given.
template <fixed_string... Values>
struct categories {
    static_assert(sizeof...(Values) > 0, "ctml::categories<...>: declare at least one category");
    static_assert([] {
        constexpr std::array<std::string_view, sizeof...(Values)> vs{Values.view()...};
        for (std::size_t i = 0; i < vs.size(); ++i)
            for (std::size_t j = i + 1; j < vs.size(); ++j)
                if (vs[i] == vs[j]) return false;
        return true;
    }(), "ctml::categories<...>: declared categories must be distinct");
    static constexpr std::size_t size = sizeof...(Values);
    static constexpr std::array<std::string_view, sizeof...(Values)> values{Values.view()...};

    /// Position of `text` in the declared vocabulary, or nothing.
    [[nodiscard]] static constexpr std::optional<std::size_t> find(std::string_view text) noexcept {
        for (std::size_t i = 0; i < size; ++i)
            if (values[i] == text) return i;
        return std::nullopt;
    }
};

/// Wrapper: the column may hold missing values (`NA` in the CSV).
template <class T>
struct nullable {};

namespace detail {
template <class T> struct is_nullable_tag : std::false_type {};
template <class T> struct is_nullable_tag<nullable<T>> : std::true_type {};
template <class T> struct strip_nullable { using type = T; };
template <class T> struct strip_nullable<nullable<T>> { using type = T; };
template <class T> struct is_declared_categories : std::false_type {};
template <fixed_string... Vs> struct is_declared_categories<categories<Vs...>> : std::true_type {};
}  // namespace detail

/// A plain numeric value type a column may hold.
template <class T>
concept numeric_value = (std::floating_point<T> || std::integral<T>) && !std::same_as<T, bool> &&
                        std::same_as<T, std::remove_cvref_t<T>>;

/// A column value type: numeric, categorical, or declared categories (maybe nullable).
template <class T>
concept column_value_type =
    numeric_value<typename detail::strip_nullable<T>::type> ||
    std::same_as<typename detail::strip_nullable<T>::type, categorical> ||
    detail::is_declared_categories<typename detail::strip_nullable<T>::type>::value;

template <fixed_string Name, class Type>
struct column {
    static_assert(column_value_type<Type>,
                  "ctml::column<Name, Type>: Type must be a numeric type (double, int, ...), "
                  "ctml::categorical, ctml::categories<...>, or ctml::nullable<one of these>");
    static_assert(Name.size() > 0, "ctml::column: a column name must not be empty");

    static constexpr auto name = Name;
    using type = Type;
    /// The value type without the nullable wrapper.
    using value_kind = typename detail::strip_nullable<Type>::type;

    static constexpr bool is_nullable = detail::is_nullable_tag<Type>::value;
    static constexpr bool is_numeric = numeric_value<value_kind>;
    static constexpr bool is_categorical = !is_numeric;
    static constexpr bool has_declared_categories = detail::is_declared_categories<value_kind>::value;
};

/// True for any instantiation of ctml::column.
template <class C>
concept column_type = requires {
    C::name;
    typename C::type;
    typename C::value_kind;
    { C::is_nullable } -> std::convertible_to<bool>;
    { C::is_numeric } -> std::convertible_to<bool>;
};

}  // namespace ctml

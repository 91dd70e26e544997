// record<Schema>: one typed row -- the input of single-row scoring.
//
// Cells are plain values (double, int, std::string, declared_category) or
// std::optional of them for nullable columns. A record whose columns are all
// numeric or declared-category lives entirely on the stack.
//
//   record<credit_schema> r;
//   r.set<"Age">(67).set<"Sex">("male");
//   int age = r.get<"Age">();
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

namespace detail {
// A record's cells. Not std::tuple: libstdc++'s tuple has a user-provided
// copy assignment, so a tuple is never trivially copyable, and a record of
// plain numbers would not be either. One base per cell keeps every special
// member exactly as trivial as the cells' own (copy, move, destruction; the
// default constructor value-initializes, so it is never trivial).
template <std::size_t I, class T>
struct record_cell {
    // A constructor, not `T value{};`: with the latter, g++ 12 at -O1 under
    // -fsanitize=address warns maybe-uninitialized on optional<string> cells.
    constexpr record_cell() noexcept(std::is_nothrow_default_constructible_v<T>) : value() {}
    T value;
    [[nodiscard]] bool operator==(const record_cell&) const = default;
};

template <class Indices, class... T>
struct record_cells;
template <std::size_t... I, class... T>
struct record_cells<std::index_sequence<I...>, T...> : record_cell<I, T>... {
    [[nodiscard]] bool operator==(const record_cells&) const = default;
};

// I picks the unique base; T is deduced from it.
template <std::size_t I, class T>
[[nodiscard]] constexpr T& cell(record_cell<I, T>& c) noexcept { return c.value; }
template <std::size_t I, class T>
[[nodiscard]] constexpr const T& cell(const record_cell<I, T>& c) noexcept { return c.value; }
}  // namespace detail

template <class S>
class record;

template <class... Columns>
class record<schema<Columns...>> {
public:
    using schema_type = schema<Columns...>;

    /// Numbers are zero, strings empty, declared categories the first one, nullable cells missing.
    record() = default;

    template <fixed_string Name>
    [[nodiscard]] auto& get() noexcept {
        return detail::cell<schema_type::template index_of<Name>>(cells_);
    }
    template <fixed_string Name>
    [[nodiscard]] const auto& get() const noexcept {
        return detail::cell<schema_type::template index_of<Name>>(cells_);
    }
    template <std::size_t I>
    [[nodiscard]] auto& get_at() noexcept { return detail::cell<I>(cells_); }
    template <std::size_t I>
    [[nodiscard]] const auto& get_at() const noexcept { return detail::cell<I>(cells_); }

    /// Assigns a cell. Declared-category cells also accept their text (checked at run time).
    template <fixed_string Name, class V>
    record& set(V&& value) {
        set_at<schema_type::template index_of<Name>>(std::forward<V>(value));
        return *this;
    }

    template <std::size_t I, class V>
    void set_at(V&& value) {
        using column = typename schema_type::template column_at<I>;
        auto& cell = detail::cell<I>(cells_);
        if constexpr (column::has_declared_categories && std::convertible_to<V, std::string_view>)
            cell = value_t<column>(std::string_view(value));
        else
            cell = std::forward<V>(value);
    }

    /// The cells of the columns Sub names (all of them in this schema), as a record of Sub --
    /// e.g. a model's features out of a row that also holds an id.
    template <class Sub>
    [[nodiscard]] record<Sub> select() const {
        record<Sub> out;
        select_into(out);
        return out;
    }
    /// select() into an existing record, reusing its cells' storage: what a
    /// loop over millions of rows wants.
    template <class Sub>
    void select_into(record<Sub>& out) const {
        for_each_column_index<Sub>(
            [&](auto j) { out.template get_at<j>() = get<Sub::template column_at<j>::name>(); });
    }

    [[nodiscard]] bool operator==(const record&) const = default;

private:
    detail::record_cells<std::index_sequence_for<Columns...>, cell_t<Columns>...> cells_{};
};

template <fixed_string Name, class S>
[[nodiscard]] decltype(auto) get(const record<S>& r) noexcept { return r.template get<Name>(); }
template <fixed_string Name, class S>
[[nodiscard]] decltype(auto) get(record<S>& r) noexcept { return r.template get<Name>(); }

}  // namespace ctml

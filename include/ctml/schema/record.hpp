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
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

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
        return std::get<schema_type::template index_of<Name>>(cells_);
    }
    template <fixed_string Name>
    [[nodiscard]] const auto& get() const noexcept {
        return std::get<schema_type::template index_of<Name>>(cells_);
    }
    template <std::size_t I>
    [[nodiscard]] auto& get_at() noexcept { return std::get<I>(cells_); }
    template <std::size_t I>
    [[nodiscard]] const auto& get_at() const noexcept { return std::get<I>(cells_); }

    /// Assigns a cell. Declared-category cells also accept their text (checked at run time).
    template <fixed_string Name, class V>
    record& set(V&& value) {
        set_at<schema_type::template index_of<Name>>(std::forward<V>(value));
        return *this;
    }

    template <std::size_t I, class V>
    void set_at(V&& value) {
        using column = typename schema_type::template column_at<I>;
        auto& cell = std::get<I>(cells_);
        if constexpr (column::has_declared_categories && std::convertible_to<V, std::string_view>)
            cell = value_t<column>(std::string_view(value));
        else
            cell = std::forward<V>(value);
    }

    [[nodiscard]] bool operator==(const record&) const = default;

private:
    std::tuple<cell_t<Columns>...> cells_{};
};

template <fixed_string Name, class S>
[[nodiscard]] decltype(auto) get(const record<S>& r) noexcept { return r.template get<Name>(); }
template <fixed_string Name, class S>
[[nodiscard]] decltype(auto) get(record<S>& r) noexcept { return r.template get<Name>(); }

}  // namespace ctml

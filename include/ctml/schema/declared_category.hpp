// declared_category<categories<...>>: one value of a column whose vocabulary
// is declared in its type. It is an index, so records holding it need no heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "ctml/schema/column.hpp"

namespace ctml {

template <class Categories>
class declared_category {
public:
    /// The first declared category.
    constexpr declared_category() noexcept = default;

    /// Throws std::invalid_argument naming the value and the allowed ones when `text` is not declared.
    constexpr explicit declared_category(std::string_view text) {
        const auto found = Categories::find(text);
        if (!found) {
            std::string allowed;
            for (auto v : Categories::values) allowed += (allowed.empty() ? "\"" : ", \"") + std::string(v) + "\"";
            throw std::invalid_argument("unknown category \"" + std::string(text) + "\" (declared: " + allowed + ")");
        }
        index_ = static_cast<std::uint32_t>(*found);
    }

    [[nodiscard]] static constexpr declared_category from_index(std::size_t index) {
        if (index >= Categories::size) throw std::out_of_range("ctml::declared_category: index out of range");
        declared_category c;
        c.index_ = static_cast<std::uint32_t>(index);
        return c;
    }

    [[nodiscard]] constexpr std::size_t index() const noexcept { return index_; }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return Categories::values[index_]; }
    [[nodiscard]] constexpr bool operator==(const declared_category&) const noexcept = default;

private:
    std::uint32_t index_ = 0;
};

}  // namespace ctml

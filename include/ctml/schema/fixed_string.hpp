// fixed_string: a string literal usable as a template argument.
//
// C++20 lets a class type be a non-type template parameter, so a column name
// such as "Saving accounts" becomes part of a type: `column<"Age", int>`.
// Compilers print the value in diagnostics (`fixed_string<4>{"Age"}`), which
// is how ctml's compile errors name the column the user asked for.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace ctml {

template <std::size_t N>
struct fixed_string {
    char value[N]{};

    constexpr fixed_string(const char (&text)[N]) noexcept { std::copy_n(text, N, value); }

    [[nodiscard]] static constexpr std::size_t size() noexcept { return N - 1; }
    [[nodiscard]] constexpr std::string_view view() const noexcept { return {value, N - 1}; }
    constexpr operator std::string_view() const noexcept { return view(); }

    template <std::size_t M>
    [[nodiscard]] constexpr bool operator==(const fixed_string<M>& other) const noexcept {
        return view() == other.view();
    }
};

}  // namespace ctml

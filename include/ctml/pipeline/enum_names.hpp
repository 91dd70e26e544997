// Enumerations that know their names. An enum opts in next to itself with one
// table, found by argument-dependent lookup:
//
//   enum class impute_strategy { mean, median, most_frequent, constant };
//   constexpr auto enum_names(impute_strategy) {
//       return std::to_array<enum_name<impute_strategy>>({{impute_strategy::mean, "mean"}, ...});
//   }
//
// to_string(e) and enum_from_name<E>(text) then work for it, and the artifact
// writes and reads the name -- never the enumerator's position, which would
// silently change meaning when an enumerator is added.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace ctml {

template <class E>
struct enum_name {
    E value;
    std::string_view name;
};

/// An enumeration with a name table: enum_names(E{}) found by ADL.
template <class E>
concept named_enum = std::is_enum_v<E> && requires(E e) {
    { enum_names(e).size() } -> std::convertible_to<std::size_t>;
    { enum_names(e)[0].name } -> std::convertible_to<std::string_view>;
};

template <named_enum E>
[[nodiscard]] constexpr std::string_view to_string(E e) noexcept {
    for (const auto& entry : enum_names(E{}))
        if (entry.value == e) return entry.name;
    return "?";
}

template <named_enum E>
[[nodiscard]] constexpr std::optional<E> enum_from_name(std::string_view name) noexcept {
    for (const auto& entry : enum_names(E{}))
        if (entry.name == name) return entry.value;
    return std::nullopt;
}

/// `"a", "b", "c"` -- the names a value must be one of, for messages.
template <named_enum E>
[[nodiscard]] std::string enum_name_list() {
    std::string out;
    for (const auto& entry : enum_names(E{})) out += (out.empty() ? "\"" : ", \"") + std::string(entry.name) + '"';
    return out;
}

}  // namespace ctml

// From one CSV field to one typed cell: numbers through std::from_chars (no
// locale, no allocation, exact), strings through the column's builder; and the
// wording of what went wrong when that fails.
#pragma once

#include <charconv>
#include <concepts>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "ctml/io/csv_error.hpp"
#include "ctml/schema/column.hpp"

namespace ctml::detail {

template <numeric_value T>
[[nodiscard]] std::string csv_type_name() {
    if constexpr (std::same_as<T, double>) return "double";
    else if constexpr (std::same_as<T, float>) return "float";
    else if constexpr (std::same_as<T, long double>) return "long double";
    else return (std::is_signed_v<T> ? "int" : "uint") + std::to_string(sizeof(T) * 8);
}

enum class csv_number_status { ok, invalid, out_of_range };

/// Parses the whole of `text` as a T. A leading '+' is accepted, as every spreadsheet writes it.
template <numeric_value T>
[[nodiscard]] csv_number_status csv_parse_number(std::string_view text, T& out) noexcept {
    const char* first = text.data();
    const char* const last = first + text.size();
    if (first != last && *first == '+') {
        ++first;
        if (first != last && *first == '-') return csv_number_status::invalid;
    }
    if (first == last) return csv_number_status::invalid;
    std::from_chars_result r;
    if constexpr (std::floating_point<T>) r = std::from_chars(first, last, out, std::chars_format::general);
    else r = std::from_chars(first, last, out, 10);
    if (r.ec == std::errc::result_out_of_range) return csv_number_status::out_of_range;
    if (r.ec != std::errc{} || r.ptr != last) return csv_number_status::invalid;
    return csv_number_status::ok;
}

template <numeric_value T>
[[nodiscard]] std::string csv_number_problem(std::string_view text, csv_number_status status) {
    const std::string found = text.empty() ? "an empty field" : '"' + csv_printable(text) + '"';
    if (status == csv_number_status::out_of_range) {
        if constexpr (std::integral<T>)
            return "integer out of range for " + csv_type_name<T>() + " (" +
                   std::to_string(std::numeric_limits<T>::min()) + " to " +
                   std::to_string(std::numeric_limits<T>::max()) + "), found " + found;
        else
            return "number out of range for " + csv_type_name<T>() + ", found " + found;
    }
    if constexpr (std::integral<T>) return "expected an integer, found " + found;
    else return "expected a number, found " + found;
}

}  // namespace ctml::detail

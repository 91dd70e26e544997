// From one text or JSON value to one typed cell of a column: the single parser
// the CSV reader and the scoring service's request parser share, so a value
// means the same thing whichever way it arrives.
//
//   text     numbers through std::from_chars (no locale, no allocation, exact;
//            a leading '+' accepted); a missing token ("NA") is a missing value
//            unless it was quoted; anything else is a category
//   number   (JSON) into a numeric column; into an integer column only when whole and in range
//   missing  (JSON null, or a missing token) only where the column is nullable
//
// Each function appends to the column's builder (or, through
// record_cell_sink, to one record's cell) and returns nothing on success, or the reason it could not ("expected an integer, found \"4x\"").
// The caller chooses what the reason becomes: csv_error with file:line:column,
// or an HTTP 400 naming the request's column.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "ctml/io/csv_error.hpp"
#include "ctml/schema/column.hpp"
#include "ctml/schema/column_traits.hpp"

namespace ctml {

/// The tokens that stand for a missing value; most fields are told apart by length alone.
class missing_token_set {
public:
    missing_token_set() = default;
    explicit missing_token_set(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {
        for (const auto& t : tokens_) lengths_ |= std::uint64_t{1} << std::min<std::size_t>(t.size(), 63);
    }

    [[nodiscard]] bool contains(std::string_view text) const noexcept {
        if ((lengths_ >> std::min<std::size_t>(text.size(), 63) & 1) == 0) return false;
        for (const auto& t : tokens_)
            if (t.size() == text.size() && text == t) return true;
        return false;
    }

private:
    std::vector<std::string> tokens_;
    std::uint64_t lengths_ = 0;  // bit n: a token is n bytes long (63: 63 or more)
};

/// Why a value could not become a cell; empty when it did.
using cell_problem = std::optional<std::string>;

namespace detail {

template <numeric_value T>
[[nodiscard]] std::string value_type_name() {
    if constexpr (std::same_as<T, double>) return "double";
    else if constexpr (std::same_as<T, float>) return "float";
    else if constexpr (std::same_as<T, long double>) return "long double";
    else return (std::is_signed_v<T> ? "int" : "uint") + std::to_string(sizeof(T) * 8);
}

enum class number_status { ok, invalid, out_of_range };

/// Parses the whole of `text` as a T. A leading '+' is accepted, as every spreadsheet writes it.
template <numeric_value T>
[[nodiscard]] number_status parse_number(std::string_view text, T& out) noexcept {
    const char* first = text.data();
    const char* const last = first + text.size();
    if (first != last && *first == '+') {
        ++first;
        if (first != last && *first == '-') return number_status::invalid;
    }
    if (first == last) return number_status::invalid;
    std::from_chars_result r;
    if constexpr (std::floating_point<T>) r = std::from_chars(first, last, out, std::chars_format::general);
    else r = std::from_chars(first, last, out, 10);
    if (r.ec == std::errc::result_out_of_range) return number_status::out_of_range;
    if (r.ec != std::errc{} || r.ptr != last) return number_status::invalid;
    return number_status::ok;
}

template <numeric_value T>
[[nodiscard]] std::string number_problem(const std::string& found, number_status status) {
    if (status == number_status::out_of_range) {
        if constexpr (std::integral<T>)
            return "integer out of range for " + value_type_name<T>() + " (" +
                   std::to_string(std::numeric_limits<T>::min()) + " to " +
                   std::to_string(std::numeric_limits<T>::max()) + "), found " + found;
        else
            return "number out of range for " + value_type_name<T>() + ", found " + found;
    }
    if constexpr (std::integral<T>) return "expected an integer, found " + found;
    else return "expected a number, found " + found;
}

template <class Column>
[[nodiscard]] std::string missing_not_allowed(const std::string& found) {
    return "missing value " + found + " in a column that is not nullable (declare it nullable<...> to allow it)";
}

template <class Column>
[[nodiscard]] std::string unknown_declared_category(std::string_view text) {
    std::string allowed;
    for (auto v : Column::value_kind::values) allowed += (allowed.empty() ? "\"" : ", \"") + std::string(v) + '"';
    return "unknown category \"" + csv_printable(text) + "\" (declared: " + allowed + ")";
}

}  // namespace detail

/// Lets the cell parser, which appends to column builders, write one record's cell instead.
template <class Column>
class record_cell_sink {
    using value = value_t<Column>;

public:
    explicit record_cell_sink(cell_t<Column>& cell) noexcept : cell_(&cell) {}

    template <class T>
        requires std::is_arithmetic_v<T>
    void push_back(T v) {
        *cell_ = static_cast<value>(v);
    }
    void push_back_missing() {
        if constexpr (Column::is_nullable) *cell_ = std::nullopt;
    }
    [[nodiscard]] bool push_back(std::string_view text) {
        if constexpr (Column::has_declared_categories) {
            const auto found = Column::value_kind::find(text);
            if (!found) return false;
            *cell_ = value::from_index(*found);
        } else {
            *cell_ = std::string(text);
        }
        return true;
    }

private:
    cell_t<Column>* cell_;
};

/// A missing value (JSON null); a problem unless the column is nullable.
template <class Column, class Builder>
[[nodiscard]] cell_problem append_missing_cell(Builder& b) {
    if constexpr (Column::is_nullable) {
        b.push_back_missing();
        return std::nullopt;
    } else {
        return detail::missing_not_allowed<Column>("(null)");
    }
}

/// A value given as text (a CSV field, a JSON string). A quoted field is never a missing token.
template <class Column, class Builder>
[[nodiscard]] cell_problem append_text_cell(Builder& b, std::string_view text, bool quoted, const missing_token_set& missing) {
    if constexpr (Column::is_numeric) {
        using T = typename Column::value_kind;
        if constexpr (Column::is_nullable) {
            if (missing.contains(text)) return append_missing_cell<Column>(b);
        }
        T value{};
        const auto status = detail::parse_number(text, value);
        if (status == detail::number_status::ok) {
            b.push_back(value);
            return std::nullopt;
        }
        const std::string found = text.empty() ? "an empty field" : '"' + detail::csv_printable(text) + '"';
        if (!Column::is_nullable && missing.contains(text)) return detail::missing_not_allowed<Column>(found);
        return detail::number_problem<T>(found, status);
    } else {
        if (!quoted && missing.contains(text)) {
            if constexpr (Column::is_nullable) return append_missing_cell<Column>(b);
            else return detail::missing_not_allowed<Column>('"' + detail::csv_printable(text) + '"');
        }
        if (b.push_back(text)) return std::nullopt;
        if constexpr (Column::has_declared_categories) return detail::unknown_declared_category<Column>(text);
        else return "cannot store \"" + detail::csv_printable(text) + "\"";
    }
}

/// A value given as a number (JSON). Integer columns take only whole numbers within range.
template <class Column, class Builder>
[[nodiscard]] cell_problem append_number_cell(Builder& b, double value) {
    if constexpr (Column::is_numeric) {
        using T = typename Column::value_kind;
        if (!std::isfinite(value)) return std::string("expected a finite number");
        if constexpr (std::integral<T>) {
            // 2^63 is exactly representable; anything at or beyond it does not fit.
            const double low = static_cast<double>(std::numeric_limits<T>::min());
            const double high = std::ldexp(1.0, std::numeric_limits<T>::digits);
            if (value != std::trunc(value)) return detail::number_problem<T>(std::to_string(value), detail::number_status::invalid);
            if (value < low || value >= high)
                return detail::number_problem<T>(std::to_string(value), detail::number_status::out_of_range);
        }
        b.push_back(static_cast<T>(value));
        return std::nullopt;
    } else {
        return std::string("expected a string (a category), found a number");
    }
}

}  // namespace ctml

// Helpers shared by the CSV tests: reading from a string, checking an error's
// parts, and comparing frames value by value (doubles bit for bit).
#pragma once

#include <catch2/catch.hpp>

#include <cstring>
#include <sstream>
#include <string>
#include <string_view>

#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_options.hpp>
#include <ctml/io/csv_reader.hpp>

namespace csv_test {

template <class S>
ctml::frame<S> read_text(const std::string& text, const ctml::csv_options& options = {}) {
    std::istringstream in(text);
    return ctml::read_csv<S>(in, "test.csv", options);
}

/// Runs `f`, which must throw a csv_error, and returns it.
template <class F>
ctml::csv_error catch_csv_error(F&& f) {
    try {
        f();
    } catch (const ctml::csv_error& e) {
        return e;
    }
    FAIL("no csv_error was thrown");
    throw std::logic_error("unreachable");
}

/// The error a read of `text` raises.
template <class S>
ctml::csv_error read_error(const std::string& text, const ctml::csv_options& options = {}) {
    return catch_csv_error([&] { (void)read_text<S>(text, options); });
}

inline bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof(T)) == 0;
}

/// The rows [first, first + b.rows()) of `a` hold the values of `b` (doubles bit for bit).
template <class S>
bool same_values_at(const ctml::frame<S>& a, std::size_t first, const ctml::frame<S>& b) {
    if (first + b.rows() > a.rows()) return false;
    bool same = true;
    ctml::for_each_column_index<S>([&](auto c) {
        const auto& x = a.template column_at<c>();
        const auto& y = b.template column_at<c>();
        for (std::size_t i = 0; i < b.rows() && same; ++i) {
            const std::size_t j = first + i;
            if (x.is_missing(j) != y.is_missing(i)) same = false;
            else if (x.is_missing(j)) continue;
            else if constexpr (S::template column_at<c>::is_numeric) same = same_bits(x[j], y[i]);
            else same = x.value(j) == y.value(i);
        }
    });
    return same;
}

/// Same rows, same values, same missing cells; categorical columns compared by
/// value (codes may differ between independently read frames).
template <class S>
bool same_values(const ctml::frame<S>& a, const ctml::frame<S>& b) {
    return a.rows() == b.rows() && same_values_at(a, 0, b);
}

}  // namespace csv_test

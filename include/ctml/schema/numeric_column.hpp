// numeric_column<T>: contiguous values of one numeric column, plus an explicit
// missing-value mask (empty when nothing is missing).
//
// The values are one contiguous run, viewable as an Eigen vector without a
// copy (`as_eigen()`); the slot of a missing value holds T{} and means nothing:
// ask `is_missing(i)`. pandas stores NaN in place; ctml keeps missingness
// explicit so integer columns can be nullable too.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ctml/detail/shared_buffer.hpp"
#include "ctml/schema/column.hpp"

namespace ctml {

template <numeric_value T>
class numeric_column {
public:
    using value_type = T;

    numeric_column() = default;

    /// `missing` is either empty (nothing missing) or one flag per value.
    explicit numeric_column(std::vector<T> values, std::vector<std::uint8_t> missing = {})
        : numeric_column(detail::shared_buffer<T>(std::move(values)),
                         detail::shared_buffer<std::uint8_t>(std::move(missing))) {}

    numeric_column(detail::shared_buffer<T> values, detail::shared_buffer<std::uint8_t> missing)
        : values_(std::move(values)), missing_(std::move(missing)) {
        if (!missing_.empty() && missing_.size() != values_.size())
            throw std::invalid_argument("ctml::numeric_column: the missing mask has " +
                                        std::to_string(missing_.size()) + " entries for " +
                                        std::to_string(values_.size()) + " values");
        missing_count_ = static_cast<std::size_t>(
            std::count_if(missing_.span().begin(), missing_.span().end(), [](std::uint8_t m) { return m != 0; }));
    }

    /// Rows [begin, begin + count), sharing this column's storage. Precondition: within size().
    [[nodiscard]] numeric_column slice(std::size_t begin, std::size_t count) const {
        return numeric_column(values_.slice(begin, count), missing_.empty() ? missing_ : missing_.slice(begin, count));
    }

    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    [[nodiscard]] std::span<const T> values() const noexcept { return values_.span(); }
    [[nodiscard]] T operator[](std::size_t i) const noexcept { return values_[i]; }

    [[nodiscard]] bool has_missing() const noexcept { return missing_count_ != 0; }
    [[nodiscard]] std::size_t missing_count() const noexcept { return missing_count_; }
    [[nodiscard]] bool is_missing(std::size_t i) const noexcept { return !missing_.empty() && missing_[i] != 0; }
    /// One flag per value, or empty when nothing is missing.
    [[nodiscard]] std::span<const std::uint8_t> missing_mask() const noexcept { return missing_.span(); }

    /// The values as an Eigen column vector, without copying.
    [[nodiscard]] Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>> as_eigen() const noexcept {
        return {values_.data(), static_cast<Eigen::Index>(values_.size())};
    }

    [[nodiscard]] const detail::shared_buffer<T>& buffer() const noexcept { return values_; }
    [[nodiscard]] const detail::shared_buffer<std::uint8_t>& missing_buffer() const noexcept { return missing_; }

private:
    detail::shared_buffer<T> values_;
    detail::shared_buffer<std::uint8_t> missing_;
    std::size_t missing_count_ = 0;
};

/// Appends values one at a time, then hands over a numeric_column.
template <numeric_value T>
class numeric_column_builder {
public:
    using column_type = numeric_column<T>;

    void reserve(std::size_t n) { values_.reserve(n); }
    void push_back(T value) {
        values_.push_back(value);
        if (!missing_.empty()) missing_.push_back(0);
    }
    void push_back_missing() {
        // The mask is created on the first missing value, so complete columns carry none.
        if (missing_.empty()) missing_.assign(values_.size(), 0);
        values_.push_back(T{});
        missing_.push_back(1);
    }
    [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
    [[nodiscard]] numeric_column<T> finish() && { return numeric_column<T>(std::move(values_), std::move(missing_)); }

private:
    std::vector<T> values_;
    std::vector<std::uint8_t> missing_;
};

}  // namespace ctml

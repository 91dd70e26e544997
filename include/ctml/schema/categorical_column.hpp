// categorical_column: a dictionary-encoded string column -- one integer code
// per row into a vocabulary of distinct strings; code -1 is a missing value.
//
// pandas' counterpart is the `category` dtype. The vocabulary is in the order
// values were first seen (learned) or the order declared in the type; stages
// that need scikit-learn's sorted order (one_hot_encoder) sort it themselves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctml/detail/shared_buffer.hpp"

namespace ctml {

class categorical_column {
public:
    using code_type = std::int32_t;
    static constexpr code_type missing_code = -1;

    categorical_column() : vocabulary_(std::make_shared<const std::vector<std::string>>()) {}

    /// Every code must be -1 or index `vocabulary`; vocabulary entries must be distinct.
    categorical_column(std::vector<code_type> codes, std::vector<std::string> vocabulary)
        : categorical_column(detail::shared_buffer<code_type>(std::move(codes)),
                             std::make_shared<const std::vector<std::string>>(std::move(vocabulary))) {}

    categorical_column(detail::shared_buffer<code_type> codes,
                       std::shared_ptr<const std::vector<std::string>> vocabulary)
        : codes_(std::move(codes)), vocabulary_(std::move(vocabulary)) {
        if (!vocabulary_) throw std::invalid_argument("ctml::categorical_column: null vocabulary");
        const auto n = static_cast<code_type>(vocabulary_->size());
        for (code_type c : codes_.span()) {
            if (c < missing_code || c >= n)
                throw std::invalid_argument("ctml::categorical_column: code " + std::to_string(c) +
                                            " is outside a vocabulary of " + std::to_string(n));
            if (c == missing_code) ++missing_count_;
        }
        std::unordered_map<std::string_view, int> seen;
        for (const auto& v : *vocabulary_)
            if (!seen.emplace(v, 0).second)
                throw std::invalid_argument("ctml::categorical_column: vocabulary holds \"" + v + "\" twice");
    }

    /// Rows [begin, begin + count), sharing this column's codes and vocabulary. Precondition: within size().
    [[nodiscard]] categorical_column slice(std::size_t begin, std::size_t count) const {
        categorical_column out;
        out.codes_ = codes_.slice(begin, count);
        out.vocabulary_ = vocabulary_;
        const auto codes = out.codes_.span();
        out.missing_count_ = static_cast<std::size_t>(std::count(codes.begin(), codes.end(), missing_code));
        return out;
    }

    [[nodiscard]] std::size_t size() const noexcept { return codes_.size(); }
    [[nodiscard]] code_type code(std::size_t i) const noexcept { return codes_[i]; }
    [[nodiscard]] std::span<const code_type> codes() const noexcept { return codes_.span(); }
    [[nodiscard]] bool is_missing(std::size_t i) const noexcept { return codes_[i] == missing_code; }
    [[nodiscard]] bool has_missing() const noexcept { return missing_count_ != 0; }
    [[nodiscard]] std::size_t missing_count() const noexcept { return missing_count_; }

    /// The string at row i; precondition: !is_missing(i).
    [[nodiscard]] std::string_view value(std::size_t i) const noexcept {
        return (*vocabulary_)[static_cast<std::size_t>(codes_[i])];
    }
    [[nodiscard]] std::optional<std::string_view> value_or_missing(std::size_t i) const noexcept {
        if (is_missing(i)) return std::nullopt;
        return value(i);
    }

    [[nodiscard]] std::span<const std::string> vocabulary() const noexcept { return *vocabulary_; }
    [[nodiscard]] const std::shared_ptr<const std::vector<std::string>>& shared_vocabulary() const noexcept {
        return vocabulary_;
    }
    [[nodiscard]] const detail::shared_buffer<code_type>& buffer() const noexcept { return codes_; }

    /// The code of `text`, or nothing when the vocabulary lacks it. Linear: vocabularies are small.
    [[nodiscard]] std::optional<code_type> find(std::string_view text) const noexcept {
        for (std::size_t i = 0; i < vocabulary_->size(); ++i)
            if ((*vocabulary_)[i] == text) return static_cast<code_type>(i);
        return std::nullopt;
    }

private:
    detail::shared_buffer<code_type> codes_;
    std::shared_ptr<const std::vector<std::string>> vocabulary_;
    std::size_t missing_count_ = 0;
};

/// Appends strings one at a time, interning them, then hands over a categorical_column.
/// Constructed with a vocabulary and `closed = true`, it accepts only those values.
class categorical_column_builder {
public:
    using column_type = categorical_column;

    categorical_column_builder() = default;
    categorical_column_builder(std::vector<std::string> vocabulary, bool closed) : closed_(closed) {
        for (auto& v : vocabulary) intern(std::move(v));
    }

    void reserve(std::size_t n) { codes_.reserve(n); }

    /// Appends `text`; returns false (appending nothing) when the vocabulary is closed and lacks it.
    [[nodiscard]] bool push_back(std::string_view text) {
        if (auto it = index_.find(text); it != index_.end()) {
            codes_.push_back(it->second);
            return true;
        }
        if (closed_) return false;
        codes_.push_back(intern(std::string(text)));
        return true;
    }
    void push_back_missing() { codes_.push_back(categorical_column::missing_code); }

    [[nodiscard]] std::size_t size() const noexcept { return codes_.size(); }
    [[nodiscard]] std::span<const std::string> vocabulary() const noexcept { return vocabulary_; }
    [[nodiscard]] categorical_column finish() && {
        return categorical_column(std::move(codes_), std::move(vocabulary_));
    }

private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };

    categorical_column::code_type intern(std::string text) {
        const auto code = static_cast<categorical_column::code_type>(vocabulary_.size());
        auto [it, inserted] = index_.emplace(text, code);
        if (inserted) vocabulary_.push_back(std::move(text));
        return it->second;
    }

    std::vector<categorical_column::code_type> codes_;
    std::vector<std::string> vocabulary_;
    std::unordered_map<std::string, categorical_column::code_type, string_hash, std::equal_to<>> index_;
    bool closed_ = false;
};

}  // namespace ctml

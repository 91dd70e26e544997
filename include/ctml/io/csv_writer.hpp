// csv_writer<Schema>: writes frames (or single records) as CSV that
// read_csv reads back to the same values -- pandas' `df.to_csv(index=False,
// na_rep="NA")`, except that doubles are written in the shortest form that
// reads back bit-exactly (std::to_chars), not with 15 significant digits.
//
//   ctml::write_csv(frame, "scores.csv");
//
//   ctml::csv_writer<out_schema> w(std::cout);   // streaming: header once,
//   for (auto& chunk : chunks) w.write(score(chunk));   // then chunk by chunk
//
// The header holds the schema's names. A field is quoted (RFC 4180, quotes
// doubled) when it holds the delimiter, the quote or a line break, is empty,
// or equals a missing token -- so the string "NA" is not read back as missing.
// Missing values are written as the first missing token. Integers are written
// exactly; NaN and infinities as nan / inf, which the reader accepts.
// Examples: the lines above; tests/io/test_csv_writer.cpp.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctml/io/csv_error.hpp"
#include "ctml/io/csv_options.hpp"
#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

template <schema_type S>
class csv_writer {
public:
    using schema_type = S;

    /// Writes the header line now (unless options.header is false). `out` must outlive the writer;
    /// `sink_name` stands for it in errors.
    explicit csv_writer(std::ostream& out, const csv_options& options = {}, std::string sink_name = "<stream>")
        : out_(&out), options_(checked(options)), sink_(std::move(sink_name)) {
        if (options_.header) {
            for (std::size_t c = 0; c < S::size; ++c) {
                if (c != 0) buffer_ += options_.delimiter;
                append_text(S::names[c]);
            }
            buffer_ += options_.line_terminator;
        }
        flush();
    }

    csv_writer(const csv_writer&) = delete;
    csv_writer& operator=(const csv_writer&) = delete;
    // A moved-from writer must not flush into the stream from its destructor.
    csv_writer(csv_writer&& other) noexcept
        : out_(std::exchange(other.out_, nullptr)),
          options_(std::move(other.options_)),
          sink_(std::move(other.sink_)),
          missing_(std::move(other.missing_)),
          buffer_(std::move(other.buffer_)) {}
    csv_writer& operator=(csv_writer&&) = delete;

    /// Flushes what write(record) left buffered; errors are lost here, call flush() to see them.
    ~csv_writer() {
        try {
            if (out_ != nullptr) flush();
        } catch (...) {
        }
    }

    /// Appends the frame's rows and flushes them to the stream.
    void write(const frame<S>& f) {
        // Each vocabulary entry is encoded once per frame, not once per row.
        std::array<std::vector<std::string>, S::size> encoded;
        for_each_column_index<S>([&](auto c) {
            if constexpr (S::template column_at<c>::is_categorical)
                for (const auto& v : f.template column_at<c>().vocabulary()) {
                    const std::size_t mark = buffer_.size();
                    append_text(v);
                    encoded[c].push_back(buffer_.substr(mark));
                    buffer_.resize(mark);
                }
        });
        for (std::size_t i = 0; i < f.rows(); ++i) {
            for_each_column_index<S>([&](auto c) {
                if constexpr (c != 0) buffer_ += options_.delimiter;
                const auto& col = f.template column_at<c>();
                if (col.is_missing(i)) buffer_ += missing_;
                else if constexpr (S::template column_at<c>::is_numeric) append_number(col[i]);
                else buffer_ += encoded[c][static_cast<std::size_t>(col.code(i))];
            });
            buffer_ += options_.line_terminator;
            if (buffer_.size() >= flush_bytes) drain();
        }
        flush();
    }

    /// Appends one row; it reaches the stream at the next flush (or after 64 KiB).
    void write(const record<S>& r) {
        for_each_column_index<S>([&](auto c) {
            using column = typename S::template column_at<c>;
            if constexpr (c != 0) buffer_ += options_.delimiter;
            const auto& cell = r.template get_at<c>();
            if constexpr (column::is_nullable) {
                if (!cell) buffer_ += missing_;
                else append_value<column>(*cell);
            } else {
                append_value<column>(cell);
            }
        });
        buffer_ += options_.line_terminator;
        if (buffer_.size() >= flush_bytes) drain();
    }

    /// Hands buffered text to the stream and flushes it; throws csv_error if the stream failed.
    void flush() {
        drain();
        out_->flush();
        if (!*out_) throw csv_error(sink_, 0, "", "write failed");
    }

private:
    static constexpr std::size_t flush_bytes = std::size_t{64} << 10;

    // Hands the buffer to the stream without flushing the stream itself.
    void drain() {
        if (!buffer_.empty()) {
            out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
            buffer_.clear();
        }
        if (!*out_) throw csv_error(sink_, 0, "", "write failed");
    }

    static const csv_options& checked(const csv_options& o) {
        detail::validate_csv_write_options(o, "ctml::write_csv");
        return o;
    }

    template <class Column, class V>
    void append_value(const V& value) {
        if constexpr (Column::is_numeric) append_number(value);
        else if constexpr (Column::has_declared_categories) append_text(value.view());
        else append_text(value);
    }

    template <class T>
    void append_number(T value) {
        char digits[64];
        // Shortest representation that reads back as the same value, bit for bit.
        const auto r = std::to_chars(digits, digits + sizeof digits, value);
        buffer_.append(digits, r.ptr);
    }

    [[nodiscard]] bool needs_quotes(std::string_view text) const noexcept {
        if (text.empty()) return true;  // an unquoted empty field would read as a blank line or a missing value
        for (char ch : text)
            if (ch == options_.delimiter || ch == options_.quote || ch == '\n' || ch == '\r') return true;
        if (options_.trim_whitespace &&
            (text.front() == ' ' || text.front() == '\t' || text.back() == ' ' || text.back() == '\t'))
            return true;
        for (const auto& t : options_.missing_tokens)
            if (text == t) return true;
        return false;
    }

    void append_text(std::string_view text) {
        if (!needs_quotes(text)) {
            buffer_ += text;
            return;
        }
        buffer_ += options_.quote;
        for (char ch : text) {
            if (ch == options_.quote) buffer_ += ch;
            buffer_ += ch;
        }
        buffer_ += options_.quote;
    }

    std::ostream* out_;
    csv_options options_;
    std::string sink_;
    std::string missing_ = options_.missing_tokens.empty() ? std::string() : options_.missing_tokens.front();
    std::string buffer_;
};

/// Writes `f` as CSV to `out` (header line first). Throws csv_error if the stream fails.
template <schema_type S>
void write_csv(const frame<S>& f, std::ostream& out, const csv_options& options = {}) {
    csv_writer<S>(out, options).write(f);
}

/// Writes `f` to the file `path`, replacing it. Throws csv_error if it cannot be written.
template <schema_type S>
void write_csv(const frame<S>& f, const std::filesystem::path& path, const csv_options& options = {}) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) throw csv_error(path.string(), 0, "", "cannot open for writing");
    csv_writer<S>(file, options, path.string()).write(f);
    file.close();
    if (!file) throw csv_error(path.string(), 0, "", "write failed");
}

}  // namespace ctml

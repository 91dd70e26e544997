// csv_reader<Schema>: reads CSV text into typed frames, checking every field
// against the schema -- the pandas counterpart is `pd.read_csv(path,
// dtype=..., na_values=["NA"], keep_default_na=False)`, except that a value
// that does not fit its column is an error naming file, line and column, not
// a silent `object` column or NaN.
//
//   auto f = ctml::read_csv<credit::training_schema>("dataset/german_credit_data.csv");
//
// What it accepts: RFC 4180 (quoted fields with delimiters, doubled quotes and
// line breaks), LF / CRLF / CR line ends, a final line without one, a UTF-8
// BOM, blank lines (skipped). The header is matched to the schema by name, in
// any order; columns the schema does not name are skipped. Missing values are
// the tokens of csv_options::missing_tokens (`NA`) and allowed only in nullable
// columns. Integers must fit their type; declared categories (categories<...>)
// must be one of those declared; learned categories are collected as they come.
//
// For files larger than memory see read_csv_chunks (csv_chunk_range.hpp).
// Example: examples/credit/data_summary.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <istream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "ctml/io/cell_parser.hpp"
#include "ctml/io/csv_error.hpp"
#include "ctml/io/detail/csv_header.hpp"
#include "ctml/io/detail/csv_tokenizer.hpp"
#include "ctml/io/csv_options.hpp"
#include "ctml/schema/frame.hpp"
#include "ctml/schema/frame_builder.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

template <schema_type S>
class csv_reader {
public:
    using schema_type = S;

    /// Opens `path` and reads its header. Throws csv_error if the file cannot be
    /// opened or its header does not provide the schema's columns.
    explicit csv_reader(const std::filesystem::path& path, const csv_options& options = {})
        : options_(checked(options)), missing_(options_.missing_tokens), file_(open(path)),
          tokenizer_(*file_, path.string(), options_) {
        std::error_code ec;
        if (const auto size = std::filesystem::file_size(path, ec); !ec) input_bytes_ = size;
        read_header();
    }

    /// Reads from `in`, which must outlive the reader; `source_name` stands for it in errors.
    csv_reader(std::istream& in, std::string source_name, const csv_options& options = {})
        : options_(checked(options)), missing_(options_.missing_tokens), tokenizer_(in, std::move(source_name), options_) {
        read_header();
    }

    /// The next at most `max_rows` rows, or nothing once the input is exhausted.
    /// Each frame is independent: learned vocabularies start afresh, so the same
    /// category may have different codes in two frames.
    /// After a csv_error the reader is spent: every later call throws that error again.
    [[nodiscard]] std::optional<frame<S>> read(std::size_t max_rows) {
        if (failure_) std::rethrow_exception(failure_);
        if (done_ || max_rows == 0) return std::nullopt;
        frame_builder<S> builder;
        const bool whole_file = max_rows == std::numeric_limits<std::size_t>::max();
        if (!whole_file) builder.reserve(std::min<std::size_t>(max_rows, 1 << 16));
        const std::uint64_t start = tokenizer_.consumed();
        std::size_t rows = 0;
        try {
            while (rows < max_rows && tokenizer_.next()) {
                append_record(builder);
                ++rows;
                if (whole_file && rows == sample_rows && input_bytes_ > 0) reserve_for_rest(builder, start);
            }
        } catch (...) {
            failure_ = std::current_exception();
            throw;
        }
        if (rows < max_rows) done_ = true;
        if (rows == 0) return std::nullopt;
        return std::move(builder).finish();
    }

    /// Every remaining row, in one frame (empty when none remain).
    [[nodiscard]] frame<S> read_all() {
        auto f = read(std::numeric_limits<std::size_t>::max());
        return f ? std::move(*f) : std::move(frame_builder<S>{}).finish();
    }

    /// Numbers the rows from here on as lines of a larger file, the next one
    /// starting on `line`: for a reader over one of its byte ranges (csv_partition.hpp).
    void continue_at_line(std::size_t line) noexcept { tokenizer_.set_next_line(line); }
    /// Bytes read so far, through the end of the last row read (or of the header).
    [[nodiscard]] std::uint64_t bytes_consumed() const noexcept { return tokenizer_.consumed(); }

    /// The header's names as read (the schema's names when csv_options::header is false).
    [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_.names; }
    [[nodiscard]] const std::string& source() const noexcept { return tokenizer_.source(); }
    [[nodiscard]] const csv_options& options() const noexcept { return options_; }

private:
    static const csv_options& checked(const csv_options& o) {
        detail::validate_csv_options(o, "ctml::read_csv");
        return o;
    }

    static std::unique_ptr<std::ifstream> open(const std::filesystem::path& path) {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec)) throw csv_error(path.string(), 0, "", "is a directory, not a file");
        errno = 0;
        auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*file) {
            const int err = errno;
            throw csv_error(path.string(), 0, "",
                            "cannot open file: " + (err != 0 ? std::generic_category().message(err)
                                                             : std::string("unknown reason")));
        }
        return file;
    }

    // Reading a whole file, size the columns once from the rows read so far rather
    // than let them double their way up: that halves the memory touched. Reserved
    // but unused capacity costs address space only, so a guess on the high side is cheap.
    void reserve_for_rest(frame_builder<S>& builder, std::uint64_t start) {
        const std::uint64_t used = tokenizer_.consumed() - start;
        if (used == 0 || input_bytes_ <= tokenizer_.consumed()) return;
        const double per_row = static_cast<double>(used) / sample_rows;
        const double rest = static_cast<double>(input_bytes_ - tokenizer_.consumed()) / per_row;
        builder.reserve(sample_rows + static_cast<std::size_t>(rest * 1.05) + 64);
    }

    void read_header() { header_ = detail::csv_header<S>::read(tokenizer_, options_.header); }

    void append_record(frame_builder<S>& builder) {
        const auto fields = tokenizer_.fields();
        if (auto ragged = header_.ragged(fields))
            throw csv_error(source(), tokenizer_.record_line(), std::move(ragged->column), std::move(ragged->reason));
        for_each_column_index<S>([&](auto c) {
            append_cell<typename S::template column_at<c>>(builder.template column_at<c>(), fields[header_.field_of[c]]);
        });
    }

    template <class Column, class Builder>
    void append_cell(Builder& b, const detail::csv_field& f) {
        if (auto problem = append_text_cell<Column>(b, f.view(), f.quoted, missing_))
            throw csv_error(source(), f.line, std::string(Column::name.view()), std::move(*problem));
    }

    static constexpr std::size_t sample_rows = 1024;

    csv_options options_;
    missing_token_set missing_;
    std::unique_ptr<std::ifstream> file_;  // set when the reader opened the file itself
    std::uintmax_t input_bytes_ = 0;       // the file's size, when known
    detail::csv_tokenizer tokenizer_;
    detail::csv_header<S> header_;
    std::exception_ptr failure_;
    bool done_ = false;
};

/// Reads a whole CSV file into a frame. Throws csv_error on bad input.
template <schema_type S>
[[nodiscard]] frame<S> read_csv(const std::filesystem::path& path, const csv_options& options = {}) {
    return csv_reader<S>(path, options).read_all();
}

/// Reads CSV text from a stream; `source_name` stands for the stream in errors.
template <schema_type S>
[[nodiscard]] frame<S> read_csv(std::istream& in, std::string source_name = "<stream>",
                                const csv_options& options = {}) {
    return csv_reader<S>(in, std::move(source_name), options).read_all();
}

}  // namespace ctml

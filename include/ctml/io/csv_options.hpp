// csv_options: how CSV text is read and written -- the dialect, what counts
// as a missing value, and how much is read at a time.
//
// The pandas counterpart is the keyword arguments of `read_csv` / `to_csv`
// (`sep`, `quotechar`, `na_values`, `chunksize`, `skipinitialspace`, `header`,
// `lineterminator`). Example: examples/credit/data_summary.cpp.
//
//   auto f = ctml::read_csv<my_schema>("data.csv", {.delimiter = ';', .missing_tokens = {"NA", ""}});
#pragma once

#include <cctype>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace ctml {

struct csv_options {
    /// Field separator.
    char delimiter = ',';
    /// Encloses fields that hold the delimiter, the quote itself (doubled) or a line break.
    char quote = '"';
    /// Unquoted fields equal to one of these are missing values. A quoted field
    /// is missing only in a numeric column: in a categorical column "NA" in quotes
    /// is the string NA, which is how the writer keeps such a value intact.
    /// The writer writes missing values as the first token (an empty field if none).
    std::vector<std::string> missing_tokens{"NA"};
    /// Most rows per frame yielded by read_csv_chunks.
    std::size_t chunk_rows = 65536;
    /// Reading: the first line names the columns (matched to the schema by name).
    /// When false, the file holds the schema's columns in schema order and no header.
    /// Writing: emit the header line.
    bool header = true;
    /// Reading: drop spaces and tabs around fields (outside quotes) and header names.
    /// Writing: quote values that begin or end with one, so they survive such a read.
    bool trim_whitespace = false;
    /// Writing: ends every line. Reading accepts LF, CRLF and CR alike.
    std::string line_terminator = "\n";
    /// Bytes asked of the input per read. The buffer grows beyond it only to hold a
    /// single record longer than that, so memory stays constant for any file size.
    std::size_t block_bytes = std::size_t{1} << 20;
    /// The buffer grows past block_bytes only to hold one long record, and not past
    /// this: such a record is an error. Without a limit one unbalanced quote near
    /// the top of a large file would pull the rest of it into memory.
    std::size_t max_record_bytes = std::size_t{64} << 20;
};

namespace detail {

// Options that no file could satisfy are programming errors, not input errors.
inline void validate_csv_options(const csv_options& o, const char* caller) {
    const auto fail = [&](const std::string& why) {
        throw std::invalid_argument(std::string(caller) + ": " + why);
    };
    if (o.delimiter == '\n' || o.delimiter == '\r') fail("the delimiter must not be a line break");
    if (o.quote == '\n' || o.quote == '\r') fail("the quote character must not be a line break");
    if (o.delimiter == o.quote) fail("the delimiter and the quote character must differ");
    if (o.trim_whitespace && (o.delimiter == ' ' || o.delimiter == '\t' || o.quote == ' ' || o.quote == '\t'))
        fail("trim_whitespace cannot be combined with a space or tab delimiter or quote");
    if (o.chunk_rows == 0) fail("chunk_rows must be at least 1");
    if (o.block_bytes == 0) fail("block_bytes must be at least 1");
    if (o.max_record_bytes == 0) fail("max_record_bytes must be at least 1");
}

// The writer prints numbers unquoted, so the delimiter must not be a character of a number.
inline void validate_csv_write_options(const csv_options& o, const char* caller) {
    validate_csv_options(o, caller);
    const auto d = static_cast<unsigned char>(o.delimiter);
    if (std::isalnum(d) || o.delimiter == '.' || o.delimiter == '+' || o.delimiter == '-')
        throw std::invalid_argument(std::string(caller) + ": the delimiter '" + std::string(1, o.delimiter) +
                                    "' can occur in a number");
    if (o.line_terminator != "\n" && o.line_terminator != "\r\n" && o.line_terminator != "\r")
        throw std::invalid_argument(std::string(caller) + ": line_terminator must be \"\\n\", \"\\r\\n\" or \"\\r\"");
    if (!o.missing_tokens.empty()) {
        const std::string& t = o.missing_tokens.front();
        for (char c : t)
            if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r')
                throw std::invalid_argument(std::string(caller) + ": the missing token \"" + t +
                                            "\" would need quoting, and a quoted field is a value");
        if (o.trim_whitespace && !t.empty() &&
            (t.front() == ' ' || t.front() == '\t' || t.back() == ' ' || t.back() == '\t'))
            throw std::invalid_argument(std::string(caller) + ": the missing token \"" + t +
                                        "\" has spaces that trim_whitespace would drop");
    }
}

}  // namespace detail

}  // namespace ctml

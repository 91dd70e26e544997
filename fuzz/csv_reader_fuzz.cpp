// libFuzzer target for the CSV reader: arbitrary bytes through read_csv on an
// istream with the German credit schema (and a second schema with the same
// names but floating, narrow-integer and declared-category types).
//
// A csv_error is an expected outcome. A finding is anything else: a crash, a
// sanitizer report, another exception, or one of the properties below failing
// (then the target aborts):
//   - reading in tiny blocks and small chunks gives the same rows, or the same error;
//   - what a successful read returns, written with write_csv and read back, is
//     the same values (doubles bit for bit);
//   - csv_record_reader, record by record, reads the same rows, and stops at the
//     same first bad row with the same message.
//
//   build-fuzz/bin/csv_reader_fuzz -max_total_time=60 corpus/
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include <ctml/io/csv_chunk_range.hpp>
#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_options.hpp>
#include <ctml/io/csv_reader.hpp>
#include <ctml/io/csv_record_reader.hpp>
#include <ctml/io/csv_writer.hpp>

#include "credit/credit_schema.hpp"

namespace {

using ctml::categories;
using ctml::column;
using ctml::nullable;

using typed_schema = ctml::schema<
    column<"Sno", nullable<double>>,
    column<"Age", float>,
    column<"Sex", nullable<categories<"male", "female">>>,
    column<"Job", std::uint8_t>,
    column<"Credit amount", nullable<std::int16_t>>,
    column<"Purpose", ctml::categorical>>;

[[noreturn]] void finding(const char* what, const std::string& detail) {
    std::fprintf(stderr, "csv_reader_fuzz: %s\n%s\n", what, detail.c_str());
    std::abort();
}

template <class T>
bool same_number(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);  // payloads are not kept
        return std::memcmp(&a, &b, sizeof(T)) == 0;
    } else {
        return a == b;
    }
}

// Rows [first, first + b.rows()) of a hold b's values.
template <class S>
bool same_rows(const ctml::frame<S>& a, std::size_t first, const ctml::frame<S>& b) {
    if (first + b.rows() > a.rows()) return false;
    bool same = true;
    ctml::for_each_column_index<S>([&](auto c) {
        const auto& x = a.template column_at<c>();
        const auto& y = b.template column_at<c>();
        for (std::size_t i = 0; i < b.rows() && same; ++i) {
            if (x.is_missing(first + i) != y.is_missing(i)) same = false;
            else if (y.is_missing(i)) continue;
            else if constexpr (S::template column_at<c>::is_numeric) same = same_number(x[first + i], y[i]);
            else same = x.value(first + i) == y.value(i);
        }
    });
    return same;
}

template <class T>
bool same_cell(const T& a, const T& b) {
    if constexpr (std::is_arithmetic_v<T>) return same_number(a, b);
    else if constexpr (requires { a.has_value(); *a; }) return a.has_value() == b.has_value() && (!a || same_cell(*a, *b));
    else return a == b;
}

template <class S>
bool same_record(const ctml::record<S>& a, const ctml::record<S>& b) {
    bool same = true;
    ctml::for_each_column_index<S>([&](auto c) { same = same && same_cell(a.template get_at<c>(), b.template get_at<c>()); });
    return same;
}

// The record reader against the frame reader's result (or its error).
template <class S>
void check_records(std::string_view bytes, const ctml::csv_options& options, const std::optional<ctml::frame<S>>& whole,
                   const std::string& error) {
    std::string record_error;
    std::size_t rows = 0;
    try {
        std::istringstream in{std::string(bytes)};
        ctml::csv_record_reader<S> reader(in, "fuzz.csv", options);
        while (reader.next()) {
            if (const auto& p = reader.problem()) {
                record_error = ctml::csv_error("fuzz.csv", p->line, p->column, p->reason).what();
                break;
            }
            if (whole && (rows >= whole->rows() || !same_record(whole->row(rows), reader.current())))
                finding("the record reader reads a different row", std::to_string(rows));
            ++rows;
        }
    } catch (const ctml::csv_error& e) {
        record_error = e.what();
    }
    if (record_error != error) finding("the record reader fails differently", error + "\n" + record_error);
    if (whole && rows != whole->rows()) finding("the record reader has a different row count", "");
}

template <class S>
void check(std::string_view bytes, const ctml::csv_options& options) {
    std::optional<ctml::frame<S>> whole;
    std::string error;
    try {
        std::istringstream in{std::string(bytes)};
        whole = ctml::read_csv<S>(in, "fuzz.csv", options);
    } catch (const ctml::csv_error& e) {
        error = e.what();
    }

    // The same bytes in tiny blocks and small chunks.
    ctml::csv_options small = options;
    small.block_bytes = 1 + bytes.size() % 7;
    small.chunk_rows = 1 + bytes.size() % 5;
    std::string chunk_error;
    std::size_t rows = 0;
    try {
        std::istringstream in{std::string(bytes)};
        for (const auto& chunk : ctml::read_csv_chunks<S>(in, "fuzz.csv", small)) {
            // When the whole read failed, the chunks before the failing row are still delivered.
            if (whole && !same_rows(*whole, rows, chunk)) finding("chunked read differs", "");
            rows += chunk.rows();
        }
    } catch (const ctml::csv_error& e) {
        chunk_error = e.what();
    }
    if (chunk_error != error) finding("chunked read fails differently", error + "\n" + chunk_error);
    check_records<S>(bytes, options, whole, error);
    if (!whole) return;
    if (rows != whole->rows()) finding("chunked read has a different row count", "");

    // Round trip: what was read is written and read back unchanged.
    std::ostringstream out;
    ctml::write_csv(*whole, out, options);
    try {
        std::istringstream in(out.str());
        const auto back = ctml::read_csv<S>(in, "round-trip.csv", options);
        if (back.rows() != whole->rows() || !same_rows(*whole, 0, back))
            finding("round trip changed the values", out.str());
    } catch (const ctml::csv_error& e) {
        finding("round trip does not read back", std::string(e.what()) + "\n" + out.str());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    check<credit::training_schema>(bytes, {});
    // Vary the dialect with the input so both settings of each option get explored.
    ctml::csv_options options;
    options.missing_tokens = {"NA", ""};
    options.trim_whitespace = (size & 1) != 0;
    if ((size & 2) != 0) options.delimiter = ';';
    check<typed_schema>(bytes, options);
    return 0;
}

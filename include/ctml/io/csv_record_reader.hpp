// csv_record_reader<Schema>: reads CSV one typed record at a time, in
// constant memory, and -- unlike csv_reader -- can go on past a bad row: a row
// that does not fit the schema is reported with its line, column, reason and
// text, and the next call reads the row after it. What batch scoring with
// --rejects needs.
//
//   csv_record_reader<credit::scoring_schema> rows(std::cin, "<stdin>");
//   while (rows.next()) {
//       if (rows.problem()) { reject(*rows.problem()); continue; }
//       score(rows.current());
//   }
//
// The header is matched by name in any order and other columns are skipped,
// as csv_reader does; cells are parsed by the shared cell parser
// (cell_parser.hpp). Input that is not CSV at all (an unterminated quote, a
// record beyond csv_options::max_record_bytes) still throws csv_error: there is
// no next row to go on to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctml/io/cell_parser.hpp"
#include "ctml/io/csv_error.hpp"
#include "ctml/io/csv_options.hpp"
#include "ctml/io/detail/csv_header.hpp"
#include "ctml/io/detail/csv_tokenizer.hpp"
#include "ctml/schema/column_traits.hpp"
#include "ctml/schema/record.hpp"
#include "ctml/schema/schema.hpp"

namespace ctml {

/// A row that did not fit the schema.
struct csv_row_problem {
    std::size_t line = 0;
    std::string column;  ///< empty when the row as a whole is wrong (too many fields)
    std::string reason;
    std::string text;    ///< the row, as CSV
};

template <schema_type S>
class csv_record_reader {
public:
    using schema_type = S;

    /// One row of the input: `values` is meaningful only when there is no `problem`.
    struct row {
        std::size_t line = 0;  ///< where the row starts (1 is the header)
        record<S> values;
        std::optional<csv_row_problem> problem;
    };

    /// Reads from `in`, which must outlive the reader; `source_name` stands for it in messages.
    csv_record_reader(std::istream& in, std::string source_name, const csv_options& options = {})
        : options_(validated(options)), missing_(options_.missing_tokens),
          tokenizer_(in, std::move(source_name), options_),
          header_(detail::csv_header<S>::read(tokenizer_, options_.header)) {}

    /// Reads the next row; false at the end of the input. When the row does not
    /// fit, problem() says why and current() is not to be used.
    bool next() {
        row_.problem.reset();
        if (!tokenizer_.next()) return false;
        row_.line = tokenizer_.record_line();
        const auto fields = tokenizer_.fields();
        if (auto ragged = header_.ragged(fields)) {
            row_.problem = csv_row_problem{row_.line, std::move(ragged->column), std::move(ragged->reason), row_text(fields)};
            return true;
        }
        for_each_column_index<S>([&](auto c) {
            using column = typename S::template column_at<c>;
            if (row_.problem) return;
            const auto& f = fields[header_.field_of[c]];
            record_cell_sink<column> sink(row_.values.template get_at<c>());
            if (auto why = append_text_cell<column>(sink, f.view(), f.quoted, missing_))
                row_.problem = csv_row_problem{f.line, std::string(column::name.view()), std::move(*why), row_text(fields)};
        });
        return true;
    }

    /// The current row: its line, its values, and what kept it from fitting, if anything.
    [[nodiscard]] const row& current_row() const noexcept { return row_; }
    [[nodiscard]] const record<S>& current() const noexcept { return row_.values; }
    [[nodiscard]] const std::optional<csv_row_problem>& problem() const noexcept { return row_.problem; }
    /// Numbers the rows from here on as lines of a larger file, the next one
    /// starting on `line`: for a reader over one of its byte ranges (csv_partition.hpp).
    void continue_at_line(std::size_t line) noexcept { tokenizer_.set_next_line(line); }
    /// Bytes read so far, through the end of the current row (or of the header, before the first).
    [[nodiscard]] std::uint64_t bytes_consumed() const noexcept { return tokenizer_.consumed(); }
    /// The line the current row starts on (1 is the header).
    [[nodiscard]] std::size_t line() const noexcept { return row_.line; }
    [[nodiscard]] const std::vector<std::string>& header() const noexcept { return header_.names; }
    [[nodiscard]] const std::string& source() const noexcept { return tokenizer_.source(); }

private:
    static const csv_options& validated(const csv_options& o) {
        detail::validate_csv_options(o, "ctml::csv_record_reader");
        return o;
    }

    // The row re-encoded as CSV: fields as read, quoted where they were.
    [[nodiscard]] std::string row_text(std::span<const detail::csv_field> fields) const {
        std::string out;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += options_.delimiter;
            if (!fields[i].quoted) {
                out += fields[i].view();
                continue;
            }
            out += options_.quote;
            for (char ch : fields[i].view()) {
                if (ch == options_.quote) out += options_.quote;
                out += ch;
            }
            out += options_.quote;
        }
        return out;
    }

    csv_options options_;
    missing_token_set missing_;
    detail::csv_tokenizer tokenizer_;
    detail::csv_header<S> header_;
    row row_;
};

}  // namespace ctml

// csv_error: bad CSV input -- where it is (source, line, column) and what was
// expected, as one line a user can act on:
//
//   german.csv:17: column "Age": expected an integer, found "abc"
//
// pandas raises ParserError / ValueError with a message only; the parts are
// kept here so a program can report them its own way (a scoring service turns
// them into a 400 response). Example: examples/credit/data_summary.cpp.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace ctml {

namespace detail {

// Input text shown inside a message: control bytes escaped so what() stays one
// line, long values cut so a runaway field does not flood a log.
inline std::string csv_printable(std::string_view text, std::size_t max_chars = 60) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (out.size() >= max_chars) {
            out += "...";
            break;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

}  // namespace detail

class csv_error : public std::runtime_error {
public:
    /// `line` is 1-based and physical (a quoted line break starts a new line); 0 when
    /// no line applies. `column` is empty when no column applies.
    csv_error(std::string source, std::size_t line, std::string column, std::string reason)
        : std::runtime_error(format(source, line, column, reason)),
          parts_(std::make_shared<const parts>(parts{std::move(source), std::move(column), std::move(reason), line})) {}

    /// The file name, or the name the caller gave a stream.
    [[nodiscard]] const std::string& source() const noexcept { return parts_->source; }
    [[nodiscard]] std::size_t line() const noexcept { return parts_->line; }
    [[nodiscard]] const std::string& column() const noexcept { return parts_->column; }
    /// what() without the location.
    [[nodiscard]] const std::string& reason() const noexcept { return parts_->reason; }

private:
    // Shared so that copying the exception, which the runtime may do while
    // unwinding, cannot throw.
    struct parts {
        std::string source;
        std::string column;
        std::string reason;
        std::size_t line;
    };

    static std::string format(std::string_view source, std::size_t line, std::string_view column,
                              std::string_view reason) {
        std::string s = detail::csv_printable(source, 4096);
        if (line != 0) s += ':' + std::to_string(line);
        s += ": ";
        if (!column.empty()) {
            s += "column \"";
            s += detail::csv_printable(column);
            s += "\": ";
        }
        s += reason;
        return s;
    }

    std::shared_ptr<const parts> parts_;
};

}  // namespace ctml

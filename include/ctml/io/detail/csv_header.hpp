// csv_header<S>: a CSV header matched to a schema by name, in any order --
// shared by the frame reader and the record reader. Columns the schema does
// not name are skipped; a missing or duplicated column is a csv_error naming
// it, with the header line.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ctml/io/csv_error.hpp"
#include "ctml/io/detail/csv_tokenizer.hpp"

namespace ctml::detail {

template <class S>
struct csv_header {
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    std::vector<std::string> names;          ///< as read (the schema's names when there is no header line)
    std::array<std::size_t, S::size> field_of{};  ///< schema column -> field position

    struct ragged_row {
        std::string column;
        std::string reason;
    };

    /// Why a record with these fields does not fit the header, if it does not.
    [[nodiscard]] std::optional<ragged_row> ragged(std::span<const csv_field> fields) const {
        if (fields.size() == names.size()) return std::nullopt;
        const bool short_row = fields.size() < names.size();
        return ragged_row{short_row ? names[fields.size()] : std::string(),
                          "expected " + std::to_string(names.size()) + " fields, found " + std::to_string(fields.size()) +
                              (short_row ? " (the row ends before this column)" : "")};
    }

    static csv_header read(csv_tokenizer& tokenizer, bool has_header) {
        csv_header h;
        if (!has_header) {
            h.names.assign(S::names.begin(), S::names.end());
            for (std::size_t i = 0; i < S::size; ++i) h.field_of[i] = i;
            tokenizer.set_column_names(h.names);
            return h;
        }
        const std::string& source = tokenizer.source();
        if (!tokenizer.next()) throw csv_error(source, 0, "", "empty file: expected a header line");
        const std::size_t line = tokenizer.record_line();
        for (const auto& f : tokenizer.fields()) h.names.emplace_back(f.view());

        h.field_of.fill(npos);
        std::unordered_map<std::string_view, std::size_t> first_seen;
        for (std::size_t i = 0; i < h.names.size(); ++i) {
            const std::string_view name = h.names[i];
            if (auto [it, fresh] = first_seen.emplace(name, i); !fresh)
                throw csv_error(source, line, h.names[i],
                                "duplicate header column (fields " + std::to_string(it->second + 1) + " and " +
                                    std::to_string(i + 1) + ")");
            if (const std::size_t c = S::find(name); c < S::size) h.field_of[c] = i;
        }
        for (std::size_t c = 0; c < S::size; ++c) {
            if (h.field_of[c] != npos) continue;
            std::string found;
            for (std::size_t i = 0; i < h.names.size() && i < 20; ++i)
                found += (i == 0 ? "\"" : ", \"") + csv_printable(h.names[i]) + '"';
            if (h.names.size() > 20) found += ", and " + std::to_string(h.names.size() - 20) + " more";
            throw csv_error(source, line, std::string(S::names[c]),
                            "missing from the header (found " + (found.empty() ? std::string("nothing") : found) + ")");
        }
        tokenizer.set_column_names(h.names);
        return h;
    }
};

}  // namespace ctml::detail

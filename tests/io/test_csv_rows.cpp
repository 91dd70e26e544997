// csv_record_reader and csv_row_view: rows read one at a time, bad rows
// reported with their line, column and text and read past, and the same rows
// as a range-v3 view that composes with chunk, transform and join.
#include <catch2/catch.hpp>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <range/v3/range/concepts.hpp>
#include <range/v3/range/conversion.hpp>
#include <range/v3/view/chunk.hpp>
#include <range/v3/view/join.hpp>
#include <range/v3/view/transform.hpp>

#include <ctml/io/csv_record_reader.hpp>
#include <ctml/io/csv_row_view.hpp>

#include "io/csv_test_support.hpp"

using namespace ctml;

namespace {

using small_schema = schema<column<"id", std::int64_t>, column<"name", nullable<categorical>>, column<"score", double>>;
using row = csv_record_reader<small_schema>::row;

// Line 1 is the header; line 4 holds a quoted newline, so the row after it starts on line 6.
const std::string text =
    "score,id,name,extra\n"
    "1.5,1,ann,x\n"
    "oops,2,bob,x\n"
    "2.5,3,\"multi\nline\",x\n"
    "3.5,4,NA\n"
    "4.5,5,eve,x,surplus\n"
    "5.5,6,NA,x\n";

/// What a row says, in one line, for comparing whole sequences.
std::string describe(const row& r) {
    if (r.problem)
        return std::to_string(r.line) + " problem " + r.problem->column + ": " + r.problem->reason + " | " + r.problem->text;
    const auto& name = r.values.get<"name">();
    return std::to_string(r.line) + " " + std::to_string(r.values.get<"id">()) + " " + (name ? *name : "<missing>") + " " +
           std::to_string(r.values.get<"score">());
}

std::vector<std::string> read_with_loop(const std::string& csv) {
    std::istringstream in(csv);
    csv_record_reader<small_schema> reader(in, "test.csv");
    std::vector<std::string> out;
    while (reader.next()) out.push_back(describe(reader.current_row()));
    return out;
}

}  // namespace

TEST_CASE("csv_record_reader reads past bad rows, naming line, column, reason and text", "[io][csv][rows]") {
    const auto rows = read_with_loop(text);
    REQUIRE(rows.size() == 6);
    CHECK(rows[0] == "2 1 ann 1.500000");
    CHECK_THAT(rows[1], Catch::StartsWith("3 problem score: ") && Catch::EndsWith("| oops,2,bob,x"));
    CHECK(rows[2] == "4 3 multi\nline 2.500000");
    CHECK_THAT(rows[3], Catch::StartsWith("6 problem ") && Catch::Contains("| 3.5,4,NA"));  // too few fields
    CHECK_THAT(rows[4], Catch::StartsWith("7 problem ") && Catch::Contains("| 4.5,5,eve,x,surplus"));  // too many
    CHECK(rows[5] == "8 6 <missing> 5.500000");
}

TEST_CASE("csv_record_reader: a header without a required column throws at once", "[io][csv][rows]") {
    std::istringstream in("score,name\n1,a\n");
    const auto e = csv_test::catch_csv_error([&] { csv_record_reader<small_schema> reader(in, "test.csv"); });
    CHECK_THAT(e.what(), Catch::Contains("id"));
}

TEST_CASE("csv_row_view is a range-v3 input view of the reader's rows", "[io][csv][rows]") {
    STATIC_REQUIRE(ranges::input_range<csv_row_view<small_schema>>);
    STATIC_REQUIRE(ranges::view_<csv_row_view<small_schema>>);
    STATIC_REQUIRE_FALSE(ranges::forward_range<csv_row_view<small_schema>>);

    std::istringstream in(text);
    csv_record_reader<small_schema> reader(in, "test.csv");
    std::vector<std::string> seen;
    for (const auto& r : csv_row_view(reader)) seen.push_back(describe(r));
    CHECK(seen == read_with_loop(text));
}

TEST_CASE("csv_row_view composes with chunk, transform and join, in input order", "[io][csv][rows]") {
    namespace rv = ranges::views;
    for (const std::ptrdiff_t chunk_rows : {1, 2, 4, 6, 100}) {
        std::istringstream in(text);
        csv_record_reader<small_schema> reader(in, "test.csv");
        std::size_t chunks = 0;
        const auto described = csv_row_view(reader)
                             | rv::chunk(chunk_rows)
                             | rv::transform([&](auto&& chunk) {
                                   ++chunks;
                                   std::vector<std::string> out;
                                   for (const auto& r : chunk) out.push_back(describe(r));
                                   return out;
                               })
                             | rv::join
                             | ranges::to<std::vector>();
        CHECK(described == read_with_loop(text));
        CHECK(chunks == static_cast<std::size_t>((6 + chunk_rows - 1) / chunk_rows));
    }
}

TEST_CASE("csv_row_view: no rows, and input that is not CSV", "[io][csv][rows]") {
    {
        std::istringstream in("id,name,score\n");
        csv_record_reader<small_schema> reader(in, "test.csv");
        auto rows = csv_row_view(reader);
        CHECK(rows.begin() == rows.end());
    }
    {
        std::istringstream in("id,name,score\n1,\"never closed,2\n");
        csv_record_reader<small_schema> reader(in, "test.csv");
        auto rows = csv_row_view(reader);
        const auto e = csv_test::catch_csv_error([&] {
            for (const auto& r : rows) (void)r;
        });
        CHECK_THAT(e.what(), Catch::Contains("test.csv:2"));
    }
    {
        // Through views::chunk, whose begin() is noexcept: the first row's error
        // must surface as csv_error, not terminate the program.
        namespace rv = ranges::views;
        std::istringstream in("id,name,score\n1,\"never closed,2\n");
        csv_record_reader<small_schema> reader(in, "test.csv");
        auto rows = csv_row_view(reader) | rv::chunk(4) | rv::transform([](auto&& chunk) {
                        std::vector<std::int64_t> ids;
                        for (const auto& r : chunk) ids.push_back(r.problem ? -1 : r.values.template get<"id">());
                        return ids;
                    })
                  | rv::join;
        const auto e = csv_test::catch_csv_error([&] {
            for (auto id : rows) (void)id;
        });
        CHECK_THAT(e.what(), Catch::Contains("test.csv:2") && Catch::Contains("never closed"));
    }
}

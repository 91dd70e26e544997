// read_csv_chunks: chunk sizes, chunks concatenating to the whole file, and
// the reader's block boundaries falling anywhere -- inside a quoted field,
// between CR and LF, inside the BOM -- without changing what is read.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <ranges>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <ctml/io/csv_chunk_range.hpp>
#include <ctml/io/csv_options.hpp>
#include <ctml/io/csv_reader.hpp>

#include "credit/credit_schema.hpp"
#include "io/csv_test_support.hpp"

using namespace ctml;

namespace {

const std::filesystem::path credit_csv = std::filesystem::path(CTML_TEST_DATA_DIR) / "german_credit_data.csv";

using small_schema = schema<column<"id", std::int64_t>, column<"name", nullable<categorical>>, column<"score", double>>;

// A text whose every awkward spot (BOM, CRLF, quotes, doubled quotes, quoted
// line breaks, blank lines, a last line without a line break) some block
// boundary will split.
const std::string tricky =
    "\xEF\xBB\xBF"
    "score,\"name\",id\r\n"
    "1.5,\"a,b\",1\r\n"
    "\r\n"
    "2.5,\"say \"\"hi\"\"\",2\r\n"
    "3.5,\"multi\r\nline\nfield\",3\n"
    "4.5,NA,4\r"
    "5.5,\"\"\"\",5\r\n"
    "6.5,\"\",6\n"
    "7.5,plain,7";

}  // namespace

TEST_CASE("read_csv_chunks is an input range of frames", "[io][csv][chunks]") {
    using range = csv_chunk_range<credit::training_schema>;
    STATIC_REQUIRE(std::ranges::input_range<range>);
    STATIC_REQUIRE(std::same_as<std::ranges::range_value_t<range>, frame<credit::training_schema>>);
    STATIC_REQUIRE(std::input_iterator<range::iterator>);
    STATIC_REQUIRE_FALSE(std::ranges::forward_range<range>);  // single pass
}

TEST_CASE("chunks hold at most chunk_rows rows and concatenate to the whole file", "[io][csv][chunks]") {
    const auto whole = read_csv<credit::training_schema>(credit_csv);
    for (const std::size_t chunk_rows : {std::size_t{1}, std::size_t{7}, std::size_t{300}, std::size_t{999},
                                         std::size_t{1000}, std::size_t{65536}}) {
        INFO("chunk_rows = " << chunk_rows);
        std::vector<std::size_t> sizes;
        std::size_t offset = 0;
        bool same = true;
        for (const auto& chunk : read_csv_chunks<credit::training_schema>(credit_csv, {.chunk_rows = chunk_rows})) {
            sizes.push_back(chunk.rows());
            same = same && csv_test::same_values_at(whole, offset, chunk);
            offset += chunk.rows();
        }
        CHECK(same);
        CHECK(offset == 1000);
        REQUIRE(!sizes.empty());
        CHECK(sizes.size() == (1000 + chunk_rows - 1) / chunk_rows);
        for (std::size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == chunk_rows);
        CHECK(sizes.back() == 1000 - chunk_rows * (sizes.size() - 1));
    }
}

TEST_CASE("chunk sizes for 1000 rows in chunks of 300", "[io][csv][chunks]") {
    std::vector<std::size_t> sizes;
    for (auto& chunk : read_csv_chunks<credit::scoring_schema>(credit_csv, {.chunk_rows = 300}))
        sizes.push_back(chunk.rows());
    CHECK(sizes == std::vector<std::size_t>{300, 300, 300, 100});
}

TEST_CASE("each chunk is an independent frame with its own vocabulary", "[io][csv][chunks]") {
    std::istringstream in("id,name,score\n1,b,0\n2,a,0\n3,a,0\n4,b,0\n");
    std::vector<frame<small_schema>> chunks;
    for (auto& chunk : read_csv_chunks<small_schema>(in, "v.csv", {.chunk_rows = 2}))
        chunks.push_back(std::move(chunk));  // moving a chunk out is allowed
    REQUIRE(chunks.size() == 2);
    CHECK(chunks[0].column<"name">().vocabulary()[0] == "b");
    CHECK(chunks[1].column<"name">().vocabulary()[0] == "a");
    CHECK(chunks[1].column<"name">().value(1) == "b");
}

TEST_CASE("block boundaries anywhere do not change what is read", "[io][csv][chunks]") {
    const auto reference = csv_test::read_text<small_schema>(tricky);
    REQUIRE(reference.rows() == 7);
    CHECK(reference.column<"name">().value(1) == "say \"hi\"");
    CHECK(reference.column<"name">().value(2) == "multi\r\nline\nfield");
    CHECK(reference.column<"name">().is_missing(3));
    CHECK(reference.column<"name">().value(4) == "\"");
    CHECK(reference.column<"id">()[6] == 7);

    for (std::size_t block = 1; block <= tricky.size() + 1; ++block) {
        INFO("block_bytes = " << block);
        const auto f = csv_test::read_text<small_schema>(tricky, {.block_bytes = block});
        CHECK(csv_test::same_values(f, reference));
        std::istringstream in(tricky);
        std::size_t offset = 0;
        for (const auto& chunk : read_csv_chunks<small_schema>(in, "t.csv", {.chunk_rows = 3, .block_bytes = block})) {
            CHECK(csv_test::same_values_at(reference, offset, chunk));
            offset += chunk.rows();
        }
        CHECK(offset == reference.rows());
    }
}

TEST_CASE("tiny blocks read the whole data set identically", "[io][csv][chunks]") {
    const auto whole = read_csv<credit::training_schema>(credit_csv);
    for (const std::size_t block : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}, std::size_t{64},
                                    std::size_t{4093}}) {
        INFO("block_bytes = " << block);
        CHECK(csv_test::same_values(read_csv<credit::training_schema>(credit_csv, {.block_bytes = block}), whole));
    }
}

TEST_CASE("errors from chunks: header at once, rows when their chunk is read", "[io][csv][chunks]") {
    std::istringstream bad_header("id,score\n1,2\n");
    const auto h = csv_test::catch_csv_error([&] { (void)read_csv_chunks<small_schema>(bad_header, "h.csv"); });
    CHECK(h.column() == "name");
    CHECK(h.line() == 1);

    std::istringstream in("id,name,score\n1,a,1\n2,b,2\n3,c,3\nx,d,4\n5,e,5\n");
    auto chunks = read_csv_chunks<small_schema>(in, "rows.csv", {.chunk_rows = 2, .block_bytes = 4});
    auto it = chunks.begin();
    REQUIRE(it != chunks.end());
    CHECK(it->rows() == 2);
    const auto e = csv_test::catch_csv_error([&] { ++it; });
    CHECK(e.source() == "rows.csv");
    CHECK(e.line() == 5);
    CHECK(e.column() == "id");

    // An unterminated quote split over many blocks still names the line it opened on.
    std::istringstream open_quote("id,name,score\n1,a,1\n2,\"b,2\n3,c,3\n");
    const auto u = csv_test::catch_csv_error([&] {
        for (const auto& chunk : read_csv_chunks<small_schema>(open_quote, "q.csv", {.chunk_rows = 1, .block_bytes = 3}))
            (void)chunk;
    });
    CHECK(u.line() == 3);
    CHECK(u.column() == "name");
}

TEST_CASE("edge cases: no rows, one chunk, a moved range", "[io][csv][chunks]") {
    std::istringstream empty("id,name,score\n");
    auto none = read_csv_chunks<small_schema>(empty, "e.csv");
    CHECK(none.begin() == none.end());
    CHECK(none.header() == std::vector<std::string>{"id", "name", "score"});

    std::istringstream in("id,name,score\n1,a,1\n2,b,2\n3,c,3\n");
    auto first = read_csv_chunks<small_schema>(in, "m.csv", {.chunk_rows = 2});
    auto it = first.begin();
    auto moved = std::move(first);  // the iterator stays valid: the state does not move
    CHECK(it->rows() == 2);
    ++it;
    REQUIRE(it != moved.end());
    CHECK(it->rows() == 1);
    CHECK(it->column<"id">()[0] == 3);
    ++it;
    CHECK(it == moved.end());
}

TEST_CASE("a large stream is read chunk by chunk", "[io][csv][chunks]") {
    // 200k generated rows (~3.6 MB) through 64 KiB blocks: every row arrives, in order.
    std::string text = "id,name,score\n";
    constexpr std::int64_t n = 200000;
    for (std::int64_t i = 0; i < n; ++i)
        text += std::to_string(i) + (i % 3 == 0 ? ",NA," : ",\"x,y\",") + std::to_string(i) + ".5\n";
    std::istringstream in(std::move(text));
    std::int64_t expected = 0;
    std::size_t chunks = 0;
    bool in_order = true;
    for (const auto& chunk : read_csv_chunks<small_schema>(in, "big.csv", {.chunk_rows = 4096, .block_bytes = 1 << 16})) {
        ++chunks;
        const auto& id = chunk.column<"id">();
        for (std::size_t i = 0; i < chunk.rows(); ++i) in_order = in_order && id[i] == expected++;
    }
    CHECK(in_order);
    CHECK(expected == n);
    CHECK(chunks == (n + 4095) / 4096);
}

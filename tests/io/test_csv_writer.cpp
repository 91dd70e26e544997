// write_csv / csv_writer: the text it writes, quoting, missing values, and
// the round trip write -> read giving back the same values (doubles bit for bit).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_reader.hpp>
#include <ctml/io/csv_writer.hpp>

#include "credit/credit_schema.hpp"
#include "io/csv_test_support.hpp"

using namespace ctml;
using csv_test::read_text;
using csv_test::same_bits;

namespace {

const std::filesystem::path credit_csv = std::filesystem::path(CTML_TEST_DATA_DIR) / "german_credit_data.csv";

using text_schema = schema<column<"id", int>, column<"text", nullable<categorical>>>;
using real_schema = schema<column<"d", double>, column<"f", float>>;

template <class S>
std::string to_text(const frame<S>& f, const csv_options& options = {}) {
    std::ostringstream out;
    write_csv(f, out, options);
    return out.str();
}

std::string file_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

frame<text_schema> texts(std::vector<std::optional<std::string>> values) {
    frame_builder<text_schema> b;
    int id = 0;
    for (auto& v : values) {
        record<text_schema> r;
        r.set<"id">(id++).set<"text">(std::move(v));
        b.push_back(r);
    }
    return std::move(b).finish();
}

}  // namespace

TEST_CASE("writing the credit data back gives the original bytes", "[io][csv][writer]") {
    const auto f = read_csv<credit::training_schema>(credit_csv);
    CHECK(to_text(f) == file_bytes(credit_csv));
}

TEST_CASE("the header holds the schema's names; rows follow in order", "[io][csv][writer]") {
    using s = schema<column<"a b", int>, column<"c,d", double>, column<"e", categorical>>;
    const auto f = read_text<s>("\"a b\",\"c,d\",e\n1,2.5,x\n-3,0,y\n");
    CHECK(to_text(f) == "a b,\"c,d\",e\n1,2.5,x\n-3,0,y\n");
    CHECK(to_text(f, {.header = false}) == "1,2.5,x\n-3,0,y\n");
    CHECK(to_text(f, {.delimiter = ';', .line_terminator = "\r\n"}) == "a b;c,d;e\r\n1;2.5;x\r\n-3;0;y\r\n");
}

TEST_CASE("fields are quoted exactly when they need it", "[io][csv][writer]") {
    const auto f = texts({"plain", "with,comma", "say \"hi\"", "two\nlines", "cr\rhere", "", "NA", std::nullopt,
                          " padded ", "NA "});
    const std::string expected =
        "id,text\n"
        "0,plain\n"
        "1,\"with,comma\"\n"
        "2,\"say \"\"hi\"\"\"\n"
        "3,\"two\nlines\"\n"
        "4,\"cr\rhere\"\n"
        "5,\"\"\n"      // empty: quoted, else it would read back as missing or a blank line
        "6,\"NA\"\n"    // the string NA, not a missing value
        "7,NA\n"        // missing
        "8, padded \n"  // spaces are data unless trim_whitespace
        "9,NA \n";
    CHECK(to_text(f) == expected);
    CHECK(csv_test::same_values(read_text<text_schema>(expected), f));

    const std::string trimmed = to_text(f, {.trim_whitespace = true});
    CHECK(csv_test::contains(trimmed, "8,\" padded \"\n"));
    CHECK(csv_test::same_values(read_text<text_schema>(trimmed, {.trim_whitespace = true}), f));
}

TEST_CASE("missing values are written as the first missing token", "[io][csv][writer]") {
    const auto f = texts({std::nullopt, "?", ""});
    CHECK(to_text(f, {.missing_tokens = {"?", "NA"}}) == "id,text\n0,?\n1,\"?\"\n2,\"\"\n");
    CHECK(to_text(f, {.missing_tokens = {}}) == "id,text\n0,\n1,?\n2,\"\"\n");
    const csv_options empty_token{.missing_tokens = {""}};
    CHECK(to_text(f, empty_token) == "id,text\n0,\n1,?\n2,\"\"\n");
    CHECK(csv_test::same_values(read_text<text_schema>(to_text(f, empty_token), empty_token), f));
}

TEST_CASE("doubles and floats round-trip bit for bit", "[io][csv][writer]") {
    using dlim = std::numeric_limits<double>;
    using flim = std::numeric_limits<float>;
    const std::vector<double> ds = {0.1,
                                    1e-300,
                                    -0.0,
                                    0.0,
                                    1.7976931348623157e308,
                                    dlim::lowest(),
                                    dlim::min(),
                                    dlim::denorm_min(),
                                    4.9406564584124654e-324 * 3,
                                    1.0 / 3.0,
                                    3.141592653589793,
                                    2.0 / 3.0 * 1e-10,
                                    123456789012345680.0,
                                    9007199254740993.0,
                                    dlim::infinity(),
                                    -dlim::infinity(),
                                    0.30000000000000004};
    const std::vector<float> fs = {0.1f, 1e-30f, -0.0f, flim::max(), flim::lowest(), flim::denorm_min(),
                                   flim::min(), 1.0f / 3.0f, 16777217.0f, flim::infinity(), 3.4028235e38f,
                                   -1.5f, 7.0f, 1e10f, 2e-45f, 0.2f, 0.3f};
    REQUIRE(ds.size() == fs.size());
    const frame<real_schema> f{numeric_column<double>(ds), numeric_column<float>(fs)};

    const std::string text = to_text(f);
    CHECK(csv_test::contains(text, "\n0.1,0.1\n"));  // shortest form, not 0.10000000000000001
    CHECK(csv_test::contains(text, "\n-0,-0\n"));
    const auto back = read_text<real_schema>(text);
    REQUIRE(back.rows() == ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i) {
        INFO("row " << i << ": " << ds[i]);
        CHECK(same_bits(back.column<"d">()[i], ds[i]));
        CHECK(same_bits(back.column<"f">()[i], fs[i]));
    }

    // NaN comes back as NaN (its payload is not kept).
    frame<real_schema> n(numeric_column<double>(std::vector<double>{dlim::quiet_NaN()}),
                         numeric_column<float>(std::vector<float>{flim::quiet_NaN()}));
    const auto nb = read_text<real_schema>(to_text(n));
    CHECK(std::isnan(nb.column<"d">()[0]));
    CHECK(std::isnan(nb.column<"f">()[0]));
}

TEST_CASE("integer extremes and nullable numbers round-trip", "[io][csv][writer]") {
    using s = schema<column<"a", std::int64_t>, column<"b", std::uint64_t>, column<"c", std::int8_t>,
                     column<"d", nullable<double>>, column<"e", nullable<std::int32_t>>>;
    frame<s> f(numeric_column<std::int64_t>(std::vector<std::int64_t>{std::numeric_limits<std::int64_t>::min(),
                                                                      std::numeric_limits<std::int64_t>::max(), 0}),
               numeric_column<std::uint64_t>(
                   std::vector<std::uint64_t>{std::numeric_limits<std::uint64_t>::max(), 0, 42}),
               numeric_column<std::int8_t>(std::vector<std::int8_t>{-128, 127, 0}),
               numeric_column<double>(std::vector<double>{0.5, 0, 1e-300}, std::vector<std::uint8_t>{0, 1, 0}),
               numeric_column<std::int32_t>(std::vector<std::int32_t>{0, 7, 0}, std::vector<std::uint8_t>{1, 0, 1}));
    const std::string text = to_text(f);
    CHECK(text ==
          "a,b,c,d,e\n"
          "-9223372036854775808,18446744073709551615,-128,0.5,NA\n"
          "9223372036854775807,0,127,NA,7\n"
          "0,42,0,1e-300,NA\n");
    CHECK(csv_test::same_values(read_text<s>(text), f));
}

TEST_CASE("declared categories and the credit data round-trip", "[io][csv][writer]") {
    using s = schema<column<"color", categories<"red", "green">>, column<"size", nullable<categories<"S", "NA">>>>;
    const auto f = read_text<s>("color,size\ngreen,S\nred,NA\nred,\"NA\"\n");
    REQUIRE(f.column<"size">().is_missing(1));
    REQUIRE(f.column<"size">().value(2) == "NA");
    const std::string text = to_text(f);
    CHECK(text == "color,size\ngreen,S\nred,NA\nred,\"NA\"\n");
    CHECK(csv_test::same_values(read_text<s>(text), f));

    const auto credit = read_csv<credit::training_schema>(credit_csv);
    CHECK(csv_test::same_values(read_text<credit::training_schema>(to_text(credit, {.delimiter = '\t'}),
                                                                   {.delimiter = '\t'}),
                                credit));
}

TEST_CASE("csv_writer streams: header once, then frames and records", "[io][csv][writer]") {
    const auto f = texts({"a", "b,c"});
    std::ostringstream out;
    {
        csv_writer<text_schema> w(out);
        CHECK(out.str() == "id,text\n");  // the header is written at once
        w.write(f);
        w.write(f);
        record<text_schema> r;
        r.set<"id">(9).set<"text">(std::nullopt);
        w.write(r);
        w.flush();
        CHECK(csv_test::contains(out.str(), "\n9,NA\n"));
        r.set<"id">(10).set<"text">(std::string("x\"y"));
        w.write(r);
    }  // the destructor flushes
    CHECK(out.str() == "id,text\n0,a\n1,\"b,c\"\n0,a\n1,\"b,c\"\n9,NA\n10,\"x\"\"y\"\n");

    // Records with declared categories.
    using d = schema<column<"c", categories<"x", "y">>, column<"n", nullable<categories<"p">>>>;
    std::ostringstream out2;
    csv_writer<d> w2(out2, {.header = false});
    record<d> r2;
    r2.set<"c">("y");
    w2.write(r2);
    w2.flush();
    CHECK(out2.str() == "y,NA\n");
}

TEST_CASE("write_csv to a file, and write errors", "[io][csv][writer]") {
    const auto dir = std::filesystem::temp_directory_path() / "ctml_test_csv_writer";
    std::filesystem::create_directories(dir);
    const auto path = dir / "out.csv";
    const auto f = texts({"a", std::nullopt});
    write_csv(f, path);
    CHECK(file_bytes(path) == "id,text\n0,a\n1,NA\n");
    CHECK(csv_test::same_values(read_csv<text_schema>(path), f));

    const auto e = csv_test::catch_csv_error([&] { write_csv(f, dir / "no_dir" / "x.csv"); });
    CHECK(e.source() == (dir / "no_dir" / "x.csv").string());
    CHECK(csv_test::contains(e.what(), "cannot open for writing"));

    std::ostream broken(nullptr);  // no buffer: every write fails
    const auto b = csv_test::catch_csv_error([&] { write_csv(f, broken); });
    CHECK(std::string(b.what()) == "<stream>: write failed");
    std::filesystem::remove_all(dir);
}

TEST_CASE("options the writer cannot honour are rejected", "[io][csv][writer]") {
    const auto f = texts({"a"});
    std::ostringstream out;
    CHECK_THROWS_AS(write_csv(f, out, {.delimiter = '.'}), std::invalid_argument);
    CHECK_THROWS_AS(write_csv(f, out, {.delimiter = '5'}), std::invalid_argument);
    CHECK_THROWS_AS(write_csv(f, out, {.missing_tokens = {"a,b"}}), std::invalid_argument);
    CHECK_THROWS_AS(write_csv(f, out, {.line_terminator = ";"}), std::invalid_argument);
    CHECK(out.str().empty());
}

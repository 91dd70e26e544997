// read_csv: the bundled data set, the dialect (RFC 4180 quoting, line ends,
// BOM, header order), typed cells, and every error with its location.
// Expected numbers for the data set come from pandas 1.5.3:
//   pd.read_csv("german_credit_data.csv").isna().sum(), .Risk.value_counts(), ...
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include <ctml/io/csv_error.hpp>
#include <ctml/io/csv_options.hpp>
#include <ctml/io/csv_reader.hpp>

#include "credit/credit_schema.hpp"
#include "io/csv_test_support.hpp"

using namespace ctml;
using csv_test::contains;
using csv_test::read_error;
using csv_test::read_text;

namespace {

const std::filesystem::path credit_csv = std::filesystem::path(CTML_TEST_DATA_DIR) / "german_credit_data.csv";

using small_schema = schema<column<"id", std::int64_t>, column<"name", categorical>, column<"score", double>>;
using nullable_schema =
    schema<column<"id", int>, column<"x", nullable<double>>, column<"tag", nullable<categorical>>>;
using declared_schema = schema<column<"id", int>, column<"color", categories<"red", "green", "blue">>,
                               column<"size", nullable<categories<"S", "M", "L">>>>;

std::size_t count_value(const categorical_column& col, std::string_view v) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < col.size(); ++i)
        if (!col.is_missing(i) && col.value(i) == v) ++n;
    return n;
}

}  // namespace

TEST_CASE("read_csv reads the bundled German credit data", "[io][csv][reader]") {
    const auto f = read_csv<credit::training_schema>(credit_csv);
    REQUIRE(f.rows() == 1000);

    CHECK(f.column<"Saving accounts">().missing_count() == 183);
    CHECK(f.column<"Checking account">().missing_count() == 394);
    CHECK_FALSE(f.column<"Age">().has_missing());
    CHECK(count_value(f.column<"Risk">(), "good") == 700);
    CHECK(count_value(f.column<"Risk">(), "bad") == 300);
    CHECK(count_value(f.column<"Saving accounts">(), "little") == 603);
    CHECK(count_value(f.column<"Purpose">(), "car") == 337);
    CHECK(f.column<"Purpose">().vocabulary().size() == 8);

    // First lines: 0,67,male,2,own,NA,little,1169,6,radio/TV,good / 1,22,female,2,own,little,moderate,5951,48,radio/TV,bad
    const auto r0 = f.row(0);
    CHECK(r0.get<"Sno">() == 0);
    CHECK(r0.get<"Age">() == 67);
    CHECK(r0.get<"Sex">() == "male");
    CHECK(r0.get<"Job">() == 2);
    CHECK(r0.get<"Housing">() == "own");
    CHECK_FALSE(r0.get<"Saving accounts">().has_value());
    CHECK(r0.get<"Checking account">() == std::optional<std::string>("little"));
    CHECK(r0.get<"Credit amount">() == 1169);
    CHECK(r0.get<"Duration">() == 6);
    CHECK(r0.get<"Purpose">() == "radio/TV");
    CHECK(r0.get<"Risk">() == "good");

    const auto r1 = f.row(1);
    CHECK(r1.get<"Age">() == 22);
    CHECK(r1.get<"Sex">() == "female");
    CHECK(r1.get<"Saving accounts">() == std::optional<std::string>("little"));
    CHECK(r1.get<"Credit amount">() == 5951);
    CHECK(r1.get<"Risk">() == "bad");

    // Last line: 999,27,male,2,own,moderate,moderate,4576,45,car,good
    const auto last = f.row(999);
    CHECK(last.get<"Sno">() == 999);
    CHECK(last.get<"Credit amount">() == 4576);
    CHECK(last.get<"Purpose">() == "car");

    CHECK(f.column<"Age">().as_eigen().sum() == 35546);  // mean 35.546
    CHECK(f.column<"Credit amount">().as_eigen().sum() == 3271258);
}

TEST_CASE("read_csv reads through a stream and a path alike", "[io][csv][reader]") {
    std::ifstream file(credit_csv, std::ios::binary);
    const auto from_stream = read_csv<credit::scoring_schema>(file, "german.csv");
    const auto from_path = read_csv<credit::scoring_schema>(credit_csv);
    CHECK(csv_test::same_values(from_stream, from_path));
}

TEST_CASE("the header is matched by name, in any order, extra columns ignored", "[io][csv][reader]") {
    const auto f = read_text<small_schema>(
        "score,extra,name,id,more\n"
        "1.5,x,alice,1,y\n"
        "-2,x,bob,2,y\n");
    REQUIRE(f.rows() == 2);
    CHECK(f.column<"id">()[0] == 1);
    CHECK(f.column<"id">()[1] == 2);
    CHECK(f.column<"name">().value(0) == "alice");
    CHECK(f.column<"name">().value(1) == "bob");
    CHECK(f.column<"score">()[0] == 1.5);
    CHECK(f.column<"score">()[1] == -2.0);

    std::istringstream in("a,id,name,score\n");
    csv_reader<small_schema> reader(in, "h.csv");
    CHECK(reader.header() == std::vector<std::string>{"a", "id", "name", "score"});
}

TEST_CASE("a header-only file is an empty frame", "[io][csv][reader]") {
    CHECK(read_text<small_schema>("id,name,score\n").rows() == 0);
    CHECK(read_text<small_schema>("id,name,score").rows() == 0);
    CHECK(read_text<declared_schema>("id,color,size\n").rows() == 0);
}

TEST_CASE("line ends: LF, CRLF, CR, mixed, and a last line without one", "[io][csv][reader]") {
    for (const std::string text : {"id,name,score\n1,a,0.5\n2,b,1\n", "id,name,score\r\n1,a,0.5\r\n2,b,1\r\n",
                                   "id,name,score\r1,a,0.5\r2,b,1\r", "id,name,score\r\n1,a,0.5\n2,b,1",
                                   "id,name,score\n1,a,0.5\r\n2,b,1\r\n\r\n"}) {
        INFO("text: " << csv_test::contains(text, "\r"));
        const auto f = read_text<small_schema>(text);
        REQUIRE(f.rows() == 2);
        CHECK(f.column<"name">().value(0) == "a");
        CHECK(f.column<"name">().value(1) == "b");  // no '\r' left on the last field
        CHECK(f.column<"score">()[1] == 1.0);
    }
}

TEST_CASE("a UTF-8 byte order mark is skipped", "[io][csv][reader]") {
    const auto f = read_text<small_schema>("\xEF\xBB\xBFid,name,score\n7,x,1\n");
    REQUIRE(f.rows() == 1);
    CHECK(f.column<"id">()[0] == 7);
    // Only at the very start: elsewhere it is data.
    const auto g = read_text<small_schema>("id,name,score\n7,\xEF\xBB\xBFx,1\n");
    CHECK(g.column<"name">().value(0) == "\xEF\xBB\xBFx");
}

TEST_CASE("blank lines are skipped", "[io][csv][reader]") {
    const auto f = read_text<small_schema>("\n\nid,name,score\n\n1,a,1\n\r\n\n2,b,2\n\n");
    REQUIRE(f.rows() == 2);
    CHECK(f.column<"id">()[1] == 2);
}

TEST_CASE("RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes", "[io][csv][reader]") {
    const auto f = read_text<small_schema>(
        "\"id\",\"name\",\"score\"\n"
        "1,\"Smith, John\",1\n"
        "2,\"say \"\"hi\"\"\",2\n"
        "3,\"two\nlines\",3\n"
        "4,\"crlf\r\ninside\",4\n"
        "5,\"\",5\n"
        "6,\"\"\"\",6\n"
        "\"7\",plain \"inner\" quotes,\"7.5\"\n");
    REQUIRE(f.rows() == 7);
    const auto& name = f.column<"name">();
    CHECK(name.value(0) == "Smith, John");
    CHECK(name.value(1) == "say \"hi\"");
    CHECK(name.value(2) == "two\nlines");
    CHECK(name.value(3) == "crlf\r\ninside");
    CHECK(name.value(4) == "");
    CHECK(name.value(5) == "\"");
    CHECK(name.value(6) == "plain \"inner\" quotes");  // a quote inside an unquoted field is data
    CHECK(f.column<"id">()[6] == 7);
    CHECK(f.column<"score">()[6] == 7.5);
}

TEST_CASE("missing values: NA by default, configurable, only in nullable columns", "[io][csv][reader]") {
    const auto f = read_text<nullable_schema>("id,x,tag\n1,NA,NA\n2,2.5,a\n3,\"NA\",\"NA\"\n");
    REQUIRE(f.rows() == 3);
    CHECK(f.column<"x">().is_missing(0));
    CHECK(f.column<"tag">().is_missing(0));
    CHECK(f.column<"x">()[1] == 2.5);
    CHECK(f.column<"tag">().value(1) == "a");
    // Quoted: still missing in a numeric column, but the string NA in a categorical one.
    CHECK(f.column<"x">().is_missing(2));
    CHECK_FALSE(f.column<"tag">().is_missing(2));
    CHECK(f.column<"tag">().value(2) == "NA");

    const csv_options custom{.missing_tokens = {"", "?", "n/a"}};
    const auto g = read_text<nullable_schema>("id,x,tag\n1,,?\n2,n/a,\n3,1,\"\"\n", custom);
    REQUIRE(g.rows() == 3);
    CHECK(g.column<"x">().is_missing(0));
    CHECK(g.column<"tag">().is_missing(0));
    CHECK(g.column<"x">().is_missing(1));
    CHECK(g.column<"tag">().is_missing(1));
    CHECK(g.column<"tag">().value(2) == "");  // a quoted empty field is an empty string
    const auto e = read_error<nullable_schema>("id,x,tag\n3,NA,a\n", custom);  // NA is no longer a token
    CHECK(e.column() == "x");
    CHECK(contains(e.what(), "expected a number, found \"NA\""));
}

TEST_CASE("integers parse into the column's type", "[io][csv][reader]") {
    using ints = schema<column<"i8", std::int8_t>, column<"u16", std::uint16_t>, column<"i64", std::int64_t>,
                        column<"u64", std::uint64_t>>;
    const auto f = read_text<ints>(
        "i8,u16,i64,u64\n"
        "-128,65535,-9223372036854775808,18446744073709551615\n"
        "+127,0,9223372036854775807,0\n");
    REQUIRE(f.rows() == 2);
    CHECK(f.column<"i8">()[0] == -128);
    CHECK(f.column<"i8">()[1] == 127);
    CHECK(f.column<"u16">()[0] == 65535);
    CHECK(f.column<"i64">()[0] == std::numeric_limits<std::int64_t>::min());
    CHECK(f.column<"i64">()[1] == std::numeric_limits<std::int64_t>::max());
    CHECK(f.column<"u64">()[0] == std::numeric_limits<std::uint64_t>::max());
}

TEST_CASE("floating-point fields parse exactly", "[io][csv][reader]") {
    using reals = schema<column<"d", double>, column<"f", float>>;
    const auto f = read_text<reals>("d,f\n0.1,0.1\n1e-300,1e-30\n-0,-0\ninf,-inf\nnan,NaN\n.5,5.\n+2.5E3,1E+2\n");
    REQUIRE(f.rows() == 7);
    const auto& d = f.column<"d">();
    const auto& s = f.column<"f">();
    CHECK(d[0] == 0.1);
    CHECK(s[0] == 0.1f);
    CHECK(d[1] == 1e-300);
    CHECK(s[1] == 1e-30f);
    CHECK(csv_test::same_bits(d[2], -0.0));
    CHECK(d[3] == std::numeric_limits<double>::infinity());
    CHECK(s[3] == -std::numeric_limits<float>::infinity());
    CHECK(std::isnan(d[4]));
    CHECK(std::isnan(s[4]));
    CHECK(d[5] == 0.5);
    CHECK(s[5] == 5.0f);
    CHECK(d[6] == 2500.0);
    CHECK(s[6] == 100.0f);
}

TEST_CASE("declared categories accept exactly the declared values", "[io][csv][reader]") {
    const auto f = read_text<declared_schema>("id,color,size\n1,blue,S\n2,red,NA\n3,green,L\n");
    REQUIRE(f.rows() == 3);
    const auto& color = f.column<"color">();
    CHECK(color.vocabulary().size() == 3);
    CHECK(color.vocabulary()[0] == "red");  // declared order, not order of appearance
    CHECK(color.code(0) == 2);
    CHECK(f.column<"size">().is_missing(1));
    CHECK(f.row(2).get<"color">().view() == "green");
}

TEST_CASE("dialect options: delimiter, quote, whitespace trimming, no header", "[io][csv][reader]") {
    SECTION("semicolon and tab") {
        const auto f = read_text<small_schema>("id;name;score\n1;a,b;2\n", {.delimiter = ';'});
        CHECK(f.column<"name">().value(0) == "a,b");
        const auto g = read_text<small_schema>("id\tname\tscore\n1\ta b\t2\n", {.delimiter = '\t'});
        CHECK(g.column<"name">().value(0) == "a b");
    }
    SECTION("single quote") {
        const auto f = read_text<small_schema>("id,name,score\n1,'it''s, here',2\n", {.quote = '\''});
        CHECK(f.column<"name">().value(0) == "it's, here");
    }
    SECTION("trim whitespace") {
        const auto f = read_text<small_schema>(" id , name ,score\n 1 ,  a b\t, 2.5 \n2, \" c \" ,3\n",
                                               {.trim_whitespace = true});
        REQUIRE(f.rows() == 2);
        CHECK(f.column<"id">()[0] == 1);
        CHECK(f.column<"name">().value(0) == "a b");
        CHECK(f.column<"score">()[0] == 2.5);
        CHECK(f.column<"name">().value(1) == " c ");  // inside quotes spaces are data
        // Without trimming, " 1 " is not an integer.
        const auto e = read_error<small_schema>("id,name,score\n 1 ,a,2\n");
        CHECK(contains(e.what(), "expected an integer, found \" 1 \""));
    }
    SECTION("no header: the schema's columns in order") {
        const auto f = read_text<small_schema>("1,a,0.5\n2,b,1.5\n", {.header = false});
        REQUIRE(f.rows() == 2);
        CHECK(f.column<"name">().value(1) == "b");
        const auto e = read_error<small_schema>("1,a,0.5\n2,b\n", {.header = false});
        CHECK(e.line() == 2);
        CHECK(e.column() == "score");
    }
}

TEST_CASE("invalid options are programming errors", "[io][csv][reader]") {
    std::istringstream in("id,name,score\n");
    CHECK_THROWS_AS(csv_reader<small_schema>(in, "x", {.delimiter = '"'}), std::invalid_argument);
    CHECK_THROWS_AS(csv_reader<small_schema>(in, "x", {.delimiter = '\n'}), std::invalid_argument);
    CHECK_THROWS_AS(csv_reader<small_schema>(in, "x", {.chunk_rows = 0}), std::invalid_argument);
    CHECK_THROWS_AS(csv_reader<small_schema>(in, "x", {.delimiter = ' ', .trim_whitespace = true}),
                    std::invalid_argument);
}

// ---- errors: each names the source, the physical line and the column --------

TEST_CASE("error: an empty file has no header", "[io][csv][reader][error]") {
    for (const std::string text : {"", "\xEF\xBB\xBF", "\n\n\r\n"}) {
        const auto e = read_error<small_schema>(text);
        CHECK(e.source() == "test.csv");
        CHECK(e.line() == 0);
        CHECK(e.column().empty());
        CHECK(std::string(e.what()) == "test.csv: empty file: expected a header line");
    }
}

TEST_CASE("error: a schema column missing from the header", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>("id,nam,score\n1,a,2\n");
    CHECK(e.line() == 1);
    CHECK(e.column() == "name");
    CHECK(std::string(e.what()) ==
          "test.csv:1: column \"name\": missing from the header (found \"id\", \"nam\", \"score\")");
}

TEST_CASE("error: a duplicate header column", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>("\nid,name,score,name\n1,a,2,b\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == "name");
    CHECK(std::string(e.what()) == "test.csv:2: column \"name\": duplicate header column (fields 2 and 4)");
    // Also among columns the schema does not use.
    CHECK(read_error<small_schema>("id,name,score,x,x\n").column() == "x");
}

TEST_CASE("error: an unparsable number", "[io][csv][reader][error]") {
    const auto e = read_error<credit::training_schema>(
        "Sno,Age,Sex,Job,Housing,Saving accounts,Checking account,Credit amount,Duration,Purpose,Risk\n"
        "0,67,male,2,own,NA,little,1169,6,radio/TV,good\n"
        "1,abc,female,2,own,little,moderate,5951,48,radio/TV,bad\n");
    CHECK(e.source() == "test.csv");
    CHECK(e.line() == 3);
    CHECK(e.column() == "Age");
    CHECK(std::string(e.what()) == "test.csv:3: column \"Age\": expected an integer, found \"abc\"");

    CHECK(contains(read_error<small_schema>("id,name,score\n1.5,a,2\n").what(),
                   ":2: column \"id\": expected an integer, found \"1.5\""));
    CHECK(contains(read_error<small_schema>("id,name,score\n1,a,2x\n").what(),
                   ":2: column \"score\": expected a number, found \"2x\""));
    CHECK(contains(read_error<small_schema>("id,name,score\n1,a,\n").what(),
                   ":2: column \"score\": expected a number, found an empty field"));
    CHECK(contains(read_error<small_schema>("id,name,score\n+-1,a,1\n").what(), "found \"+-1\""));
    CHECK(contains(read_error<small_schema>("id,name,score\n0x1F,a,1\n").what(), "found \"0x1F\""));
}

TEST_CASE("error: an integer out of range", "[io][csv][reader][error]") {
    using ints = schema<column<"a", std::int8_t>, column<"b", std::uint32_t>, column<"c", std::int64_t>>;
    auto e = read_error<ints>("a,b,c\n1,2,3\n128,2,3\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == "a");
    CHECK(std::string(e.what()) == "test.csv:3: column \"a\": integer out of range for int8 (-128 to 127), found \"128\"");
    e = read_error<ints>("a,b,c\n1,4294967296,3\n");
    CHECK(e.column() == "b");
    CHECK(contains(e.what(), "integer out of range for uint32 (0 to 4294967295), found \"4294967296\""));
    e = read_error<ints>("a,b,c\n1,-1,3\n");  // a sign is no overflow: it is not an unsigned integer at all
    CHECK(contains(e.what(), "column \"b\": expected an integer, found \"-1\""));
    e = read_error<ints>("a,b,c\n1,1,99999999999999999999\n");
    CHECK(e.column() == "c");
    CHECK(contains(e.what(), "integer out of range for int64"));
    using reals = schema<column<"d", double>>;
    CHECK(contains(read_error<reals>("d\n1e999\n").what(),
                   "column \"d\": number out of range for double, found \"1e999\""));
}

TEST_CASE("error: a ragged row", "[io][csv][reader][error]") {
    auto e = read_error<small_schema>("id,name,score\n1,a,2\n2,b\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == "score");  // the first column the row lacks
    CHECK(std::string(e.what()) ==
          "test.csv:3: column \"score\": expected 3 fields, found 2 (the row ends before this column)");
    e = read_error<small_schema>("id,name,score\n1,a,2,3\n");
    CHECK(e.line() == 2);
    CHECK(e.column().empty());
    CHECK(std::string(e.what()) == "test.csv:2: expected 3 fields, found 4");
    // A trailing delimiter is one more (empty) field.
    CHECK(read_error<small_schema>("id,name,score\n1,a,2,\n").reason() == "expected 3 fields, found 4");
}

TEST_CASE("error: an unterminated quote names the line it opened on", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>("id,name,score\n1,a,1\n2,\"open\n3,b,3\n4,c,4\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == "name");
    CHECK(std::string(e.what()) ==
          "test.csv:3: column \"name\": unterminated quoted field: the quote opened on line 3 is never closed");
    // In the header, before any column is known.
    const auto h = read_error<small_schema>("id,\"name,score\n");
    CHECK(h.line() == 1);
    CHECK(h.column().empty());
}

TEST_CASE("error: text after a closing quote", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>("id,name,score\n1,\"a\"b,2\n");
    CHECK(e.line() == 2);
    CHECK(e.column() == "name");
    CHECK(contains(e.what(), "expected a delimiter or the end of the line after a closing quote, found \"b\""));
}

TEST_CASE("error: a missing value in a column that is not nullable", "[io][csv][reader][error]") {
    auto e = read_error<small_schema>("id,name,score\n1,a,2\n2,NA,3\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == "name");
    CHECK(std::string(e.what()) == "test.csv:3: column \"name\": missing value \"NA\" in a column that is not "
                                   "nullable (declare it nullable<...> to allow it)");
    e = read_error<small_schema>("id,name,score\nNA,a,3\n");
    CHECK(e.column() == "id");
    CHECK(contains(e.what(), "missing value \"NA\""));
    e = read_error<declared_schema>("id,color,size\n1,NA,S\n");
    CHECK(e.column() == "color");
    CHECK(contains(e.what(), "missing value \"NA\""));
}

TEST_CASE("error: an unknown declared category lists the allowed ones", "[io][csv][reader][error]") {
    const auto e = read_error<declared_schema>("id,color,size\n1,red,S\n2,purple,M\n");
    CHECK(e.line() == 3);
    CHECK(e.column() == "color");
    CHECK(std::string(e.what()) ==
          "test.csv:3: column \"color\": unknown category \"purple\" (declared: \"red\", \"green\", \"blue\")");
    CHECK(contains(read_error<declared_schema>("id,color,size\n1,red,XL\n").what(),
                   "column \"size\": unknown category \"XL\" (declared: \"S\", \"M\", \"L\")"));
    // Quoted "NA" is the string NA, which is not declared.
    CHECK(contains(read_error<declared_schema>("id,color,size\n1,red,\"NA\"\n").what(), "unknown category \"NA\""));
}

TEST_CASE("error: a file that cannot be opened", "[io][csv][reader][error]") {
    const auto missing = std::filesystem::path(CTML_TEST_DATA_DIR) / "no_such_file.csv";
    auto e = csv_test::catch_csv_error([&] { (void)read_csv<small_schema>(missing); });
    CHECK(e.source() == missing.string());
    CHECK(e.line() == 0);
    CHECK(std::string(e.what()) == missing.string() + ": cannot open file: No such file or directory");
    e = csv_test::catch_csv_error([&] { (void)read_csv<small_schema>(CTML_TEST_DATA_DIR); });
    CHECK(contains(e.what(), "is a directory, not a file"));
}

TEST_CASE("error: a record longer than max_record_bytes", "[io][csv][reader][error]") {
    const std::string long_field(5000, 'x');
    auto e = read_error<small_schema>("id,name,score\n1,\"" + long_field + "\n",
                                      {.block_bytes = 64, .max_record_bytes = 1024});
    CHECK(e.line() == 2);
    CHECK(contains(e.what(), "a record longer than 1024 bytes (csv_options::max_record_bytes); is the quote "
                             "opened on line 2 unterminated?"));
    // Within the limit the buffer grows as needed.
    const auto f = read_text<small_schema>("id,name,score\n1," + long_field + ",2\n",
                                           {.block_bytes = 64, .max_record_bytes = 8192});
    CHECK(f.column<"name">().value(0) == long_field);
}

TEST_CASE("error lines are physical lines: quoted line breaks, CRLF and blank lines count", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>(
        "id,name,score\r\n"       // 1
        "1,\"multi\r\nline\",1\r\n"  // 2-3
        "\r\n"                    // 4
        "2,\"x\ny\nz\",2\n"       // 5-7
        "3,c,oops\n");            // 8
    CHECK(e.line() == 8);
    CHECK(e.column() == "score");
    // The line of the field itself, when a row spans lines.
    const auto f = read_error<small_schema>("id,name,score\n1,\"a\nb\",x\n");
    CHECK(f.line() == 3);
    CHECK(f.column() == "score");
}

TEST_CASE("error messages stay on one line", "[io][csv][reader][error]") {
    const auto e = read_error<small_schema>("id,name,score\n\"1\n2\",a,1\n");
    CHECK(e.line() == 2);
    CHECK(std::string(e.what()) == "test.csv:2: column \"id\": expected an integer, found \"1\\n2\"");
    const std::string long_value(500, '7');
    const auto g = read_error<small_schema>("id,name,score\n" + long_value + ",a,1\n");
    CHECK(std::string(g.what()).size() < 200);
}

TEST_CASE("a reader that failed stays failed", "[io][csv][reader][error]") {
    std::istringstream in("id,name,score\n1,a,1\nx,b,2\n3,c,3\n");
    csv_reader<small_schema> reader(in, "s.csv");
    CHECK_THROWS_AS(reader.read(10), csv_error);
    const auto e = csv_test::catch_csv_error([&] { (void)reader.read(10); });
    CHECK(e.line() == 3);
}

TEST_CASE("a file larger than the first sample is read whole, in order", "[io][csv][reader]") {
    // Past the first rows the reader sizes its columns from the file size; rows of
    // very different lengths must not throw that off.
    const auto dir = std::filesystem::temp_directory_path() / "ctml_test_csv_reader";
    std::filesystem::create_directories(dir);
    const auto path = dir / "large.csv";
    std::string text = "score,id,name\n";
    for (int i = 0; i < 20000; ++i)
        text += std::to_string(i) + ".25," + std::to_string(i) + "," +
                (i < 1024 ? std::string("s") : std::string(static_cast<std::size_t>(i % 97), 'x')) + "\n";
    {
        std::ofstream out(path, std::ios::binary);
        out << text;
    }
    const auto f = read_csv<small_schema>(path);
    REQUIRE(f.rows() == 20000);
    bool in_order = true;
    for (std::size_t i = 0; i < f.rows(); ++i)
        in_order = in_order && f.column<"id">()[i] == static_cast<std::int64_t>(i) &&
                   f.column<"score">()[i] == static_cast<double>(i) + 0.25;
    CHECK(in_order);
    CHECK(f.column<"name">().value(19999) == std::string(19999 % 97, 'x'));
    CHECK(csv_test::same_values(f, read_text<small_schema>(text)));
    std::filesystem::remove_all(dir);
}

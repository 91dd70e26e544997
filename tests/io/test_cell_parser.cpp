// The one parser from text or JSON values to typed cells: what it accepts,
// and the reasons it gives when it does not (the caller decides the error type).
#include <catch2/catch.hpp>

#include <cstdint>

#include <ctml/io.hpp>

using namespace ctml;

namespace {
using integer = column<"n", std::int64_t>;
using maybe_integer = column<"n", nullable<std::int64_t>>;
using category = column<"c", categorical>;
using sex = column<"s", categories<"female", "male">>;

template <class Column>
auto builder() {
    return frame_builder<schema<Column>>{};
}
}  // namespace

TEST_CASE("text becomes a typed cell or a reason", "[io][cells]") {
    const missing_token_set na({"NA"});
    auto b = builder<integer>();
    auto& col = b.column_at<0>();
    CHECK_FALSE(append_text_cell<integer>(col, "+42", false, na));
    CHECK(append_text_cell<integer>(col, "4x", false, na) == "expected an integer, found \"4x\"");
    CHECK(append_text_cell<integer>(col, "", false, na) == "expected an integer, found an empty field");
    CHECK_THAT(*append_text_cell<integer>(col, "NA", false, na), Catch::Contains("not nullable"));
    CHECK_THAT(*append_text_cell<integer>(col, "99999999999999999999", false, na), Catch::Contains("out of range for int64"));

    auto m = builder<maybe_integer>();
    CHECK_FALSE(append_text_cell<maybe_integer>(m.column_at<0>(), "NA", false, na));
    auto c = builder<category>();
    CHECK_FALSE(append_text_cell<category>(c.column_at<0>(), "NA", true, na));  // quoted: the category "NA"
    CHECK(append_text_cell<category>(c.column_at<0>(), "NA", false, na).has_value());
    auto s = builder<sex>();
    CHECK(append_text_cell<sex>(s.column_at<0>(), "other", false, na) ==
          "unknown category \"other\" (declared: \"female\", \"male\")");
}

TEST_CASE("JSON numbers and nulls become typed cells or a reason", "[io][cells]") {
    auto b = builder<integer>();
    CHECK_FALSE(append_number_cell<integer>(b.column_at<0>(), 3.0));
    CHECK_THAT(*append_number_cell<integer>(b.column_at<0>(), 1.5), Catch::Contains("expected an integer"));
    CHECK_THAT(*append_number_cell<integer>(b.column_at<0>(), 1e300), Catch::Contains("out of range"));
    CHECK_THAT(*append_missing_cell<integer>(b.column_at<0>()), Catch::Contains("not nullable"));
    auto c = builder<category>();
    CHECK_THAT(*append_number_cell<category>(c.column_at<0>(), 1.0), Catch::Contains("expected a string"));
    auto m = builder<maybe_integer>();
    CHECK_FALSE(append_missing_cell<maybe_integer>(m.column_at<0>()));
    const auto f = std::move(m).finish();
    CHECK(f.column<"n">().is_missing(0));
}

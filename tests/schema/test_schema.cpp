// schema<...>: names, positions, lookups and compositions, all at compile time.
// A schema with a duplicate name (or a request for a missing column) does not
// compile; the latter has a must-not-compile test in tests/compile_fail/, the
// former is a static_assert in schema<...> ("column names must be unique").
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>
#include <vector>

#include <ctml/schema/column.hpp>
#include <ctml/schema/schema.hpp>

namespace {
using credit = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>,
                            ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
                            ctml::column<"Credit amount", double>>;
using target = ctml::schema<ctml::column<"Risk", ctml::categories<"bad", "good">>>;
using empty = ctml::schema<>;
}  // namespace

TEST_CASE("schema lists its columns in order", "[schema]") {
    STATIC_REQUIRE(credit::size == 4);
    STATIC_REQUIRE(credit::names[0] == "Age");
    STATIC_REQUIRE(credit::names[2] == "Saving accounts");
    STATIC_REQUIRE(credit::names[3] == "Credit amount");
    STATIC_REQUIRE(std::is_same_v<credit::column_at<1>, ctml::column<"Sex", ctml::categorical>>);
    STATIC_REQUIRE(std::tuple_size_v<credit::columns> == 4);
    STATIC_REQUIRE(empty::size == 0);
    STATIC_REQUIRE(ctml::schema_type<credit>);
    STATIC_REQUIRE(ctml::schema_type<empty>);
    STATIC_REQUIRE(!ctml::schema_type<int>);
}

TEST_CASE("schema::index_of and column_named find a column by name", "[schema]") {
    STATIC_REQUIRE(credit::index_of<"Age"> == 0);
    STATIC_REQUIRE(credit::index_of<"Saving accounts"> == 2);
    STATIC_REQUIRE(credit::index_of<"Credit amount"> == 3);
    STATIC_REQUIRE(std::is_same_v<credit::column_named<"Credit amount">, ctml::column<"Credit amount", double>>);
}

TEST_CASE("schema::contains answers without a compile error", "[schema]") {
    STATIC_REQUIRE(credit::contains<"Sex">);
    STATIC_REQUIRE(credit::contains<"Saving accounts">);
    STATIC_REQUIRE(!credit::contains<"Agee">);
    STATIC_REQUIRE(!credit::contains<"age">);
    STATIC_REQUIRE(!credit::contains<"Saving">);
    STATIC_REQUIRE(!empty::contains<"Age">);
}

TEST_CASE("schema::find looks up run-time names", "[schema]") {
    STATIC_REQUIRE(credit::find("Sex") == 1);
    STATIC_REQUIRE(credit::find("Nope") == credit::size);
    const std::string_view from_a_header = "Saving accounts";
    REQUIRE(credit::find(from_a_header) == 2);
    REQUIRE(credit::find("") == credit::size);
    REQUIRE(empty::find("Age") == 0);
}

TEST_CASE("schema::select keeps the named columns in the order named", "[schema]") {
    using picked = credit::select<"Credit amount", "Age">;
    STATIC_REQUIRE(picked::size == 2);
    STATIC_REQUIRE(std::is_same_v<picked, ctml::schema<ctml::column<"Credit amount", double>, ctml::column<"Age", int>>>);
    STATIC_REQUIRE(std::is_same_v<credit::select<>, empty>);
    STATIC_REQUIRE(std::is_same_v<credit::select<"Age", "Sex", "Saving accounts", "Credit amount">, credit>);
}

TEST_CASE("concat_schema_t appends one schema to another", "[schema]") {
    using both = ctml::concat_schema_t<credit, target>;
    STATIC_REQUIRE(both::size == 5);
    STATIC_REQUIRE(both::index_of<"Risk"> == 4);
    STATIC_REQUIRE(both::index_of<"Age"> == 0);
    STATIC_REQUIRE(std::is_same_v<ctml::concat_schema_t<empty, target>, target>);
    STATIC_REQUIRE(std::is_same_v<ctml::concat_schema_t<credit, empty>, credit>);
}

TEST_CASE("for_each_column_index visits every position once, in order", "[schema]") {
    std::vector<std::size_t> seen;
    ctml::for_each_column_index<credit>([&](auto i) {
        STATIC_REQUIRE(std::is_same_v<decltype(i), std::integral_constant<std::size_t, decltype(i)::value>>);
        seen.push_back(i);
    });
    REQUIRE(seen == std::vector<std::size_t>{0, 1, 2, 3});

    std::size_t calls = 0;
    ctml::for_each_column_index<empty>([&](auto) { ++calls; });
    REQUIRE(calls == 0);

    // Usable in constant expressions, with the index as a compile-time value.
    constexpr std::size_t numeric_columns = [] {
        std::size_t n = 0;
        ctml::for_each_column_index<credit>([&](auto i) { n += credit::column_at<i>::is_numeric ? 1 : 0; });
        return n;
    }();
    STATIC_REQUIRE(numeric_columns == 2);
}

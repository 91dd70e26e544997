// fixed_string: string literals as template arguments, spaces included.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <type_traits>

#include <ctml/schema/column.hpp>
#include <ctml/schema/fixed_string.hpp>

namespace {
template <ctml::fixed_string Name>
struct named {
    static constexpr std::string_view name = Name;
};
}  // namespace

TEST_CASE("fixed_string holds the literal without its terminator", "[schema][fixed_string]") {
    constexpr ctml::fixed_string age("Age");
    STATIC_REQUIRE(age.size() == 3);
    STATIC_REQUIRE(age.view() == "Age");
    STATIC_REQUIRE(std::is_same_v<decltype(age), const ctml::fixed_string<4>>);
    REQUIRE(std::string(age.view()) == "Age");
}

TEST_CASE("fixed_string keeps spaces and other characters", "[schema][fixed_string]") {
    constexpr ctml::fixed_string saving("Saving accounts");
    STATIC_REQUIRE(saving.size() == 15);
    STATIC_REQUIRE(saving.view() == "Saving accounts");
    STATIC_REQUIRE(ctml::fixed_string("  two  leading ").view() == "  two  leading ");
    STATIC_REQUIRE(ctml::fixed_string("Credit amount (DM)").size() == 18);
    STATIC_REQUIRE(named<"Checking account">::name == "Checking account");
    STATIC_REQUIRE(ctml::column<"Saving accounts", ctml::categorical>::name.view() == "Saving accounts");
}

TEST_CASE("fixed_string compares by content across lengths", "[schema][fixed_string]") {
    STATIC_REQUIRE(ctml::fixed_string("Age") == ctml::fixed_string("Age"));
    STATIC_REQUIRE(!(ctml::fixed_string("Age") == ctml::fixed_string("Ages")));
    STATIC_REQUIRE(!(ctml::fixed_string("Age") == ctml::fixed_string("age")));
    STATIC_REQUIRE(!(ctml::fixed_string("a b") == ctml::fixed_string("ab")));
}

TEST_CASE("fixed_string converts to std::string_view", "[schema][fixed_string]") {
    static constexpr ctml::fixed_string housing("Housing");
    constexpr std::string_view v = housing;
    STATIC_REQUIRE(v == "Housing");
    STATIC_REQUIRE(v.size() == 7);
}

TEST_CASE("equal fixed_strings name the same template instantiation", "[schema][fixed_string]") {
    STATIC_REQUIRE(std::is_same_v<named<"Job">, named<"Job">>);
    STATIC_REQUIRE(!std::is_same_v<named<"Job">, named<"Jobs">>);
    STATIC_REQUIRE(!std::is_same_v<named<"a b">, named<"a  b">>);
}

// declared_category<categories<...>>: one value of a declared vocabulary,
// stored as its index.
#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <ctml/schema/column.hpp>
#include <ctml/schema/declared_category.hpp>

namespace {
using risk_values = ctml::categories<"bad", "good">;
using housing_values = ctml::categories<"own", "rent", "for free">;
using risk = ctml::declared_category<risk_values>;
using housing = ctml::declared_category<housing_values>;
}  // namespace

TEST_CASE("declared_category is built from its text", "[schema][declared_category]") {
    const housing h("rent");
    REQUIRE(h.index() == 1);
    REQUIRE(h.view() == "rent");
    REQUIRE(housing("for free").index() == 2);
    REQUIRE(housing("for free").view() == "for free");
}

TEST_CASE("declared_category works in constant expressions", "[schema][declared_category]") {
    constexpr risk good("good");
    STATIC_REQUIRE(good.index() == 1);
    STATIC_REQUIRE(good.view() == "good");
    STATIC_REQUIRE(risk::from_index(0).view() == "bad");
    STATIC_REQUIRE(risk("bad") == risk::from_index(0));
}

TEST_CASE("a default declared_category is the first declared value", "[schema][declared_category]") {
    const housing h;
    REQUIRE(h.index() == 0);
    REQUIRE(h.view() == "own");
    REQUIRE(h == housing("own"));
}

TEST_CASE("unknown text throws, naming the value and the declared ones", "[schema][declared_category]") {
    REQUIRE_THROWS_AS(housing("castle"), std::invalid_argument);
    REQUIRE_THROWS_WITH(housing("castle"), "unknown category \"castle\" (declared: \"own\", \"rent\", \"for free\")");
    REQUIRE_THROWS_WITH(risk("Good"), "unknown category \"Good\" (declared: \"bad\", \"good\")");
    REQUIRE_THROWS_WITH(risk(""), "unknown category \"\" (declared: \"bad\", \"good\")");
}

TEST_CASE("from_index checks the range", "[schema][declared_category]") {
    REQUIRE(housing::from_index(2).view() == "for free");
    REQUIRE_THROWS_AS(housing::from_index(3), std::out_of_range);
    REQUIRE_THROWS_WITH(housing::from_index(99), "ctml::declared_category: index out of range");
}

TEST_CASE("declared_category compares by value", "[schema][declared_category]") {
    REQUIRE(risk("good") == risk("good"));
    REQUIRE_FALSE(risk("good") == risk("bad"));
    REQUIRE(risk("good") != risk("bad"));
}

TEST_CASE("declared_category is a small trivially copyable index", "[schema][declared_category]") {
    STATIC_REQUIRE(std::is_trivially_copyable_v<housing>);
    STATIC_REQUIRE(sizeof(housing) == sizeof(std::uint32_t));
    STATIC_REQUIRE(std::is_nothrow_default_constructible_v<housing>);
    // Text must be converted explicitly: it can fail.
    STATIC_REQUIRE(!std::is_convertible_v<const char*, housing>);
    STATIC_REQUIRE(std::is_constructible_v<housing, std::string>);
}

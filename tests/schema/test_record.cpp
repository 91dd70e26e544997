// record<Schema>: one typed row, cells by name.
#include <catch2/catch.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <ctml/schema/record.hpp>

namespace {
using risk_values = ctml::categories<"bad", "good">;
using checking_values = ctml::categories<"little", "moderate", "rich">;
using applicant = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>,
                               ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
                               ctml::column<"Credit amount", ctml::nullable<double>>,
                               ctml::column<"Risk", risk_values>,
                               ctml::column<"Checking account", ctml::nullable<checking_values>>>;
using rec = ctml::record<applicant>;
}  // namespace

TEST_CASE("a default record is zeros, empty strings, first categories and missing cells", "[schema][record]") {
    const rec r;
    REQUIRE(r.get<"Age">() == 0);
    REQUIRE(r.get<"Sex">().empty());
    REQUIRE_FALSE(r.get<"Saving accounts">().has_value());
    REQUIRE_FALSE(r.get<"Credit amount">().has_value());
    REQUIRE(r.get<"Risk">().view() == "bad");
    REQUIRE_FALSE(r.get<"Checking account">().has_value());
}

TEST_CASE("record cells have the cell_t of their column", "[schema][record]") {
    rec r;
    STATIC_REQUIRE(std::is_same_v<decltype(r.get<"Age">()), int&>);
    STATIC_REQUIRE(std::is_same_v<decltype(r.get<"Sex">()), std::string&>);
    STATIC_REQUIRE(std::is_same_v<decltype(r.get<"Credit amount">()), std::optional<double>&>);
    STATIC_REQUIRE(std::is_same_v<decltype(r.get<"Risk">()), ctml::declared_category<risk_values>&>);
    STATIC_REQUIRE(std::is_same_v<decltype(std::as_const(r).get<"Age">()), const int&>);
    STATIC_REQUIRE(std::is_same_v<decltype(r.get_at<2>()), std::optional<std::string>&>);
    STATIC_REQUIRE(std::is_same_v<rec::schema_type, applicant>);
}

TEST_CASE("record set and get by name, chained", "[schema][record]") {
    rec r;
    r.set<"Age">(67).set<"Sex">("male").set<"Credit amount">(1169.0).set<"Saving accounts">(std::string("little"));
    REQUIRE(r.get<"Age">() == 67);
    REQUIRE(r.get<"Sex">() == "male");
    REQUIRE(r.get<"Credit amount">() == std::optional<double>(1169.0));
    REQUIRE(r.get<"Saving accounts">() == std::optional<std::string>("little"));

    r.get<"Age">() = 22;
    REQUIRE(r.get<"Age">() == 22);
    REQUIRE(ctml::get<"Age">(r) == 22);
    ctml::get<"Age">(r) = 23;
    REQUIRE(std::as_const(r).get<"Age">() == 23);
    REQUIRE(ctml::get<"Sex">(std::as_const(r)) == "male");
}

TEST_CASE("nullable cells are set missing with std::nullopt", "[schema][record]") {
    rec r;
    r.set<"Credit amount">(5951.0).set<"Saving accounts">("rich");
    REQUIRE(r.get<"Credit amount">().has_value());
    r.set<"Credit amount">(std::nullopt).set<"Saving accounts">(std::nullopt);
    REQUIRE_FALSE(r.get<"Credit amount">().has_value());
    REQUIRE_FALSE(r.get<"Saving accounts">().has_value());
}

TEST_CASE("declared-category cells are set from their text", "[schema][record]") {
    rec r;
    r.set<"Risk">("good").set<"Checking account">("moderate");
    REQUIRE(r.get<"Risk">().view() == "good");
    REQUIRE(r.get<"Risk">().index() == 1);
    REQUIRE(r.get<"Checking account">().has_value());
    REQUIRE(r.get<"Checking account">()->view() == "moderate");

    r.set<"Risk">(std::string("bad")).set<"Checking account">(std::string_view("rich"));
    REQUIRE(r.get<"Risk">().view() == "bad");
    REQUIRE(r.get<"Checking account">()->index() == 2);

    r.set<"Risk">(ctml::declared_category<risk_values>::from_index(1));
    REQUIRE(r.get<"Risk">().view() == "good");
    r.set<"Checking account">(std::nullopt);
    REQUIRE_FALSE(r.get<"Checking account">().has_value());
}

TEST_CASE("an unknown declared category throws and leaves the cell unchanged", "[schema][record]") {
    rec r;
    r.set<"Risk">("good");
    REQUIRE_THROWS_AS(r.set<"Risk">("excellent"), std::invalid_argument);
    REQUIRE_THROWS_WITH(r.set<"Checking account">("none"),
                        "unknown category \"none\" (declared: \"little\", \"moderate\", \"rich\")");
    REQUIRE(r.get<"Risk">().view() == "good");
    REQUIRE_FALSE(r.get<"Checking account">().has_value());
}

TEST_CASE("records compare cell by cell", "[schema][record]") {
    rec a;
    rec b;
    REQUIRE(a == b);
    a.set<"Sex">("female");
    REQUIRE_FALSE(a == b);
    b.set<"Sex">("female");
    REQUIRE(a == b);
    b.set<"Credit amount">(1.0);
    REQUIRE(a != b);
    a.set<"Credit amount">(1.0);
    a.set<"Checking account">("rich");
    REQUIRE(a != b);
    b.set<"Checking account">("rich");
    REQUIRE(a == b);

    const rec copy = a;
    REQUIRE(copy == a);
}

TEST_CASE("set_at and get_at address cells by position", "[schema][record]") {
    rec r;
    r.set_at<0>(30);
    r.set_at<4>("good");
    REQUIRE(r.get_at<0>() == 30);
    REQUIRE(r.get<"Risk">().view() == "good");
}

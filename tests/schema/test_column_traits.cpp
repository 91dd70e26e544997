// column<Name, Type> flags and the C++ types (value_t, cell_t, storage_t,
// builder_t) each declared type maps to.
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include <ctml/schema/categorical_column.hpp>
#include <ctml/schema/column.hpp>
#include <ctml/schema/column_traits.hpp>
#include <ctml/schema/declared_category.hpp>
#include <ctml/schema/numeric_column.hpp>

namespace {
using housing_values = ctml::categories<"own", "rent", "free">;

using age = ctml::column<"Age", int>;
using amount = ctml::column<"Credit amount", double>;
using income = ctml::column<"Income", ctml::nullable<double>>;
using sex = ctml::column<"Sex", ctml::categorical>;
using saving = ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>;
using housing = ctml::column<"Housing", housing_values>;
using checking = ctml::column<"Checking account", ctml::nullable<ctml::categories<"little", "moderate", "rich">>>;
}  // namespace

TEST_CASE("column flags follow the declared type", "[schema][column]") {
    STATIC_REQUIRE(age::is_numeric);
    STATIC_REQUIRE(!age::is_categorical);
    STATIC_REQUIRE(!age::is_nullable);
    STATIC_REQUIRE(!age::has_declared_categories);

    STATIC_REQUIRE(income::is_numeric);
    STATIC_REQUIRE(income::is_nullable);

    STATIC_REQUIRE(sex::is_categorical);
    STATIC_REQUIRE(!sex::is_numeric);
    STATIC_REQUIRE(!sex::is_nullable);
    STATIC_REQUIRE(!sex::has_declared_categories);

    STATIC_REQUIRE(saving::is_categorical);
    STATIC_REQUIRE(saving::is_nullable);
    STATIC_REQUIRE(!saving::has_declared_categories);

    STATIC_REQUIRE(housing::is_categorical);
    STATIC_REQUIRE(housing::has_declared_categories);
    STATIC_REQUIRE(!housing::is_nullable);

    STATIC_REQUIRE(checking::is_categorical);
    STATIC_REQUIRE(checking::has_declared_categories);
    STATIC_REQUIRE(checking::is_nullable);
}

TEST_CASE("column exposes its name, declared type and value kind", "[schema][column]") {
    STATIC_REQUIRE(age::name.view() == "Age");
    STATIC_REQUIRE(std::is_same_v<income::type, ctml::nullable<double>>);
    STATIC_REQUIRE(std::is_same_v<income::value_kind, double>);
    STATIC_REQUIRE(std::is_same_v<saving::value_kind, ctml::categorical>);
    STATIC_REQUIRE(std::is_same_v<housing::value_kind, housing_values>);
}

TEST_CASE("numeric_value and column_value_type accept what a column may hold", "[schema][column]") {
    STATIC_REQUIRE(ctml::numeric_value<double>);
    STATIC_REQUIRE(ctml::numeric_value<float>);
    STATIC_REQUIRE(ctml::numeric_value<int>);
    STATIC_REQUIRE(ctml::numeric_value<std::int64_t>);
    STATIC_REQUIRE(!ctml::numeric_value<bool>);
    STATIC_REQUIRE(!ctml::numeric_value<const double>);
    STATIC_REQUIRE(!ctml::numeric_value<double&>);
    STATIC_REQUIRE(!ctml::numeric_value<std::string>);

    STATIC_REQUIRE(ctml::column_value_type<ctml::categorical>);
    STATIC_REQUIRE(ctml::column_value_type<ctml::nullable<int>>);
    STATIC_REQUIRE(ctml::column_value_type<housing_values>);
    STATIC_REQUIRE(ctml::column_value_type<ctml::nullable<housing_values>>);
    STATIC_REQUIRE(!ctml::column_value_type<std::string>);
    STATIC_REQUIRE(!ctml::column_value_type<bool>);

    STATIC_REQUIRE(ctml::column_type<age>);
    STATIC_REQUIRE(ctml::column_type<checking>);
    STATIC_REQUIRE(!ctml::column_type<int>);
}

TEST_CASE("declared categories know their values, size and positions", "[schema][column]") {
    STATIC_REQUIRE(housing_values::size == 3);
    STATIC_REQUIRE(housing_values::values[0] == "own");
    STATIC_REQUIRE(housing_values::values[2] == "free");
    STATIC_REQUIRE(housing_values::find("rent") == std::optional<std::size_t>(1));
    STATIC_REQUIRE(!housing_values::find("Rent").has_value());
    STATIC_REQUIRE(!housing_values::find("").has_value());
    STATIC_REQUIRE(ctml::categories<"with space", "x">::find("with space") == std::optional<std::size_t>(0));
}

TEST_CASE("value_t is the value of a non-missing cell", "[schema][column_traits]") {
    STATIC_REQUIRE(std::is_same_v<ctml::value_t<age>, int>);
    STATIC_REQUIRE(std::is_same_v<ctml::value_t<income>, double>);
    STATIC_REQUIRE(std::is_same_v<ctml::value_t<sex>, std::string>);
    STATIC_REQUIRE(std::is_same_v<ctml::value_t<saving>, std::string>);
    STATIC_REQUIRE(std::is_same_v<ctml::value_t<housing>, ctml::declared_category<housing_values>>);
}

TEST_CASE("cell_t wraps nullable columns in std::optional", "[schema][column_traits]") {
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<age>, int>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<amount>, double>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<income>, std::optional<double>>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<sex>, std::string>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<saving>, std::optional<std::string>>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<housing>, ctml::declared_category<housing_values>>);
    STATIC_REQUIRE(std::is_same_v<ctml::cell_t<checking>,
                                  std::optional<ctml::declared_category<checking::value_kind>>>);
}

TEST_CASE("storage_t and builder_t pick the column containers", "[schema][column_traits]") {
    STATIC_REQUIRE(std::is_same_v<ctml::storage_t<age>, ctml::numeric_column<int>>);
    STATIC_REQUIRE(std::is_same_v<ctml::storage_t<income>, ctml::numeric_column<double>>);
    STATIC_REQUIRE(std::is_same_v<ctml::storage_t<sex>, ctml::categorical_column>);
    STATIC_REQUIRE(std::is_same_v<ctml::storage_t<housing>, ctml::categorical_column>);
    STATIC_REQUIRE(std::is_same_v<ctml::builder_t<age>, ctml::numeric_column_builder<int>>);
    STATIC_REQUIRE(std::is_same_v<ctml::builder_t<checking>, ctml::categorical_column_builder>);
    STATIC_REQUIRE(std::is_same_v<ctml::builder_t<age>::column_type, ctml::storage_t<age>>);
}

TEST_CASE("make_builder closes the vocabulary of declared categories", "[schema][column_traits]") {
    auto declared = ctml::make_builder<housing>();
    REQUIRE(declared.vocabulary().size() == 3);
    REQUIRE(declared.vocabulary()[0] == "own");
    REQUIRE(declared.vocabulary()[2] == "free");
    REQUIRE(declared.push_back("rent"));
    REQUIRE_FALSE(declared.push_back("castle"));
    REQUIRE(declared.size() == 1);

    auto learned = ctml::make_builder<sex>();
    REQUIRE(learned.vocabulary().empty());
    REQUIRE(learned.push_back("anything"));

    auto numeric = ctml::make_builder<age>();
    numeric.push_back(3);
    REQUIRE(numeric.size() == 1);
}

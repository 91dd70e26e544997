// categorical_column and categorical_column_builder: integer codes into a
// vocabulary, -1 for missing, interning while building.
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <ctml/schema/categorical_column.hpp>

namespace {
using code = ctml::categorical_column::code_type;
}

TEST_CASE("categorical_column maps codes to vocabulary strings", "[schema][categorical_column]") {
    const ctml::categorical_column c({0, 1, 1, -1, 2}, {"own", "rent", "free"});
    REQUIRE(c.size() == 5);
    REQUIRE(c.code(0) == 0);
    REQUIRE(c.code(3) == ctml::categorical_column::missing_code);
    REQUIRE(c.codes().size() == 5);
    REQUIRE(c.value(1) == "rent");
    REQUIRE(c.value(4) == "free");
    REQUIRE(c.vocabulary().size() == 3);
    REQUIRE(c.vocabulary()[0] == "own");
}

TEST_CASE("categorical_column marks code -1 as missing", "[schema][categorical_column]") {
    const ctml::categorical_column c({-1, 0, -1}, {"a"});
    REQUIRE(c.has_missing());
    REQUIRE(c.missing_count() == 2);
    REQUIRE(c.is_missing(0));
    REQUIRE_FALSE(c.is_missing(1));
    REQUIRE(c.value_or_missing(0) == std::nullopt);
    REQUIRE(c.value_or_missing(1) == std::optional<std::string_view>("a"));

    const ctml::categorical_column complete({0, 0}, {"a"});
    REQUIRE_FALSE(complete.has_missing());
    REQUIRE(complete.missing_count() == 0);
}

TEST_CASE("categorical_column::find gives the code of a string", "[schema][categorical_column]") {
    const ctml::categorical_column c({0}, {"little", "quite rich", "rich"});
    REQUIRE(c.find("little") == std::optional<code>(0));
    REQUIRE(c.find("quite rich") == std::optional<code>(1));
    REQUIRE(c.find("rich") == std::optional<code>(2));
    REQUIRE_FALSE(c.find("Rich").has_value());
    REQUIRE_FALSE(c.find("").has_value());
}

TEST_CASE("categorical_column rejects codes outside its vocabulary", "[schema][categorical_column]") {
    REQUIRE_THROWS_AS(ctml::categorical_column({0, 2}, {"a", "b"}), std::invalid_argument);
    REQUIRE_THROWS_WITH(ctml::categorical_column({0, 2}, {"a", "b"}),
                        "ctml::categorical_column: code 2 is outside a vocabulary of 2");
    REQUIRE_THROWS_WITH(ctml::categorical_column({-2}, {"a"}),
                        "ctml::categorical_column: code -2 is outside a vocabulary of 1");
    // With an empty vocabulary, only missing values are valid.
    REQUIRE_THROWS_AS(ctml::categorical_column({0}, std::vector<std::string>{}), std::invalid_argument);
    REQUIRE_NOTHROW(ctml::categorical_column({-1, -1}, std::vector<std::string>{}));
}

TEST_CASE("categorical_column rejects a vocabulary with duplicates", "[schema][categorical_column]") {
    REQUIRE_THROWS_AS(ctml::categorical_column({0}, {"a", "b", "a"}), std::invalid_argument);
    REQUIRE_THROWS_WITH(ctml::categorical_column({0}, {"male", "female", "male"}),
                        "ctml::categorical_column: vocabulary holds \"male\" twice");
    // Case and spaces matter: these are distinct.
    REQUIRE_NOTHROW(ctml::categorical_column({0}, {"a", "A", "a "}));
}

TEST_CASE("categorical_column rejects a null vocabulary", "[schema][categorical_column]") {
    REQUIRE_THROWS_WITH(ctml::categorical_column(ctml::detail::shared_buffer<code>(std::vector<code>{}), nullptr),
                        "ctml::categorical_column: null vocabulary");
}

TEST_CASE("a default categorical_column is empty", "[schema][categorical_column]") {
    const ctml::categorical_column c;
    REQUIRE(c.size() == 0);
    REQUIRE(c.vocabulary().empty());
    REQUIRE_FALSE(c.has_missing());
    REQUIRE_FALSE(c.find("a").has_value());
}

TEST_CASE("copies of a categorical_column share codes and vocabulary", "[schema][categorical_column]") {
    const ctml::categorical_column a({0, 1}, {"x", "y"});
    const ctml::categorical_column b = a;
    REQUIRE(b.codes().data() == a.codes().data());
    REQUIRE(b.shared_vocabulary() == a.shared_vocabulary());
    REQUIRE(b.buffer().data() == a.buffer().data());
}

TEST_CASE("categorical_column_builder interns values in first-seen order", "[schema][categorical_column_builder]") {
    ctml::categorical_column_builder b;
    b.reserve(6);
    REQUIRE(b.push_back("male"));
    REQUIRE(b.push_back("female"));
    REQUIRE(b.push_back("male"));
    b.push_back_missing();
    REQUIRE(b.push_back(std::string("female")));
    REQUIRE(b.push_back(""));  // an empty string is a value, not a missing one
    REQUIRE(b.size() == 6);
    REQUIRE(b.vocabulary().size() == 3);

    const auto c = std::move(b).finish();
    REQUIRE(c.size() == 6);
    REQUIRE(std::vector<code>(c.codes().begin(), c.codes().end()) == std::vector<code>{0, 1, 0, -1, 1, 2});
    REQUIRE(c.vocabulary()[0] == "male");
    REQUIRE(c.vocabulary()[1] == "female");
    REQUIRE(c.vocabulary()[2] == "");
    REQUIRE(c.missing_count() == 1);
}

TEST_CASE("categorical_column_builder's interned strings outlive the caller's", "[schema][categorical_column_builder]") {
    ctml::categorical_column_builder b;
    {
        std::string temporary = "a string long enough to live on the heap, not in SSO";
        REQUIRE(b.push_back(temporary));
        temporary.assign(temporary.size(), 'x');
    }
    REQUIRE(b.push_back("a string long enough to live on the heap, not in SSO"));
    const auto c = std::move(b).finish();
    REQUIRE(c.vocabulary().size() == 1);
    REQUIRE(c.code(1) == 0);
}

TEST_CASE("an open builder seeded with a vocabulary extends it", "[schema][categorical_column_builder]") {
    ctml::categorical_column_builder b({"own", "rent"}, false);
    REQUIRE(b.push_back("free"));
    REQUIRE(b.push_back("own"));
    const auto c = std::move(b).finish();
    REQUIRE(c.vocabulary().size() == 3);
    REQUIRE(c.code(0) == 2);
    REQUIRE(c.code(1) == 0);
}

TEST_CASE("a closed builder rejects unknown values and appends nothing", "[schema][categorical_column_builder]") {
    ctml::categorical_column_builder b({"bad", "good"}, true);
    REQUIRE(b.push_back("good"));
    REQUIRE_FALSE(b.push_back("Good"));
    REQUIRE_FALSE(b.push_back("excellent"));
    b.push_back_missing();
    REQUIRE(b.size() == 2);
    REQUIRE(b.vocabulary().size() == 2);

    const auto c = std::move(b).finish();
    REQUIRE(c.code(0) == 1);
    REQUIRE(c.is_missing(1));
    // The declared order is kept even for values never seen.
    REQUIRE(c.vocabulary()[0] == "bad");
}

TEST_CASE("a builder seeded with repeated values keeps one of each", "[schema][categorical_column_builder]") {
    ctml::categorical_column_builder b({"a", "b", "a"}, true);
    REQUIRE(b.vocabulary().size() == 2);
    REQUIRE(b.push_back("b"));
    REQUIRE_NOTHROW((void)std::move(b).finish());
}

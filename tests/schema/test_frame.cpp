// frame<Schema>: validation on construction, rows as records, select sharing
// storage, take gathering rows.
#include <catch2/catch.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <ctml/schema/frame.hpp>

namespace {
using housing_values = ctml::categories<"own", "rent", "free">;
using credit = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>,
                            ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
                            ctml::column<"Credit amount", ctml::nullable<double>>,
                            ctml::column<"Housing", housing_values>>;
using code = ctml::categorical_column::code_type;

ctml::frame<credit> make_credit() {
    return ctml::frame<credit>(ctml::numeric_column<int>({67, 22, 49, 45}),
                               ctml::categorical_column({0, 1, 0, 0}, {"male", "female"}),
                               ctml::categorical_column({-1, 0, 0, 1}, {"little", "rich"}),
                               ctml::numeric_column<double>({1169.0, 5951.0, 0.0, 7882.0}, {0, 0, 1, 0}),
                               ctml::categorical_column({0, 0, 0, 2}, {"own", "rent", "free"}));
}

std::vector<code> codes_of(const ctml::categorical_column& c) { return {c.codes().begin(), c.codes().end()}; }
}  // namespace

TEST_CASE("frame exposes its rows, columns and schema", "[schema][frame]") {
    const auto f = make_credit();
    REQUIRE(f.rows() == 4);
    STATIC_REQUIRE(ctml::frame<credit>::cols() == 5);
    REQUIRE_FALSE(f.empty());
    REQUIRE(f.column<"Age">()[3] == 45);
    REQUIRE(f.column<"Sex">().value(1) == "female");
    REQUIRE(f.column_at<3>().is_missing(2));
    STATIC_REQUIRE(std::is_same_v<std::remove_cvref_t<decltype(f.column<"Credit amount">())>,
                                  ctml::numeric_column<double>>);
    STATIC_REQUIRE(std::is_same_v<ctml::frame<credit>::schema_type, credit>);
    STATIC_REQUIRE(std::is_same_v<ctml::frame<credit>::record_type, ctml::record<credit>>);
    STATIC_REQUIRE(ctml::frame_type<ctml::frame<credit>>);
    STATIC_REQUIRE(!ctml::frame_type<credit>);
}

TEST_CASE("a default frame has no rows", "[schema][frame]") {
    const ctml::frame<credit> f;
    REQUIRE(f.rows() == 0);
    REQUIRE(f.empty());
    REQUIRE(f.column<"Age">().size() == 0);
}

TEST_CASE("frame rejects columns of different lengths, naming the column", "[schema][frame]") {
    using two = ctml::schema<ctml::column<"Age", int>, ctml::column<"Credit amount", double>>;
    REQUIRE_THROWS_AS(ctml::frame<two>(ctml::numeric_column<int>({1, 2, 3}), ctml::numeric_column<double>({1.0})),
                      std::invalid_argument);
    REQUIRE_THROWS_WITH(
        ctml::frame<two>(ctml::numeric_column<int>({1, 2, 3}), ctml::numeric_column<double>({1.0, 2.0})),
        "ctml::frame: column \"Credit amount\" has 2 rows, the first column 3");
    REQUIRE_THROWS_WITH(ctml::frame<two>(ctml::numeric_column<int>(std::vector<int>{}), ctml::numeric_column<double>({1.0})),
                        Catch::Contains("\"Credit amount\" has 1 rows"));
}

TEST_CASE("frame rejects missing values in a non-nullable column", "[schema][frame]") {
    using s = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>>;
    REQUIRE_THROWS_WITH(ctml::frame<s>(ctml::numeric_column<int>({1, 0}, {0, 1}),
                                       ctml::categorical_column({0, 0}, {"male"})),
                        "ctml::frame: column \"Age\" is not nullable but holds missing values");
    REQUIRE_THROWS_WITH(ctml::frame<s>(ctml::numeric_column<int>({1, 2}), ctml::categorical_column({0, -1}, {"male"})),
                        "ctml::frame: column \"Sex\" is not nullable but holds missing values");
    // An all-zero mask is not a missing value.
    REQUIRE_NOTHROW(ctml::frame<s>(ctml::numeric_column<int>({1, 2}, {0, 0}), ctml::categorical_column({0, 0}, {"male"})));
}

TEST_CASE("frame requires declared categories as the vocabulary, in order", "[schema][frame]") {
    using s = ctml::schema<ctml::column<"Housing", housing_values>>;
    const std::string message = "ctml::frame: column \"Housing\" must use its declared categories as vocabulary, in order";
    REQUIRE_THROWS_WITH(ctml::frame<s>(ctml::categorical_column({0}, {"own", "free", "rent"})), message);
    REQUIRE_THROWS_WITH(ctml::frame<s>(ctml::categorical_column({0}, {"own", "rent"})), message);
    REQUIRE_THROWS_WITH(ctml::frame<s>(ctml::categorical_column({0}, {"own", "rent", "free", "castle"})), message);
    REQUIRE_THROWS_AS(ctml::frame<s>(ctml::categorical_column(std::vector<code>{}, std::vector<std::string>{})), std::invalid_argument);
    REQUIRE_NOTHROW(ctml::frame<s>(ctml::categorical_column({2, 1}, {"own", "rent", "free"})));
}

TEST_CASE("frame::row reads a row into a record", "[schema][frame]") {
    const auto f = make_credit();
    const auto r0 = f.row(0);
    REQUIRE(r0.get<"Age">() == 67);
    REQUIRE(r0.get<"Sex">() == "male");
    REQUIRE_FALSE(r0.get<"Saving accounts">().has_value());
    REQUIRE(r0.get<"Credit amount">() == std::optional<double>(1169.0));
    REQUIRE(r0.get<"Housing">().view() == "own");

    const auto r2 = f.row(2);
    REQUIRE(r2.get<"Saving accounts">() == std::optional<std::string>("little"));
    REQUIRE_FALSE(r2.get<"Credit amount">().has_value());

    const auto r3 = f.row(3);
    REQUIRE(r3.get<"Housing">().view() == "free");
    REQUIRE(r3.get<"Saving accounts">() == std::optional<std::string>("rich"));

    ctml::record<credit> expected;
    expected.set<"Age">(22).set<"Sex">("female").set<"Saving accounts">("little").set<"Credit amount">(5951.0);
    REQUIRE(f.row(1) == expected);
}

TEST_CASE("frame::select shares the selected columns' storage", "[schema][frame]") {
    const auto f = make_credit();
    const auto s = f.select<"Credit amount", "Sex">();
    STATIC_REQUIRE(std::is_same_v<std::remove_const_t<decltype(s)>, ctml::frame<credit::select<"Credit amount", "Sex">>>);
    REQUIRE(s.rows() == 4);
    REQUIRE(s.column_at<0>().values().data() == f.column<"Credit amount">().values().data());
    REQUIRE(s.column_at<0>().missing_mask().data() == f.column<"Credit amount">().missing_mask().data());
    REQUIRE(s.column<"Sex">().codes().data() == f.column<"Sex">().codes().data());
    REQUIRE(s.column<"Sex">().shared_vocabulary() == f.column<"Sex">().shared_vocabulary());
    REQUIRE(s.row(2).get<"Credit amount">() == std::nullopt);
}

TEST_CASE("storage outlives the frame it was selected from", "[schema][frame]") {
    ctml::frame<credit::select<"Age">> ages;
    {
        const auto f = make_credit();
        ages = f.select<"Age">();
    }
    REQUIRE(ages.rows() == 4);
    REQUIRE(ages.column<"Age">()[0] == 67);
}

TEST_CASE("copying a frame shares its storage", "[schema][frame]") {
    const auto f = make_credit();
    const auto g = f;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
    REQUIRE(g.rows() == f.rows());
    REQUIRE(g.column<"Age">().values().data() == f.column<"Age">().values().data());
    REQUIRE(g.column<"Housing">().codes().data() == f.column<"Housing">().codes().data());
    REQUIRE(g.column<"Credit amount">().missing_mask().data() == f.column<"Credit amount">().missing_mask().data());
}

TEST_CASE("frame::take gathers rows in the given order, repeats allowed", "[schema][frame]") {
    const auto f = make_credit();
    const std::array<std::size_t, 5> rows{3, 2, 2, 0, 3};
    const auto t = f.take(rows);
    REQUIRE(t.rows() == 5);
    REQUIRE(t.column<"Age">()[0] == 45);
    REQUIRE(t.column<"Age">()[1] == 49);
    REQUIRE(t.column<"Age">()[2] == 49);
    REQUIRE(t.column<"Age">()[3] == 67);
    REQUIRE(codes_of(t.column<"Saving accounts">()) == std::vector<code>{1, 0, 0, -1, 1});
    REQUIRE(t.column<"Credit amount">().missing_count() == 2);
    REQUIRE(t.column<"Credit amount">().is_missing(1));
    REQUIRE(t.column<"Credit amount">().is_missing(2));
    REQUIRE(t.column<"Credit amount">()[4] == 7882.0);
    REQUIRE(t.row(3) == f.row(0));
    REQUIRE(t.row(4) == f.row(3));
    // Gathered values are new; vocabularies are shared.
    REQUIRE(t.column<"Age">().values().data() != f.column<"Age">().values().data());
    REQUIRE(t.column<"Sex">().shared_vocabulary() == f.column<"Sex">().shared_vocabulary());
    // The source is untouched.
    REQUIRE(f.column<"Age">()[0] == 67);
}

TEST_CASE("frame::take of a column with no missing values keeps no mask", "[schema][frame]") {
    const auto f = make_credit();
    const std::array<std::size_t, 2> rows{1, 0};
    const auto t = f.take(rows);
    REQUIRE(t.column<"Age">().missing_mask().empty());
    REQUIRE(t.column<"Credit amount">().missing_mask().size() == 2);
    REQUIRE_FALSE(t.column<"Credit amount">().has_missing());
}

TEST_CASE("frame::take with no indices gives an empty frame", "[schema][frame]") {
    const auto f = make_credit();
    const auto t = f.take({});
    REQUIRE(t.rows() == 0);
    REQUIRE(t.column<"Sex">().vocabulary().size() == 2);
}

TEST_CASE("frame::take rejects out-of-range rows", "[schema][frame]") {
    const auto f = make_credit();
    const std::array<std::size_t, 3> rows{0, 4, 1};
    REQUIRE_THROWS_AS(f.take(rows), std::out_of_range);
    REQUIRE_THROWS_WITH(f.take(rows), "ctml::frame::take: row 4 of a frame with 4 rows");
    const ctml::frame<credit> empty;
    const std::array<std::size_t, 1> first{0};
    REQUIRE_THROWS_WITH(empty.take(first), "ctml::frame::take: row 0 of a frame with 0 rows");
}

TEST_CASE("a frame of the empty schema has no columns and no rows", "[schema][frame]") {
    const ctml::frame<ctml::schema<>> f;
    STATIC_REQUIRE(ctml::frame<ctml::schema<>>::cols() == 0);
    REQUIRE(f.rows() == 0);
    // Selecting no columns is allowed; with no column to count them, there are no rows.
    const auto none = make_credit().select<>();
    STATIC_REQUIRE(std::is_same_v<std::remove_const_t<decltype(none)>, ctml::frame<ctml::schema<>>>);
    REQUIRE(none.rows() == 0);
}

TEST_CASE("frame::slice is a row range that shares the frame's storage", "[schema][frame]") {
    const auto f = make_credit();
    const auto s = f.slice(1, 3);
    REQUIRE(s.rows() == 2);
    REQUIRE(s.row(0) == f.row(1));
    REQUIRE(s.row(1) == f.row(2));
    REQUIRE(s.column<"Age">().values().data() == f.column<"Age">().values().data() + 1);
    REQUIRE(s.column<"Sex">().codes().data() == f.column<"Sex">().codes().data() + 1);
    REQUIRE(s.column<"Sex">().shared_vocabulary() == f.column<"Sex">().shared_vocabulary());
    // Missing counts are the slice's own.
    REQUIRE(s.column<"Credit amount">().missing_count() == 1);
    REQUIRE(s.column<"Saving accounts">().missing_count() == 0);
    REQUIRE(f.slice(0, 1).column<"Saving accounts">().missing_count() == 1);
    REQUIRE(f.slice(2, 2).rows() == 0);
    REQUIRE(f.slice(0, 4).row(3) == f.row(3));
    REQUIRE_THROWS_WITH(f.slice(3, 5), Catch::Contains("rows [3, 5) of a frame with 4 rows"));
    REQUIRE_THROWS_AS(f.slice(3, 2), std::out_of_range);
}

// frame_builder<Schema>: rows in, frame out.
#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <ctml/schema/frame_builder.hpp>

namespace {
using risk_values = ctml::categories<"bad", "good">;
using checking_values = ctml::categories<"little", "moderate", "rich">;
using applicant = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>,
                               ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
                               ctml::column<"Credit amount", ctml::nullable<double>>,
                               ctml::column<"Risk", risk_values>,
                               ctml::column<"Checking account", ctml::nullable<checking_values>>>;
using rec = ctml::record<applicant>;
using code = ctml::categorical_column::code_type;

std::vector<code> codes_of(const ctml::categorical_column& c) { return {c.codes().begin(), c.codes().end()}; }

std::vector<rec> some_applicants() {
    std::vector<rec> rows(3);
    rows[0].set<"Age">(67).set<"Sex">("male").set<"Credit amount">(1169.0).set<"Risk">("good").set<"Checking account">(
        "little");
    rows[1].set<"Age">(22).set<"Sex">("female").set<"Saving accounts">("little").set<"Risk">("bad");
    rows[2].set<"Age">(49).set<"Sex">("male").set<"Saving accounts">("rich").set<"Credit amount">(2096.0).set<"Risk">(
        "good");
    return rows;
}
}  // namespace

TEST_CASE("an empty frame_builder finishes an empty frame", "[schema][frame_builder]") {
    ctml::frame_builder<applicant> b;
    REQUIRE(b.rows() == 0);
    const auto f = std::move(b).finish();
    REQUIRE(f.rows() == 0);
    // Declared categories are the vocabulary even with no rows.
    REQUIRE(f.column<"Risk">().vocabulary().size() == 2);
    REQUIRE(f.column<"Sex">().vocabulary().empty());
}

TEST_CASE("frame_builder appends records, missing cells included", "[schema][frame_builder]") {
    ctml::frame_builder<applicant> b;
    b.reserve(3);
    const auto rows = some_applicants();
    for (const auto& r : rows) b.push_back(r);
    REQUIRE(b.rows() == 3);
    const auto f = std::move(b).finish();

    REQUIRE(f.rows() == 3);
    REQUIRE(f.column<"Age">()[2] == 49);
    REQUIRE_FALSE(f.column<"Age">().has_missing());
    REQUIRE(codes_of(f.column<"Sex">()) == std::vector<code>{0, 1, 0});
    REQUIRE(codes_of(f.column<"Saving accounts">()) == std::vector<code>{-1, 0, 1});
    REQUIRE(f.column<"Credit amount">().missing_count() == 1);
    REQUIRE(f.column<"Credit amount">().is_missing(1));
    REQUIRE(f.column<"Credit amount">()[2] == 2096.0);
    // Declared categories: codes are positions in the declared order.
    REQUIRE(codes_of(f.column<"Risk">()) == std::vector<code>{1, 0, 1});
    REQUIRE(f.column<"Checking account">().vocabulary().size() == 3);
    REQUIRE(codes_of(f.column<"Checking account">()) == std::vector<code>{0, -1, -1});
}

TEST_CASE("rows read back from a built frame equal the records pushed", "[schema][frame_builder]") {
    ctml::frame_builder<applicant> b;
    const auto rows = some_applicants();
    for (const auto& r : rows) b.push_back(r);
    const auto f = std::move(b).finish();
    for (std::size_t i = 0; i < rows.size(); ++i) REQUIRE(f.row(i) == rows[i]);
}

TEST_CASE("frame_builder columns can be filled cell by cell", "[schema][frame_builder]") {
    using s = ctml::schema<ctml::column<"x", double>, ctml::column<"Risk", risk_values>>;
    ctml::frame_builder<s> b;
    b.column_at<0>().push_back(1.5);
    b.column_at<0>().push_back_missing();
    REQUIRE(b.column_at<1>().push_back("bad"));
    REQUIRE_FALSE(b.column_at<1>().push_back("neutral"));  // closed: declared categories only
    REQUIRE(b.column_at<1>().push_back("good"));
    REQUIRE(b.rows() == 2);
    // x is not nullable and now holds a missing value: the frame refuses it.
    REQUIRE_THROWS_WITH(std::move(b).finish(), "ctml::frame: column \"x\" is not nullable but holds missing values");
}

TEST_CASE("frame_builder::finish checks the column lengths", "[schema][frame_builder]") {
    using s = ctml::schema<ctml::column<"x", double>, ctml::column<"y", double>>;
    ctml::frame_builder<s> b;
    b.column_at<0>().push_back(1.0);
    b.column_at<0>().push_back(2.0);
    b.column_at<1>().push_back(3.0);
    REQUIRE_THROWS_WITH(std::move(b).finish(), "ctml::frame: column \"y\" has 1 rows, the first column 2");
}

TEST_CASE("a frame_builder of the empty schema finishes an empty frame", "[schema][frame_builder]") {
    ctml::frame_builder<ctml::schema<>> b;
    b.push_back(ctml::record<ctml::schema<>>{});
    REQUIRE(b.rows() == 0);
    REQUIRE(std::move(b).finish().rows() == 0);
}

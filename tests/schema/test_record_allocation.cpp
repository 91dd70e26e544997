// A record of numeric and declared-category columns is a plain value: trivially
// copyable, small, and built without touching the heap -- what single-row
// scoring relies on. Allocations are counted by the global operator new
// replacement in tests/support/allocation_counter.cpp (one per executable).
#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>

#include <ctml/schema/record.hpp>

#include "support/allocation_counter.hpp"

namespace {

using risk_values = ctml::categories<"bad", "good">;
using housing_values = ctml::categories<"own", "rent", "free">;
using scoring_input = ctml::schema<ctml::column<"Age", int>, ctml::column<"Credit amount", double>,
                                   ctml::column<"Duration", ctml::nullable<int>>,
                                   ctml::column<"Housing", housing_values>,
                                   ctml::column<"Checking account", ctml::nullable<ctml::categories<"little", "rich">>>,
                                   ctml::column<"Risk", risk_values>>;
using plain_record = ctml::record<scoring_input>;

// What the same cells take as a hand-written struct: the record adds nothing.
struct hand_written {
    int age;
    double amount;
    std::optional<int> duration;
    ctml::declared_category<housing_values> housing;
    std::optional<ctml::declared_category<ctml::categories<"little", "rich">>> checking;
    ctml::declared_category<risk_values> risk;
};

// Keeps the optimizer from dropping work whose result nobody reads.
plain_record sink;
std::string string_sink;

}  // namespace

TEST_CASE("a numeric and declared-category record is trivially copyable and small", "[schema][record]") {
    STATIC_REQUIRE(std::is_trivially_copyable_v<plain_record>);
    STATIC_REQUIRE(std::is_trivially_destructible_v<plain_record>);
    STATIC_REQUIRE(sizeof(plain_record) == sizeof(hand_written));
    STATIC_REQUIRE(sizeof(plain_record) <= 48);

    // A std::string cell makes it an ordinary class, as expected.
    using with_text = ctml::record<ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>>>;
    STATIC_REQUIRE(!std::is_trivially_copyable_v<with_text>);
}

TEST_CASE("the allocation counter sees heap allocations", "[schema][record]") {
    std::size_t counted = 0;
    {
        test_support::counting_scope scope;
        string_sink = std::string(100, 'x');  // beyond the small-string buffer
        counted = scope.count();
    }
    REQUIRE(counted >= 1);
}

TEST_CASE("building and filling a plain record allocates nothing", "[schema][record]") {
    std::size_t counted = 0;
    {
        test_support::counting_scope scope;
        plain_record r;
        r.set<"Age">(67)
            .set<"Credit amount">(1169.0)
            .set<"Duration">(6)
            .set<"Housing">("rent")
            .set<"Checking account">("little")
            .set<"Risk">("good");
        plain_record copy = r;
        copy.set<"Duration">(std::nullopt).set<"Checking account">(std::nullopt);
        sink = copy;
        sink.set<"Age">(sink.get<"Age">() + r.get<"Age">());
        counted = scope.count();
    }
    REQUIRE(counted == 0);
    REQUIRE(sink.get<"Age">() == 134);
    REQUIRE(sink.get<"Housing">().view() == "rent");
    REQUIRE(sink.get<"Risk">().view() == "good");
    REQUIRE_FALSE(sink.get<"Duration">().has_value());
}

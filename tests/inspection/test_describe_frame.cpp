// describe_frame without a model, and the binning drift detection reuses:
// decile edges as numpy computes them, the bin of a value, category counts.
#include <catch2/catch.hpp>

#include <numeric>
#include <vector>

#include <ctml/ctml.hpp>

#include "support/sklearn_fixture.hpp"

using namespace ctml;

TEST_CASE("describe_frame gives per-column statistics without a model", "[inspection]") {
    const auto stats = describe_frame(test_support::credit_data());
    CHECK(stats.rows == 1000);
    REQUIRE(stats.numeric.size() == 5);  // Sno, Age, Job, Credit amount, Duration
    CHECK(stats.numeric[1].name == "Age");
    CHECK(stats.numeric[1].decile_edges.size() == 11);
    CHECK(std::accumulate(stats.numeric[1].decile_counts.begin(), stats.numeric[1].decile_counts.end(), std::size_t{0}) == 1000);
    REQUIRE(stats.categorical.size() == 6);  // five features and Risk
    CHECK(stats.categorical.back().name == "Risk");
    CHECK(stats.categorical.back().frequencies ==
          std::vector<std::pair<std::string, std::size_t>>{{"bad", 300}, {"good", 700}});
}

TEST_CASE("binning puts a value in the bin describe_frame counted it in", "[inspection]") {
    const std::vector<double> sorted{1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9};
    const auto edges = decile_edges(sorted);
    REQUIRE(edges.size() == 11);
    CHECK(edges.front() == 1);
    CHECK(edges.back() == 9);
    CHECK(edges[1] == 2);  // numpy: percentile 10 of these values
    CHECK(bin_of(edges, 0.5) == 0);  // below the range: the first bin
    CHECK(bin_of(edges, 9) == 9);    // the last bin is closed
    CHECK(bin_of(edges, 100) == 9);  // above the range: the last bin
    const auto counts = bin_counts(edges, sorted);
    CHECK(std::accumulate(counts.begin(), counts.end(), std::size_t{0}) == sorted.size());
    // Repeated edges (2, 2, 2) leave empty bins; every 2 lands in one bin.
    for (double v : sorted)
        if (v == 2) CHECK(bin_of(edges, v) == bin_of(edges, 2.0));

    const auto stats = describe_frame(test_support::credit_data());
    const auto& duration = stats.numeric[4];
    const auto& column = test_support::credit_data().column<"Duration">();
    std::vector<double> values;
    for (std::size_t i = 0; i < column.size(); ++i) values.push_back(static_cast<double>(column[i]));
    CHECK(bin_counts(duration.decile_edges, values) == duration.decile_counts);
}

TEST_CASE("category_counts counts each category and the missing values", "[inspection]") {
    const auto counted = category_counts(test_support::credit_data().column<"Saving accounts">());
    CHECK(counted.missing == 183);
    REQUIRE(counted.counts.size() == 4);
    CHECK(counted.counts.front() == std::pair<std::string, std::size_t>{"little", 603});
}

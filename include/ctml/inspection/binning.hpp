// Binning and counting that training statistics and drift detection share, so
// new data is put into exactly the bins the training data was described with.
//
//   decile_edges(sorted)     numpy.percentile(values, [0, 10, …, 100], method="linear")
//   bin_of(edges, v)         the bin [e_k, e_k+1) holding v; the last bin is closed, and values
//                            outside [e_0, e_10] fall into the first or last bin
//   bin_counts(edges, xs)    how many of xs fall in each bin
//   category_counts(column)  the count of each category present (sorted) and of missing values
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "ctml/schema/categorical_column.hpp"

namespace ctml {

/// numpy.percentile(sorted, q, method="linear") for sorted, non-empty values.
[[nodiscard]] inline double linear_percentile(std::span<const double> sorted, double q) {
    const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

/// The 11 edges of the deciles of sorted, non-empty values.
[[nodiscard]] inline std::vector<double> decile_edges(std::span<const double> sorted) {
    std::vector<double> edges;
    edges.reserve(11);
    for (int q = 0; q <= 100; q += 10) edges.push_back(linear_percentile(sorted, q));
    return edges;
}

/// The bin of `value` among the bins the edges bound: k with e_k <= v < e_k+1, the
/// last bin closed. Repeated edges make empty bins; a value equal to a repeated
/// edge goes to the last bin starting there. Outside the edges: the end bins.
[[nodiscard]] inline std::size_t bin_of(std::span<const double> edges, double value) {
    if (edges.size() < 3) return 0;
    const auto interior = edges.subspan(1, edges.size() - 2);
    return static_cast<std::size_t>(std::upper_bound(interior.begin(), interior.end(), value) - interior.begin());
}

/// How many of `values` fall in each of the edges.size() - 1 bins.
[[nodiscard]] inline std::vector<std::size_t> bin_counts(std::span<const double> edges, std::span<const double> values) {
    std::vector<std::size_t> counts(edges.size() > 1 ? edges.size() - 1 : 0, 0);
    if (counts.empty()) return counts;
    for (double v : values) ++counts[bin_of(edges, v)];
    return counts;
}

/// Each category present in `column` with its count, sorted by category, and the number missing.
struct category_count_result {
    std::vector<std::pair<std::string, std::size_t>> counts;
    std::size_t missing = 0;
};

[[nodiscard]] inline category_count_result category_counts(const categorical_column& column) {
    category_count_result out;
    out.missing = column.missing_count();
    std::vector<std::size_t> by_code(column.vocabulary().size(), 0);
    for (auto c : column.codes())
        if (c != categorical_column::missing_code) ++by_code[static_cast<std::size_t>(c)];
    std::map<std::string, std::size_t> sorted;  // frames read in chunks may list a category twice
    for (std::size_t k = 0; k < by_code.size(); ++k)
        if (by_code[k] > 0) sorted[column.vocabulary()[k]] += by_code[k];
    out.counts.assign(sorted.begin(), sorted.end());
    return out;
}

}  // namespace ctml

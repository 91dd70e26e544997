// describe_frame(frame): per-column statistics of a frame, with no model --
// what a model remembers about its training data (training_statistics.hpp)
// and what drift detection computes for a new batch to compare.
//
//   numeric column      count of present values, missing, mean, std (population),
//                       min, max, decile edges (numpy's linear percentiles 0, 10, …, 100)
//                       and the count of present values in each decile bin (binning.hpp);
//   categorical column  the count of each category (sorted) and of missing values.
//
// pandas' DataFrame.describe() is the nearest relative.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <boost/hana/define_struct.hpp>

#include "ctml/inspection/binning.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

struct numeric_column_statistics {
    BOOST_HANA_DEFINE_STRUCT(numeric_column_statistics,
                             (std::string, name),
                             (std::size_t, count),    ///< present values
                             (std::size_t, missing),
                             (double, mean), (double, std), (double, min), (double, max),
                             (std::vector<double>, decile_edges),        ///< 11 edges, none when count is 0
                             (std::vector<std::size_t>, decile_counts));  ///< 10 bins

    [[nodiscard]] bool operator==(const numeric_column_statistics&) const = default;
};

struct categorical_column_statistics {
    BOOST_HANA_DEFINE_STRUCT(categorical_column_statistics,
                             (std::string, name),
                             (std::size_t, count),  ///< present values
                             (std::size_t, missing),
                             (std::vector<std::pair<std::string, std::size_t>>, frequencies));  ///< sorted by category

    [[nodiscard]] bool operator==(const categorical_column_statistics&) const = default;
};

struct data_statistics {
    std::size_t rows = 0;
    std::vector<numeric_column_statistics> numeric;
    std::vector<categorical_column_statistics> categorical;

    [[nodiscard]] bool operator==(const data_statistics&) const = default;
};

/// With `rows`, the column is one part of rows split over several processes:
/// the statistics are the whole column's (every part's values are gathered
/// for the deciles, and sorted before they are summed, so they do not depend
/// on how the rows were split).
template <class T>
[[nodiscard]] numeric_column_statistics describe_column(std::string name, const numeric_column<T>& col,
                                                        const row_partition& rows = all_rows_here()) {
    numeric_column_statistics s{std::move(name), 0, col.missing_count(), 0, 0, 0, 0, {}, {}};
    std::vector<double> values;
    values.reserve(col.size());
    for (std::size_t i = 0; i < col.size(); ++i) {
        if (col.is_missing(i)) continue;
        const auto v = static_cast<double>(col[i]);
        if (std::isnan(v)) ++s.missing;  // a NaN has no rank: it counts as missing, as in drift
        else values.push_back(v);
    }
    s.missing = sum_over_parts(rows, s.missing);
    values = gather_over_parts(rows, std::move(values));
    s.count = values.size();
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    double sum = 0;
    for (double v : values) sum += v;
    s.mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / static_cast<double>(values.size()));
    s.min = values.front();
    s.max = values.back();
    s.decile_edges = decile_edges(values);
    s.decile_counts = bin_counts(s.decile_edges, values);
    return s;
}

[[nodiscard]] inline categorical_column_statistics describe_column(std::string name, const categorical_column& col,
                                                                    const row_partition& rows = all_rows_here()) {
    auto counted = category_counts(col);
    const std::size_t size = sum_over_parts(rows, col.size()), missing = sum_over_parts(rows, counted.missing);
    return {std::move(name), size - missing, missing, count_over_parts(rows, std::move(counted.counts))};
}

/// Statistics of every column of `x`, numeric and categorical apart, in schema order;
/// with `rows`, of the whole frame that `x` is one part of (row_partition.hpp).
template <class Schema>
[[nodiscard]] data_statistics describe_frame(const frame<Schema>& x, const row_partition& rows = all_rows_here()) {
    data_statistics stats;
    stats.rows = sum_over_parts(rows, x.rows());
    for_each_column_index<Schema>([&](auto j) {
        using column = typename Schema::template column_at<j>;
        std::string name(column::name.view());
        if constexpr (column::is_numeric)
            stats.numeric.push_back(describe_column(std::move(name), x.template column_at<j>(), rows));
        else
            stats.categorical.push_back(describe_column(std::move(name), x.template column_at<j>(), rows));
    });
    return stats;
}

}  // namespace ctml

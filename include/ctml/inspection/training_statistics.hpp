// training_statistics: what a model remembers about the data it was fitted on,
// so that drift detection and explanation can compare new data against it
// without the training set. It is stored in the model artifact.
//
//   numeric column      count, missing, mean, std (population), min, max,
//                       decile edges (numpy's linear percentiles 0, 10, …, 100)
//                       and the count of present values in each decile bin
//                       ([e_k, e_k+1), the last bin closed);
//   categorical column  the count of each category (sorted) and of missing;
//   features            the mean of each transformed feature, by name.
//
// Nothing in scikit-learn stores this; Evidently's reference profiles and
// MLflow's dataset summaries are the nearest relatives.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "ctml/pipeline/concepts.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

struct numeric_column_statistics {
    std::string name;
    std::size_t count = 0;  ///< present values
    std::size_t missing = 0;
    double mean = 0, std = 0, min = 0, max = 0;
    std::vector<double> decile_edges;        ///< 11 edges
    std::vector<std::size_t> decile_counts;  ///< 10 bins

    [[nodiscard]] bool operator==(const numeric_column_statistics&) const = default;
};

struct categorical_column_statistics {
    std::string name;
    std::size_t count = 0;  ///< present values
    std::size_t missing = 0;
    std::vector<std::pair<std::string, std::size_t>> frequencies;  ///< sorted by category

    [[nodiscard]] bool operator==(const categorical_column_statistics&) const = default;
};

struct training_statistics {
    std::size_t rows = 0;
    std::vector<numeric_column_statistics> numeric;
    std::vector<categorical_column_statistics> categorical;
    std::vector<std::string> feature_names;
    std::vector<double> feature_means;

    [[nodiscard]] bool operator==(const training_statistics&) const = default;
};

namespace detail {

/// numpy.percentile(values, q, method="linear") for sorted, non-empty values.
inline double linear_percentile(const std::vector<double>& sorted, double q) {
    const double position = q / 100.0 * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double fraction = position - static_cast<double>(lower);
    return sorted[lower] + fraction * (sorted[upper] - sorted[lower]);
}

template <class T>
numeric_column_statistics describe_numeric(std::string name, const numeric_column<T>& col) {
    numeric_column_statistics s;
    s.name = std::move(name);
    s.missing = col.missing_count();
    std::vector<double> values;
    values.reserve(col.size());
    for (std::size_t i = 0; i < col.size(); ++i)
        if (!col.is_missing(i)) values.push_back(static_cast<double>(col[i]));
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
    for (int q = 0; q <= 100; q += 10) s.decile_edges.push_back(linear_percentile(values, q));
    s.decile_counts.assign(10, 0);
    for (std::size_t k = 0; k < 10; ++k) {
        const auto lo = std::lower_bound(values.begin(), values.end(), s.decile_edges[k]);
        const auto hi = k == 9 ? values.end() : std::lower_bound(values.begin(), values.end(), s.decile_edges[k + 1]);
        s.decile_counts[k] = hi > lo ? static_cast<std::size_t>(hi - lo) : 0;
    }
    return s;
}

inline categorical_column_statistics describe_categorical(std::string name, const categorical_column& col) {
    categorical_column_statistics s;
    s.name = std::move(name);
    s.missing = col.missing_count();
    s.count = col.size() - s.missing;
    std::vector<std::size_t> counts(col.vocabulary().size(), 0);
    for (auto c : col.codes())
        if (c != categorical_column::missing_code) ++counts[static_cast<std::size_t>(c)];
    std::map<std::string, std::size_t> sorted;
    for (std::size_t k = 0; k < counts.size(); ++k)
        if (counts[k] > 0) sorted[col.vocabulary()[k]] = counts[k];
    s.frequencies.assign(sorted.begin(), sorted.end());
    return s;
}

}  // namespace detail

/// Describes the training frame and, through the fitted pipeline, the mean of each feature it produces.
template <class Schema, class Fitted>
[[nodiscard]] training_statistics describe_training_data(const frame<Schema>& x, const Fitted& fitted) {
    training_statistics stats;
    stats.rows = x.rows();
    for_each_column_index<Schema>([&](auto j) {
        using column = typename Schema::template column_at<j>;
        std::string name(column::name.view());
        if constexpr (column::is_numeric)
            stats.numeric.push_back(detail::describe_numeric(std::move(name), x.template column_at<j>()));
        else
            stats.categorical.push_back(detail::describe_categorical(std::move(name), x.template column_at<j>()));
    });
    const auto features = [&] {
        if constexpr (requires { fitted.features(x); }) return fitted.features(x);
        else return fitted.transform(x);
    }();
    stats.feature_names = fitted.feature_names_out();
    const Eigen::RowVectorXd means = features.colwise().mean();
    stats.feature_means.assign(means.data(), means.data() + means.size());
    return stats;
}

}  // namespace ctml

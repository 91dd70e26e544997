// training_statistics: what a model remembers about the data it was fitted on,
// so that drift detection and explanation can compare new data against it
// without the training set. It is stored in the model artifact.
//
//   rows, numeric, categorical   describe_frame() of the training frame (describe_frame.hpp)
//   features                     the mean of each transformed feature, by name
//
// Nothing in scikit-learn stores this; Evidently's reference profiles and
// MLflow's dataset summaries are the nearest relatives.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <boost/hana/define_struct.hpp>
#include <Eigen/Core>

#include "ctml/inspection/describe_frame.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

struct feature_statistics {
    BOOST_HANA_DEFINE_STRUCT(feature_statistics, (std::string, name), (double, mean));

    [[nodiscard]] bool operator==(const feature_statistics&) const = default;
};

struct training_statistics {
    BOOST_HANA_DEFINE_STRUCT(training_statistics,
                             (std::size_t, rows),
                             (std::vector<numeric_column_statistics>, numeric),
                             (std::vector<categorical_column_statistics>, categorical),
                             (std::vector<feature_statistics>, features));

    [[nodiscard]] bool operator==(const training_statistics&) const = default;

    /// Throws invalid_state naming the entry when the statistics cannot have come from describe_frame.
    void check() const {
        const auto fail = [](std::string field, std::string why) {
            throw invalid_state("training_statistics", std::move(field), std::move(why));
        };
        for (std::size_t i = 0; i < numeric.size(); ++i) {
            const auto& c = numeric[i];
            const std::string at = "numeric[" + std::to_string(i) + "]";
            const std::size_t edges = c.count == 0 ? 0 : 11, bins = c.count == 0 ? 0 : 10;
            if (c.decile_edges.size() != edges)
                fail(at + ".decile_edges", "expected " + std::to_string(edges) + " edges, found " +
                                               std::to_string(c.decile_edges.size()));
            if (c.decile_counts.size() != bins)
                fail(at + ".decile_counts", "expected " + std::to_string(bins) + " counts, found " +
                                                std::to_string(c.decile_counts.size()));
            for (std::size_t k = 0; k < c.decile_edges.size(); ++k)
                if (!std::isfinite(c.decile_edges[k]))
                    fail(at + ".decile_edges[" + std::to_string(k) + "]", "decile edges must be finite numbers");
            for (std::size_t k = 1; k < c.decile_edges.size(); ++k)
                if (c.decile_edges[k] < c.decile_edges[k - 1])
                    fail(at + ".decile_edges[" + std::to_string(k) + "]", "decile edges must not decrease");
        }
    }
};

/// Describes the training frame and, through the fitted pipeline, the mean of each feature it produces;
/// with `rows`, the whole training frame that `x` is one part of (row_partition.hpp).
template <class Schema, class Fitted>
[[nodiscard]] training_statistics describe_training_data(const frame<Schema>& x, const Fitted& fitted,
                                                         const row_partition& rows = all_rows_here()) {
    auto data = describe_frame(x, rows);
    training_statistics stats{data.rows, std::move(data.numeric), std::move(data.categorical), {}};
    const auto features = [&] {
        if constexpr (requires { fitted.features(x); }) return fitted.features(x);
        else return fitted.transform(x);
    }();
    const auto names = fitted.feature_names_out();
    std::vector<double> sums(static_cast<std::size_t>(features.cols()));
    for (Eigen::Index k = 0; k < features.cols(); ++k) sums[static_cast<std::size_t>(k)] = features.col(k).sum();
    sum_over_parts(rows, sums);
    for (std::size_t k = 0; k < sums.size(); ++k)
        stats.features.push_back({names[k], sums[k] / static_cast<double>(data.rows)});
    return stats;
}

}  // namespace ctml

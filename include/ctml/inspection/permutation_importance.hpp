// permutation_importance: how much a model's ROC AUC falls when one input
// column's values are shuffled across the rows -- model-agnostic global
// importance on held-out data (scikit-learn's
// sklearn.inspection.permutation_importance with scoring="roc_auc").
//
// For each column and each of `repeats` shuffles (SplitMix64 with `seed`, so
// the same call gives the same numbers on every platform), the rows are
// scored with that column taken from a permuted row and everything else
// unchanged; importance is the baseline AUC minus the permuted AUC. The mean
// and the standard deviation (population, as scikit-learn's importances_std)
// over the repeats are returned. A column the model ignores scores 0 exactly.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "ctml/detail/splitmix64.hpp"
#include "ctml/metrics/classification.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

struct column_importance {
    std::string column;
    /// Baseline AUC minus permuted AUC, averaged over the repeats.
    double mean = 0;
    /// Population standard deviation over the repeats.
    double std = 0;
    /// Each repeat's drop, in order.
    std::vector<double> drops;
};

struct permutation_importance_result {
    double baseline_auc = 0;
    std::vector<column_importance> columns;  ///< in input column order
};

/// `model` scores `x` (a frame of its input schema) with predict_proba_row; `y` are the
/// encoded labels (0/1) of x's rows.
template <class Fitted, class Schema>
[[nodiscard]] permutation_importance_result permutation_importance(const Fitted& model, const frame<Schema>& x,
                                                                   std::span<const int> y, int repeats = 10,
                                                                   std::uint64_t seed = 42) {
    if (x.rows() != y.size())
        throw std::invalid_argument("permutation_importance: " + std::to_string(x.rows()) + " rows but " +
                                    std::to_string(y.size()) + " labels");
    if (repeats < 1) throw std::invalid_argument("permutation_importance: repeats must be at least 1");
    std::vector<record<Schema>> rows;
    rows.reserve(x.rows());
    for (std::size_t i = 0; i < x.rows(); ++i) rows.push_back(x.row(i));
    const auto auc_of = [&](const std::vector<record<Schema>>& data) {
        std::vector<double> score(data.size());
        for (std::size_t i = 0; i < data.size(); ++i) score[i] = model.predict_proba_row(data[i])[1];
        return roc_auc_score(y, score);
    };

    permutation_importance_result out;
    out.baseline_auc = auc_of(rows);
    detail::splitmix64 random(seed);
    std::vector<std::size_t> order(rows.size());
    std::vector<record<Schema>> permuted = rows;
    for_each_column_index<Schema>([&](auto c) {
        column_importance importance{std::string(Schema::names[c]), 0, 0, {}};
        for (int r = 0; r < repeats; ++r) {
            std::iota(order.begin(), order.end(), std::size_t{0});
            random.shuffle(order);
            for (std::size_t i = 0; i < rows.size(); ++i)
                permuted[i].template get_at<c>() = rows[order[i]].template get_at<c>();
            importance.drops.push_back(out.baseline_auc - auc_of(permuted));
        }
        for (std::size_t i = 0; i < rows.size(); ++i) permuted[i].template get_at<c>() = rows[i].template get_at<c>();
        for (const double d : importance.drops) importance.mean += d;
        importance.mean /= static_cast<double>(repeats);
        for (const double d : importance.drops) importance.std += (d - importance.mean) * (d - importance.mean);
        importance.std = std::sqrt(importance.std / static_cast<double>(repeats));
        out.columns.push_back(std::move(importance));
    });
    return out;
}

}  // namespace ctml

// stratified_k_fold: k train/test splits in which every class is spread over
// the folds as evenly as possible -- scikit-learn's StratifiedKFold, with a
// documented algorithm:
//
//   1. Each class's row indices (ascending) are shuffled, when `shuffle` is
//      set, by one SplitMix64 stream seeded with `seed` (classes in label order).
//   2. Rows are dealt to folds round-robin, the fold counter running on from
//      one class to the next -- so each class's count per fold, and each
//      fold's size, differ by at most one.
//   3. Fold i's test rows are those dealt to it; its train rows all others;
//      both ascending.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "ctml/detail/splitmix64.hpp"
#include "ctml/model_selection/train_test_split.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

struct k_fold_options {
    std::size_t n_splits = 5;
    bool shuffle = true;
    std::uint64_t seed = 42;
};

[[nodiscard]] inline std::vector<split_indices> stratified_k_fold(label_span y, const k_fold_options& options = {}) {
    const std::size_t k = options.n_splits;
    if (k < 2) throw std::invalid_argument("stratified_k_fold: n_splits must be at least 2");
    if (k > y.size())
        throw std::invalid_argument("stratified_k_fold: n_splits " + std::to_string(k) + " exceeds the " +
                                    std::to_string(y.size()) + " rows");
    auto groups = detail::rows_by_class(y, "stratified_k_fold");
    // scikit-learn warns here; a fold without some class breaks per-fold metrics later, so refuse now.
    for (std::size_t c = 0; c < groups.size(); ++c)
        if (!groups[c].empty() && groups[c].size() < k)
            throw std::invalid_argument("stratified_k_fold: class " + std::to_string(c) + " has " +
                                        std::to_string(groups[c].size()) + " rows, fewer than n_splits " +
                                        std::to_string(k) + ", so some folds would lack it");
    detail::splitmix64 random(options.seed);
    std::vector<std::size_t> fold_of(y.size());
    std::size_t next_fold = 0;
    for (auto& rows : groups) {
        if (options.shuffle) random.shuffle(rows);
        for (auto row : rows) {
            fold_of[row] = next_fold;
            next_fold = (next_fold + 1) % k;
        }
    }
    std::vector<split_indices> folds(k);
    for (std::size_t i = 0; i < y.size(); ++i)
        for (std::size_t f = 0; f < k; ++f) (f == fold_of[i] ? folds[f].test : folds[f].train).push_back(i);
    return folds;
}

}  // namespace ctml

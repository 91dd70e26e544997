// train_test_split: a reproducible (stratified) split of row indices --
// scikit-learn's train_test_split(..., stratify=y), with its own documented
// algorithm so the same seed gives the same split everywhere:
//
//   1. n_test = ceil(test_size · n)  (scikit-learn's rounding); test_size 0 puts every row in train.
//   2. Stratified: class c gets floor(n_test · n_c / n) test rows; the rows
//      still missing go one each to the classes with the largest remainders
//      (ties: smaller class label first).
//   3. One SplitMix64 stream seeded with `seed` shuffles each class's row
//      indices (ascending to start; classes in label order; Fisher–Yates,
//      detail/splitmix64.hpp); the first rows of each class go to test.
//   4. train and test are returned in ascending row order.
//
// Use the indices with frame::take. Example: examples/quickstart.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <numeric>
#include <span>
#include <type_traits>
#include <stdexcept>
#include <string>
#include <vector>

#include "ctml/detail/splitmix64.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

struct split_indices {
    std::vector<std::size_t> train;
    std::vector<std::size_t> test;
};

/// The given positions of `values` (labels, weights), in the given order -- frame::take for plain sequences.
template <class Sequence>
[[nodiscard]] auto take(const Sequence& values, std::span<const std::size_t> rows) {
    std::vector<std::remove_cvref_t<decltype(values[0])>> out;
    out.reserve(rows.size());
    for (auto i : rows) {
        if (i >= static_cast<std::size_t>(std::size(values)))
            throw std::out_of_range("take: position " + std::to_string(i) + " of a sequence of " +
                                    std::to_string(std::size(values)));
        out.push_back(values[i]);
    }
    return out;
}

struct split_options {
    /// Fraction of rows held out, in [0, 1).
    double test_size = 0.25;
    std::uint64_t seed = 42;
    bool stratify = true;
};

namespace detail {
/// Row indices of each class, ascending; labels must be 0 .. k-1.
inline std::vector<std::vector<std::size_t>> rows_by_class(label_span y, const char* who) {
    std::vector<std::vector<std::size_t>> rows;
    for (std::size_t i = 0; i < y.size(); ++i) {
        if (y[i] < 0)
            throw std::invalid_argument(std::string(who) + ": label " + std::to_string(y[i]) + " in row " +
                                        std::to_string(i) + " is negative (encode labels with label_encoder)");
        const auto c = static_cast<std::size_t>(y[i]);
        if (c >= rows.size()) rows.resize(c + 1);
        rows[c].push_back(i);
    }
    return rows;
}
}  // namespace detail

[[nodiscard]] inline split_indices train_test_split(label_span y, const split_options& options = {}) {
    const std::size_t n = y.size();
    if (!(options.test_size >= 0.0 && options.test_size < 1.0))
        throw std::invalid_argument("train_test_split: test_size must be in [0, 1), got " +
                                    std::to_string(options.test_size));
    if (n == 0) throw std::invalid_argument("train_test_split: no rows to split");
    const auto n_test = static_cast<std::size_t>(std::ceil(options.test_size * static_cast<double>(n)));
    if (n_test >= n)
        throw std::invalid_argument("train_test_split: test_size " + std::to_string(options.test_size) +
                                    " leaves no training rows out of " + std::to_string(n));

    auto groups = options.stratify ? detail::rows_by_class(y, "train_test_split")
                                   : std::vector<std::vector<std::size_t>>{std::vector<std::size_t>(n)};
    if (!options.stratify) std::iota(groups[0].begin(), groups[0].end(), std::size_t{0});

    // Largest-remainder apportionment of the test rows over the classes.
    std::vector<std::size_t> take(groups.size());
    std::vector<std::pair<double, std::size_t>> remainders;
    std::size_t assigned = 0;
    for (std::size_t c = 0; c < groups.size(); ++c) {
        const double exact = static_cast<double>(n_test) * static_cast<double>(groups[c].size()) / static_cast<double>(n);
        take[c] = static_cast<std::size_t>(std::floor(exact));
        assigned += take[c];
        remainders.emplace_back(exact - static_cast<double>(take[c]), c);
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < n_test; ++k, ++assigned) ++take[remainders[k % remainders.size()].second];

    detail::splitmix64 random(options.seed);
    split_indices out;
    for (std::size_t c = 0; c < groups.size(); ++c) {
        random.shuffle(groups[c]);
        out.test.insert(out.test.end(), groups[c].begin(), groups[c].begin() + static_cast<std::ptrdiff_t>(take[c]));
        out.train.insert(out.train.end(), groups[c].begin() + static_cast<std::ptrdiff_t>(take[c]), groups[c].end());
    }
    std::sort(out.train.begin(), out.train.end());
    std::sort(out.test.begin(), out.test.end());
    return out;
}

}  // namespace ctml

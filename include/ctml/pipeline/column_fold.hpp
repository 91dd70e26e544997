// column_fold: what one input column adds to a linear model's decision value
// x·w + b once the stages between them are folded into the coefficients.
//
// A pipeline of per-column stages ending in a linear model scores a record
// as a sum over its input columns: a standardised numeric column adds
// slope · value + offset (w / scale and -w · mean / scale), a one-hot encoded
// column adds the weight of its category, an imputed column adds a fixed
// amount when the value is missing. Folding computes those numbers once after
// fit (or load), so scoring touches no intermediate record, string copy or
// feature matrix -- the "fold linear stages into the model" of issue 11.
//
// Stages take part by providing `fold_columns`:
//   - a stage whose features come from a frame's columns (scalers, the
//     one-hot encoder, a column group, the column transformer):
//     `std::vector<column_fold> fold_columns(std::span<const double> w)`,
//     one fold per input column, given the weights of its output features;
//   - a stage that turns a frame into a frame (the imputer):
//     `std::vector<column_fold> fold_columns(std::vector<column_fold> after)`,
//     given the folds of its output columns.
// Anything the fold cannot express exactly is left to the stages: an unknown
// category the encoder would reject, or a missing value no imputer fills,
// adds NaN (`through_stages`), and the pipeline then scores that input through
// every stage in turn, which raises the error it always raised. A column the
// fold cannot describe at all (used by two groups) sets `unfoldable`, and the
// pipeline keeps to its stages.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctml {

struct column_fold {
    /// What a value the fold cannot score adds: NaN, so the stages score it instead.
    static constexpr double through_stages = std::numeric_limits<double>::quiet_NaN();

    /// No stage reads the column (the column transformer drops it): it adds nothing.
    bool used = false;
    bool categorical = false;
    /// The fold cannot describe this column; the pipeline scores through its stages.
    bool unfoldable = false;

    /// A numeric column adds slope · value + offset.
    double slope = 0.0;
    double offset = 0.0;

    /// A categorical column adds weights[k] for categories[k].
    std::vector<std::string> categories;
    std::vector<double> weights;
    /// categories are sorted (learned ones are), so a long list can be searched by halves.
    bool sorted = false;
    /// What a category outside `categories` adds: 0 when the encoder ignores it, through_stages otherwise.
    double unknown = through_stages;

    /// What a missing value adds: through_stages unless an imputer fills it.
    double missing = through_stages;

    [[nodiscard]] static column_fold numeric(double slope, double offset) {
        column_fold f;
        f.used = true;
        f.slope = slope;
        f.offset = offset;
        return f;
    }

    [[nodiscard]] static column_fold categorical_weights(std::vector<std::string> categories, std::vector<double> weights,
                                                         bool sorted, double unknown) {
        column_fold f;
        f.used = true;
        f.categorical = true;
        f.categories = std::move(categories);
        f.weights = std::move(weights);
        f.sorted = sorted;
        f.unknown = unknown;
        return f;
    }

    /// What a numeric value adds.
    [[nodiscard]] double value(double v) const noexcept { return v * slope + offset; }

    /// Category lists up to this long are scanned; longer sorted ones are searched by halves.
    static constexpr std::size_t short_list = 16;

    /// What a category adds. A handful of categories is faster to scan than to halve.
    [[nodiscard]] double value(std::string_view category) const noexcept {
        if (!sorted || categories.size() <= short_list) {
            for (std::size_t k = 0; k < categories.size(); ++k)
                if (categories[k] == category) return weights[k];
            return unknown;
        }
        const auto it = std::lower_bound(categories.begin(), categories.end(), category);
        return it != categories.end() && *it == category ? weights[static_cast<std::size_t>(it - categories.begin())]
                                                         : unknown;
    }
};

namespace detail {
/// A stage whose features come from a frame's columns: it folds the weights of its features.
template <class F>
concept folds_features = requires(const F& f) {
    { f.fold_columns(std::span<const double>{}) } -> std::same_as<std::vector<column_fold>>;
};
/// A frame-to-frame stage: it folds the folds of its output columns.
template <class F>
concept folds_frame = requires(const F& f, std::vector<column_fold> after) {
    { f.fold_columns(std::move(after)) } -> std::same_as<std::vector<column_fold>>;
};
}  // namespace detail

}  // namespace ctml

// compare_to_training(training, batch): has the data a model now sees drifted
// away from the data it was trained on? Per column, a distance (the population
// stability index, PSI) and a test (Kolmogorov–Smirnov or chi-square), computed
// against the training_statistics stored in the model artifact -- the training
// rows themselves are not needed.
//
// Method choices, and why:
//
//   Bins.  The training data survives only as decile edges and counts, so a
//     batch is put into the same bins (binning.hpp's bin_of: values beyond the
//     training range go to the end bins) plus a "missing" bin, so that a rise in
//     missing values is drift too. Labels show the training edges, "[19, 24)",
//     the last "[52, 75]"; the note counts the batch values beyond them. A
//     categorical column gets one bin per training category, "missing", and
//     "unseen", which pools the categories the training data never had (the
//     note names the five most frequent).
//
//   PSI = Σ (a_i - e_i) · ln(a_i / e_i), e = training shares, a = batch shares.
//     The usual credit-scoring bands: below 0.1 stable, 0.1 to 0.25 moderate,
//     above 0.25 major. An empty bin would make a term infinite, so both sides
//     are smoothed the same way before taking shares:
//         share_i = (count_i + 0.5) / (total + 0.5 · bins)
//     (add one half to every count, Jeffreys-style). Shares still sum to one; a
//     batch with the training counts gets exactly 0; an empty bin costs a large
//     but finite term.
//
//   Kolmogorov–Smirnov, numeric columns (present values only). With only the
//     deciles, the training CDF is taken to be the piecewise-linear F through
//     (edge_k, k/10), 0 below edge_0, 1 from edge_10 on. Repeated edges (common
//     for integer data) make F jump; F is right-continuous there. The statistic
//     is the exact supremum D = sup_x |F_n(x) - F(x)| over the batch's empirical
//     CDF F_n, reached at a batch value x_(i) of the sorted batch, on one side of
//     its step or the other:
//         D = max_i max( i/n - F(x_(i)),  F(x_(i)-) - (i-1)/n ),
//     with F(x-) the left limit. The p-value is the asymptotic Kolmogorov tail
//     P(K > sqrt(n)·D) (kolmogorov_sf). This is what
//     scipy.stats.kstest(x, F, method="asymp") computes: scipy 1.10's ks_1samp
//     takes D+ = max(i/n - F(x_(i))), D- = max(F(x_(i)) - (i-1)/n) and returns
//     kstwobign.sf(D·sqrt(n)), the limiting distribution itself (not kstwo's
//     finite-n distribution, which is method="exact"). scipy evaluates F only at
//     x_(i), never its left limit, so the two agree whenever F does not jump at
//     a batch value; at a jump scipy would compare F's upper value with F_n's
//     lower one and report a distance that no x attains. Here the left limit
//     is used; the fixture reproduces it with scipy's own D+ (F) and D- (F's left
//     limit) -- tests/fixtures/make_drift_fixtures.py.
//     The asymptotic p-value ignores that F was estimated from the training
//     data and that F_n has ties; read it as a scale of evidence, not an exact
//     test level. For integer columns with few distinct values it is biased
//     low: the interpolated F spreads mass between the integers that the data
//     never takes, so even the training data itself is some distance away
//     (on the credit data, Job: D = 0.078, p = 1e-5; Duration: D = 0.07). The
//     PSI, which compares bin counts, has no such bias; the band follows it.
//
//   Chi-square, categorical columns: observed = the batch count in each bin;
//     expected = batch rows × the smoothed training share (so "unseen" expects a
//     little instead of nothing); statistic Σ (o - e)² / e with bins - 1 degrees
//     of freedom, p = chi_square_sf -- scipy.stats.chisquare(observed, expected).
//     The smoothing puts about half a row into each empty bin's expectation,
//     so even an unchanged batch scores about 0.5 per empty bin ("unseen",
//     usually "missing"): statistic ≈ 1 with a p-value near 1, not 0.
//
//   Columns: every training column is reported, numeric ones first, in the
//     order training_statistics lists them; batch columns the training data
//     lacks are ignored. A training column the batch does not have, or has with
//     the other kind (numeric vs categorical), cannot be compared: it is reported
//     "major" with a note saying so and NaN for psi, statistic and p_value, so
//     that a schema change shows up in the same report as drift instead of as an
//     exception on the first batch. A batch column with every value missing has
//     a PSI (driven by the missing bin) but no KS: NaN, and a note.
//     A batch with no rows throws std::invalid_argument.
//
// Evidently's data-drift preset and NannyML's univariate drift are the nearest
// relatives; they keep the training rows, where ctml keeps the deciles.
#pragma once

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/define_struct.hpp>

#include "ctml/inspection/binning.hpp"
#include "ctml/inspection/describe_frame.hpp"
#include "ctml/inspection/statistical_tests.hpp"
#include "ctml/inspection/training_statistics.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

/// One bin of a column's comparison. Shares are the smoothed ones the PSI used,
/// so the PSI can be recomputed from the bins alone.
struct drift_bin {
    BOOST_HANA_DEFINE_STRUCT(drift_bin,
                             (std::string, label),         ///< "[19, 24)", "[67, 75]", "missing", a category, "unseen"
                             (double, expected_share),     ///< training
                             (double, actual_share),       ///< batch
                             (std::size_t, actual_count));  ///< batch rows in the bin

    [[nodiscard]] bool operator==(const drift_bin&) const = default;
};

struct column_drift {
    BOOST_HANA_DEFINE_STRUCT(column_drift,
                             (std::string, column),
                             (std::string, kind),  ///< "numeric" or "categorical"
                             (double, psi),
                             (std::string, band),  ///< "stable", "moderate" or "major"
                             (std::string, test),  ///< "ks" or "chi_square"
                             (double, statistic),  ///< KS D or the chi-square statistic
                             (double, p_value),
                             (std::size_t, rows),     ///< batch rows
                             (std::size_t, missing),  ///< batch rows with the value missing
                             (std::size_t, unseen),   ///< batch rows with a category the training data lacks
                             (std::vector<drift_bin>, bins),
                             (std::string, note));  ///< empty, or why something is NaN / worth a look

    [[nodiscard]] bool operator==(const column_drift&) const = default;  // NaN fields never compare equal
};

struct drift_report {
    std::size_t rows = 0;  ///< of the batch
    std::vector<column_drift> columns;

    /// Whether any column drifted majorly (or could not be compared).
    [[nodiscard]] bool major() const {
        return std::any_of(columns.begin(), columns.end(), [](const column_drift& c) { return c.band == "major"; });
    }

    /// The column called `name`, or nullptr when the training data has no such column.
    [[nodiscard]] const column_drift* find(std::string_view name) const {
        for (const auto& c : columns)
            if (c.column == name) return &c;
        return nullptr;
    }
};

/// The PSI band: "stable" below 0.1, "moderate" from 0.1 to 0.25, "major" above 0.25 (and for NaN).
[[nodiscard]] inline std::string psi_band(double psi) {
    if (psi < 0.1) return "stable";
    if (psi <= 0.25) return "moderate";
    return "major";
}

/// (count_i + 0.5) / (total + 0.5 · bins): shares that never reach 0, so PSI terms stay finite.
[[nodiscard]] inline std::vector<double> smoothed_shares(std::span<const std::size_t> counts) {
    double total = 0;
    for (auto c : counts) total += static_cast<double>(c);
    const double denominator = total + 0.5 * static_cast<double>(counts.size());
    std::vector<double> shares;
    shares.reserve(counts.size());
    for (auto c : counts) shares.push_back((static_cast<double>(c) + 0.5) / denominator);
    return shares;
}

/// Σ (a_i - e_i) · ln(a_i / e_i) over the smoothed shares of the two count vectors.
/// Throws std::invalid_argument unless they have the same, non-zero, number of bins.
[[nodiscard]] inline double population_stability_index(std::span<const std::size_t> expected_counts,
                                                       std::span<const std::size_t> actual_counts) {
    if (expected_counts.size() != actual_counts.size() || expected_counts.empty())
        throw std::invalid_argument("ctml::population_stability_index: " + std::to_string(expected_counts.size()) +
                                    " expected and " + std::to_string(actual_counts.size()) +
                                    " actual bins; both must be the same, non-zero, number");
    const auto expected = smoothed_shares(expected_counts);
    const auto actual = smoothed_shares(actual_counts);
    double psi = 0;
    for (std::size_t i = 0; i < expected.size(); ++i)
        psi += (actual[i] - expected[i]) * std::log(actual[i] / expected[i]);
    return psi;
}

/// The piecewise-linear CDF through (edges[k], k / (edges.size() - 1)): 0 below the first
/// edge, 1 from the last on, right-continuous where repeated edges make it jump.
/// Precondition: edges non-decreasing, at least two.
[[nodiscard]] inline double piecewise_linear_cdf(std::span<const double> edges, double x) {
    const double bins = static_cast<double>(edges.size() - 1);
    if (x < edges.front()) return 0;
    if (x >= edges.back()) return 1;
    // e_k <= x < e_k+1 with the largest such k, so the segment has positive width.
    const auto k = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), x) - edges.begin()) - 1;
    return (static_cast<double>(k) + (x - edges[k]) / (edges[k + 1] - edges[k])) / bins;
}

/// The left limit F(x-) of piecewise_linear_cdf: differs from F(x) only where F jumps at x.
[[nodiscard]] inline double piecewise_linear_cdf_below(std::span<const double> edges, double x) {
    const double bins = static_cast<double>(edges.size() - 1);
    if (x <= edges.front()) return 0;
    if (x > edges.back()) return 1;
    // e_k-1 < x <= e_k with the smallest such k (k >= 1): F rises to k/bins on the way to e_k.
    const auto k = static_cast<std::size_t>(std::lower_bound(edges.begin(), edges.end(), x) - edges.begin());
    if (edges[k] == x) return static_cast<double>(k) / bins;
    return (static_cast<double>(k - 1) + (x - edges[k - 1]) / (edges[k] - edges[k - 1])) / bins;
}

/// The two-sided one-sample KS statistic sup_x |F_n(x) - F(x)| of sorted, non-empty
/// values against piecewise_linear_cdf(edges): the larger of i/n - F(x_(i)) (just at or
/// after a step of F_n) and F(x_(i)-) - (i-1)/n (just before it). Ties need no special
/// case: within a run of equal values the first gives the largest second term and the
/// last the largest first term.
[[nodiscard]] inline double kolmogorov_smirnov_statistic(std::span<const double> edges,
                                                         std::span<const double> sorted_values) {
    const double n = static_cast<double>(sorted_values.size());
    double above = 0, below = 0;  // sup (F_n - F) and sup (F - F_n)
    for (std::size_t i = 0; i < sorted_values.size(); ++i) {
        above = std::max(above, static_cast<double>(i + 1) / n - piecewise_linear_cdf(edges, sorted_values[i]));
        below = std::max(below, piecewise_linear_cdf_below(edges, sorted_values[i]) - static_cast<double>(i) / n);
    }
    return std::max(above, below);
}

/// The KS p-value: P(K > sqrt(n)·D) in the asymptotic Kolmogorov distribution, clipped to [0, 1].
[[nodiscard]] inline double kolmogorov_smirnov_p_value(double statistic, std::size_t n) {
    return std::clamp(kolmogorov_sf(statistic * std::sqrt(static_cast<double>(n))), 0.0, 1.0);
}

/// Pearson's Σ (o - e)² / e. Precondition: same sizes, every expected count positive.
[[nodiscard]] inline double chi_square_statistic(std::span<const double> observed, std::span<const double> expected) {
    double statistic = 0;
    for (std::size_t i = 0; i < observed.size(); ++i)
        statistic += (observed[i] - expected[i]) * (observed[i] - expected[i]) / expected[i];
    return statistic;
}

namespace detail {

/// An edge for a bin label: up to 10 significant digits, so 1262.3000000000002 reads 1262.3.
[[nodiscard]] inline std::string edge_label(double value) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, value, std::chars_format::general, 10).ptr;
    return std::string(text, end);
}

[[nodiscard]] inline std::string quoted_list(const std::vector<std::pair<std::string, std::size_t>>& values,
                                             std::size_t shown) {
    std::string text;
    for (std::size_t i = 0; i < values.size() && i < shown; ++i) {
        if (i > 0) text += ", ";
        text += "\"" + values[i].first + "\" (" + std::to_string(values[i].second) + ")";
    }
    if (values.size() > shown) text += ", and " + std::to_string(values.size() - shown) + " more";
    return text;
}

inline void append_note(std::string& note, const std::string& more) {
    if (!note.empty()) note += "; ";
    note += more;
}

/// Fills bins, psi and band from training and batch counts over the same labels.
inline void compare_bins(column_drift& out, std::vector<std::string> labels,
                         std::span<const std::size_t> training_counts, std::span<const std::size_t> batch_counts) {
    const auto expected = smoothed_shares(training_counts);
    const auto actual = smoothed_shares(batch_counts);
    out.psi = population_stability_index(training_counts, batch_counts);
    out.band = psi_band(out.psi);
    for (std::size_t i = 0; i < labels.size(); ++i)
        out.bins.push_back({std::move(labels[i]), expected[i], actual[i], batch_counts[i]});
}

[[nodiscard]] inline column_drift not_comparable(std::string name, std::string kind, std::string test,
                                                 std::size_t rows, std::string why) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    return {std::move(name), std::move(kind), nan, "major", std::move(test), nan, nan, rows, 0, 0, {}, std::move(why)};
}

/// Calls f(column) with the batch column called `name`; returns false when there is none.
template <class Schema, class F>
bool with_batch_column(const frame<Schema>& batch, std::string_view name, F&& f) {
    bool found = false;
    for_each_column_index<Schema>([&](auto j) {
        using column = typename Schema::template column_at<j>;
        if (found || column::name.view() != name) return;
        found = true;
        f(batch.template column_at<j>());
    });
    return found;
}

template <class T>
[[nodiscard]] column_drift numeric_drift(const numeric_column_statistics& training, const numeric_column<T>& batch) {
    column_drift out{training.name, "numeric", 0, {}, "ks", 0, 0, batch.size(), batch.missing_count(), 0, {}, {}};
    // The present values as doubles, as describe_column takes them; a NaN (a CSV may say
    // "nan") has no place in any bin and would break the sort, so it counts as missing.
    std::vector<double> values;
    values.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (batch.is_missing(i)) continue;
        const auto v = static_cast<double>(batch[i]);
        if (std::isnan(v)) ++out.missing;
        else values.push_back(v);
    }
    std::sort(values.begin(), values.end());

    std::vector<std::string> labels;
    std::vector<std::size_t> training_counts, batch_counts;
    const std::span<const double> edges = training.decile_edges;
    if (edges.size() >= 2) {
        for (std::size_t k = 0; k + 1 < edges.size(); ++k)
            labels.push_back("[" + edge_label(edges[k]) + ", " + edge_label(edges[k + 1]) +
                             (k + 2 == edges.size() ? "]" : ")"));
        training_counts = training.decile_counts;
        batch_counts = bin_counts(edges, values);
    } else {  // the training data had no value at all: only present vs missing is left to compare
        labels.push_back("present");
        training_counts.push_back(training.count);
        batch_counts.push_back(values.size());
    }
    labels.push_back("missing");
    training_counts.push_back(training.missing);
    batch_counts.push_back(out.missing);
    compare_bins(out, std::move(labels), training_counts, batch_counts);

    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    if (values.empty()) {
        out.statistic = out.p_value = nan;
        append_note(out.note, "every value is missing");
    } else if (edges.size() < 2) {
        out.statistic = out.p_value = nan;
        append_note(out.note, "the training data has no values in this column");
    } else {
        out.statistic = kolmogorov_smirnov_statistic(edges, values);
        out.p_value = kolmogorov_smirnov_p_value(out.statistic, values.size());
        const auto below = static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), edges.front()) - values.begin());
        const auto above = static_cast<std::size_t>(values.end() - std::upper_bound(values.begin(), values.end(), edges.back()));
        if (below + above > 0)
            append_note(out.note, std::to_string(below + above) + " values outside the training range [" +
                                      edge_label(edges.front()) + ", " + edge_label(edges.back()) + "]");
    }
    return out;
}

[[nodiscard]] inline column_drift categorical_drift(const categorical_column_statistics& training,
                                                    const categorical_column& batch) {
    column_drift out{training.name, "categorical", 0, {}, "chi_square", 0, 0, batch.size(), batch.missing_count(), 0, {}, {}};
    const auto counted = category_counts(batch);
    std::map<std::string_view, std::size_t> batch_count_of;
    for (const auto& [category, count] : counted.counts) batch_count_of[category] = count;

    std::vector<std::string> labels;
    std::vector<std::size_t> training_counts, batch_counts;
    for (const auto& [category, count] : training.frequencies) {
        labels.push_back(category);
        training_counts.push_back(count);
        const auto found = batch_count_of.find(category);
        batch_counts.push_back(found == batch_count_of.end() ? 0 : found->second);
        if (found != batch_count_of.end()) batch_count_of.erase(found);
    }
    // What is left was never seen in training, most frequent first.
    std::vector<std::pair<std::string, std::size_t>> unseen;
    for (const auto& [category, count] : batch_count_of) {
        unseen.emplace_back(std::string(category), count);
        out.unseen += count;
    }
    std::stable_sort(unseen.begin(), unseen.end(), [](const auto& a, const auto& b) { return a.second > b.second; });

    labels.push_back("missing");
    training_counts.push_back(training.missing);
    batch_counts.push_back(out.missing);
    labels.push_back("unseen");
    training_counts.push_back(0);
    batch_counts.push_back(out.unseen);
    compare_bins(out, std::move(labels), training_counts, batch_counts);

    // Expected counts from the smoothed training shares, so every one is positive.
    const double rows = static_cast<double>(batch.size());
    std::vector<double> observed, expected;
    for (std::size_t i = 0; i < batch_counts.size(); ++i) {
        observed.push_back(static_cast<double>(batch_counts[i]));
        expected.push_back(rows * out.bins[i].expected_share);
    }
    out.statistic = chi_square_statistic(observed, expected);
    out.p_value = chi_square_sf(out.statistic, static_cast<double>(batch_counts.size() - 1));

    if (!unseen.empty())
        append_note(out.note, std::to_string(unseen.size()) + (unseen.size() == 1 ? " category" : " categories") +
                                  " unseen in training: " + quoted_list(unseen, 5));
    if (out.missing == out.rows) append_note(out.note, "every value is missing");
    return out;
}

}  // namespace detail

/// Compares each training column with the batch's column of the same name (see the top of this file).
/// Throws std::invalid_argument when the batch has no rows, invalid_state when `training` is inconsistent.
template <class Schema>
[[nodiscard]] drift_report compare_to_training(const training_statistics& training, const frame<Schema>& batch) {
    if (batch.rows() == 0) throw std::invalid_argument("ctml::compare_to_training: the batch has no rows");
    training.check();
    drift_report report{batch.rows(), {}};

    for (const auto& expected : training.numeric) {
        std::optional<column_drift> drift;
        const bool present = detail::with_batch_column(batch, expected.name, [&](const auto& column) {
            if constexpr (std::is_same_v<std::decay_t<decltype(column)>, categorical_column>)
                drift = detail::not_comparable(expected.name, "numeric", "ks", batch.rows(),
                                               "numeric in training, categorical in the batch");
            else
                drift = detail::numeric_drift(expected, column);
        });
        report.columns.push_back(present ? std::move(*drift)
                                         : detail::not_comparable(expected.name, "numeric", "ks", batch.rows(),
                                                                  "column missing from the batch"));
    }
    for (const auto& expected : training.categorical) {
        std::optional<column_drift> drift;
        const bool present = detail::with_batch_column(batch, expected.name, [&](const auto& column) {
            if constexpr (std::is_same_v<std::decay_t<decltype(column)>, categorical_column>)
                drift = detail::categorical_drift(expected, column);
            else
                drift = detail::not_comparable(expected.name, "categorical", "chi_square", batch.rows(),
                                               "categorical in training, numeric in the batch");
        });
        report.columns.push_back(present ? std::move(*drift)
                                         : detail::not_comparable(expected.name, "categorical", "chi_square",
                                                                  batch.rows(), "column missing from the batch"));
    }
    return report;
}

}  // namespace ctml

// row_partition: where the rows of a fit are. Either all of them are here
// (all_rows_here(), what fit(x) uses), or the rows are split into parts held
// by several processes -- MPI ranks (ctml/mpi/rank_partition.hpp) or the
// threads of a test -- each fitting on its own part:
//
//   auto fitted = model.fit(my_rows, my_labels, partition);   // every part calls this
//
// Every stage computes what it learns from its own part and combines it with
// the other parts through the two collectives below, so every part ends with
// the same fitted pipeline -- the one a single process fits on all the rows
// (exactly for categories, counts, minima and quantiles; to rounding for
// sums, which are added in part order). The combining is written once, in the
// helpers at the bottom; with one part they do nothing, so fit(x) is
// unchanged, bit for bit.
//
// Rules a stage keeps so that several parts never wait on each other
// forever: every part makes the same collective calls in the same order,
// whatever its rows (an empty part included), and a stage decides to throw
// only on combined values, which every part sees alike.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ctml {

class row_partition {
public:
    virtual ~row_partition() = default;

    /// How many parts the rows are split into (1: all rows are here).
    [[nodiscard]] virtual std::size_t parts() const noexcept = 0;

    /// Every part's values, part after part, on every part. Parts may give different lengths.
    [[nodiscard]] virtual std::vector<std::vector<double>> all_gather(std::span<const double> mine) const = 0;
    [[nodiscard]] virtual std::vector<std::vector<std::string>> all_gather(std::span<const std::string> mine) const = 0;
};

/// The one part of rows that are all here.
class all_rows_here_t final : public row_partition {
public:
    [[nodiscard]] std::size_t parts() const noexcept override { return 1; }
    [[nodiscard]] std::vector<std::vector<double>> all_gather(std::span<const double> mine) const override {
        return {std::vector<double>(mine.begin(), mine.end())};
    }
    [[nodiscard]] std::vector<std::vector<std::string>> all_gather(std::span<const std::string> mine) const override {
        return {std::vector<std::string>(mine.begin(), mine.end())};
    }
};

[[nodiscard]] inline const row_partition& all_rows_here() noexcept {
    static const all_rows_here_t whole;
    return whole;
}

// ---- Combining what the parts learned, written once for every stage ----

/// Replaces `values` by their sums over the parts, added in part order (unchanged with one part).
inline void sum_over_parts(const row_partition& rows, std::span<double> values) {
    if (rows.parts() == 1) return;
    const auto all = rows.all_gather(std::span<const double>(values));
    std::fill(values.begin(), values.end(), 0.0);
    for (const auto& part : all)
        for (std::size_t k = 0; k < values.size(); ++k) values[k] += part[k];
}

/// The sum of a count over the parts (exact below 2^53).
[[nodiscard]] inline std::size_t sum_over_parts(const row_partition& rows, std::size_t count) {
    double value = static_cast<double>(count);
    sum_over_parts(rows, std::span<double>(&value, 1));
    return static_cast<std::size_t>(value);
}

/// True on every part when it is true on any.
[[nodiscard]] inline bool any_part(const row_partition& rows, bool mine) {
    return sum_over_parts(rows, std::size_t{mine ? 1u : 0u}) > 0;
}

/// Every part's values, one after the other in part order (this part's own with one part).
[[nodiscard]] inline std::vector<double> gather_over_parts(const row_partition& rows, std::vector<double> mine) {
    if (rows.parts() == 1) return mine;
    std::vector<double> all;
    for (auto& part : rows.all_gather(std::span<const double>(mine))) all.insert(all.end(), part.begin(), part.end());
    return all;
}

/// The sorted union of every part's strings (this part's own, sorted and unique, with one part).
[[nodiscard]] inline std::vector<std::string> union_over_parts(const row_partition& rows, std::vector<std::string> mine) {
    if (rows.parts() > 1) {
        std::vector<std::string> all;
        for (auto& part : rows.all_gather(std::span<const std::string>(mine)))
            for (auto& s : part) all.push_back(std::move(s));
        mine = std::move(all);
    }
    std::sort(mine.begin(), mine.end());
    mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
    return mine;
}

/// Counts by name, summed over the parts: the union of the names, sorted, each with its total.
[[nodiscard]] inline std::vector<std::pair<std::string, std::size_t>> count_over_parts(
    const row_partition& rows, std::vector<std::pair<std::string, std::size_t>> mine) {
    if (rows.parts() == 1) return mine;
    std::vector<std::string> names;
    std::vector<double> counts;
    for (auto& [name, count] : mine) {
        names.push_back(name);
        counts.push_back(static_cast<double>(count));
    }
    const auto all_names = rows.all_gather(std::span<const std::string>(names));
    const auto all_counts = rows.all_gather(std::span<const double>(counts));
    std::vector<std::pair<std::string, std::size_t>> merged;
    for (std::size_t p = 0; p < all_names.size(); ++p)
        for (std::size_t k = 0; k < all_names[p].size(); ++k)
            merged.emplace_back(all_names[p][k], static_cast<std::size_t>(all_counts[p][k]));
    std::sort(merged.begin(), merged.end());
    std::vector<std::pair<std::string, std::size_t>> out;
    for (auto& entry : merged) {
        if (!out.empty() && out.back().first == entry.first) out.back().second += entry.second;
        else out.push_back(std::move(entry));
    }
    return out;
}

/// A transformer fitted on this part: through its fit(x, rows), or, for a stage
/// that has none (one written before row_partition), through fit(x) when the
/// rows are all here -- and an error naming the stage when they are not.
namespace detail {
// What fit_on_part returns, named without instantiating it: a deduced return
// type would instantiate its body, and with it the whole fit, wherever a
// fitted type is only named.
template <class Stage, class X>
struct fitted_on_part {
    using type = decltype(std::declval<const Stage&>().fit(std::declval<const X&>()));
};
template <class Stage, class X>
    requires requires(const Stage& s, const X& x, const row_partition& rows) { s.fit(x, rows); }
struct fitted_on_part<Stage, X> {
    using type = decltype(std::declval<const Stage&>().fit(std::declval<const X&>(), std::declval<const row_partition&>()));
};
template <class Stage, class X, class Labels>
struct estimator_fitted_on_part {
    using type = decltype(std::declval<const Stage&>().fit(std::declval<const X&>(), std::declval<const Labels&>()));
};
template <class Stage, class X, class Labels>
    requires requires(const Stage& s, const X& x, const Labels& y, const row_partition& rows) { s.fit(x, y, rows); }
struct estimator_fitted_on_part<Stage, X, Labels> {
    using type = decltype(std::declval<const Stage&>().fit(std::declval<const X&>(), std::declval<const Labels&>(),
                                                           std::declval<const row_partition&>()));
};
}  // namespace detail

template <class Stage, class X>
[[nodiscard]] typename detail::fitted_on_part<Stage, X>::type fit_on_part(const Stage& stage, const X& x,
                                                                          const row_partition& rows) {
    if constexpr (requires { stage.fit(x, rows); }) {
        return stage.fit(x, rows);
    } else {
        if (rows.parts() != 1)
            throw std::invalid_argument(std::string(Stage::stage_name) +
                                        ": cannot fit on rows split over several processes (it has no fit(x, "
                                        "row_partition)); fit it where all the rows are");
        return stage.fit(x);
    }
}

/// An estimator fitted on this part, as fit_on_part above.
template <class Stage, class X, class Labels>
[[nodiscard]] typename detail::estimator_fitted_on_part<Stage, X, Labels>::type fit_on_part(const Stage& stage,
                                                                                            const X& x, const Labels& y,
                                                                                            const row_partition& rows) {
    if constexpr (requires { stage.fit(x, y, rows); }) {
        return stage.fit(x, y, rows);
    } else {
        if (rows.parts() != 1)
            throw std::invalid_argument(std::string(Stage::stage_name) +
                                        ": cannot fit on rows split over several processes (it has no fit(x, y, "
                                        "row_partition)); fit it where all the rows are");
        return stage.fit(x, y);
    }
}

}  // namespace ctml

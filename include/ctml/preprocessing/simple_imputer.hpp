// simple_imputer: replaces missing values column by column -- scikit-learn's
// SimpleImputer.
//
//   strategy     numeric columns                categorical columns
//   mean         mean of the present values     (error at fit)
//   median       median of the present values   (error at fit)
//   most_frequent the commonest value; ties go to the smallest, as in scikit-learn
//   constant     fill_value                     fill_category
//
// Input: a frame. Output: a frame of the same columns, none nullable; numeric
// columns become double (scikit-learn returns float64). A column whose
// statistic cannot be computed (every value missing) is an error, not a
// silently dropped column. Declared-category columns stay declared, so the
// fill category must be one of them. Example: examples/quickstart.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/huge_page_allocator.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/enum_names.hpp"
#include "ctml/pipeline/row_partition.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

enum class impute_strategy { mean, median, most_frequent, constant };

constexpr auto enum_names(impute_strategy) {
    return std::to_array<enum_name<impute_strategy>>({{impute_strategy::mean, "mean"},
                                                      {impute_strategy::median, "median"},
                                                      {impute_strategy::most_frequent, "most_frequent"},
                                                      {impute_strategy::constant, "constant"}});
}

namespace detail {
template <class C>
struct imputed_column {
    using type = std::conditional_t<C::is_numeric, column<C::name, double>, column<C::name, typename C::value_kind>>;
};
template <class S> struct imputed_schema;
template <class... Cs> struct imputed_schema<schema<Cs...>> { using type = schema<typename imputed_column<Cs>::type...>; };
}  // namespace detail

/// The schema a simple_imputer produces: the same columns, none nullable, numbers as double.
template <class S>
using imputed_schema_t = typename detail::imputed_schema<S>::type;

template <class In>
class fitted_simple_imputer;

struct simple_imputer {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "simple_imputer";

    impute_strategy strategy = impute_strategy::mean;
    /// What `constant` writes into numeric columns.
    double fill_value = 0.0;
    /// What `constant` writes into categorical columns.
    std::string fill_category = "missing";

    [[nodiscard]] bool operator==(const simple_imputer&) const = default;

    template <table In>
    [[nodiscard]] fitted_simple_imputer<In> fit(const In& x) const {
        static_assert(frame_type<In>, "ctml: simple_imputer works on a frame (named columns), not on a feature matrix");
        return fitted_simple_imputer<In>::learn(*this, x, all_rows_here());
    }

    /// Fits on this part of rows split over several processes; every part gets the same statistics.
    template <table In>
    [[nodiscard]] fitted_simple_imputer<In> fit(const In& x, const row_partition& rows) const {
        static_assert(frame_type<In>, "ctml: simple_imputer works on a frame (named columns), not on a feature matrix");
        return fitted_simple_imputer<In>::learn(*this, x, rows);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: simple_imputer is not fitted -- call fit() first; it returns the fitted stage");
    }
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::simple_imputer, strategy, fill_value, fill_category);

namespace ctml {

template <class... Columns>
class fitted_simple_imputer<frame<schema<Columns...>>> {
    using in_schema = schema<Columns...>;
    using out_schema = imputed_schema_t<in_schema>;
public:
    /// One statistic per column: double for numeric columns, std::string for categorical ones.
    using statistic_tuple = std::tuple<std::conditional_t<Columns::is_numeric, double, std::string>...>;

    using params_type = simple_imputer;
    using output_type = frame<out_schema>;

    static constexpr int version = 1;

    struct state_type {
        /// The value that replaces a missing one, per column.
        BOOST_HANA_DEFINE_STRUCT(state_type, (statistic_tuple, statistics));
    };

    [[nodiscard]] static fitted_simple_imputer learn(const simple_imputer& params, const frame<in_schema>& x,
                                                     const row_partition& rows) {
        state_type s;
        for_each_column_index<in_schema>([&](auto j) { std::get<j>(s.statistics) = learn_column<j>(params, x, rows); });
        return restore(params, std::move(s));
    }

    [[nodiscard]] static fitted_simple_imputer restore(const simple_imputer& params, state_type s) {
        constexpr detail::state_checks check(simple_imputer::stage_name);
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            const auto& stat = std::get<j>(s.statistics);
            const std::string field = "state.statistics[" + std::to_string(j) + "]";
            if constexpr (column::is_numeric) {
                if (!std::isfinite(stat)) check.fail(field, "must be a finite number");
            } else if constexpr (column::has_declared_categories && column::is_nullable) {
                // Only a column that can hold a missing value ever receives the fill.
                if (!column::value_kind::find(stat))
                    check.fail(field, "column \"" + std::string(column::name.view()) + "\": fill category \"" + stat +
                                          "\" is not one of the column's declared categories");
            }
        });
        return fitted_simple_imputer(params, std::move(s));
    }

    [[nodiscard]] const simple_imputer& params() const noexcept { return params_; }
    [[nodiscard]] const state_type& state() const noexcept { return state_; }
    [[nodiscard]] const statistic_tuple& statistics() const noexcept { return state_.statistics; }
    [[nodiscard]] static constexpr int n_features_in() noexcept { return static_cast<int>(sizeof...(Columns)); }

    /// The value that replaces a missing one in the named column (double or std::string).
    template <fixed_string Name>
    [[nodiscard]] const auto& statistic() const noexcept {
        return std::get<in_schema::template index_of<Name>>(state_.statistics);
    }
    template <std::size_t I>
    [[nodiscard]] const auto& statistic_at() const noexcept { return std::get<I>(state_.statistics); }

    [[nodiscard]] output_type transform(const frame<in_schema>& x) const {
        return transform_columns(x, std::make_index_sequence<sizeof...(Columns)>{});
    }

    [[nodiscard]] record<out_schema> transform_row(const record<in_schema>& r) const {
        record<out_schema> out;
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            const auto& cell = r.template get_at<j>();
            auto& target = out.template get_at<j>();
            const auto& stat = std::get<j>(state_.statistics);
            if constexpr (column::is_nullable) {
                if (cell) assign(target, *cell);
                else fill(target, stat);
            } else {
                assign(target, cell);
            }
        });
        return out;
    }

    /// The folds of the columns after imputation, with what a missing value adds: what its
    /// fill value adds (column_fold.hpp).
    [[nodiscard]] std::vector<column_fold> fold_columns(std::vector<column_fold> after) const {
        for_each_column_index<in_schema>([&](auto j) {
            using column = typename in_schema::template column_at<j>;
            if constexpr (column::is_nullable) {
                auto& fold = after[j];
                const auto& stat = std::get<j>(state_.statistics);
                if constexpr (column::is_numeric) fold.missing = fold.value(stat);
                else fold.missing = fold.value(std::string_view(stat));
            }
        });
        return after;
    }

    /// One column out per column in.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        return {inputs.begin(), inputs.end()};
    }

private:
    fitted_simple_imputer(const simple_imputer& params, state_type s) : params_(params), state_(std::move(s)) {}

    template <class Target, class V>
    static void assign(Target& target, const V& v) {
        if constexpr (std::is_arithmetic_v<V>) target = static_cast<double>(v);
        else target = v;
    }
    template <class Target>
    static void fill(Target& target, const double& stat) { target = stat; }
    template <class Target>
    static void fill(Target& target, const std::string& stat) {
        if constexpr (std::is_same_v<Target, std::string>) target = stat;
        else target = Target(stat);  // declared category: restore() checked it is one
    }

    template <std::size_t J>
    static auto learn_column(const simple_imputer& params, const frame<in_schema>& x, const row_partition& rows) {
        using column = typename in_schema::template column_at<J>;
        const auto& col = x.template column_at<J>();
        const std::string name(column::name.view());
        const auto fail = [&](const std::string& why) {
            return std::invalid_argument("simple_imputer: column \"" + name + "\": " + why);
        };
        if constexpr (column::is_numeric) {
            if (params.strategy == impute_strategy::constant) return params.fill_value;
            std::vector<double> present;
            present.reserve(col.size());
            for (std::size_t i = 0; i < col.size(); ++i)
                if (!col.is_missing(i)) present.push_back(static_cast<double>(col[i]));
            const auto nothing_to_learn = [&] {
                return fail("every value is missing, so strategy " + std::string(to_string(params.strategy)) +
                            " has nothing to learn from");
            };
            if (params.strategy == impute_strategy::mean) {
                double sum_and_count[2] = {0, static_cast<double>(present.size())};
                for (double v : present) sum_and_count[0] += v;
                sum_over_parts(rows, sum_and_count);
                if (sum_and_count[1] == 0) throw nothing_to_learn();
                return sum_and_count[0] / sum_and_count[1];
            }
            // The median and the commonest value need every part's values.
            present = gather_over_parts(rows, std::move(present));
            if (present.empty()) throw nothing_to_learn();
            if (params.strategy == impute_strategy::median) {
                std::sort(present.begin(), present.end());
                const std::size_t n = present.size();
                return n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2.0;
            }
            std::map<double, std::size_t> counts;  // ordered: ties go to the smallest value
            for (double v : present) ++counts[v];
            return std::max_element(counts.begin(), counts.end(),
                                    [](const auto& a, const auto& b) { return a.second < b.second; })
                ->first;
        } else {
            std::string stat;
            if (params.strategy == impute_strategy::constant) {
                stat = params.fill_category;
            } else if (params.strategy == impute_strategy::most_frequent) {
                std::vector<std::size_t> counts(col.vocabulary().size(), 0);
                for (auto c : col.codes())
                    if (c != categorical_column::missing_code) ++counts[static_cast<std::size_t>(c)];
                std::vector<std::pair<std::string, std::size_t>> by_value;
                for (std::size_t k = 0; k < counts.size(); ++k)
                    if (counts[k] > 0) by_value.emplace_back(col.vocabulary()[k], counts[k]);
                std::sort(by_value.begin(), by_value.end());  // ordered: ties go to the smallest string
                by_value = count_over_parts(rows, std::move(by_value));
                if (by_value.empty()) throw fail("every value is missing, so strategy most_frequent has nothing to learn from");
                stat = std::max_element(by_value.begin(), by_value.end(), [](const auto& a, const auto& b) {
                           return a.second < b.second;
                       })->first;
            } else {
                throw fail("strategy " + std::string(to_string(params.strategy)) +
                           " needs numbers; use most_frequent or constant for a categorical column");
            }
            return stat;
        }
    }

    template <std::size_t... J>
    output_type transform_columns(const frame<in_schema>& x, std::index_sequence<J...>) const {
        return output_type(transform_column<J>(x.template column_at<J>())...);
    }

    template <std::size_t J, class T>
    numeric_column<double> transform_column(const numeric_column<T>& col) const {
        const double stat = std::get<J>(state_.statistics);
        std::vector<double> values(col.size());
        for (std::size_t i = 0; i < col.size(); ++i)
            values[i] = col.is_missing(i) ? stat : static_cast<double>(col[i]);
        return numeric_column<double>(std::move(values));
    }

    template <std::size_t J>
    categorical_column transform_column(const categorical_column& col) const {
        if (!col.has_missing()) return col;  // nothing to fill: share the storage
        const std::string& stat = std::get<J>(state_.statistics);
        auto vocabulary = col.shared_vocabulary();
        auto code = col.find(stat);
        if (!code) {
            // Only learned vocabularies can lack the fill value (declared ones were checked at fit).
            auto extended = std::make_shared<std::vector<std::string>>(*vocabulary);
            extended->push_back(stat);
            code = static_cast<categorical_column::code_type>(extended->size() - 1);
            vocabulary = std::move(extended);
        }
        // From huge pages: at 1,000,000 rows a fresh 4 MB of codes is otherwise ~12 ms of page faults.
        std::vector<categorical_column::code_type, detail::huge_page_allocator<categorical_column::code_type>> codes(
            col.codes().begin(), col.codes().end());
        for (auto& c : codes)
            if (c == categorical_column::missing_code) c = *code;
        return categorical_column(detail::shared_buffer<categorical_column::code_type>(std::move(codes)),
                                  std::move(vocabulary));
    }

    simple_imputer params_;
    state_type state_;
};

}  // namespace ctml

// stage_codec<Fitted>: how each fitted stage is written to and read back from
// a model artifact -- hyperparameters under "params", learned state under
// "state". Reading checks every invariant fit would have established (array
// lengths, finite numbers, non-zero scales, categories sorted and distinct)
// and says where it failed; only then is the fitted stage rebuilt with the
// `restore` constructor, doing no work beyond what the file holds.
#pragma once

#include <cstddef>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ctml/ctml.hpp"
#include "ctml/detail/json_field.hpp"

namespace ctml::detail {

// Written with insertion order kept, so a file reads top-down: stage, params, state.
using artifact_json = nlohmann::ordered_json;

template <class Fitted>
struct stage_codec;

template <int W>
Eigen::Matrix<double, 1, W> row_from(const std::vector<double>& values) {
    Eigen::Matrix<double, 1, W> row(static_cast<Eigen::Index>(values.size()));
    for (std::size_t k = 0; k < values.size(); ++k) row(static_cast<Eigen::Index>(k)) = values[k];
    return row;
}

template <class Derived>
artifact_json numbers_of(const Eigen::MatrixBase<Derived>& v) {
    artifact_json out = artifact_json::array();
    for (Eigen::Index k = 0; k < v.size(); ++k) out.push_back(v(k));
    return out;
}

/// The length a vector of per-feature state must have: the compile-time
/// width when there is one, else whatever the first array says.
inline std::size_t expected_width(int width) {
    return width == dynamic_width ? json_field::npos : static_cast<std::size_t>(width);
}

// ---- standard_scaler --------------------------------------------------------
template <class In>
struct stage_codec<fitted_standard_scaler<In>> {
    using fitted = fitted_standard_scaler<In>;
    static constexpr std::string_view name = "standard_scaler";

    static artifact_json save(const fitted& f) {
        return {{"stage", name},
                {"params", {{"with_mean", f.params().with_mean}, {"with_std", f.params().with_std}}},
                {"state",
                 {{"mean", numbers_of(f.mean())},
                  {"var", numbers_of(f.var())},
                  {"scale", numbers_of(f.fitted_scale())},
                  {"n_samples_seen", f.n_samples_seen()}}}};
    }

    static fitted load(const json_field& j) {
        const standard_scaler params{.with_mean = j["params"]["with_mean"].boolean(),
                                     .with_std = j["params"]["with_std"].boolean()};
        const auto state = j["state"];
        const auto mean = state["mean"].numbers(expected_width(fitted::width));
        const auto var = state["var"].numbers(mean.size());
        const auto scale = state["scale"].numbers(mean.size());
        for (std::size_t k = 0; k < var.size(); ++k)
            if (var[k] < 0) state["var"][k].fail("a variance cannot be negative");
        for (std::size_t k = 0; k < scale.size(); ++k)
            if (!(scale[k] > 0)) state["scale"][k].fail("a scale must be positive (zero would divide by zero)");
        return fitted(restore, params, row_from<fitted::width>(mean), row_from<fitted::width>(var),
                      row_from<fitted::width>(scale), state["n_samples_seen"].count());
    }
};

// ---- min_max_scaler ---------------------------------------------------------
template <class In>
struct stage_codec<fitted_min_max_scaler<In>> {
    using fitted = fitted_min_max_scaler<In>;
    static constexpr std::string_view name = "min_max_scaler";

    static artifact_json save(const fitted& f) {
        return {{"stage", name},
                {"params", {{"range_min", f.params().range_min}, {"range_max", f.params().range_max}}},
                {"state", {{"data_min", numbers_of(f.data_min())}, {"data_max", numbers_of(f.data_max())}}}};
    }

    static fitted load(const json_field& j) {
        const min_max_scaler params{.range_min = j["params"]["range_min"].number(),
                                    .range_max = j["params"]["range_max"].number()};
        if (!(params.range_min < params.range_max)) j["params"].fail("range_min must be below range_max");
        const auto lo = j["state"]["data_min"].numbers(expected_width(fitted::width));
        const auto hi = j["state"]["data_max"].numbers(lo.size());
        for (std::size_t k = 0; k < lo.size(); ++k)
            if (hi[k] < lo[k]) j["state"]["data_max"][k].fail("data_max is below data_min");
        return fitted(restore, params, row_from<fitted::width>(lo), row_from<fitted::width>(hi));
    }
};

// ---- simple_imputer ---------------------------------------------------------
template <class... Columns>
struct stage_codec<fitted_simple_imputer<frame<schema<Columns...>>>> {
    using fitted = fitted_simple_imputer<frame<schema<Columns...>>>;
    using in_schema = schema<Columns...>;
    static constexpr std::string_view name = "simple_imputer";

    static artifact_json save(const fitted& f) {
        artifact_json statistics = artifact_json::array();
        std::apply([&](const auto&... s) { (statistics.push_back(s), ...); }, f.statistics());
        return {{"stage", name},
                {"params",
                 {{"strategy", to_string(f.params().strategy)},
                  {"fill_value", f.params().fill_value},
                  {"fill_category", f.params().fill_category}}},
                {"state", {{"statistics", statistics}}}};
    }

    static fitted load(const json_field& j) {
        const auto p = j["params"];
        const simple_imputer params{.strategy = static_cast<impute_strategy>(p["strategy"].one_of({"mean", "median", "most_frequent", "constant"})),
                                    .fill_value = p["fill_value"].number(),
                                    .fill_category = p["fill_category"].string()};
        const auto stats = j["state"]["statistics"];
        stats.array(sizeof...(Columns));
        typename fitted::statistic_tuple values;
        for_each_column_index<in_schema>([&](auto c) {
            using column = typename in_schema::template column_at<c>;
            if constexpr (column::is_numeric) {
                std::get<c>(values) = stats[c].number();
            } else {
                std::get<c>(values) = stats[c].string();
                if constexpr (column::has_declared_categories && column::is_nullable)
                    if (!column::value_kind::find(std::get<c>(values)))
                        stats[c].fail("\"" + std::get<c>(values) + "\" is not a declared category of column \"" +
                                      std::string(column::name.view()) + "\"");
            }
        });
        return fitted(restore, params, std::move(values));
    }
};

// ---- one_hot_encoder --------------------------------------------------------
template <class... Columns>
struct stage_codec<fitted_one_hot_encoder<frame<schema<Columns...>>>> {
    using fitted = fitted_one_hot_encoder<frame<schema<Columns...>>>;
    using in_schema = schema<Columns...>;
    static constexpr std::string_view name = "one_hot_encoder";

    static artifact_json save(const fitted& f) {
        return {{"stage", name},
                {"params", {{"handle_unknown", f.params().unknown == handle_unknown::error ? "error" : "ignore"}}},
                {"state", {{"categories", f.categories()}}}};
    }

    static fitted load(const json_field& j) {
        const one_hot_encoder params{
            .unknown = j["params"]["handle_unknown"].one_of({"error", "ignore"}) == 0 ? handle_unknown::error
                                                                                      : handle_unknown::ignore};
        const auto lists = j["state"]["categories"];
        lists.array(sizeof...(Columns));
        typename fitted::category_lists categories;
        for_each_column_index<in_schema>([&](auto c) {
            using column = typename in_schema::template column_at<c>;
            const auto list = lists[c];
            categories[c] = list.strings();
            const auto& cats = categories[c];
            if (cats.empty()) list.fail("a column needs at least one category");
            if constexpr (column::has_declared_categories) {
                const auto& declared = column::value_kind::values;
                if (!std::equal(cats.begin(), cats.end(), declared.begin(), declared.end()))
                    list.fail("column \"" + std::string(column::name.view()) +
                              "\" must have exactly its declared categories, in declared order");
            } else {
                for (std::size_t k = 1; k < cats.size(); ++k)
                    if (!(cats[k - 1] < cats[k]))
                        list[k].fail(cats[k - 1] == cats[k] ? "category \"" + cats[k] + "\" is duplicated"
                                                            : "categories are out of order (\"" + cats[k - 1] +
                                                                  "\" before \"" + cats[k] + "\"); they must be sorted");
            }
        });
        return fitted(restore, params, std::move(categories));
    }
};

// ---- logistic_regression ----------------------------------------------------
template <int W>
struct stage_codec<fitted_logistic_regression<W>> {
    using fitted = fitted_logistic_regression<W>;
    static constexpr std::string_view name = "logistic_regression";

    static artifact_json save(const fitted& f) {
        const auto& p = f.params();
        return {{"stage", name},
                {"params",
                 {{"C", p.C},
                  {"fit_intercept", p.fit_intercept},
                  {"class_weight", p.class_weight == class_weighting::none ? "none" : "balanced"},
                  {"solver", p.solver == lr_solver::newton ? "newton" : "lbfgs"},
                  {"tol", p.tol},
                  {"max_iter", p.max_iter},
                  {"allow_non_convergence", p.allow_non_convergence}}},
                {"state",
                 {{"coef", numbers_of(f.coef())},
                  {"intercept", f.intercept()},
                  {"n_iter", f.n_iter()},
                  {"converged", f.converged()},
                  {"gradient_max", f.gradient_max()},
                  {"objective", f.objective_value()}}}};
    }

    static fitted load(const json_field& j) {
        const auto p = j["params"];
        logistic_regression params{
            .C = p["C"].number(),
            .fit_intercept = p["fit_intercept"].boolean(),
            .class_weight = p["class_weight"].one_of({"none", "balanced"}) == 0 ? class_weighting::none
                                                                               : class_weighting::balanced,
            .solver = p["solver"].one_of({"newton", "lbfgs"}) == 0 ? lr_solver::newton : lr_solver::lbfgs,
            .tol = p["tol"].number(),
            .max_iter = static_cast<int>(p["max_iter"].integer()),
            .allow_non_convergence = p["allow_non_convergence"].boolean()};
        if (!(params.C > 0)) p["C"].fail("C must be positive");
        const auto s = j["state"];
        const auto coef = s["coef"].numbers(expected_width(W));
        if (coef.empty()) s["coef"].fail("a model needs at least one coefficient");
        const double intercept = s["intercept"].number();
        if (!params.fit_intercept && intercept != 0.0) s["intercept"].fail("must be 0 when fit_intercept is false");
        return fitted(restore, params, row_from<W>(coef), intercept, static_cast<int>(s["n_iter"].count()),
                      s["converged"].boolean(), s["gradient_max"].number(), s["objective"].number());
    }
};

// ---- column_transformer -----------------------------------------------------
template <class Fitted, fixed_string... Names>
struct stage_codec<fitted_column_group<Fitted, Names...>> {
    using fitted = fitted_column_group<Fitted, Names...>;

    static artifact_json save(const fitted& g) {
        return {{"name", g.name()},
                {"columns", std::vector<std::string>{std::string(Names.view())...}},
                {"stage", stage_codec<Fitted>::save(g.fitted())}};
    }

    static fitted load(const json_field& j) {
        const std::vector<std::string> expected{std::string(Names.view())...};
        if (j["columns"].strings() != expected) j["columns"].fail("the group routes other columns than this program's");
        const std::string name = j["name"].string();
        if (name.empty()) j["name"].fail("a group name must not be empty");
        return fitted(name, stage_codec<Fitted>::load(j["stage"]));
    }
};

template <class In, class Remainder, class... Groups>
struct stage_codec<fitted_column_transformer<In, Remainder, Groups...>> {
    using fitted = fitted_column_transformer<In, Remainder, Groups...>;
    static constexpr std::string_view name = "column_transformer";
    static constexpr bool passthrough = std::is_same_v<Remainder, remainder_passthrough_t>;

    static artifact_json save(const fitted& f) {
        artifact_json groups = artifact_json::array();
        std::apply([&](const auto&... g) { (groups.push_back(stage_codec<std::remove_cvref_t<decltype(g)>>::save(g)), ...); },
                   f.groups());
        return {{"stage", name}, {"remainder", passthrough ? "passthrough" : "drop"}, {"groups", groups}};
    }

    static fitted load(const json_field& j) {
        if (j["remainder"].one_of({"drop", "passthrough"}) != (passthrough ? 1u : 0u))
            j["remainder"].fail(std::string("this program's column_transformer has remainder ") +
                                (passthrough ? "passthrough" : "drop"));
        const auto groups = j["groups"];
        groups.array(sizeof...(Groups));
        auto loaded = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return fitted(stage_codec<Groups>::load(groups[I])...);
        }(std::index_sequence_for<Groups...>{});
        std::vector<std::string_view> names;
        std::apply([&](const auto&... g) { (names.push_back(g.name()), ...); }, loaded.groups());
        for (std::size_t a = 0; a < names.size(); ++a)
            for (std::size_t b = a + 1; b < names.size(); ++b)
                if (names[a] == names[b]) groups[b]["name"].fail("two groups are named \"" + std::string(names[a]) + "\"");
        return loaded;
    }
};

// ---- pipeline ---------------------------------------------------------------
template <class In, class... Fitted>
struct stage_codec<fitted_pipeline<In, std::tuple<Fitted...>>> {
    using fitted = fitted_pipeline<In, std::tuple<Fitted...>>;
    static constexpr std::string_view name = "pipeline";

    static artifact_json save_steps(const fitted& f) {
        artifact_json steps = artifact_json::array();
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (steps.push_back(stage_codec<Fitted>::save(f.template step<I>())), ...);
        }(std::index_sequence_for<Fitted...>{});
        return steps;
    }

    static artifact_json save(const fitted& f) { return {{"stage", name}, {"steps", save_steps(f)}}; }

    static fitted load_steps(const json_field& steps) {
        steps.array(sizeof...(Fitted));
        auto loaded = [&]<std::size_t... I>(std::index_sequence<I...>) {
            return fitted(std::tuple<Fitted...>(load_step<Fitted>(steps[I])...));
        }(std::index_sequence_for<Fitted...>{});
        check_widths(loaded, steps);
        return loaded;
    }

    static fitted load(const json_field& j) { return load_steps(j["steps"]); }

private:
    template <class F>
    static F load_step(const json_field& j) {
        if constexpr (requires { stage_codec<F>::name; }) {
            const std::string stage = j["stage"].string();
            if (stage != stage_codec<F>::name)
                j["stage"].fail("expected a " + std::string(stage_codec<F>::name) + " here, found \"" + stage + "\"");
        }
        return stage_codec<F>::load(j);
    }

    // Learned widths are only known from the file: each stage that reads
    // features must get as many as the stage before it makes.
    static void check_widths(const fitted& f, const json_field& steps) {
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (check_pair<I>(f, steps), ...);
        }(std::make_index_sequence<sizeof...(Fitted) - 1>{});
    }
    template <std::size_t I>
    static void check_pair(const fitted& f, const json_field& steps) {
        const auto& before = f.template step<I>();
        const auto& after = f.template step<I + 1>();
        if constexpr (requires { before.n_features_out(); after.n_features_in(); }) {
            if (before.n_features_out() != after.n_features_in())
                steps[I + 1].fail("expects " + std::to_string(after.n_features_in()) + " features but step " +
                                  std::to_string(I) + " makes " + std::to_string(before.n_features_out()));
        }
    }
};

}  // namespace ctml::detail

// fitted_pipeline<In, std::tuple<Fitted...>>: what pipeline::fit returns --
// the fitted stages in order, for inputs of type In.
//
// It transforms (when every stage is a transformer) or predicts (when the
// last is an estimator). predict_proba exists only when the last stage is a
// probabilistic classifier; asking for it otherwise names the problem at
// compile time. Single records go through predict_proba_row / transform_row
// without building a frame; features_row gives the estimator's input for one
// record. feature_origins() tells where each output feature comes from.
// Restoring from steps (fit and the artifact both do) checks that each step
// consumes as many features as the step before it makes.
// Example: examples/quickstart.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <tuple>
#include <cmath>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/hana/adapt_struct.hpp>

#include "ctml/detail/always_false.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/linear_fold.hpp"
#include "ctml/pipeline/row_transform.hpp"

namespace ctml {

template <stage... Stages>
struct pipeline;

namespace detail {

// Estimators fit on (x, y), transformers on x alone; only the matching call is formed.
template <class S, class In, bool = (S::kind == stage_kind::estimator)>
struct fitted_stage {
    using type = decltype(std::declval<const S&>().fit(std::declval<const In&>()));
};
template <class S, class In>
struct fitted_stage<S, In, true> {
    using type = decltype(std::declval<const S&>().fit(std::declval<const In&>(), label_span{}));
};

template <class In, class... Stages>
struct fitted_chain {
    using type = std::tuple<>;
};
template <class In, class S>
struct fitted_chain<In, S> {
    using type = std::tuple<typename fitted_stage<S, In>::type>;
};
template <class In, class S, class Next, class... Rest>
struct fitted_chain<In, S, Next, Rest...> {
    using fitted = typename fitted_stage<S, In>::type;
    using type = decltype(std::tuple_cat(
        std::declval<std::tuple<fitted>>(),
        std::declval<typename fitted_chain<typename fitted::output_type, Next, Rest...>::type>()));
};

template <class In, class... Stages>
using fitted_chain_t = typename fitted_chain<In, Stages...>::type;

template <class F>
struct output_of {
    using type = void;
    static constexpr int width = 0;
};
template <class F>
    requires requires { typename F::output_type; }
struct output_of<F> {
    using type = typename F::output_type;
    static constexpr int width = [] {
        if constexpr (requires { F::width; }) return F::width;
        else return 0;
    }();
};

// If your compile breaks here, you asked for probabilities from a pipeline
// whose last stage is not a probabilistic classifier: that stage is the first
// template argument shown above.
template <class LastStage, class Input>
struct predict_proba_needs_a_probabilistic_last_stage {
    static_assert(always_false<LastStage, Input>,
                  "ctml: predict_proba needs a pipeline whose last stage is a probabilistic classifier -- see "
                  "'predict_proba_needs_a_probabilistic_last_stage<last stage, ...>' above");
    static constexpr bool value = true;
};

template <class In>
std::vector<std::string> input_names() {
    if constexpr (frame_type<In>)
        return {In::schema_type::names.begin(), In::schema_type::names.end()};
    else
        return {};
}

/// A model whose decision is x·w + b and whose outputs follow from it alone.
template <class F>
concept linear_binary_model = requires(const F& f, double z) {
    { f.coef().data() } -> std::convertible_to<const double*>;
    { f.intercept() } -> std::convertible_to<double>;
    { F::probabilities_from_decision(z) } -> std::same_as<std::array<double, 2>>;
    { F::label_from_decision(z) } -> std::same_as<int>;
};
/// Whether steps [0, End) fold: frame-to-frame stages, then one that makes features.
template <class Steps, std::size_t End>
consteval bool chain_folds() {
    if constexpr (End == 0) {
        return false;
    } else {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            return (folds_frame<std::tuple_element_t<I, Steps>> && ...) &&
                   folds_features<std::tuple_element_t<End - 1, Steps>>;
        }(std::make_index_sequence<End - 1>{});
    }
}

template <class F>
std::string_view step_name() {
    if constexpr (requires { F::stage_name; }) return F::stage_name;
    else return F::params_type::stage_name;
}

}  // namespace detail

/// The parameters a pipeline has of its own: none (its steps carry theirs).
struct no_own_params {
    [[nodiscard]] bool operator==(const no_own_params&) const = default;
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::no_own_params);

namespace ctml {

template <class In, class Chain>
class fitted_pipeline;

template <class In, class... Fitted>
class fitted_pipeline<In, std::tuple<Fitted...>> {
    static constexpr std::size_t n = sizeof...(Fitted);
    using last_type = std::tuple_element_t<n - 1, std::tuple<Fitted...>>;

public:
    using input_type = In;
    using params_type = pipeline<typename Fitted::params_type...>;
    /// What transform() returns; void when the last stage is an estimator.
    using output_type = typename detail::output_of<last_type>::type;
    static constexpr int width = detail::output_of<last_type>::width;
    static constexpr bool is_estimator = params_type::kind == stage_kind::estimator;
    static constexpr int version = 1;
    static constexpr std::string_view stage_name = "pipeline";
    static constexpr std::string_view children_key = "steps";
    using own_params_type = no_own_params;
    /// Whether the transformers fold into the linear model as a linear_fold (see predict_proba).
    static constexpr bool folds_linearly = is_estimator && frame_type<In> && (n >= 2) &&
                                           detail::linear_binary_model<last_type> &&
                                           detail::chain_folds<std::tuple<Fitted...>, n - 1>();
    using fold_type = std::conditional_t<folds_linearly, linear_fold<In>, std::monostate>;

    /// The pipeline of these fitted steps. Throws invalid_state naming the step
    /// when one consumes a different number of features than the one before makes.
    [[nodiscard]] static fitted_pipeline restore(const no_own_params&, Fitted... steps) {
        fitted_pipeline out(std::tuple<Fitted...>(std::move(steps)...));
        [&]<std::size_t... I>(std::index_sequence<I...>) { (out.check_boundary<I>(), ...); }(
            std::make_index_sequence<n - 1>{});
        if constexpr (folds_linearly) out.fold_ = out.make_fold();  // after the checks: the widths agree
        return out;
    }

    /// The transformers and the linear model as one sum over the input columns, when every
    /// stage folds (linear_fold.hpp); null otherwise. Scoring uses it whenever it exists.
    [[nodiscard]] const fold_type* fold() const noexcept { return fold_ ? &*fold_ : nullptr; }

    template <std::size_t I>
    [[nodiscard]] const auto& step() const noexcept { return std::get<I>(steps_); }
    [[nodiscard]] const std::tuple<Fitted...>& children() const noexcept { return steps_; }
    [[nodiscard]] no_own_params own_params() const noexcept { return {}; }
    [[nodiscard]] int n_features_in() const { return std::get<0>(steps_).n_features_in(); }
    [[nodiscard]] const last_type& last_step() const noexcept { return std::get<n - 1>(steps_); }
    [[nodiscard]] params_type params() const {
        return std::apply([](const auto&... s) { return params_type{std::tuple{s.params()...}}; }, steps_);
    }

    // ---- transformer pipelines ---------------------------------------------

    [[nodiscard]] output_type transform(const In& x) const
        requires(!is_estimator)
    {
        // The last stage's result is returned as made; passing it through
        // `through` would copy the whole output once more.
        return through<0, n - 1>(x, [&](const auto& features) { return last_step().transform(features); });
    }

    void transform_into(const In& x, feature_block out) const
        requires(!is_estimator)
    {
        through<0, n - 1>(x, [&](const auto& features) { last_step().transform_into(features, out); });
    }

    /// transform_into with one-hot blocks kept as codes (feature_design.hpp).
    void design_into(const In& x, feature_design& design, Eigen::Index offset) const
        requires(!is_estimator)
    {
        through<0, n - 1>(x, [&](const auto& features) { append_design(last_step(), features, design, offset); });
    }

    template <class Row>
    [[nodiscard]] auto transform_row(const Row& row) const
        requires(!is_estimator)
    {
        return through_row<0, n - 1>(row, [&](const auto& features) { return detail::transform_row(last_step(), features); });
    }

    template <class Row>
    void transform_row_into(const Row& row, feature_row_block out) const
        requires(!is_estimator)
    {
        through_row<0, n - 1>(row, [&](const auto& features) { last_step().transform_row_into(features, out); });
    }

    [[nodiscard]] int n_features_out() const
        requires(!is_estimator)
    {
        return last_step().n_features_out();
    }

    /// What each input column adds to w · features (column_fold.hpp), when every step folds.
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const
        requires(!is_estimator && detail::chain_folds<std::tuple<Fitted...>, n>())
    {
        return fold_back<n - 1>(last_step().fold_columns(w));
    }

    /// Where each feature after the last transformer comes from, given the inputs' origins.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        return origins_from<0>(std::vector<feature_origin>(inputs.begin(), inputs.end()));
    }
    /// Where each feature after the last transformer comes from: column, group, category.
    [[nodiscard]] std::vector<feature_origin> feature_origins() const
        requires frame_type<In>
    {
        return feature_origins(input_origins(detail::input_names<In>()));
    }

    /// Feature names after the last transformer, e.g. "cat__Sex_female".
    [[nodiscard]] std::vector<std::string> feature_names_out(std::span<const std::string> input_names) const {
        return names_of(feature_origins(input_origins(input_names)));
    }
    [[nodiscard]] std::vector<std::string> feature_names_out() const
        requires frame_type<In>
    {
        return names_of(feature_origins());
    }

    // ---- estimator pipelines -----------------------------------------------

    /// The estimator's input: x through every transformer.
    [[nodiscard]] auto features(const In& x) const
        requires is_estimator
    {
        if constexpr (n == 1) {
            return In(x);
        } else {
            return through<0, n - 2>(x, [&](const auto& in) { return std::get<n - 2>(steps_).transform(in); });
        }
    }

    /// One record's estimator input: the record through every transformer, with no frame.
    template <class Row>
    [[nodiscard]] auto features_row(const Row& row) const
        requires is_estimator
    {
        return through_row<0, n - 1>(row, [](const auto& features) { return features; });
    }

    // Scoring: through the fold when there is one -- the same numbers to about 1e-15, far
    // cheaper -- and through every stage otherwise, or when the fold meets a value only the
    // stages can judge (an unknown category, say), so errors are the stages' own.

    [[nodiscard]] auto predict(const In& x) const
        requires is_estimator
    {
        if constexpr (folds_linearly)
            if (Eigen::VectorXd z; folded_decision(x, z)) return last_type::labels_from_decision(z);
        return by_row_blocks(x, [&](const In& block) {
            return through<0, n - 1>(block, [&](const auto& features) { return last_step().predict(features); });
        });
    }

    [[nodiscard]] auto decision_function(const In& x) const
        requires is_estimator
    {
        if constexpr (folds_linearly)
            if (Eigen::VectorXd z; folded_decision(x, z)) return z;
        return decision_function_through_stages(x);
    }

    [[nodiscard]] auto predict_proba(const In& x) const
        requires(is_estimator && requires(const last_type& e) { e.predict_proba(std::declval<const feature_matrix<>&>()); })
    {
        if constexpr (folds_linearly) {
            if (fold_) {
                probability_matrix p(static_cast<Eigen::Index>(x.rows()), 2);
                const bool scored = fold_->each_decision(x, [&](std::size_t i, double z) {
                    const auto pi = last_type::probabilities_from_decision(z);
                    p(static_cast<Eigen::Index>(i), 0) = pi[0];
                    p(static_cast<Eigen::Index>(i), 1) = pi[1];
                });
                if (scored) return p;
            }
        }
        return predict_proba_through_stages(x);
    }

    /// decision_function computed through every stage in turn, never the fold: the reference
    /// the fold is checked against.
    [[nodiscard]] auto decision_function_through_stages(const In& x) const
        requires is_estimator
    {
        return by_row_blocks(x, [&](const In& block) {
            return through<0, n - 1>(block, [&](const auto& features) { return last_step().decision_function(features); });
        });
    }

    /// predict_proba computed through every stage in turn, never the fold.
    [[nodiscard]] auto predict_proba_through_stages(const In& x) const
        requires(is_estimator && requires(const last_type& e) { e.predict_proba(std::declval<const feature_matrix<>&>()); })
    {
        return by_row_blocks(x, [&](const In& block) {
            return through<0, n - 1>(block, [&](const auto& features) { return last_step().predict_proba(features); });
        });
    }

    /// Frames longer than this are scored this many rows at a time (see by_row_blocks).
    static constexpr std::size_t scoring_block_rows = 512;

    template <class X>
    void predict_proba(const X&) const
        requires(!is_estimator ||
                 !requires(const last_type& e) { e.predict_proba(std::declval<const feature_matrix<>&>()); })
    {
        static_assert(detail::predict_proba_needs_a_probabilistic_last_stage<last_type, X>::value);
    }

    /// One record's class probabilities, without building a frame.
    template <class Row>
    [[nodiscard]] auto predict_proba_row(const Row& row) const
        requires is_estimator
    {
        if constexpr (folds_linearly && std::is_same_v<Row, record<typename In::schema_type>>)
            if (const double z = folded_decision_row(row); !std::isnan(z)) return last_type::probabilities_from_decision(z);
        return predict_proba_row_through_stages(row);
    }

    template <class Row>
    [[nodiscard]] double decision_function_row(const Row& row) const
        requires is_estimator
    {
        if constexpr (folds_linearly && std::is_same_v<Row, record<typename In::schema_type>>)
            if (const double z = folded_decision_row(row); !std::isnan(z)) return z;
        return decision_function_row_through_stages(row);
    }

    /// predict_proba_row computed through every stage in turn, never the fold.
    template <class Row>
    [[nodiscard]] auto predict_proba_row_through_stages(const Row& row) const
        requires is_estimator
    {
        return through_row<0, n - 1>(row, [&](const auto& features) { return last_step().predict_proba_row(features); });
    }

    template <class Row>
    [[nodiscard]] double decision_function_row_through_stages(const Row& row) const
        requires is_estimator
    {
        return through_row<0, n - 1>(row,
                                     [&](const auto& features) { return last_step().decision_function_row(features); });
    }

private:
    // Continuation-passing keeps each intermediate table alive exactly as long
    // as the next stage needs it, and never returns a reference to a temporary.
    // Scores a long frame block by block, through zero-copy row slices: every
    // intermediate (imputed columns, the feature matrix) stays the size of a
    // block and in cache, instead of a 1,000,000 x 26 matrix that costs more in
    // page faults than in arithmetic (735 ns a row at 1M rows before, 37 ns
    // after). 512 rows keep a block's feature matrix under glibc's 128 KiB mmap
    // threshold, so blocks reuse heap memory: 4096-row blocks were mmapped and
    // trimmed each time and cost 500 ns a row at 10,000 rows. Rows are scored
    // independently, so the result is the same, bit for bit, as scoring the
    // frame at once.
    template <class Score>
    auto by_row_blocks(const In& x, Score&& score) const -> decltype(score(x)) {
        if constexpr (frame_type<In>) {
            if (x.rows() > scoring_block_rows) {
                auto first = score(x.slice(0, scoring_block_rows));
                decltype(score(x)) out(static_cast<Eigen::Index>(x.rows()), first.cols());
                out.topRows(first.rows()) = first;
                for (std::size_t begin = scoring_block_rows; begin < x.rows(); begin += scoring_block_rows) {
                    const std::size_t end = std::min(x.rows(), begin + scoring_block_rows);
                    out.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin)) =
                        score(x.slice(begin, end));
                }
                return out;
            }
        }
        return score(x);
    }

    template <std::size_t I, std::size_t End, class X, class F>
    decltype(auto) through(const X& x, F&& f) const {
        if constexpr (I == End) {
            return f(x);
        } else {
            const auto next = std::get<I>(steps_).transform(x);
            return through<I + 1, End>(next, f);
        }
    }

    template <std::size_t I, std::size_t End, class Row, class F>
    decltype(auto) through_row(const Row& row, F&& f) const {
        if constexpr (I == End) {
            return f(row);
        } else {
            const auto next = detail::transform_row(std::get<I>(steps_), row);
            return through_row<I + 1, End>(next, f);
        }
    }

    template <std::size_t I>
    std::vector<feature_origin> origins_from(std::vector<feature_origin> origins) const {
        if constexpr (I == n) {
            return origins;
        } else {
            const auto& s = std::get<I>(steps_);
            if constexpr (requires { s.feature_origins(std::span<const feature_origin>{}); })
                return origins_from<I + 1>(s.feature_origins(origins));
            else
                return origins;  // an estimator adds no features
        }
    }

    // Learned widths are only known at run time (from data or from a file):
    // each step that reads features must get as many as the step before makes.
    template <std::size_t I>
    void check_boundary() const {
        using after_type = std::tuple_element_t<I + 1, std::tuple<Fitted...>>;
        const auto& before = std::get<I>(steps_);
        const auto& after = std::get<I + 1>(steps_);
        if constexpr (requires { before.n_features_out(); } && !frame_type<typename detail::output_of<std::tuple_element_t<I, std::tuple<Fitted...>>>::type>) {
            if (before.n_features_out() != after.n_features_in())
                throw invalid_state(stage_name, "steps[" + std::to_string(I + 1) + "]",
                                    std::string(detail::step_name<after_type>()) + " expects " +
                                        std::to_string(after.n_features_in()) + " features but step " +
                                        std::to_string(I) + " (" +
                                        std::string(detail::step_name<std::tuple_element_t<I, std::tuple<Fitted...>>>()) +
                                        ") makes " + std::to_string(before.n_features_out()));
        }
    }

    explicit fitted_pipeline(std::tuple<Fitted...> steps) : steps_(std::move(steps)) {}

    // Folds run back from the features' weights: steps I-1, ..., 0 each fold the columns they output.
    template <std::size_t I>
    std::vector<column_fold> fold_back(std::vector<column_fold> folds) const {
        if constexpr (I == 0) return folds;
        else return fold_back<I - 1>(std::get<I - 1>(steps_).fold_columns(std::move(folds)));
    }

    std::optional<fold_type> make_fold() const
        requires folds_linearly
    {
        const auto& coef = last_step().coef();
        const std::span<const double> w(coef.data(), static_cast<std::size_t>(coef.size()));
        return linear_fold<In>::make(last_step().intercept(), fold_back<n - 2>(std::get<n - 2>(steps_).fold_columns(w)));
    }

    /// x·w + b for every row through the fold into z; false when there is no fold or a row
    /// needs the stages.
    bool folded_decision(const In& x, Eigen::VectorXd& z) const {
        if (!fold_) return false;
        z.resize(static_cast<Eigen::Index>(x.rows()));
        return fold_->decision(x, std::span<double>(z.data(), static_cast<std::size_t>(z.size())));
    }
    template <class Row>
    double folded_decision_row(const Row& row) const {
        return fold_ ? fold_->decision_row(row) : column_fold::through_stages;
    }

    std::tuple<Fitted...> steps_;
    std::optional<fold_type> fold_;
};

}  // namespace ctml

// pipeline<Stages...>: stages applied in order; only the last may be an
// estimator -- scikit-learn's Pipeline / make_pipeline.
//
//   auto preprocess = simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{};
//   auto model      = preprocess | logistic_regression{.C = 1.0};   // a partial pipeline is a value
//   auto fitted     = model.fit(train, y);                           // a fitted_pipeline: a new type
//   auto proba      = fitted.predict_proba(test);
//
// `a | b | c` and `make_pipeline(a, b, c)` build the same type; piping two
// pipelines concatenates them. A pipeline is itself a stage, so it can be a
// column group of a column_transformer. fit() never mutates: it returns a
// fitted_pipeline. Example: examples/quickstart.cpp.
#pragma once

#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "ctml/detail/always_false.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/feature_design.hpp"
#include "ctml/pipeline/fitted_pipeline.hpp"
#include "ctml/pipeline/row_partition.hpp"

namespace ctml {

namespace detail {
// If your compile breaks here, an estimator is followed by another stage:
// only the last stage of a pipeline may be an estimator. The estimator is
// the first template argument above.
template <class Stage, bool IsLast>
struct estimator_must_be_the_last_stage {
    static_assert(IsLast || Stage::kind != stage_kind::estimator,
                  "ctml: only the last stage of a pipeline may be an estimator -- see "
                  "'estimator_must_be_the_last_stage<stage, ...>' above");
    static constexpr bool value = true;
};

/// An estimator that fits on a feature_design standing for Features (a feature matrix).
template <class Stage, class Features>
concept fits_designs = Stage::kind == stage_kind::estimator && is_feature_matrix<Features>::value &&
                       requires(const Stage& s, const feature_design& d, label_span y) {
                           s.template fit_design<Features::ColsAtCompileTime>(d, y);
                       };

template <class... Stages, std::size_t... I>
consteval bool check_estimator_positions(std::index_sequence<I...>) {
    return (estimator_must_be_the_last_stage<Stages, I + 1 == sizeof...(Stages)>::value && ...);
}
}  // namespace detail

template <stage... Stages>
struct pipeline {
    static_assert(sizeof...(Stages) > 0, "ctml::pipeline needs at least one stage");
    static_assert(detail::check_estimator_positions<Stages...>(std::index_sequence_for<Stages...>{}));

    using last_stage = std::tuple_element_t<sizeof...(Stages) - 1, std::tuple<Stages...>>;
    static constexpr stage_kind kind = last_stage::kind;
    static constexpr std::string_view stage_name = "pipeline";
    static constexpr std::size_t size = sizeof...(Stages);

    std::tuple<Stages...> steps;

    /// What fit() returns on In: named from the stages' own fitted types, so
    /// naming a fitted pipeline (as every program that loads one does) does
    /// not instantiate the fit.
    template <class In>
    using fitted_type = fitted_pipeline<In, detail::fitted_chain_t<In, Stages...>>;

    [[nodiscard]] bool operator==(const pipeline&) const = default;

    /// Fits every stage in turn on the output of the previous one (all transformers).
    template <table In>
        requires(kind == stage_kind::transformer)
    [[nodiscard]] fitted_type<In> fit(const In& x) const {
        return fit(x, all_rows_here());
    }

    /// Fits the transformers, then the final estimator on their output and the encoded labels y.
    template <table In>
    [[nodiscard]] fitted_type<In> fit(const In& x, label_span y) const {
        return fit(x, y, all_rows_here());
    }

    /// fit(x) on this part of rows split over several processes (row_partition.hpp):
    /// every part gets the same fitted pipeline.
    template <table In>
        requires(kind == stage_kind::transformer)
    [[nodiscard]] fitted_type<In> fit(const In& x, const row_partition& rows) const {
        return restored<In>(fit_from<0>(x, label_span{}, rows, std::tuple<>{}));
    }

    /// fit(x, y) on this part of rows split over several processes, y this part's labels.
    template <table In>
    [[nodiscard]] fitted_type<In> fit(const In& x, label_span y, const row_partition& rows) const {
        if (row_count(x) != y.size())
            throw std::invalid_argument("pipeline::fit: " + std::to_string(row_count(x)) + " rows but " +
                                        std::to_string(y.size()) + " labels");
        return restored<In>(fit_from<0>(x, y, rows, std::tuple<>{}));
    }

    /// fit(x) and the transformed x, computed in one pass (scikit-learn's fit_transform).
    template <table In>
        requires(kind == stage_kind::transformer)
    [[nodiscard]] auto fit_transform(const In& x) const {
        typename fitted_type<In>::output_type out;
        auto fitted = restored<In>(fit_from<0>(x, label_span{}, all_rows_here(), std::tuple<>{}, &out));
        return std::pair{std::move(fitted), std::move(out)};
    }

    // If your compile breaks here, you called transform(), predict() or
    // predict_proba() on a pipeline that is not fitted: fit() returns the
    // fitted pipeline, which has them.
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>, "ctml: this pipeline is not fitted -- call fit() first");
    }
    template <class X>
    void predict(const X&) const {
        static_assert(detail::always_false<X>, "ctml: this pipeline is not fitted -- call fit() first");
    }
    template <class X>
    void predict_proba(const X&) const {
        static_assert(detail::always_false<X>, "ctml: this pipeline is not fitted -- call fit() first");
    }

private:
    // Fitting goes through the same restore() as loading, so the checks between steps are written once.
    template <class In, class Steps>
    static auto restored(Steps&& steps) {
        return std::apply([](auto&&... s) { return fitted_type<In>::restore(no_own_params{}, std::move(s)...); },
                          std::forward<Steps>(steps));
    }

    template <std::size_t I, class X, class Done, class Out = std::nullptr_t>
    auto fit_from(const X& x, label_span y, const row_partition& rows, Done&& done, Out* out = nullptr) const {
        const auto& step = std::get<I>(steps);
        if constexpr (I + 1 == sizeof...(Stages)) {
            auto fitted = [&] {
                if constexpr (std::tuple_element_t<I, std::tuple<Stages...>>::kind == stage_kind::estimator)
                    return fit_on_part(step, x, y, rows);
                else
                    return fit_on_part(step, x, rows);
            }();
            if constexpr (!std::is_same_v<Out, std::nullptr_t>) *out = fitted.transform(x);
            return std::tuple_cat(std::move(done), std::make_tuple(std::move(fitted)));
        } else {
            auto fitted = fit_on_part(step, x, rows);
            using features_type = typename decltype(fitted)::output_type;
            using next_stage = std::tuple_element_t<I + 1, std::tuple<Stages...>>;
            if constexpr (I + 2 == sizeof...(Stages) && detail::fits_designs<next_stage, features_type>) {
                // The estimator takes the features with their one-hot blocks as
                // codes: no dense matrix is made (feature_design.hpp).
                feature_design design(static_cast<Eigen::Index>(row_count(x)), fitted.n_features_out());
                append_design(fitted, x, design, 0);
                auto estimator =
                    std::get<I + 1>(steps).template fit_design<features_type::ColsAtCompileTime>(design, y, rows);
                return std::tuple_cat(std::move(done), std::make_tuple(std::move(fitted), std::move(estimator)));
            } else {
                const auto next = fitted.transform(x);
                return fit_from<I + 1>(next, y, rows, std::tuple_cat(std::move(done), std::make_tuple(std::move(fitted))),
                                       out);
            }
        }
    }
};

template <stage... Stages>
[[nodiscard]] pipeline<Stages...> make_pipeline(Stages... stages) {
    return pipeline<Stages...>{std::tuple<Stages...>(std::move(stages)...)};
}

namespace detail {
template <class T> struct is_pipeline : std::false_type {};
template <class... S> struct is_pipeline<pipeline<S...>> : std::true_type {};
template <class T>
auto as_steps(T&& s) {
    if constexpr (is_pipeline<std::remove_cvref_t<T>>::value) return std::forward<T>(s).steps;
    else return std::make_tuple(std::forward<T>(s));
}
template <class T> struct last_stage_of { using type = T; };
template <class... S> struct last_stage_of<pipeline<S...>> { using type = typename pipeline<S...>::last_stage; };
}  // namespace detail

/// `a | b`: a pipeline of a then b; pipelines on either side are spliced in.
template <stage A, stage B>
[[nodiscard]] auto operator|(A a, B b) {
    // Checked here, before splicing, so an estimator followed by a stage is
    // reported right at the user's `|`.
    static_assert(detail::estimator_must_be_the_last_stage<typename detail::last_stage_of<A>::type, false>::value);
    auto steps = std::tuple_cat(detail::as_steps(std::move(a)), detail::as_steps(std::move(b)));
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return make_pipeline(std::get<I>(std::move(steps))...);
    }(std::make_index_sequence<std::tuple_size_v<decltype(steps)>>{});
}

}  // namespace ctml

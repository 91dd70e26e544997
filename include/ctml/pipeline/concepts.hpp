// The stage protocol: the concepts every stage, fitted stage, pipeline and
// table model. Each is written down once here -- what it means, its minimal
// complete definition, its laws -- and the library's templates are
// constrained by them, so `requires transformer<S, In>` reads as a sentence:
// "S is a transformer of In". docs/writing-a-stage.md builds a stage from
// nothing against this page; scikit-learn's counterpart is duck typing plus
// `check_estimator`.
//
// table<T>
//   What flows between stages: a typed frame<Schema>, or a feature_matrix<W>
//   (dense, column-major, rows are samples).
//
// stage<S>  -- an unfitted stage
//   An aggregate of hyperparameters, written with designated initializers.
//   Minimal definition: `static constexpr stage_kind kind`,
//   `static constexpr std::string_view stage_name`, `operator==`, and a const
//   `fit(x)` (transformers) or `fit(x, y)` (estimators) returning a *different
//   type*, the fitted stage. Calling transform/predict on S does not compile.
//   Laws: fit never mutates S; fitting twice on the same data gives equal
//   fitted stages (no hidden state); the fitted stage's params() == S.
//
// fitted_stage<F>  -- what fit returns
//   Minimal definition: `params_type` (the stage it was fitted from) and
//   `params()`; `n_features_in()`, the width it consumes (for a frame input,
//   the number of columns); and either
//     leaf:      `state_type`, a plain aggregate of the learned state
//                reflected with BOOST_HANA_DEFINE_STRUCT; `state()`;
//                `static constexpr int version`; and
//                `static F restore(const params_type&, state_type)`, or
//     composite: `own_params_type` (reflected), `own_params()`, `children()`
//                (a tuple of fitted stages), `static constexpr
//                std::string_view children_key`, and `static F
//                restore(const own_params_type&, children...)`.
//   params_type is reflected too (BOOST_HANA_ADAPT_STRUCT), so the artifact
//   encodes any stage without knowing it. restore() is the one place an
//   invariant is checked: fit computes the state and returns restore(params,
//   state), and loading does the same with the state read from a file; a
//   broken invariant throws invalid_state naming the field.
//   Laws: restore(f.params(), f.state()) behaves exactly like f (bit for bit);
//   restore never reads beyond what it is given. A leaf may also provide
//   `static void upgrade(int from_version, params_type&, state_type&)` to
//   read state written by an older version of itself.
//
// feature_transformer<F>  -- a fitted transformer that outputs features
//   Minimal definition: `static constexpr int width` (dynamic_width when
//   learned), `output_type` = feature_matrix<width>, `n_features_out()`,
//   `transform(x)`, `transform_into(x, feature_block)`,
//   `transform_row_into(row, feature_row_block)` and
//   `feature_origins(std::span<const feature_origin> inputs)`.
//   Laws: transform(x) has row_count(x) rows and n_features_out() columns;
//   transform_into writes exactly that block; row i of transform(x) equals
//   transform_row_into(row i) bit for bit; feature_origins gives
//   n_features_out() origins.
//
// frame_transformer<F>  -- a fitted transformer that keeps named columns
//   (simple_imputer). Minimal definition: `output_type` = frame<S'>,
//   `transform(x)`, `transform_row(record) -> record<S'>` and
//   `feature_origins(inputs)` (one per column). Same laws.
//
// estimator<S, In>, classifier<F, In>, probabilistic_classifier<F, In>
//   S.fit(x, y) with y the encoded labels (label_encoder); F.predict(x) gives
//   one label per row, F.predict_proba(x) the class probabilities
//   [P(0), P(1)], each row summing to 1; the *_row forms score one sample
//   without a frame. Law: predict_proba_row(row i) == predict_proba(x).row(i).
#pragma once

#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include <Eigen/Core>

#include "ctml/pipeline/feature_matrix.hpp"
#include "ctml/pipeline/feature_origin.hpp"
#include "ctml/pipeline/invalid_state.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

/// The role of a stage in a pipeline.
enum class stage_kind { transformer, estimator };

/// Encoded class labels, 0 .. n_classes - 1 (see label_encoder).
using label_span = std::span<const int>;

namespace detail {
template <class T> struct is_feature_matrix : std::false_type {};
template <int R, int C, int O, int MR, int MC>
struct is_feature_matrix<Eigen::Matrix<double, R, C, O, MR, MC>>
    : std::bool_constant<R == Eigen::Dynamic && (O & Eigen::RowMajor) == 0> {};
}  // namespace detail

/// A table that flows between stages: a typed frame or a dense feature matrix.
template <class T>
concept table = frame_type<T> || detail::is_feature_matrix<T>::value;

/// An unfitted stage: hyperparameters plus a name and a kind.
template <class S>
concept stage = std::is_class_v<S> && std::equality_comparable<S> && requires {
    { S::kind } -> std::convertible_to<stage_kind>;
    { S::stage_name } -> std::convertible_to<std::string_view>;
};

/// A fitted stage whose learned state is a reflected aggregate, restorable from it.
template <class F>
concept leaf_fitted_stage = requires(const F& f, const typename F::params_type& p, typename F::state_type s) {
    { f.params() } -> std::convertible_to<typename F::params_type>;
    { f.state() } -> std::convertible_to<typename F::state_type>;
    { F::version } -> std::convertible_to<int>;
    { F::restore(p, std::move(s)) } -> std::same_as<F>;
    { f.n_features_in() } -> std::convertible_to<int>;
};

/// A fitted stage made of fitted stages (pipeline, column_transformer, column group).
template <class F>
concept composite_fitted_stage = requires(const F& f) {
    typename F::params_type;
    typename F::own_params_type;
    { f.own_params() } -> std::convertible_to<typename F::own_params_type>;
    f.children();
    { F::children_key } -> std::convertible_to<std::string_view>;
    { f.n_features_in() } -> std::convertible_to<int>;
};

template <class F>
concept fitted_stage = leaf_fitted_stage<F> || composite_fitted_stage<F>;

/// A fitted transformer whose output is a dense block of features.
template <class F>
concept feature_transformer = requires(const F& f, std::span<const feature_origin> inputs) {
    { F::width } -> std::convertible_to<int>;
    { f.n_features_out() } -> std::convertible_to<int>;
    { f.feature_origins(inputs) } -> std::same_as<std::vector<feature_origin>>;
};

template <class F, class In>
concept fitted_transformer = table<In> && requires(const F& f, const In& x) {
    { f.transform(x) } -> table;
};

template <class S, class In>
concept transformer = stage<S> && S::kind == stage_kind::transformer && table<In> &&
                      requires(const S& s, const In& x) {
                          { s.fit(x) } -> fitted_transformer<In>;
                      };

template <class S, class In>
concept estimator = stage<S> && S::kind == stage_kind::estimator && table<In> &&
                    requires(const S& s, const In& x, label_span y) { s.fit(x, y); };

template <class F, class In>
concept classifier = table<In> && requires(const F& f, const In& x) {
    { f.predict(x) } -> std::convertible_to<Eigen::VectorXi>;
};

template <class F, class In>
concept probabilistic_classifier = classifier<F, In> && requires(const F& f, const In& x) {
    { f.predict_proba(x) } -> std::convertible_to<probability_matrix>;
};

/// Number of rows of any table.
template <table T>
[[nodiscard]] std::size_t row_count(const T& x) noexcept {
    if constexpr (frame_type<T>) return x.rows();
    else return static_cast<std::size_t>(x.rows());
}

/// Number of columns (features) of any table.
template <table T>
[[nodiscard]] int column_count(const T& x) noexcept {
    if constexpr (frame_type<T>) return static_cast<int>(T::schema_type::size);
    else return static_cast<int>(x.cols());
}

}  // namespace ctml

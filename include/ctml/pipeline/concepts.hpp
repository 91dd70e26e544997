// The concepts every stage, pipeline and table model. They read as sentences:
// `requires transformer<S, In>` -- "S is a transformer of In".
//
//   table<T>                      -- a frame<Schema> or a feature_matrix<W>: what flows between stages.
//   stage<S>                      -- an unfitted stage: an aggregate of hyperparameters naming its kind.
//   transformer<S, In>            -- S.fit(x) returns a fitted transformer of In.
//   fitted_transformer<F, In>     -- F.transform(x) returns a table with as many rows as x.
//   estimator<S, In>              -- S.fit(x, y) returns a fitted estimator.
//   classifier<F, In>             -- F.predict(x) returns one label per row.
//   probabilistic_classifier<F, In> -- F.predict_proba(x) returns class probabilities.
//
// scikit-learn's counterpart is duck typing plus `check_estimator`; here the
// compiler checks the protocol, and calling transform() on an unfitted stage
// does not compile (scikit-learn's NotFittedError).
#pragma once

#include <concepts>
#include <cstddef>
#include <span>
#include <string_view>
#include <type_traits>

#include <Eigen/Core>

#include "ctml/pipeline/feature_matrix.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

/// The role of a stage in a pipeline.
enum class stage_kind { transformer, estimator };

/// Tag: build a fitted stage from saved state instead of fitting it (see io/model_artifact.hpp).
struct restore_t {
    explicit restore_t() = default;
};
inline constexpr restore_t restore{};

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
concept stage = std::is_class_v<S> && requires {
    { S::kind } -> std::convertible_to<stage_kind>;
    { S::stage_name } -> std::convertible_to<std::string_view>;
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

}  // namespace ctml

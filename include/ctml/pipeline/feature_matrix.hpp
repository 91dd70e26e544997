// feature_matrix<W>: the dense numeric table that feature stages produce and
// estimators consume -- scikit-learn's 2-D float64 array X.
//
// W is the number of features when it is known at compile time (scalers on a
// schema, one-hot encoders on declared categories, and their concatenations),
// or `dynamic_width` when it is learned from data. A single row is a
// feature_row<W>: with a fixed W it lives on the stack, which is what makes
// single-record scoring free of heap allocation.
#pragma once

#include <Eigen/Core>

namespace ctml {

/// The width of a block whose number of features is only known after fit.
inline constexpr int dynamic_width = Eigen::Dynamic;

/// Sum of widths; dynamic as soon as one is.
template <int... Widths>
inline constexpr int sum_widths = ((Widths == dynamic_width) || ...) ? dynamic_width : (0 + ... + Widths);

/// Rows are samples, columns features; column-major, so one feature is contiguous.
template <int W = dynamic_width>
using feature_matrix = Eigen::Matrix<double, Eigen::Dynamic, W>;

/// One sample's features.
template <int W = dynamic_width>
using feature_row = Eigen::Matrix<double, 1, W>;

/// Where a stage writes its block of a wider feature matrix (no copy).
using feature_block = Eigen::Ref<Eigen::MatrixXd>;
/// Where a stage writes its block of one sample's features (no heap).
using feature_row_block = Eigen::Ref<Eigen::RowVectorXd>;

/// Probabilities of each class, one row per sample: [P(class 0), P(class 1)].
using probability_matrix = Eigen::Matrix<double, Eigen::Dynamic, 2>;

}  // namespace ctml

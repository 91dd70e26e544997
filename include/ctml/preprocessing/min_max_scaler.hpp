// min_max_scaler: maps each numeric feature linearly onto [range_min, range_max]
// -- scikit-learn's MinMaxScaler (clip = False).
//
//   scale = (range_max - range_min) / (max - min),   min_ = range_min - min · scale
//   z = x · scale + min_
//
// A feature whose range is below 10ε keeps a range of 1, as in scikit-learn.
// Works on a frame of numeric, non-nullable columns or on a feature matrix.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/pipeline/concepts.hpp"

namespace ctml {

template <class In>
class fitted_min_max_scaler;

struct min_max_scaler {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "min_max_scaler";

    double range_min = 0.0;
    double range_max = 1.0;

    [[nodiscard]] bool operator==(const min_max_scaler&) const = default;

    template <table In>
    [[nodiscard]] fitted_min_max_scaler<In> fit(const In& x) const {
        return fitted_min_max_scaler<In>(*this, x);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: min_max_scaler is not fitted -- call fit() first; it returns the fitted stage");
    }
};

template <class In>
class fitted_min_max_scaler {
    using input = detail::numeric_input<"min_max_scaler", In>;

public:
    static constexpr int width = input::width;
    using params_type = min_max_scaler;
    using output_type = feature_matrix<width>;
    using vector_type = Eigen::Matrix<double, 1, width>;

    fitted_min_max_scaler(const min_max_scaler& params, const In& x) : params_(params) {
        if (!(params.range_min < params.range_max))
            throw std::invalid_argument("min_max_scaler: range_min must be below range_max");
        if (row_count(x) == 0) throw std::invalid_argument("min_max_scaler: cannot fit on zero rows");
        const int cols = input::cols(x);
        data_min_ = vector_type::Zero(cols);
        data_max_ = vector_type::Zero(cols);
        input::for_each_column(x, [&](std::size_t j, auto values) {
            const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
            data_min_(static_cast<Eigen::Index>(j)) = static_cast<double>(*lo);
            data_max_(static_cast<Eigen::Index>(j)) = static_cast<double>(*hi);
        });
        derive();
    }

    /// Saved state back into a fitted stage; scale and offset are derived as fit derives them.
    fitted_min_max_scaler(restore_t, const min_max_scaler& params, vector_type data_min, vector_type data_max)
        : params_(params), data_min_(std::move(data_min)), data_max_(std::move(data_max)) {
        derive();
    }

    [[nodiscard]] const min_max_scaler& params() const noexcept { return params_; }
    [[nodiscard]] const vector_type& data_min() const noexcept { return data_min_; }
    [[nodiscard]] const vector_type& data_max() const noexcept { return data_max_; }
    [[nodiscard]] const vector_type& data_range() const noexcept { return data_range_; }
    [[nodiscard]] const vector_type& scale() const noexcept { return scale_; }
    /// scikit-learn's `min_`: the offset added after scaling.
    [[nodiscard]] const vector_type& min() const noexcept { return min_; }
    [[nodiscard]] int n_features_out() const noexcept { return static_cast<int>(scale_.cols()); }

    [[nodiscard]] output_type transform(const In& x) const {
        output_type out(static_cast<Eigen::Index>(row_count(x)), scale_.cols());
        transform_into(x, out);
        return out;
    }

    void transform_into(const In& x, feature_block out) const {
        input::for_each_column(x, [&](std::size_t j, auto values) {
            const auto k = static_cast<Eigen::Index>(j);
            const double s = scale_(k), m = min_(k);
            auto column = out.col(k);
            for (std::size_t i = 0; i < values.size(); ++i)
                column(static_cast<Eigen::Index>(i)) = static_cast<double>(values[i]) * s + m;
        });
    }

    void transform_row_into(const typename input::row_type& row, feature_row_block out) const {
        input::for_each_cell(row, [&](std::size_t j, double v) {
            const auto k = static_cast<Eigen::Index>(j);
            out(k) = v * scale_(k) + min_(k);
        });
    }

    [[nodiscard]] std::vector<std::string> feature_names_out(std::span<const std::string> input_names) const {
        return {input_names.begin(), input_names.end()};
    }

private:
    void derive() {
        const auto cols = data_min_.cols();
        data_range_ = data_max_ - data_min_;
        scale_ = vector_type::Zero(cols);
        for (Eigen::Index k = 0; k < cols; ++k) {
            const double range = data_range_(k) < 10 * std::numeric_limits<double>::epsilon() ? 1.0 : data_range_(k);
            scale_(k) = (params_.range_max - params_.range_min) / range;
        }
        min_ = (params_.range_min - (data_min_.array() * scale_.array())).matrix();
    }

    min_max_scaler params_;
    vector_type data_min_, data_max_, data_range_, scale_, min_;
};

}  // namespace ctml

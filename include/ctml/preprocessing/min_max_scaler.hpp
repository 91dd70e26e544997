// min_max_scaler: maps each numeric feature linearly onto [range_min, range_max]
// -- scikit-learn's MinMaxScaler (clip = False).
//
//   scale = (range_max - range_min) / (max - min),   min_ = range_min - min · scale
//   z = x · scale + min_
//
// A feature whose range is below 10ε keeps a range of 1, as in scikit-learn.
// Works on a frame of numeric, non-nullable columns or on a feature matrix.
// docs/writing-a-stage.md builds this stage step by step.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>
#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/row_partition.hpp"

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
        return fitted_min_max_scaler<In>::learn(*this, x, all_rows_here());
    }

    /// Fits on this part of rows split over several processes; every part gets the same scaler.
    template <table In>
    [[nodiscard]] fitted_min_max_scaler<In> fit(const In& x, const row_partition& rows) const {
        return fitted_min_max_scaler<In>::learn(*this, x, rows);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: min_max_scaler is not fitted -- call fit() first; it returns the fitted stage");
    }
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::min_max_scaler, range_min, range_max);

namespace ctml {

template <class In>
class fitted_min_max_scaler {
    using input = detail::numeric_input<"min_max_scaler", In>;

public:
    static constexpr int width = input::width;
    static constexpr int version = 1;
    using params_type = min_max_scaler;
    using output_type = feature_matrix<width>;
    using vector_type = Eigen::Matrix<double, 1, width>;

    struct state_type {
        BOOST_HANA_DEFINE_STRUCT(state_type, (vector_type, data_min), (vector_type, data_max));
    };

    /// The smallest and largest value of each column, over every part.
    [[nodiscard]] static fitted_min_max_scaler learn(const min_max_scaler& params, const In& x,
                                                     const row_partition& rows) {
        check_params(params);
        const int cols = input::cols(x);
        state_type s{vector_type::Zero(cols), vector_type::Zero(cols)};
        // [rows, min..., max...] of this part, for the parts to combine.
        const auto c = static_cast<std::size_t>(cols);
        std::vector<double> extremes(1 + 2 * c, 0.0);
        extremes[0] = static_cast<double>(row_count(x));
        input::for_each_column(x, [&](std::size_t j, auto values) {
            if (values.empty()) return;
            const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
            extremes[1 + j] = static_cast<double>(*lo);
            extremes[1 + c + j] = static_cast<double>(*hi);
        });
        const auto parts = rows.parts() == 1 ? std::vector<std::vector<double>>{std::move(extremes)}
                                             : rows.all_gather(std::span<const double>(extremes));
        bool any = false;
        for (const auto& part : parts) {
            if (part[0] == 0) continue;
            for (std::size_t j = 0; j < c; ++j) {
                const auto k = static_cast<Eigen::Index>(j);
                s.data_min(k) = any ? std::min(s.data_min(k), part[1 + j]) : part[1 + j];
                s.data_max(k) = any ? std::max(s.data_max(k), part[1 + c + j]) : part[1 + c + j];
            }
            any = true;
        }
        if (!any) throw std::invalid_argument("min_max_scaler: cannot fit on zero rows");
        return restore(params, std::move(s));
    }

    [[nodiscard]] static fitted_min_max_scaler restore(const min_max_scaler& params, state_type s) {
        check_params(params);
        constexpr detail::state_checks check(min_max_scaler::stage_name);
        check.finite(s.data_min, "state.data_min");
        check.finite(s.data_max, "state.data_max");
        check.same_length(s.data_max, "state.data_max", s.data_min, "state.data_min");
        for (Eigen::Index k = 0; k < s.data_min.size(); ++k)
            if (s.data_max(k) < s.data_min(k)) check.fail(check.at("state.data_max", k), "data_max is below data_min");
        return fitted_min_max_scaler(params, std::move(s));
    }

    [[nodiscard]] const min_max_scaler& params() const noexcept { return params_; }
    [[nodiscard]] const state_type& state() const noexcept { return state_; }
    [[nodiscard]] const vector_type& data_min() const noexcept { return state_.data_min; }
    [[nodiscard]] const vector_type& data_max() const noexcept { return state_.data_max; }
    [[nodiscard]] const vector_type& data_range() const noexcept { return data_range_; }
    [[nodiscard]] const vector_type& scale() const noexcept { return scale_; }
    /// scikit-learn's `min_`: the offset added after scaling.
    [[nodiscard]] const vector_type& min() const noexcept { return min_; }
    [[nodiscard]] int n_features_in() const noexcept { return static_cast<int>(scale_.cols()); }
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

    /// What each input column adds to w · features: w · scale · x + w · min_ (column_fold.hpp).
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const
        requires frame_type<In>
    {
        std::vector<column_fold> out;
        for (Eigen::Index k = 0; k < scale_.cols(); ++k) {
            const double wk = w[static_cast<std::size_t>(k)];
            out.push_back(column_fold::numeric(wk * scale_(k), wk * min_(k)));
        }
        return out;
    }

    void transform_row_into(const typename input::row_type& row, feature_row_block out) const {
        input::for_each_cell(row, [&](std::size_t j, double v) {
            const auto k = static_cast<Eigen::Index>(j);
            out(k) = v * scale_(k) + min_(k);
        });
    }

    /// One feature per input, from the same column.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        return {inputs.begin(), inputs.end()};
    }

private:
    static void check_params(const min_max_scaler& params) {
        if (!(params.range_min < params.range_max))
            throw invalid_state(min_max_scaler::stage_name, "params.range_min", "range_min must be below range_max");
    }

    // Scale and offset are derived from the state, never stored: a file cannot
    // make them disagree with data_min and data_max.
    fitted_min_max_scaler(const min_max_scaler& params, state_type s) : params_(params), state_(std::move(s)) {
        const auto cols = state_.data_min.cols();
        data_range_ = state_.data_max - state_.data_min;
        scale_ = vector_type::Zero(cols);
        for (Eigen::Index k = 0; k < cols; ++k) {
            const double range = data_range_(k) < 10 * std::numeric_limits<double>::epsilon() ? 1.0 : data_range_(k);
            scale_(k) = (params_.range_max - params_.range_min) / range;
        }
        min_ = (params_.range_min - (state_.data_min.array() * scale_.array())).matrix();
    }

    min_max_scaler params_;
    state_type state_;
    vector_type data_range_, scale_, min_;
};

}  // namespace ctml

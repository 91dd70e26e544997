// standard_scaler: centres each numeric feature on its mean and divides by its
// standard deviation -- scikit-learn's StandardScaler.
//
//   z = (x - mean) / scale,   mean = Σx / n,   scale = sqrt(Σ(x - mean)² / n)
//
// The standard deviation is the population one (ddof = 0). A feature whose
// variance is zero up to rounding keeps scale 1, as scikit-learn decides it:
// var <= n·ε·var + (n·mean·ε)². Works on a frame of numeric, non-nullable
// columns or on a feature matrix; the output is a feature matrix of the same
// width. Example: examples/quickstart.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include <boost/hana/adapt_struct.hpp>
#include <boost/hana/define_struct.hpp>
#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/compensated_sum.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/detail/state_checks.hpp"
#include "ctml/pipeline/column_fold.hpp"
#include "ctml/pipeline/concepts.hpp"
#include "ctml/pipeline/row_partition.hpp"

namespace ctml {

template <class In>
class fitted_standard_scaler;

struct standard_scaler {
    static constexpr stage_kind kind = stage_kind::transformer;
    static constexpr std::string_view stage_name = "standard_scaler";

    bool with_mean = true;
    bool with_std = true;

    [[nodiscard]] bool operator==(const standard_scaler&) const = default;

    template <table In>
    [[nodiscard]] fitted_standard_scaler<In> fit(const In& x) const {
        return fitted_standard_scaler<In>::learn(*this, x, all_rows_here());
    }

    /// Fits on this part of rows split over several processes; every part gets the same scaler.
    template <table In>
    [[nodiscard]] fitted_standard_scaler<In> fit(const In& x, const row_partition& rows) const {
        return fitted_standard_scaler<In>::learn(*this, x, rows);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: standard_scaler is not fitted -- call fit() first; it returns the fitted stage");
    }
};

}  // namespace ctml

BOOST_HANA_ADAPT_STRUCT(ctml::standard_scaler, with_mean, with_std);

namespace ctml {

template <class In>
class fitted_standard_scaler {
    using input = detail::numeric_input<"standard_scaler", In>;

public:
    static constexpr int width = input::width;
    static constexpr int version = 1;
    using params_type = standard_scaler;
    using output_type = feature_matrix<width>;
    using vector_type = Eigen::Matrix<double, 1, width>;

    struct state_type {
        BOOST_HANA_DEFINE_STRUCT(state_type,
                                 (vector_type, mean),
                                 (vector_type, var),
                                 /// The learned scale, even when with_std is false.
                                 (vector_type, scale),
                                 (std::size_t, n_samples_seen));
    };

    /// Each part's count, mean and sum of squared deviations, combined in part
    /// order with Chan's pairwise update: one part's are used as they are.
    [[nodiscard]] static fitted_standard_scaler learn(const standard_scaler& params, const In& x,
                                                      const row_partition& rows) {
        const int cols = input::cols(x);
        const auto c = static_cast<std::size_t>(cols);
        const auto mine = static_cast<double>(row_count(x));
        // Per column: mean and Σ(x - mean)² of this part; [n, means..., squares...] for the parts to share.
        std::vector<double> moments(1 + 2 * c, 0.0);
        moments[0] = mine;
        input::for_each_column(x, [&](std::size_t j, auto values) {
            if (values.empty()) return;
            // Compensated sums, the mean's pass then the deviations', and scikit-learn's correction term: a
            // part's moments are exact to a rounding or two at any row count, so
            // they do not depend on how the rows were ordered or split.
            const double mean = detail::compensated_total(values, [](auto v) { return static_cast<double>(v); }).value() / mine;
            const auto squares = detail::compensated_total(values, [mean](auto v) {
                const double d = static_cast<double>(v) - mean;
                return d * d;
            });
            const auto correction = detail::compensated_total(values, [mean](auto v) { return static_cast<double>(v) - mean; });
            moments[1 + j] = mean;
            moments[1 + c + j] = squares.value() - correction.value() * correction.value() / mine;
        });
        const auto parts = rows.parts() == 1 ? std::vector<std::vector<double>>{std::move(moments)}
                                             : rows.all_gather(std::span<const double>(moments));
        std::vector<double> total = parts.front();
        for (std::size_t p = 1; p < parts.size(); ++p) {
            const double na = total[0], nb = parts[p][0];
            if (nb == 0) continue;
            if (na == 0) {
                total = parts[p];
                continue;
            }
            const double n = na + nb;
            for (std::size_t j = 0; j < c; ++j) {
                const double delta = parts[p][1 + j] - total[1 + j];
                total[1 + j] += delta * nb / n;
                total[1 + c + j] += parts[p][1 + c + j] + delta * delta * na * nb / n;
            }
            total[0] = n;
        }

        const auto n = total[0];
        state_type s{vector_type::Zero(cols), vector_type::Zero(cols), vector_type::Ones(cols),
                     static_cast<std::size_t>(n)};
        if (n == 0) return restore(params, std::move(s));
        for (std::size_t j = 0; j < c; ++j) {
            const auto k = static_cast<Eigen::Index>(j);
            const double mean = total[1 + j];
            const double var = total[1 + c + j] / n;
            s.mean(k) = mean;
            s.var(k) = var;
            constexpr double eps = std::numeric_limits<double>::epsilon();
            const double bound = n * eps * var + (n * mean * eps) * (n * mean * eps);
            s.scale(k) = var <= bound ? 1.0 : std::sqrt(var);
        }
        return restore(params, std::move(s));
    }

    [[nodiscard]] static fitted_standard_scaler restore(const standard_scaler& params, state_type s) {
        constexpr detail::state_checks check(standard_scaler::stage_name);
        check.finite(s.mean, "state.mean");
        check.same_length(s.var, "state.var", s.mean, "state.mean");
        check.same_length(s.scale, "state.scale", s.mean, "state.mean");
        for (Eigen::Index k = 0; k < s.var.size(); ++k)
            if (!(s.var(k) >= 0)) check.fail(check.at("state.var", k), "a variance cannot be negative");
        for (Eigen::Index k = 0; k < s.scale.size(); ++k)
            if (!(s.scale(k) > 0) || !std::isfinite(s.scale(k)))
                check.fail(check.at("state.scale", k), "a scale must be positive (zero would divide by zero)");
        return fitted_standard_scaler(params, std::move(s));
    }

    [[nodiscard]] const standard_scaler& params() const noexcept { return params_; }
    [[nodiscard]] const state_type& state() const noexcept { return state_; }
    [[nodiscard]] const vector_type& mean() const noexcept { return state_.mean; }
    [[nodiscard]] const vector_type& var() const noexcept { return state_.var; }
    /// Standard deviation per feature (1 where the variance is zero); ones when with_std is false.
    [[nodiscard]] vector_type scale() const {
        return params_.with_std ? state_.scale : vector_type::Ones(state_.scale.cols());
    }
    [[nodiscard]] std::size_t n_samples_seen() const noexcept { return state_.n_samples_seen; }
    [[nodiscard]] int n_features_in() const noexcept { return static_cast<int>(state_.mean.cols()); }
    [[nodiscard]] int n_features_out() const noexcept { return static_cast<int>(state_.mean.cols()); }

    [[nodiscard]] output_type transform(const In& x) const {
        output_type out(static_cast<Eigen::Index>(row_count(x)), state_.mean.cols());
        transform_into(x, out);
        return out;
    }

    void transform_into(const In& x, feature_block out) const {
        const bool divide = params_.with_std;
        input::for_each_column(x, [&](std::size_t j, auto values) {
            const auto k = static_cast<Eigen::Index>(j);
            const double m = state_.mean(k), s = state_.scale(k);
            auto column = out.col(k);
            for (std::size_t i = 0; i < values.size(); ++i) {
                const double centred = params_.with_mean ? static_cast<double>(values[i]) - m : static_cast<double>(values[i]);
                column(static_cast<Eigen::Index>(i)) = divide ? centred / s : centred;
            }
        });
    }

    /// What each input column adds to w · features: w / s · x - w · m / s (column_fold.hpp).
    [[nodiscard]] std::vector<column_fold> fold_columns(std::span<const double> w) const
        requires frame_type<In>
    {
        std::vector<column_fold> out;
        for (Eigen::Index k = 0; k < state_.mean.cols(); ++k) {
            const double s = params_.with_std ? state_.scale(k) : 1.0;
            const double m = params_.with_mean ? state_.mean(k) : 0.0;
            const double wk = w[static_cast<std::size_t>(k)];
            out.push_back(column_fold::numeric(wk / s, -wk * m / s));
        }
        return out;
    }

    void transform_row_into(const typename input::row_type& row, feature_row_block out) const {
        const bool divide = params_.with_std;
        input::for_each_cell(row, [&](std::size_t j, double v) {
            const auto k = static_cast<Eigen::Index>(j);
            const double centred = params_.with_mean ? v - state_.mean(k) : v;
            out(k) = divide ? centred / state_.scale(k) : centred;
        });
    }

    /// One feature per input, from the same column.
    [[nodiscard]] std::vector<feature_origin> feature_origins(std::span<const feature_origin> inputs) const {
        return {inputs.begin(), inputs.end()};
    }

private:
    fitted_standard_scaler(const standard_scaler& params, state_type s) : params_(params), state_(std::move(s)) {}

    standard_scaler params_;
    state_type state_;
};

}  // namespace ctml

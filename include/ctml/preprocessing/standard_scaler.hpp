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

#include <Eigen/Core>

#include "ctml/detail/always_false.hpp"
#include "ctml/detail/numeric_input.hpp"
#include "ctml/pipeline/concepts.hpp"

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
        return fitted_standard_scaler<In>(*this, x);
    }

    // If your compile breaks here, you called transform() on a stage that is not
    // fitted: fit() returns the fitted stage, which has transform().
    template <class X>
    void transform(const X&) const {
        static_assert(detail::always_false<X>,
                      "ctml: standard_scaler is not fitted -- call fit() first; it returns the fitted stage");
    }
};

template <class In>
class fitted_standard_scaler {
    using input = detail::numeric_input<"standard_scaler", In>;

public:
    static constexpr int width = input::width;
    using params_type = standard_scaler;
    using output_type = feature_matrix<width>;
    using vector_type = Eigen::Matrix<double, 1, width>;

    fitted_standard_scaler(const standard_scaler& params, const In& x) : params_(params) {
        const int cols = input::cols(x);
        mean_ = vector_type::Zero(cols);
        var_ = vector_type::Zero(cols);
        scale_ = vector_type::Ones(cols);
        n_samples_seen_ = row_count(x);
        const auto n = static_cast<double>(n_samples_seen_);
        input::for_each_column(x, [&](std::size_t j, auto values) {
            if (values.empty()) return;
            double sum = 0;
            for (auto v : values) sum += static_cast<double>(v);
            const double mean = sum / n;
            // Two passes with scikit-learn's correction term: exact enough that
            // results agree to the last bits for ordinary data.
            double squares = 0, correction = 0;
            for (auto v : values) {
                const double d = static_cast<double>(v) - mean;
                squares += d * d;
                correction += d;
            }
            const double var = (squares - correction * correction / n) / n;
            const auto k = static_cast<Eigen::Index>(j);
            mean_(k) = mean;
            var_(k) = var;
            constexpr double eps = std::numeric_limits<double>::epsilon();
            const double bound = n * eps * var + (n * mean * eps) * (n * mean * eps);
            scale_(k) = var <= bound ? 1.0 : std::sqrt(var);
        });
    }

    /// Saved state back into a fitted stage; the io layer validates it first.
    fitted_standard_scaler(restore_t, const standard_scaler& params, vector_type mean, vector_type var,
                           vector_type scale, std::size_t n_samples_seen)
        : params_(params), mean_(std::move(mean)), var_(std::move(var)), scale_(std::move(scale)),
          n_samples_seen_(n_samples_seen) {}

    [[nodiscard]] const standard_scaler& params() const noexcept { return params_; }
    /// The learned scale even when with_std is false (what the artifact stores).
    [[nodiscard]] const vector_type& fitted_scale() const noexcept { return scale_; }
    [[nodiscard]] const vector_type& mean() const noexcept { return mean_; }
    [[nodiscard]] const vector_type& var() const noexcept { return var_; }
    /// Standard deviation per feature (1 where the variance is zero); ones when with_std is false.
    [[nodiscard]] vector_type scale() const { return params_.with_std ? scale_ : vector_type::Ones(scale_.cols()); }
    [[nodiscard]] std::size_t n_samples_seen() const noexcept { return n_samples_seen_; }
    [[nodiscard]] int n_features_out() const noexcept { return static_cast<int>(mean_.cols()); }

    [[nodiscard]] output_type transform(const In& x) const {
        output_type out(static_cast<Eigen::Index>(row_count(x)), mean_.cols());
        transform_into(x, out);
        return out;
    }

    void transform_into(const In& x, feature_block out) const {
        const bool divide = params_.with_std;
        input::for_each_column(x, [&](std::size_t j, auto values) {
            const auto k = static_cast<Eigen::Index>(j);
            const double m = mean_(k), s = scale_(k);
            auto column = out.col(k);
            for (std::size_t i = 0; i < values.size(); ++i) {
                const double centred = params_.with_mean ? static_cast<double>(values[i]) - m : static_cast<double>(values[i]);
                column(static_cast<Eigen::Index>(i)) = divide ? centred / s : centred;
            }
        });
    }

    void transform_row_into(const typename input::row_type& row, feature_row_block out) const {
        const bool divide = params_.with_std;
        input::for_each_cell(row, [&](std::size_t j, double v) {
            const auto k = static_cast<Eigen::Index>(j);
            const double centred = params_.with_mean ? v - mean_(k) : v;
            out(k) = divide ? centred / scale_(k) : centred;
        });
    }

    [[nodiscard]] std::vector<std::string> feature_names_out(std::span<const std::string> input_names) const {
        return {input_names.begin(), input_names.end()};
    }

private:
    standard_scaler params_;
    vector_type mean_, var_, scale_;
    std::size_t n_samples_seen_ = 0;
};

}  // namespace ctml

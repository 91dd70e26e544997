// compensated_sum: a running sum that carries the rounding error of each
// addition (Neumaier's variant of Kahan summation), so a sum of n terms is
// exact to about one rounding instead of growing with n. Used where a
// statistic must not depend on how the rows were ordered or split -- the
// scaler's moments over one process or several (row_partition.hpp), and the
// logistic objective's gradient, whose intercept and one-hot entries are
// nearly collinear: an order-dependent rounding there moves the intercept by
// ~1e-12 (logistic_objective.hpp).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace ctml::detail {

class compensated_sum {
public:
    void add(double x) noexcept {
        const double t = sum_ + x;
        // Whichever operand is larger keeps its bits; the other's lost low bits go to the correction.
        correction_ += std::abs(sum_) >= std::abs(x) ? (sum_ - t) + x : (x - t) + sum_;
        sum_ = t;
    }
    /// Adds another compensated sum, its correction included.
    void add(const compensated_sum& other) noexcept {
        add(other.sum_);
        correction_ += other.correction_;
    }
    [[nodiscard]] double value() const noexcept { return sum_ + correction_; }

private:
    double sum_ = 0;
    double correction_ = 0;
};

/// Σ term(values[i]), compensated: four interleaved sums merged at the end -- the same
/// accuracy with a quarter of the dependency chain (a plain compensated loop waits on each
/// addition; at 1,000,000 values that was most of fitting a standard_scaler).
template <class Values, class Term>
[[nodiscard]] compensated_sum compensated_total(const Values& values, Term&& term) noexcept {
    compensated_sum lanes[4];
    const std::size_t n = values.size();
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4)
        for (std::size_t l = 0; l < 4; ++l) lanes[l].add(term(values[i + l]));
    for (; i < n; ++i) lanes[0].add(term(values[i]));
    lanes[0].add(lanes[1]);
    lanes[2].add(lanes[3]);
    lanes[0].add(lanes[2]);
    return lanes[0];
}

/// Σ x[0 : n], compensated (as above).
[[nodiscard]] inline compensated_sum compensated_total(const double* x, std::ptrdiff_t n) noexcept {
    return compensated_total(std::span<const double>(x, static_cast<std::size_t>(n)), [](double v) { return v; });
}

}  // namespace ctml::detail

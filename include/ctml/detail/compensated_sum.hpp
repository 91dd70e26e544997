// compensated_sum: a running sum that carries the rounding error of each
// addition (Neumaier's variant of Kahan summation), so a sum of n terms is
// exact to about one rounding instead of growing with n. Used where a
// statistic must not depend on how the rows were ordered or split -- the
// scaler's moments over one process or several (row_partition.hpp).
#pragma once

#include <cmath>

namespace ctml::detail {

class compensated_sum {
public:
    void add(double x) noexcept {
        const double t = sum_ + x;
        // Whichever operand is larger keeps its bits; the other's lost low bits go to the correction.
        correction_ += std::abs(sum_) >= std::abs(x) ? (sum_ - t) + x : (x - t) + sum_;
        sum_ = t;
    }
    [[nodiscard]] double value() const noexcept { return sum_ + correction_; }

private:
    double sum_ = 0;
    double correction_ = 0;
};

}  // namespace ctml::detail

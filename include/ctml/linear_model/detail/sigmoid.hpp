// The logistic function and log(1 + e^z), one value at a time: what scoring a
// record computes, and what batch scoring must give bit for bit.
#pragma once

#include <cmath>

namespace ctml::detail {

/// log(1 + e^z) without overflow.
[[nodiscard]] inline double softplus(double z) noexcept {
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

/// 1 / (1 + e^-z) without overflow: 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below.
/// Written with one exp and the numerator chosen, not a branch around the exp: the sign
/// of z is a coin toss from row to row, and the mispredicted branch cost a fifth of
/// scoring a frame. The results are the two-branch form's, bit for bit.
[[nodiscard]] inline double sigmoid(double z) noexcept {
    const double e = std::exp(-std::abs(z));
    return (z >= 0 ? 1.0 : e) / (1.0 + e);
}

}  // namespace ctml::detail

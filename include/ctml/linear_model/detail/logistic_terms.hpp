// The per-row terms of the logistic objective for a block of margins z, as
// whole arrays: Eigen evaluates exp and log two (SSE2) or four (AVX) rows per
// instruction, where libm's scalar exp and log1p were a sixth of a fit.
//
//   e_i = exp(-|z_i|)                       the one exponential a row needs
//   p_i = σ(z_i) = (z_i >= 0 ? 1 : e_i) / (1 + e_i)
//   r_i = s_i (p_i - y_i)                   the gradient's weight of row i
//   h_i = s_i p_i (1 - p_i)                 the Hessian's weight of row i
//   l_i = s_i [max(z_i, 0) + log1p(e_i) - y_i z_i] = s_i [softplus(z_i) - y_i z_i]
//
// log1p(e) is log(u) - ((u - 1) - e) / u with u = 1 + e: the rounding of u
// corrected to first order, which is exact to a few ulps for e in [0, 1] and
// gives e itself where u rounds to 1 -- no division by zero, no branch.
// Deterministic: the same z, y, s give the same terms on any thread.
#pragma once

#include <Eigen/Core>

namespace ctml::detail {

struct logistic_terms {
    Eigen::ArrayXd e, u, p, residual, curvature;

    /// Fills residual (and curvature when `want_curvature`) for the block's margins z.
    void compute(const Eigen::ArrayXd& z, const Eigen::Ref<const Eigen::ArrayXd>& y,
                 const Eigen::Ref<const Eigen::ArrayXd>& s, bool want_curvature) {
        const Eigen::Index n = z.size();
        e = (-z.abs()).exp();
        u = 1.0 + e;
        p.resize(n);
        // The numerator e + [z >= 0]·(1 - e) is exactly 1 or e (for e < 1/2, 1 - e rounds by at
        // most 2^-54, and adding e back rounds to 1), written without a branch so it vectorises.
        for (Eigen::Index i = 0; i < n; ++i) p(i) = (e(i) + (z(i) >= 0 ? 1.0 : 0.0) * (1.0 - e(i))) / u(i);
        residual = s * (p - y);
        if (want_curvature) curvature = s * p * (1.0 - p);
        else curvature.resize(0);
    }

    /// Σ l_i over the block; call after compute() for the same z.
    [[nodiscard]] double loss(const Eigen::ArrayXd& z, const Eigen::Ref<const Eigen::ArrayXd>& y,
                              const Eigen::Ref<const Eigen::ArrayXd>& s) const {
        return (s * (z.max(0.0) + (u.log() - ((u - 1.0) - e) / u) - y * z)).sum();
    }

    /// Σ l_i for margins z alone (the line search's evaluations).
    [[nodiscard]] double loss_only(const Eigen::ArrayXd& z, const Eigen::Ref<const Eigen::ArrayXd>& y,
                                   const Eigen::Ref<const Eigen::ArrayXd>& s) {
        e = (-z.abs()).exp();
        u = 1.0 + e;
        return loss(z, y, s);
    }
};

}  // namespace ctml::detail

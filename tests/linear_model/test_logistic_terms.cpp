// The objective's per-row terms are computed a block at a time with Eigen's
// vectorised exp and log (detail/logistic_terms.hpp). They must agree with
// the one-value-at-a-time formulas (libm's exp and log1p) to a few ulps
// wherever the values are normal numbers, and the probability's numerator
// must be exactly 1 or e. Eigen's exp holds its argument above about -708.4,
// so beyond |z| = 708 it gives ~1e-308 where libm underflows towards 0: an
// absolute difference below 1e-307, which no sum of the objective can see.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include <ctml/linear_model/detail/logistic_terms.hpp>
#include <ctml/linear_model/detail/sigmoid.hpp>

namespace {
// |a - b| in units of the last place of b (relative error / ε), 0 when both are 0.
double ulps(double a, double b) {
    if (a == b) return 0;
    return std::abs(a - b) / (std::numeric_limits<double>::epsilon() * std::max(std::abs(b), std::numeric_limits<double>::min()));
}
}  // namespace

TEST_CASE("vectorised logistic terms agree with the scalar formulas to a few ulps", "[linear_model][terms]") {
    std::vector<double> zs{0.0, -0.0, 1e-300, -1e-300, 1e-17, -1e-17, 36.0, -36.0, 37.5, -37.5, 709.0, -709.0, 745.0, -745.0, 800.0, -800.0};
    for (int k = -6000; k <= 6000; ++k) zs.push_back(k * 0.0123);
    const auto n = static_cast<Eigen::Index>(zs.size());
    const Eigen::ArrayXd z = Eigen::Map<const Eigen::ArrayXd>(zs.data(), n);
    Eigen::ArrayXd y(n), s(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        y(i) = static_cast<double>(i % 2);
        s(i) = 0.5 + static_cast<double>(i % 3);
    }
    ctml::detail::logistic_terms terms;
    terms.compute(z, y, s, true);
    double worst_p = 0, worst_loss = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        INFO("z = " << z(i));
        const double p = ctml::detail::sigmoid(z(i));
        const bool normal = std::abs(z(i)) <= 708;
        if (normal) worst_p = std::max(worst_p, ulps(terms.p(i), p));
        else CHECK(std::abs(terms.p(i) - p) <= 1e-307);
        CHECK(std::abs(terms.residual(i) - s(i) * (p - y(i))) <= 8 * std::numeric_limits<double>::epsilon() * s(i));
        CHECK(std::abs(terms.curvature(i) - s(i) * p * (1 - p)) <= 8 * std::numeric_limits<double>::epsilon() * s(i) * p + 1e-307);
        // One row's loss, against softplus with libm's log1p.
        const Eigen::ArrayXd zi = z.segment(i, 1), yi = y.segment(i, 1), si = s.segment(i, 1);
        ctml::detail::logistic_terms one;
        const double loss = one.loss_only(zi, yi, si);
        const double expected = s(i) * (ctml::detail::softplus(z(i)) - y(i) * z(i));
        if (normal) worst_loss = std::max(worst_loss, ulps(loss, expected));
        else CHECK(std::abs(loss - expected) <= 1e-307 + 4 * std::numeric_limits<double>::epsilon() * expected);
        // softplus(z) ≈ e^z far below zero: the loss keeps its relative precision there too.
        CHECK(std::isfinite(loss));
    }
    CHECK(worst_p <= 4);
    CHECK(worst_loss <= 8);
    // The numerator is exactly 1 for z >= 0: σ(0) is exactly one half.
    CHECK(terms.p(0) == 0.5);
    CHECK(terms.p(1) == 0.5);
}

TEST_CASE("the loss of a far-off row is its margin, not infinity", "[linear_model][terms]") {
    const Eigen::ArrayXd z = (Eigen::ArrayXd(4) << 800.0, -800.0, 1e6, -1e6).finished();
    const Eigen::ArrayXd y = (Eigen::ArrayXd(4) << 0.0, 1.0, 0.0, 1.0).finished();
    const Eigen::ArrayXd s = Eigen::ArrayXd::Ones(4);
    ctml::detail::logistic_terms terms;
    CHECK(terms.loss_only(z, y, s) == 800.0 + 800.0 + 1e6 + 1e6);
    terms.compute(z, y, s, true);
    CHECK(terms.p(0) == 1.0);
    CHECK(terms.p(1) <= 1e-307);
    CHECK((terms.curvature <= 1e-307).all());
}

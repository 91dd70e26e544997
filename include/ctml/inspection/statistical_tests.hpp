// The tail probabilities that drift detection turns its test statistics into
// p-values with (data_drift.hpp). Plain functions of doubles, no state:
//
//   regularized_upper_gamma(a, x)   Q(a, x) = Γ(a, x) / Γ(a)        scipy.special.gammaincc
//   chi_square_sf(statistic, dof)   P(χ²_dof > statistic)            scipy.stats.chi2.sf
//   kolmogorov_sf(x)                P(K > x), K = sup|Brownian bridge|  scipy.stats.kstwobign.sf
//
// Accuracy: about 1e-13 relative for chi_square_sf wherever the value is above
// 1e-300 (below, it underflows to 0), and about 1e-15 absolute (1e-13 relative
// for the tail) for kolmogorov_sf. tests/inspection/test_data_drift.cpp checks
// both against SciPy 1.10.
#pragma once

#include <cmath>
#include <limits>
#include <numbers>

namespace ctml {

namespace detail {

/// log(x^a e^-x / Γ(a)): the factor that both expansions of the incomplete gamma share.
///
/// Written naively, a·log(x) - x - log Γ(a) subtracts numbers of size ~x and
/// loses about x·ε of the result, which matters for chi-square tails with many
/// degrees of freedom. For a >= 10 it is rearranged with Stirling's series,
///   log Γ(a) = (a - ½)·log a - a + ½·log 2π + S(a),
/// into a·(log1p(t) - t) + ½·log(a / 2π) - S(a) with t = (x - a) / a, whose
/// rounding error grows with |x - a| instead of with x.
[[nodiscard]] inline double log_gamma_density_factor(double a, double x) {
    if (a < 10) return a * std::log(x) - x - std::log(std::tgamma(a));  // tgamma: no global signgam, unlike lgamma
    const double inverse = 1 / a, inverse_squared = inverse * inverse;
    // S(a) = Σ B_2k / (2k (2k-1) a^(2k-1)); seven terms leave < 1e-16 for a >= 10.
    const double stirling_remainder =
        inverse * (1.0 / 12 + inverse_squared * (-1.0 / 360 + inverse_squared * (1.0 / 1260 + inverse_squared * (-1.0 / 1680 + inverse_squared * (1.0 / 1188 + inverse_squared * (-691.0 / 360360 + inverse_squared * (1.0 / 156)))))));
    const double t = (x - a) / a;
    return a * (std::log1p(t) - t) + 0.5 * std::log(a / (2 * std::numbers::pi)) - stirling_remainder;
}

inline constexpr int max_expansion_terms = 100000;  // far beyond what any a < 1e9 needs

}  // namespace detail

/// Q(a, x) = Γ(a, x) / Γ(a) = 1 - P(a, x), the regularized upper incomplete gamma function.
///
/// Two expansions, each used where it converges fast and needs no cancellation:
///   x <  a + 1   the power series P(a, x) = x^a e^-x / Γ(a) · Σ_n x^n / (a (a+1) … (a+n)),
///                and Q = 1 - P (here P is at most about 0.9, so the subtraction is harmless);
///   x >= a + 1   the continued fraction
///                Q(a, x) = x^a e^-x / Γ(a) · 1 / (x+1-a - 1·(1-a) / (x+3-a - 2·(2-a) / (x+5-a - …))),
///                evaluated front to back with the modified Lentz method, which needs no
///                guess of how many terms to take and guards the zero denominators that
///                plain forward recurrence would divide by.
/// Returns NaN for a <= 0 or a NaN argument; 1 for x <= 0; 0 for x = +∞.
[[nodiscard]] inline double regularized_upper_gamma(double a, double x) {
    if (std::isnan(a) || std::isnan(x) || a <= 0) return std::numeric_limits<double>::quiet_NaN();
    if (x <= 0) return 1;
    if (std::isinf(x)) return 0;
    constexpr double epsilon = std::numeric_limits<double>::epsilon();
    const double factor = std::exp(detail::log_gamma_density_factor(a, x));
    if (x < a + 1) {
        double term = 1 / a, sum = term;
        for (int n = 1; n < detail::max_expansion_terms && term > sum * epsilon; ++n) {
            term *= x / (a + n);
            sum += term;
        }
        return 1 - factor * sum;
    }
    constexpr double tiny = std::numeric_limits<double>::min() / epsilon;  // stands in for a zero denominator
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double fraction = d;
    for (int i = 1; i < detail::max_expansion_terms; ++i) {
        const double numerator = -i * (i - a);
        b += 2;
        d = numerator * d + b;
        if (std::abs(d) < tiny) d = tiny;
        c = b + numerator / c;
        if (std::abs(c) < tiny) c = tiny;
        d = 1 / d;
        const double change = d * c;
        fraction *= change;
        if (std::abs(change - 1) <= epsilon) break;
    }
    return factor * fraction;
}

/// The survival function of the chi-square distribution, P(χ²_dof > statistic):
/// the p-value of a chi-square test. χ²_k is Gamma(k/2, scale 2), so this is
/// Q(dof/2, statistic/2) -- what scipy.stats.chi2.sf computes (through Cephes' chdtrc).
/// Non-integer dof are allowed; NaN for dof <= 0.
[[nodiscard]] inline double chi_square_sf(double statistic, double dof) {
    return regularized_upper_gamma(dof / 2, statistic / 2);
}

/// The survival function of the Kolmogorov distribution, P(K > x) with
/// K = sup_t |B(t)| for a Brownian bridge B: the large-sample limit of
/// sqrt(n)·D_n, D_n the two-sided one-sample Kolmogorov–Smirnov statistic.
/// This is scipy.stats.kstwobign.sf (scipy.special.kolmogorov).
///
/// Two forms of the same function, each where its series converges in a few terms:
///   x >= 1   the alternating series  P(K > x) = 2 Σ_k≥1 (-1)^(k-1) exp(-2k²x²),
///            summed directly, so tiny tails keep their relative accuracy;
///   x <  1   the Jacobi-theta form   P(K <= x) = sqrt(2π)/x Σ_k≥1 exp(-(2k-1)²π²/(8x²)),
///            and P(K > x) = 1 - that. Here the alternating series would need many
///            nearly cancelling terms (exp(-2x²) is close to 1).
/// At x = 1 each needs four terms for full double precision.
/// Returns 1 for x <= 0, NaN for NaN.
[[nodiscard]] inline double kolmogorov_sf(double x) {
    if (std::isnan(x)) return x;
    if (x <= 0) return 1;
    constexpr double epsilon = std::numeric_limits<double>::epsilon();
    if (x >= 1) {
        double sum = 0;
        for (int k = 1; k < 1000; ++k) {
            const double term = std::exp(-2.0 * k * k * x * x);
            sum += (k % 2 == 1) ? term : -term;
            if (term <= sum * epsilon) break;
        }
        return 2 * sum;
    }
    const double scale = -std::numbers::pi * std::numbers::pi / (8 * x * x);
    double sum = 0;
    for (int k = 1; k < 1000; ++k) {
        const double odd = 2.0 * k - 1;
        const double term = std::exp(odd * odd * scale);
        sum += term;
        if (term <= sum * epsilon) break;  // also ends at once when the first term underflows to 0
    }
    return 1 - std::sqrt(2 * std::numbers::pi) / x * sum;
}

}  // namespace ctml

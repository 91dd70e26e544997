// detail::sigmoid takes one exp and picks its numerator instead of branching
// around the exp (a mispredicted branch per row in batch scoring). It must
// give the two-branch form's results bit for bit, edge cases included.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include <ctml/ctml.hpp>

namespace {
double two_branch_sigmoid(double z) {
    if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST_CASE("sigmoid equals the two-branch form bit for bit", "[linear_model][sigmoid]") {
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> zs{0.0, -0.0, inf, -inf, 1e-300, -1e-300, 709.0, -709.0, 745.0, -745.0, 800.0, -800.0};
    for (int k = -4000; k <= 4000; ++k) zs.push_back(k * 0.0137);
    for (const double z : zs) {
        INFO("z = " << z);
        CHECK(same_bits(ctml::detail::sigmoid(z), two_branch_sigmoid(z)));
    }
    CHECK(std::isnan(ctml::detail::sigmoid(std::numeric_limits<double>::quiet_NaN())));
}

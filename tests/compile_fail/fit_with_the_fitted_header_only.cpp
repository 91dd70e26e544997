// fitted_logistic_regression.hpp holds what naming and scoring a model need,
// not the solvers: fitting with only that header is a compile error (not a
// link error), and the diagnostic names the missing fit.
// expect: incomplete type .*logistic_regression_fit
#ifdef CTML_MUST_NOT_COMPILE
#include <ctml/linear_model/fitted_logistic_regression.hpp>
#else
#include <ctml/linear_model/logistic_regression.hpp>
#endif

#include <vector>

int main() {
    ctml::feature_matrix<2> x(4, 2);
    x << 0, 1, 1, 0, 2, 1, 3, 0;
    const std::vector<int> y{0, 1, 0, 1};
    const auto fitted = ctml::logistic_regression{}.fit(x, y);
    return fitted.n_features_in() == 2 ? 0 : 1;
}

// An estimator followed by another stage is rejected where the pipeline is
// built, and the diagnostic names the offending estimator.
// expect: estimator_must_be_the_last_stage<ctml::logistic_regression, false>.*only the last stage of a pipeline may be an estimator
#include <ctml/ctml.hpp>

int main() {
#ifdef CTML_MUST_NOT_COMPILE
    auto model = ctml::logistic_regression{} | ctml::standard_scaler{};
#else
    auto model = ctml::standard_scaler{} | ctml::logistic_regression{};
#endif
    return static_cast<int>(model.size);
}

// The credit model's fit, compiled once for every credit-* program (see
// credit_model.hpp). The artifact's save and load are instantiated beside it,
// in credit_artifact.cpp: each is about half of the work, and as two units
// they build side by side in half the time and memory.
#include <ctml/linear_model/logistic_regression.hpp>

#include "credit/credit_model.hpp"

namespace credit {

fitted_model fit(const ctml::frame<feature_schema>& x, ctml::label_span y, double C) { return model(C).fit(x, y); }

fitted_model fit(const ctml::frame<feature_schema>& x, ctml::label_span y, double C, const ctml::row_partition& rows) {
    return model(C).fit(x, y, rows);
}

}  // namespace credit

// The evaluation every credit program reports, as JSON: accuracy, precision,
// recall and F1 for the positive class ("good"), ROC AUC, log loss, Brier
// score, the confusion matrix (rows: true bad, good; columns: predicted) and
// the expected cost per applicant under the Statlog cost matrix (a bad
// customer accepted costs 5, a good one refused costs 1).
#pragma once

#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <ctml/metrics/classification.hpp>

#include "credit/credit_pipeline.hpp"

namespace credit {

/// The evaluation of scores already computed: P(good) and the predicted class of each row, y its true class.
inline nlohmann::json evaluate_scores(const std::vector<int>& y, const Eigen::VectorXd& p, const Eigen::VectorXi& predicted) {
    using namespace ctml;
    const auto m = confusion_matrix(y, predicted);
    return {{"rows", y.size()},
            {"accuracy", accuracy_score(y, predicted)},
            {"precision", precision_score(y, predicted)},
            {"recall", recall_score(y, predicted)},
            {"f1", f1_score(y, predicted)},
            {"roc_auc", roc_auc_score(y, p)},
            {"log_loss", log_loss(y, p)},
            {"brier", brier_score_loss(y, p)},
            {"confusion_matrix", {{m[0][0], m[0][1]}, {m[1][0], m[1][1]}}},
            {"expected_cost", expected_cost(m, cost_matrix)}};
}

template <class Model, class Frame>
nlohmann::json evaluate(const Model& fitted, const Frame& x, const std::vector<int>& y) {
    return evaluate_scores(y, fitted.predict_proba(x).col(1), fitted.predict(x));
}

}  // namespace credit

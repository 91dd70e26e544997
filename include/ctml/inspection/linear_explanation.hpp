// linear_explainer: exact per-prediction explanations of a pipeline that ends
// in a linear model (logistic_regression), in logit space.
//
//   logit(x) = b + Σ_j w_j·x_j
//            = [b + Σ_j w_j·μ_j]  +  Σ_columns Σ_{j from column} w_j·(x_j − μ_j)
//               base value           contribution of each input column
//
// x_j are the transformed features, μ_j their means over the training data
// (stored in the artifact's training statistics, so no training set is
// needed), and the features are summed back to the input column they come
// from through the pipeline's feature origins: the one-hot features of
// "Purpose" and nothing else make up Purpose's contribution. For a linear model
// this is the exact Shapley value with the training data as background
// (what SHAP's LinearExplainer computes under feature independence); the
// parts add up to the model's logit to rounding, which a test checks to 1e-12.
// A positive contribution pushes towards class 1 ("good" for the credit data).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "ctml/inspection/training_statistics.hpp"
#include "ctml/linear_model/detail/sigmoid.hpp"
#include "ctml/pipeline/feature_origin.hpp"
#include "ctml/schema/frame.hpp"

namespace ctml {

/// One prediction taken apart.
struct row_explanation {
    /// b + Σ w_j·μ_j: the logit of a row whose features all sit at their training means.
    double base_value = 0;
    /// The model's logit for the row: base_value + Σ contributions.
    double logit = 0;
    /// P(class 1) = σ(logit), equal to predict_proba_row(row)[1].
    double probability = 0;
    /// One per input column of the pipeline, in input order (linear_explainer::columns()).
    std::vector<double> contributions;
};

template <class Fitted>
class linear_explainer {
public:
    using input_type = typename Fitted::input_type;
    using schema_type = typename input_type::schema_type;

    /// `statistics` must describe the data `model` was fitted on (describe_training_data),
    /// as a model artifact carries them. Throws std::invalid_argument when a feature's
    /// training mean is missing from them. The explainer refers to `model`, which must
    /// outlive it (it is a view of the model, like a std::span of its coefficients).
    linear_explainer(const Fitted& model, const training_statistics& statistics) : model_(model) {
        const auto origins = model.feature_origins();
        const auto& lr = model.last_step();
        if (static_cast<Eigen::Index>(origins.size()) != lr.coef().size())
            throw std::invalid_argument("linear_explainer: the model has " + std::to_string(lr.coef().size()) +
                                        " coefficients for " + std::to_string(origins.size()) + " features");
        columns_.assign(schema_type::names.begin(), schema_type::names.end());
        means_.resize(lr.coef().size());
        column_of_.resize(origins.size());
        base_value_ = lr.intercept();
        for (std::size_t j = 0; j < origins.size(); ++j) {
            const auto found = std::find_if(statistics.features.begin(), statistics.features.end(),
                                            [&](const feature_statistics& f) { return f.name == origins[j].name; });
            if (found == statistics.features.end())
                throw std::invalid_argument("linear_explainer: the training statistics have no mean for feature \"" +
                                            origins[j].name + "\" (were they made for this model?)");
            means_(static_cast<Eigen::Index>(j)) = found->mean;
            column_of_[j] = origins[j].column_index;
            base_value_ += lr.coef()(static_cast<Eigen::Index>(j)) * found->mean;
        }
    }

    /// The explainer refers to its model: a temporary would dangle.
    linear_explainer(const Fitted&&, const training_statistics&) = delete;

    /// The input columns contributions are given for, in input order.
    [[nodiscard]] const std::vector<std::string>& columns() const noexcept { return columns_; }
    [[nodiscard]] double base_value() const noexcept { return base_value_; }
    /// The training mean of each transformed feature, in feature order.
    [[nodiscard]] const Eigen::VectorXd& feature_means() const noexcept { return means_; }

    /// One record's explanation; throws what scoring it would throw (an unknown category, say).
    [[nodiscard]] row_explanation explain_row(const record<schema_type>& row) const {
        const auto x = model_.features_row(row);
        const auto& w = model_.last_step().coef();
        row_explanation out;
        out.base_value = base_value_;
        out.contributions.assign(columns_.size(), 0.0);
        for (Eigen::Index j = 0; j < w.size(); ++j)
            out.contributions[column_of_[static_cast<std::size_t>(j)]] += w(j) * (x(j) - means_(j));
        out.logit = model_.decision_function_row(row);  // as the model scores the record (folded or not)
        out.probability = detail::sigmoid(out.logit);    // as predict_proba_row computes it, bit for bit
        return out;
    }

    /// Every row of x, in order.
    [[nodiscard]] std::vector<row_explanation> explain(const input_type& x) const {
        std::vector<row_explanation> out;
        out.reserve(x.rows());
        for (std::size_t i = 0; i < x.rows(); ++i) out.push_back(explain_row(x.row(i)));
        return out;
    }

    /// Global importance: the mean |contribution| of each column over `explanations`.
    [[nodiscard]] std::vector<double> mean_absolute_contributions(const std::vector<row_explanation>& explanations) const {
        std::vector<double> out(columns_.size(), 0.0);
        if (explanations.empty()) return out;
        for (const auto& e : explanations)
            for (std::size_t c = 0; c < out.size(); ++c) out[c] += std::abs(e.contributions[c]);
        for (auto& v : out) v /= static_cast<double>(explanations.size());
        return out;
    }

private:
    const Fitted& model_;
    std::vector<std::string> columns_;
    Eigen::VectorXd means_;
    std::vector<std::size_t> column_of_;
    double base_value_ = 0;
};

}  // namespace ctml

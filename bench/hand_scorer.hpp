// The zero-overhead reference for scoring one credit record: what a person
// would write by hand for this one fitted model, with no library in the loop.
// The scaler is folded into the coefficients (w / scale, and the intercept
// takes -w * mean / scale), each categorical column is a short table of
// (category, weight) searched by string comparison, and a missing value takes
// the weight of the "missing" category the imputer would have filled in.
// The tables are read once from the fitted model; scoring is straight-line code.
//
// The benchmarks compare ctml's predict_proba_row with it, and predict_proba on
// a frame with its frame form (issue: ≤ 1.5×),
// and a test in the benchmark program checks both give the same
// probabilities to 1e-12 (the folding changes the order of operations).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ctml/ctml.hpp>

#include "credit/credit_schema.hpp"

namespace bench {

class hand_scorer {
public:
    using category_weights = std::vector<std::pair<std::string, double>>;

    template <class Fitted>
    explicit hand_scorer(const Fitted& model) {
        const auto& scaler = model.template step<0>().template group<0>().fitted();
        const auto mean = scaler.mean();
        const auto scale = scaler.scale();
        const auto& coef = model.last_step().coef();
        const auto origins = model.feature_origins();
        bias_ = model.last_step().intercept();
        for (std::size_t j = 0; j < origins.size(); ++j) {
            const auto& o = origins[j];
            const double w = coef(static_cast<Eigen::Index>(j));
            if (!o.category) {  // a numeric column, standardised: w * (x - mean) / scale
                const int k = numeric_index(o.column);
                numeric_[k] = w / scale(k);
                bias_ -= w * mean(k) / scale(k);
            } else {
                table(o.column).emplace_back(*o.category, w);
            }
        }
    }

    [[nodiscard]] std::array<double, 2> predict_proba(const ctml::record<credit::feature_schema>& r) const {
        double z = bias_;
        z += numeric_[0] * static_cast<double>(r.get<"Age">());
        z += numeric_[1] * static_cast<double>(r.get<"Job">());
        z += numeric_[2] * static_cast<double>(r.get<"Credit amount">());
        z += numeric_[3] * static_cast<double>(r.get<"Duration">());
        z += lookup(sex_, r.get<"Sex">());
        z += lookup(housing_, r.get<"Housing">());
        z += lookup_nullable(saving_, r.get<"Saving accounts">());
        z += lookup_nullable(checking_, r.get<"Checking account">());
        z += lookup(purpose_, r.get<"Purpose">());
        const double p_good = 1.0 / (1.0 + std::exp(-z));
        return {1.0 - p_good, p_good};
    }

    /// Every row of a frame, as a person would write it for columnar data: each categorical
    /// column's vocabulary mapped to weights once, then one straight pass over the rows.
    [[nodiscard]] ctml::probability_matrix predict_proba(const ctml::frame<credit::feature_schema>& x) const {
        const auto age = x.column<"Age">().values();
        const auto job = x.column<"Job">().values();
        const auto amount = x.column<"Credit amount">().values();
        const auto duration = x.column<"Duration">().values();
        const auto sex = by_code(sex_, x.column<"Sex">());
        const auto housing = by_code(housing_, x.column<"Housing">());
        const auto saving = by_code(saving_, x.column<"Saving accounts">());
        const auto checking = by_code(checking_, x.column<"Checking account">());
        const auto purpose = by_code(purpose_, x.column<"Purpose">());
        const auto sex_codes = x.column<"Sex">().codes();
        const auto housing_codes = x.column<"Housing">().codes();
        const auto saving_codes = x.column<"Saving accounts">().codes();
        const auto checking_codes = x.column<"Checking account">().codes();
        const auto purpose_codes = x.column<"Purpose">().codes();
        ctml::probability_matrix out(static_cast<Eigen::Index>(x.rows()), 2);
        for (std::size_t i = 0; i < x.rows(); ++i) {
            double z = bias_;
            z += numeric_[0] * static_cast<double>(age[i]);
            z += numeric_[1] * static_cast<double>(job[i]);
            z += numeric_[2] * static_cast<double>(amount[i]);
            z += numeric_[3] * static_cast<double>(duration[i]);
            z += sex[static_cast<std::size_t>(sex_codes[i] + 1)];
            z += housing[static_cast<std::size_t>(housing_codes[i] + 1)];
            z += saving[static_cast<std::size_t>(saving_codes[i] + 1)];
            z += checking[static_cast<std::size_t>(checking_codes[i] + 1)];
            z += purpose[static_cast<std::size_t>(purpose_codes[i] + 1)];
            const double p_good = 1.0 / (1.0 + std::exp(-z));
            const auto r = static_cast<Eigen::Index>(i);
            out(r, 0) = 1.0 - p_good;
            out(r, 1) = p_good;
        }
        return out;
    }

private:
    /// The weight of each code of a column: [0] for a missing value (the "missing" category), [1 + c] for code c.
    static std::vector<double> by_code(const category_weights& t, const ctml::categorical_column& column) {
        std::vector<double> out{lookup(t, "missing")};
        for (const auto& v : column.vocabulary()) out.push_back(lookup(t, v));
        return out;
    }
    static int numeric_index(const std::string& column) {
        if (column == "Age") return 0;
        if (column == "Job") return 1;
        if (column == "Credit amount") return 2;
        return 3;  // Duration
    }
    category_weights& table(const std::string& column) {
        if (column == "Sex") return sex_;
        if (column == "Housing") return housing_;
        if (column == "Saving accounts") return saving_;
        if (column == "Checking account") return checking_;
        return purpose_;
    }
    static double lookup(const category_weights& t, std::string_view value) {
        for (const auto& [category, w] : t)
            if (category == value) return w;
        return 0.0;  // an unseen category (the credit model itself refuses them; this is a reference, not a guard)
    }
    static double lookup_nullable(const category_weights& t, const std::optional<std::string>& value) {
        return lookup(t, value ? std::string_view(*value) : std::string_view("missing"));
    }

    double bias_ = 0;
    std::array<double, 4> numeric_{};
    category_weights sex_, housing_, saving_, checking_, purpose_;
};

}  // namespace bench

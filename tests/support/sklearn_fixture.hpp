// Access to tests/fixtures/sklearn_credit.json: the numbers scikit-learn 1.2.1
// produces on the bundled data (see tests/fixtures/README.md and
// make_fixtures.py for where each one comes from).
#pragma once

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/credit_schema.hpp"

namespace test_support {

inline const nlohmann::json& sklearn_fixture() {
    static const nlohmann::json fixture = [] {
        std::ifstream in(CTML_FIXTURE_DIR "/sklearn_credit.json");
        if (!in) throw std::runtime_error("cannot open " CTML_FIXTURE_DIR "/sklearn_credit.json");
        return nlohmann::json::parse(in);
    }();
    return fixture;
}

inline const ctml::frame<credit::training_schema>& credit_data() {
    static const auto data = ctml::read_csv<credit::training_schema>(CTML_TEST_DATA_DIR "/german_credit_data.csv");
    return data;
}

inline std::vector<int> credit_labels() {
    const auto& risk = credit_data().column<"Risk">();
    return ctml::label_encoder{}.fit(risk).transform(risk);
}

/// A row-major list of lists as a matrix.
inline Eigen::MatrixXd matrix(const nlohmann::json& rows) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
    for (Eigen::Index i = 0; i < m.rows(); ++i)
        for (Eigen::Index j = 0; j < m.cols(); ++j) m(i, j) = rows[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)].get<double>();
    return m;
}

inline Eigen::RowVectorXd row_vector(const nlohmann::json& values) {
    Eigen::RowVectorXd v(static_cast<Eigen::Index>(values.size()));
    for (Eigen::Index j = 0; j < v.size(); ++j) v(j) = values[static_cast<std::size_t>(j)].get<double>();
    return v;
}

/// max |a - b| over all entries; infinity when the shapes differ.
template <class A, class B>
double max_abs_diff(const A& a, const B& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    return a.size() == 0 ? 0.0 : (a.template cast<double>() - b.template cast<double>()).cwiseAbs().maxCoeff();
}

/// max |a - b| / max(1, |b|): for statistics such as a mean credit amount of ~3271.
template <class A, class B>
double max_rel_diff(const A& a, const B& b) {
    if (a.rows() != b.rows() || a.cols() != b.cols()) return INFINITY;
    double worst = 0;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
        for (Eigen::Index j = 0; j < a.cols(); ++j)
            worst = std::max(worst, std::abs(a(i, j) - b(i, j)) / std::max(1.0, std::abs(b(i, j))));
    return worst;
}

/// The tutorial's preprocessing, as the credit programs declare it.
inline auto credit_preprocessing() { return credit::preprocessing(); }

}  // namespace test_support

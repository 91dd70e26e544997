// Fit the German credit pipeline and report holdout accuracy and ROC AUC.
#include <cstdio>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_schema.hpp"

int main(int argc, char** argv) {
    using namespace ctml;
    const auto data = read_csv<credit::training_schema>(argc > 1 ? argv[1] : "dataset/german_credit_data.csv");
    const auto y = label_encoder{}.fit(data.column<"Risk">()).transform(data.column<"Risk">());
    const auto split = train_test_split(y, {.test_size = 0.2, .seed = 42});

    const auto model = column_transformer{
        on<"Age", "Job", "Credit amount", "Duration">("num", standard_scaler{}),
        on<"Sex", "Housing", "Saving accounts", "Checking account", "Purpose">(
            "cat", simple_imputer{.strategy = impute_strategy::constant} | one_hot_encoder{})}
        | logistic_regression{.C = 1.0};
    const auto fitted = model.fit(data.take(split.train), take(y, split.train));

    const auto test = data.take(split.test);
    const auto y_test = take(y, split.test);
    const double accuracy = accuracy_score(y_test, fitted.predict(test));
    const double auc = roc_auc_score(y_test, fitted.predict_proba(test).col(1));
    std::printf("test accuracy %.4f\nROC AUC       %.4f\n", accuracy, auc);
    return accuracy > 0.65 && auc > 0.7 ? 0 : 1;  // runs as a test: a broken pipeline fails it
}

// credit-evaluate: fits the credit model on a stratified split and prints its
// holdout metrics; with --model-out it saves the model as an artifact, loads
// it back and scores the holdout again from the loaded copy.
// Usage: credit-evaluate --data CSV [--test-size 0.2] [--seed 42] [--C 1.0] [--model-out PATH]
// Exit codes: 0 success, 1 when the metrics are implausible (a broken model),
// 2 on a usage or input error.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include <ctml/ctml.hpp>
#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"

namespace {

struct options {
    std::string data;
    double test_size = 0.2;
    std::uint64_t seed = 42;
    double C = 1.0;
    std::string model_out;
};

[[noreturn]] void usage_error(const std::string& why) {
    std::fprintf(stderr, "credit-evaluate: %s (try --help)\n", why.c_str());
    std::exit(2);
}

double parse_number(std::string_view flag, const char* text) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0') usage_error(std::string(flag) + " expects a number, got \"" + text + "\"");
    return value;
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::puts("usage: credit-evaluate --data CSV [--test-size 0.2] [--seed 42] [--C 1.0] [--model-out PATH]\n"
                      "Fits the German credit pipeline on a stratified split and prints holdout metrics.\n"
                      "--model-out saves the model artifact there, reloads it and scores the holdout again.");
            std::exit(0);
        }
        if (i + 1 >= argc) usage_error(std::string(arg) + " needs a value");
        const char* value = argv[++i];
        if (arg == "--data") o.data = value;
        else if (arg == "--test-size") o.test_size = parse_number(arg, value);
        else if (arg == "--seed") o.seed = static_cast<std::uint64_t>(parse_number(arg, value));
        else if (arg == "--C") o.C = parse_number(arg, value);
        else if (arg == "--model-out") o.model_out = value;
        else usage_error("unknown option " + std::string(arg));
    }
    if (o.data.empty()) usage_error("--data CSV is required");
    if (!(o.test_size > 0 && o.test_size < 1)) usage_error("--test-size must be in (0, 1)");
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace ctml;
    const options o = parse(argc, argv);
    try {
        const auto data = read_csv<credit::training_schema>(o.data);
        const auto labels = label_encoder{}.fit(data.column<"Risk">());
        const auto y = labels.transform(data.column<"Risk">());
        const auto split = train_test_split(y, {.test_size = o.test_size, .seed = o.seed});
        // The model reads the nine features only, so it can later score files without Risk.
        const auto features = data.select<credit::feature_schema>();
        const auto train = features.take(split.train);
        const auto test = features.take(split.test);
        const auto y_train = take(y, split.train);
        const auto y_test = take(y, split.test);

        const auto fitted = credit::model(o.C).fit(train, y_train);
        const auto p_test = fitted.predict_proba(test).col(1).eval();
        const auto predicted = fitted.predict(test);
        const auto m = confusion_matrix(y_test, predicted);

        std::printf("German credit, logistic regression C=%g: %zu training rows, %zu test rows (seed %llu)\n", o.C,
                    train.rows(), test.rows(), static_cast<unsigned long long>(o.seed));
        std::printf("  solver        newton, %d iterations, max |gradient| %.1e\n", fitted.last_step().n_iter(),
                    fitted.last_step().gradient_max());
        std::printf("  train accuracy %.4f\n", accuracy_score(y_train, fitted.predict(train)));
        std::printf("  test accuracy  %.4f\n", accuracy_score(y_test, predicted));
        std::printf("  precision      %.4f   recall %.4f   F1 %.4f  (positive class \"%s\")\n",
                    precision_score(y_test, predicted), recall_score(y_test, predicted), f1_score(y_test, predicted),
                    std::string(labels.inverse_transform(1)).c_str());
        std::printf("  ROC AUC        %.4f\n", roc_auc_score(y_test, p_test));
        std::printf("  log loss       %.4f   Brier %.4f\n", log_loss(y_test, p_test), brier_score_loss(y_test, p_test));
        std::printf("  confusion      [[%zu, %zu], [%zu, %zu]]  (rows: true bad, good; columns: predicted)\n", m[0][0],
                    m[0][1], m[1][0], m[1][1]);
        std::printf("  expected cost  %.4f per applicant (bad as good 5, good as bad 1)\n",
                    expected_cost(m, credit::cost_matrix));
        if (!o.model_out.empty()) {
            const lineage_map lineage{{"data", o.data}, {"test_size", std::to_string(o.test_size)},
                                      {"seed", std::to_string(o.seed)}, {"C", std::to_string(o.C)}};
            save(fitted, o.model_out, describe_training_data(train, fitted), lineage);
            const auto reloaded = load<decltype(fitted)>(o.model_out);
            const auto p_reloaded = reloaded.model.predict_proba(test).col(1).eval();
            const bool identical = (p_reloaded.array() == p_test.array()).all();
            std::printf("  artifact       %s: reloaded, holdout scores %s the fitted model's (%td rows)\n",
                        o.model_out.c_str(), identical ? "bit-identical to" : "DIFFERENT from", p_reloaded.size());
            if (!identical) return 1;
        }
        return accuracy_score(y_test, predicted) > 0.65 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "credit-evaluate: %s\n", e.what());
        return 2;
    }
}

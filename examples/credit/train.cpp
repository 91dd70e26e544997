// credit-train: fits the German credit model on a stratified split, evaluates
// it on the holdout and writes the run into the workspace -- the Training
// stage of the seed tutorial's release pipeline.
//
//   credit-train --data CSV [--test-size 0.2] [--seed 42] [--C 1.0] [--json] [--workspace DIR]
//
// Writes WORKSPACE/runs/<run-id>/{model.json, metrics.json, holdout.csv, run.json}
// (credit_run.hpp). --test-size 0 fits on every row; the metrics then say they
// were measured on the training rows. Exit 0 on success, 2 when the data or
// the arguments are unusable (the reason names the file, line and column).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include <ctml/ops.hpp>

#include "credit/credit_metrics.hpp"
#include "credit/credit_pipeline.hpp"
#include "credit/credit_run.hpp"
#include "credit/program.hpp"

namespace {

struct options {
    std::string data;
    double test_size = 0.2;
    std::uint64_t seed = 42;
    double C = 1.0;
    int threads = 0;
    bool json = false;
    credit::workspace_options workspace;
};

double milliseconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// The commit of the git checkout the program runs in, and whether it has uncommitted changes.
nlohmann::json git_state() {
    const auto run = [](const char* command) {
        std::string out;
        if (FILE* pipe = popen(command, "r")) {
            char buffer[256];
            while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
            if (pclose(pipe) != 0) return std::string();
        }
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        return out;
    };
    const std::string commit = run("git rev-parse HEAD 2>/dev/null");
    if (commit.empty()) return nullptr;
    return {{"commit", commit}, {"dirty", !run("git status --porcelain --untracked-files=no 2>/dev/null").empty()}};
}

int train(const options& o) {
    ctml::set_threads(o.threads);
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    const auto data = read_csv<credit::training_schema>(o.data);
    if (data.rows() == 0) throw std::invalid_argument(o.data + ": no data rows below the header");
    const double read_ms = milliseconds_since(started);

    const auto labels = label_encoder{}.fit(data.column<"Risk">());
    const std::vector<std::string> classes(labels.classes().begin(), labels.classes().end());
    if (classes != std::vector<std::string>{"bad", "good"})
        throw std::invalid_argument(o.data + ": column \"Risk\" must hold the two classes \"bad\" and \"good\"");
    const auto y = labels.transform(data.column<"Risk">());
    const auto split = train_test_split(y, {.test_size = o.test_size, .seed = o.seed});
    const auto features = data.select<credit::feature_schema>();  // the model never sees Sno or Risk
    const auto train_rows = features.take(split.train);
    const auto y_train = take(y, split.train);

    const auto fit_started = std::chrono::steady_clock::now();
    const auto fitted = credit::model(o.C).fit(train_rows, y_train);
    const double fit_ms = milliseconds_since(fit_started);

    const auto evaluate_started = std::chrono::steady_clock::now();
    nlohmann::json metrics;
    metrics["train"] = credit::evaluate(fitted, train_rows, y_train);
    if (split.test.empty()) {
        metrics["evaluated_on"] = "training";
        metrics["note"] = "trained with --test-size 0: every metric is measured on the training rows";
        metrics["test"] = metrics["train"];
    } else {
        metrics["evaluated_on"] = "holdout";
        metrics["test"] = credit::evaluate(fitted, features.take(split.test), take(y, split.test));
    }
    metrics["positive_class"] = "good";
    const double evaluate_ms = milliseconds_since(evaluate_started);

    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const std::string run_id = ws.new_run();
    const auto dir = ws.run_dir(run_id);
    const std::string data_sha256 = ops::sha256_file(o.data);
    const lineage_map lineage{{"run_id", run_id},       {"data_sha256", data_sha256}, {"rows", std::to_string(data.rows())},
                              {"test_size", std::to_string(o.test_size)}, {"seed", std::to_string(o.seed)},
                              {"C", std::to_string(o.C)}};
    save(fitted, dir / "model.json", describe_training_data(train_rows, fitted), lineage, classes);
    write_file_atomically<ops::ops_error>(dir / "metrics.json", metrics.dump(1) + "\n");
    if (!split.test.empty()) write_csv(data.take(split.test), dir / "holdout.csv");

    const auto& lr = fitted.last_step();
    nlohmann::json run = {
        {"run_id", run_id},
        {"created_at", ops::utc_timestamp()},
        {"data", {{"path", std::filesystem::absolute(o.data).string()}, {"sha256", data_sha256}, {"rows", data.rows()}}},
        {"split", {{"test_size", o.test_size}, {"seed", o.seed}, {"train_rows", split.train.size()},
                   {"test_rows", split.test.size()}, {"stratified", true}}},
        {"params", {{"C", o.C}, {"solver", to_string(lr.params().solver)}, {"tol", lr.params().tol},
                    {"max_iter", lr.params().max_iter}}},
        {"solver", {{"iterations", lr.n_iter()}, {"converged", lr.converged()}, {"gradient_max", lr.gradient_max()}}},
        {"git", git_state()},
        {"library_version", version_string},
        {"compiler", std::string("g++ ") + __VERSION__},
        {"timings_ms", {{"read", read_ms}, {"fit", fit_ms}, {"evaluate", evaluate_ms},
                        {"total", milliseconds_since(started)}}},
        {"artifact", "model.json"},
        {"artifact_sha256", ops::sha256_file(dir / "model.json")},
        {"class_names", classes}};
    write_file_atomically<ops::ops_error>(dir / "run.json", run.dump(1) + "\n");

    const auto& test = metrics["test"];
    if (o.json) {
        const nlohmann::json out = {{"run_id", run_id},
                                    {"run_dir", std::filesystem::absolute(dir).string()},
                                    {"artifact", std::filesystem::absolute(dir / "model.json").string()},
                                    {"artifact_sha256", run["artifact_sha256"]},
                                    {"metrics", metrics}};
        std::puts(out.dump().c_str());
    } else {
        std::printf("run %s: logistic regression C=%g on %zu rows (%s: %zu rows), %d Newton steps\n", run_id.c_str(),
                    o.C, split.train.size(), metrics["evaluated_on"].get<std::string>().c_str(),
                    test["rows"].get<std::size_t>(), lr.n_iter());
        std::printf("  accuracy train %.4f  %s %.4f\n", metrics["train"]["accuracy"].get<double>(),
                    split.test.empty() ? "(training)" : "test", test["accuracy"].get<double>());
        std::printf("  ROC AUC %.4f  F1 %.4f  log loss %.4f  Brier %.4f  expected cost %.4f\n",
                    test["roc_auc"].get<double>(), test["f1"].get<double>(), test["log_loss"].get<double>(),
                    test["brier"].get<double>(), test["expected_cost"].get<double>());
        std::printf("  written to %s\n", dir.string().c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"Fits the German credit model on a stratified split, evaluates it and writes a run into the workspace.",
                 "credit-train"};
    app.add_option("--data", o.data, "Training data CSV (german_credit_data.csv layout)")->required();
    app.add_option("--test-size", o.test_size, "Share of rows held out for evaluation; 0 fits on every row")
        ->check(CLI::Range(0.0, 0.95))
        ->capture_default_str();
    app.add_option("--seed", o.seed, "Seed of the stratified split")->capture_default_str();
    app.add_option("--C", o.C, "Inverse regularisation strength of the logistic regression")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    app.add_option("--threads", o.threads,
                   "Threads for the fit's sums (0: all cores); the model is the same, bit for bit, for any number")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_flag("--json", o.json, "Print one JSON object: run_id, run_dir, artifact, metrics");
    credit::add_workspace_options(app, o.workspace);
    return credit::run_program("credit-train", app, argc, argv, [&] { return train(o); });
}

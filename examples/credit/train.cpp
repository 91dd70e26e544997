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
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/inspection/training_statistics.hpp>
#include <ctml/io/atomic_file.hpp>
#include <ctml/io/csv_reader.hpp>
#include <ctml/io/csv_writer.hpp>
#include <ctml/model_selection/train_test_split.hpp>
#include <ctml/ops/clock.hpp>
#include <ctml/ops/ops_error.hpp>
#include <ctml/ops/sha256.hpp>
#include <ctml/ops/workspace.hpp>
#include <ctml/preprocessing/label_encoder.hpp>
#include <ctml/threads.hpp>
#include <ctml/version.hpp>

#include "credit/credit_metrics.hpp"
#include "credit/credit_pipeline.hpp"
#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/command_line.hpp"

#if defined(CTML_HAVE_MPI)
#include <ctml/io/csv_partition.hpp>
#include <ctml/mpi/mpi_session.hpp>
#include <ctml/mpi/rank_partition.hpp>

#include "credit/rank_agreement.hpp"
#endif

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

/// What a fit leaves for the run directory, however many processes made it.
struct trained_run {
    std::optional<credit::fitted_model> model;
    ctml::training_statistics statistics;
    nlohmann::json metrics;
    std::size_t rows = 0, train_rows = 0, test_rows = 0;
    int ranks = 1;
    std::vector<std::string> classes;
    /// Writes holdout.csv (the test rows, in split order) to a path; empty when there are none.
    std::function<void(const std::filesystem::path&)> write_holdout;
    double read_ms = 0, fit_ms = 0, evaluate_ms = 0;
};

/// The metrics of the train and test scores; with --test-size 0, the training rows stand in for the test.
nlohmann::json metrics_of(nlohmann::json train, std::optional<nlohmann::json> test) {
    nlohmann::json metrics;
    metrics["train"] = std::move(train);
    if (!test) {
        metrics["evaluated_on"] = "training";
        metrics["note"] = "trained with --test-size 0: every metric is measured on the training rows";
        metrics["test"] = metrics["train"];
    } else {
        metrics["evaluated_on"] = "holdout";
        metrics["test"] = std::move(*test);
    }
    metrics["positive_class"] = "good";
    return metrics;
}

/// The classes of Risk, checked: the programs score P(good) with bad = 0, good = 1.
void check_classes(const ctml::fitted_label_encoder& labels, const std::string& data) {
    const std::vector<std::string> classes(labels.classes().begin(), labels.classes().end());
    if (classes != std::vector<std::string>{"bad", "good"})
        throw std::invalid_argument(data + ": column \"Risk\" must hold the two classes \"bad\" and \"good\"");
}

/// Writes the run directory from what the fit left, and reports it.
int write_run(const options& o, const trained_run& t, std::chrono::steady_clock::time_point started) {
    using namespace ctml;
    const auto& fitted = *t.model;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const std::string run_id = ws.new_run();
    const auto dir = ws.run_dir(run_id);
    const std::string data_sha256 = ops::sha256_file(o.data);
    const lineage_map lineage{{"run_id", run_id},       {"data_sha256", data_sha256}, {"rows", std::to_string(t.rows)},
                              {"test_size", std::to_string(o.test_size)}, {"seed", std::to_string(o.seed)},
                              {"C", std::to_string(o.C)}, {"ranks", std::to_string(t.ranks)}};
    save(fitted, dir / "model.json", t.statistics, lineage, t.classes);
    write_file_atomically<ops::ops_error>(dir / "metrics.json", t.metrics.dump(1) + "\n");
    if (t.write_holdout) t.write_holdout(dir / "holdout.csv");

    const auto& lr = fitted.last_step();
    nlohmann::json run = {
        {"run_id", run_id},
        {"created_at", ops::utc_timestamp()},
        {"data", {{"path", std::filesystem::absolute(o.data).string()}, {"sha256", data_sha256}, {"rows", t.rows}}},
        {"split", {{"test_size", o.test_size}, {"seed", o.seed}, {"train_rows", t.train_rows},
                   {"test_rows", t.test_rows}, {"stratified", true}}},
        {"params", {{"C", o.C}, {"solver", to_string(lr.params().solver)}, {"tol", lr.params().tol},
                    {"max_iter", lr.params().max_iter}}},
        {"solver", {{"iterations", lr.n_iter()}, {"converged", lr.converged()}, {"gradient_max", lr.gradient_max()}}},
        {"ranks", t.ranks},
        {"git", git_state()},
        {"library_version", version_string},
        {"compiler", std::string("g++ ") + __VERSION__},
        {"timings_ms", {{"read", t.read_ms}, {"fit", t.fit_ms}, {"evaluate", t.evaluate_ms},
                        {"total", milliseconds_since(started)}}},
        {"artifact", "model.json"},
        {"artifact_sha256", ops::sha256_file(dir / "model.json")},
        {"class_names", t.classes}};
    write_file_atomically<ops::ops_error>(dir / "run.json", run.dump(1) + "\n");

    const auto& metrics = t.metrics;
    const auto& test = metrics["test"];
    if (o.json) {
        const nlohmann::json out = {{"run_id", run_id},
                                    {"run_dir", std::filesystem::absolute(dir).string()},
                                    {"artifact", std::filesystem::absolute(dir / "model.json").string()},
                                    {"artifact_sha256", run["artifact_sha256"]},
                                    {"metrics", metrics}};
        std::puts(out.dump().c_str());
    } else {
        std::printf("run %s: logistic regression C=%g on %zu rows (%s: %zu rows), %d Newton steps", run_id.c_str(), o.C,
                    t.train_rows, metrics["evaluated_on"].get<std::string>().c_str(), test["rows"].get<std::size_t>(),
                    lr.n_iter());
        if (t.ranks > 1) std::printf(", fitted on %d ranks", t.ranks);
        std::printf("\n  accuracy train %.4f  %s %.4f\n", metrics["train"]["accuracy"].get<double>(),
                    t.test_rows == 0 ? "(training)" : "test", test["accuracy"].get<double>());
        std::printf("  ROC AUC %.4f  F1 %.4f  log loss %.4f  Brier %.4f  expected cost %.4f\n",
                    test["roc_auc"].get<double>(), test["f1"].get<double>(), test["log_loss"].get<double>(),
                    test["brier"].get<double>(), test["expected_cost"].get<double>());
        std::printf("  written to %s\n", dir.string().c_str());
    }
    return 0;
}

int train(const options& o) {
    ctml::set_threads(o.threads);
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    const auto data = read_csv<credit::training_schema>(o.data);
    if (data.rows() == 0) throw std::invalid_argument(o.data + ": no data rows below the header");
    trained_run t;
    t.read_ms = milliseconds_since(started);

    const auto labels = label_encoder{}.fit(data.column<"Risk">());
    check_classes(labels, o.data);
    t.classes.assign(labels.classes().begin(), labels.classes().end());
    const auto y = labels.transform(data.column<"Risk">());
    const auto split = train_test_split(y, {.test_size = o.test_size, .seed = o.seed});
    const auto features = data.select<credit::feature_schema>();  // the model never sees Sno or Risk
    const auto train_rows = features.take(split.train);
    const auto y_train = take(y, split.train);

    const auto fit_started = std::chrono::steady_clock::now();
    const auto& fitted = t.model.emplace(credit::fit(train_rows, y_train, o.C));
    t.fit_ms = milliseconds_since(fit_started);

    const auto evaluate_started = std::chrono::steady_clock::now();
    std::optional<nlohmann::json> test;
    if (!split.test.empty()) test = credit::evaluate(fitted, features.take(split.test), take(y, split.test));
    t.metrics = metrics_of(credit::evaluate(fitted, train_rows, y_train), std::move(test));
    t.evaluate_ms = milliseconds_since(evaluate_started);

    t.statistics = describe_training_data(train_rows, fitted);
    t.rows = data.rows();
    t.train_rows = split.train.size();
    t.test_rows = split.test.size();
    if (!split.test.empty())
        t.write_holdout = [&](const std::filesystem::path& path) { write_csv(data.take(split.test), path); };
    return write_run(o, t, started);
}

#if defined(CTML_HAVE_MPI)
/// A row's place in the split and what the model said about it: what rank 0 gathers to evaluate.
struct scored_row {
    std::uint64_t position;  ///< in split.train or split.test
    double p_good;
    std::int32_t predicted;
};

/// The scores of this rank's rows, placed by their position in the split, on rank 0.
nlohmann::json evaluate_on_root(const ctml::mpi::session& mpi, const credit::fitted_model& fitted,
                                const ctml::frame<credit::feature_schema>& rows, const std::vector<std::size_t>& positions,
                                const std::vector<int>& y_in_split_order) {
    const Eigen::VectorXd p = fitted.predict_proba(rows).col(1);
    const Eigen::VectorXi predicted = fitted.predict(rows);
    std::vector<scored_row> mine(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i)
        mine[i] = {positions[i], p(static_cast<Eigen::Index>(i)), predicted(static_cast<Eigen::Index>(i))};
    const auto all = mpi.gather(mine);
    if (!mpi.is_root()) return nullptr;
    const auto n = static_cast<Eigen::Index>(y_in_split_order.size());
    Eigen::VectorXd p_all(n);
    Eigen::VectorXi predicted_all(n);
    for (const auto& part : all)
        for (const auto& r : part) {
            p_all(static_cast<Eigen::Index>(r.position)) = r.p_good;
            predicted_all(static_cast<Eigen::Index>(r.position)) = r.predicted;
        }
    return credit::evaluate_scores(y_in_split_order, p_all, predicted_all);
}

/// Data-parallel fit under mpirun: each rank reads its own byte range of the
/// CSV (split on record boundaries, csv_partition.hpp), every rank computes the
/// same stratified split from the gathered labels (one byte a row), each fits
/// on its own training rows with the others (ctml::mpi::rank_partition: the
/// categories, scaler moments and each Newton step's gradient and Hessian are
/// combined over the ranks), and rank 0 writes the run -- the model one
/// process fits, to rounding, with the same split, metrics and holdout.
int train_partitioned(const options& o, const ctml::mpi::session& mpi) {
    using namespace ctml;
    set_threads(o.threads);
    const auto started = std::chrono::steady_clock::now();
    const mpi::rank_partition ranks(mpi);
    const auto rank = static_cast<std::size_t>(mpi.rank());

    credit::csv_part_view part;
    if (!credit::on_every_rank(mpi, [&] { part = credit::view_my_csv_part<credit::training_schema>(mpi, o.data); }))
        return 2;
    const auto range = credit::my_csv_range(mpi, part);

    std::optional<frame<credit::training_schema>> data;
    if (!credit::on_every_rank(mpi, [&] {
            csv_range_stream in(o.data, part.split.header_end, range);
            csv_reader<credit::training_schema> reader(in, o.data);
            reader.continue_at_line(range.first_line);
            data.emplace(reader.read_all());
        }))
        return 2;
    const auto counts = mpi.all_gather(static_cast<std::uint64_t>(data->rows()));
    std::uint64_t first_row = 0, rows = 0;
    for (std::size_t r = 0; r < counts.size(); ++r) {
        if (r < rank) first_row += counts[r];
        rows += counts[r];
    }
    trained_run t;
    t.ranks = mpi.size();
    t.rows = rows;
    t.read_ms = milliseconds_since(started);

    // The labels of every row, in file order, on every rank: one character a row.
    std::vector<int> y_local, y;
    split_indices split;
    if (!credit::on_every_rank(mpi, [&] {
            if (rows == 0) throw std::invalid_argument(o.data + ": no data rows below the header");
            const auto labels = label_encoder{}.fit(data->column<"Risk">(), ranks);
            check_classes(labels, o.data);
            t.classes.assign(labels.classes().begin(), labels.classes().end());
            y_local = labels.transform(data->column<"Risk">());
            std::string codes(y_local.size(), '0');
            for (std::size_t i = 0; i < y_local.size(); ++i) codes[i] = static_cast<char>('0' + y_local[i]);
            for (const auto& part : ranks.all_gather(std::span<const std::string>(&codes, 1)))
                for (const char c : part.front()) y.push_back(c - '0');
            split = train_test_split(y, {.test_size = o.test_size, .seed = o.seed});
        }))
        return 2;

    // This rank's rows of each side of the split, in split order, and their positions in it.
    const auto mine = [&](const std::vector<std::size_t>& side, std::vector<std::size_t>& local,
                          std::vector<std::size_t>& positions) {
        for (std::size_t k = 0; k < side.size(); ++k)
            if (side[k] >= first_row && side[k] < first_row + data->rows()) {
                local.push_back(side[k] - first_row);
                positions.push_back(k);
            }
    };
    std::vector<std::size_t> train_local, train_positions, test_local, test_positions;
    mine(split.train, train_local, train_positions);
    mine(split.test, test_local, test_positions);
    const auto features = data->select<credit::feature_schema>();
    const auto train_rows = features.take(train_local);
    const auto y_train = take(y_local, train_local);

    const auto fit_started = std::chrono::steady_clock::now();
    if (!credit::on_every_rank(mpi, [&] { t.model.emplace(credit::fit(train_rows, y_train, o.C, ranks)); })) return 2;
    t.fit_ms = milliseconds_since(fit_started);
    const auto& fitted = *t.model;

    const auto evaluate_started = std::chrono::steady_clock::now();
    std::string holdout;
    if (!credit::on_every_rank(mpi, [&] {
            auto train = evaluate_on_root(mpi, fitted, train_rows, train_positions, take(y, split.train));
            std::optional<nlohmann::json> test;
            if (!split.test.empty())
                test = evaluate_on_root(mpi, fitted, features.take(test_local), test_positions, take(y, split.test));
            t.metrics = metrics_of(std::move(train), std::move(test));
            t.statistics = describe_training_data(train_rows, fitted, ranks);

            // The holdout rows as CSV lines, each with its position in split.test, gathered on rank 0 in split order.
            std::ostringstream text;
            csv_options no_header;
            no_header.header = false;
            csv_writer<credit::training_schema> writer(text, no_header, o.data);
            std::vector<std::uint64_t> ends;  // [position, end offset] for each row
            for (std::size_t i = 0; i < test_local.size(); ++i) {
                writer.write(data->row(test_local[i]));
                writer.flush();
                ends.push_back(test_positions[i]);
                ends.push_back(static_cast<std::uint64_t>(text.tellp()));
            }
            const auto all_ends = mpi.gather(ends);
            const auto all_text = mpi.gather_text(text.str());
            if (!mpi.is_root()) return;
            std::vector<std::string_view> lines(split.test.size());
            for (std::size_t r = 0; r < all_ends.size(); ++r)
                for (std::size_t k = 0, from = 0; k < all_ends[r].size(); k += 2) {
                    const auto to = static_cast<std::size_t>(all_ends[r][k + 1]);
                    lines[static_cast<std::size_t>(all_ends[r][k])] = std::string_view(all_text[r]).substr(from, to - from);
                    from = to;
                }
            std::ostringstream header;
            csv_writer<credit::training_schema>(header, {}, o.data).flush();
            holdout = header.str();
            for (const auto line : lines) holdout += line;
        }))
        return 2;
    t.evaluate_ms = milliseconds_since(evaluate_started);
    t.train_rows = split.train.size();
    t.test_rows = split.test.size();
    if (!split.test.empty())
        t.write_holdout = [&](const std::filesystem::path& path) { write_file_atomically<ops::ops_error>(path, holdout); };

    int rc = 0;
    if (!credit::on_every_rank(mpi, [&] {
            if (mpi.is_root()) rc = write_run(o, t, started);
        }))
        return 2;
    return rc;
}
#endif

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Fits the German credit model on a stratified split, evaluates it and writes a run into the workspace.",
                 "credit-train"};
    app.add_option("--data", o.data, "Training data CSV (german_credit_data.csv layout)").required();
    app.add_option("--test-size", o.test_size, "Share of rows held out for evaluation; 0 fits on every row")
        .in_range(0.0, 0.95)
        .show_default();
    app.add_option("--seed", o.seed, "Seed of the stratified split").show_default();
    app.add_option("--C", o.C, "Inverse regularisation strength of the logistic regression")
        .positive()
        .show_default();
    app.add_option("--threads", o.threads,
                   "Threads for the fit's sums (0: all cores); the model is the same, bit for bit, for any number")
        .non_negative()
        .show_default();
    app.add_flag("--json", o.json, "Print one JSON object: run_id, run_dir, artifact, metrics");
    app.add_workspace_options(o.workspace);
#if defined(CTML_HAVE_MPI)
    // Under mpirun, the ranks fit together on their own parts of the data; started alone, MPI is not even initialised.
    const ctml::mpi::session mpi(argc, argv);
    if (mpi.size() > 1)
        return app.run(argc, argv, [&] { return train_partitioned(o, mpi); });
#endif
    return app.run(argc, argv, [&] { return train(o); });
}

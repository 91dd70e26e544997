// credit-score: batch scoring -- the seed tutorial's parallel batch job.
//
//   credit-score --model PATH|NAME:VERSION|NAME@ALIAS --in CSV|- --out CSV|- [--threads N] [--rejects FILE]
//
// Reads the input one record at a time in chunks (constant memory, whatever
// the file's size), with or without a Risk column and with columns in any
// order, and writes `Sno,p_bad,p_good,Risk` in input order for any thread
// count. Probabilities are printed in their shortest round-trip form, so they
// read back as the very doubles the model computed.
//
// A bad row (an unparsable number, an unknown category, a missing required
// value, a ragged row) stops the run with exit 2 and `file:line: column "X":
// reason`; the output is written under a temporary name and renamed only on
// success, so a failed run leaves no file that looks complete. With --rejects
// FILE, bad rows go there (line, column, reason, the row) and the rest are
// scored; the summary on stderr counts both. Output to stdout (--out -)
// cannot be withdrawn, so there a failure is signalled by the exit code only.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <ctml/ops.hpp>

#include "credit/credit_run.hpp"
#include "credit/credit_schema.hpp"
#include "credit/program.hpp"

namespace {

struct options {
    std::string model;
    std::string in;
    std::string out;
    int threads = 1;
    std::string rejects;
    std::size_t chunk_rows = 8192;
    credit::workspace_options workspace;
};

using ctml::categorical;
using ctml::column;
using score_schema = ctml::schema<column<"Sno", std::int64_t>, column<"p_bad", double>, column<"p_good", double>,
                                  column<"Risk", categorical>>;
using reject_schema = ctml::schema<column<"line", std::uint64_t>, column<"column", categorical>,
                                   column<"reason", categorical>, column<"row", categorical>>;
using features = ctml::record<credit::feature_schema>;

struct scored {
    double p_bad = 0, p_good = 0;
    std::string error;  ///< set when the model could not score the row (a category it does not know)
};

/// Scores rows[begin, end) into results; each thread writes its own slice.
void score_slice(const credit::fitted_model& model, const std::vector<features>& rows, std::vector<scored>& results,
                 std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        try {
            const auto p = model.predict_proba_row(rows[i]);
            results[i] = {p[0], p[1], {}};
        } catch (const std::invalid_argument& e) {
            results[i] = {0, 0, e.what()};
        }
    }
}

/// Where a CSV goes: stdout ("-"), or a file that appears only when the run succeeds.
class csv_output {
public:
    explicit csv_output(const std::string& path) {
        if (path != "-") file_.emplace(path);
    }
    [[nodiscard]] std::ostream& stream() { return file_ ? file_->stream() : std::cout; }
    void commit() {
        if (file_) file_->commit();
        else if (!std::cout.flush()) throw ctml::ops::ops_error("stdout: write failed");
    }

private:
    std::optional<ctml::atomic_file<ctml::ops::ops_error>> file_;
};

int score(const options& o) {
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto model = credit::load_model(o.model, ws, o.workspace.registry);
    const auto classes = model.class_names();

    std::ifstream file;
    std::error_code ec;
    if (o.in != "-") {
        if (std::filesystem::is_directory(o.in, ec)) throw csv_error(o.in, 0, "", "is a directory, not a file");
        file.open(o.in, std::ios::binary);
        if (!file) throw csv_error(o.in, 0, "", "cannot open file");
    }
    csv_record_reader<credit::scoring_schema> reader(o.in == "-" ? std::cin : file, o.in == "-" ? "<stdin>" : o.in);

    csv_output out(o.out);
    csv_writer<score_schema> scores(out.stream(), {}, o.out);
    std::optional<csv_output> rejects_file;
    std::optional<csv_writer<reject_schema>> rejects;
    if (!o.rejects.empty()) {
        rejects_file.emplace(o.rejects);
        rejects.emplace(rejects_file->stream(), csv_options{}, o.rejects);
    }

    // A chunk holds each row's features (what the model reads), its Sno and its line.
    std::vector<features> rows;
    std::vector<std::int64_t> ids;
    std::vector<std::size_t> lines;
    std::vector<scored> results;
    rows.reserve(o.chunk_rows);
    std::size_t scored_rows = 0, rejected_rows = 0;
    const auto reject = [&](std::size_t line, const std::string& column, const std::string& reason, const std::string& text) {
        if (!rejects) throw csv_error(reader.source(), line, column, reason + " (pass --rejects FILE to set bad rows aside)");
        record<reject_schema> r;
        r.set<"line">(static_cast<std::uint64_t>(line)).set<"column">(column).set<"reason">(reason).set<"row">(text);
        rejects->write(r);
        ++rejected_rows;
    };

    const auto flush = [&] {
        results.assign(rows.size(), {});
        const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(o.threads), rows.size());
        if (threads <= 1) {
            score_slice(model.artifact.model, rows, results, 0, rows.size());
        } else {
            std::vector<std::jthread> pool;
            const std::size_t per = (rows.size() + threads - 1) / threads;
            for (std::size_t t = 1; t < threads; ++t)
                pool.emplace_back([&, t] {
                    score_slice(model.artifact.model, rows, results, std::min(rows.size(), t * per),
                                std::min(rows.size(), (t + 1) * per));
                });
            score_slice(model.artifact.model, rows, results, 0, std::min(rows.size(), per));
        }
        record<score_schema> line;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& r = results[i];
            if (!r.error.empty()) {  // the row parsed, but the model does not know one of its categories
                reject(lines[i], "", r.error, "Sno " + std::to_string(ids[i]));
                continue;
            }
            line.set<"Sno">(ids[i]).set<"p_bad">(r.p_bad).set<"p_good">(r.p_good).set<"Risk">(classes[r.p_good > 0.5 ? 1 : 0]);
            scores.write(line);
            ++scored_rows;
        }
        rows.clear();
        ids.clear();
        lines.clear();
    };

    while (reader.next()) {
        if (const auto& problem = reader.problem()) {
            reject(problem->line, problem->column, problem->reason, problem->text);
            continue;
        }
        rows.push_back(reader.current().select<credit::feature_schema>());
        ids.push_back(reader.current().get<"Sno">());
        lines.push_back(reader.line());
        if (rows.size() == o.chunk_rows) flush();
    }
    flush();
    if (rejects) {
        rejects->flush();
        rejects_file->commit();
    }
    scores.flush();
    out.commit();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "credit-score: %zu rows scored, %zu rejected, from %s with %s in %.3f s (%d thread%s)\n",
                 scored_rows, rejected_rows, reader.source().c_str(), model.resolved.label.c_str(), seconds, o.threads,
                 o.threads == 1 ? "" : "s");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"Scores a CSV of credit applications with a model: writes Sno,p_bad,p_good,Risk in input order.",
                 "credit-score"};
    app.add_option("--model", o.model, "An artifact path, NAME:VERSION or NAME@ALIAS")->required();
    app.add_option("--in", o.in, "Input CSV, or - for stdin")->required();
    app.add_option("--out", o.out, "Output CSV, or - for stdout")->required();
    app.add_option("--threads", o.threads, "Scoring threads")->check(CLI::Range(1, 256))->capture_default_str();
    app.add_option("--rejects", o.rejects, "Set bad rows aside in this CSV (line, column, reason, row) and go on");
    app.add_option("--chunk-rows", o.chunk_rows, "Rows read and scored at a time (memory is bounded by it)")
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
        ->capture_default_str();
    credit::add_workspace_options(app, o.workspace);
    return credit::run_program("credit-score", app, argc, argv, [&] { return score(o); });
}

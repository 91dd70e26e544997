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
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
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

using row = ctml::record<credit::scoring_schema>;

struct scored {
    double p_bad = 0, p_good = 0;
    std::string error;  ///< set when the model could not score the row (a category it does not know)
};

/// Appends the shortest text that reads back as exactly `v`.
void append_double(std::string& out, double v) {
    char text[32];
    const auto r = std::to_chars(text, text + sizeof text, v);
    out.append(text, r.ptr);
}

/// Appends `text` as one CSV field, quoted when it needs to be.
void append_field(std::string& out, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += text;
        return;
    }
    out += '"';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

/// Scores rows[begin, end) into results; each thread writes its own slice.
void score_slice(const credit::fitted_model& model, const std::vector<row>& rows, std::vector<scored>& results,
                 std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
        try {
            const auto p = model.predict_proba_row(rows[i].select<credit::feature_schema>());
            results[i] = {p[0], p[1], {}};
        } catch (const std::invalid_argument& e) {
            results[i] = {0, 0, e.what()};
        }
    }
}

class output_file {
public:
    explicit output_file(const std::string& path) : path_(path) {
        if (path_ == "-") return;
        partial_ = std::filesystem::path(path_).concat(".partial");
        file_.open(partial_, std::ios::binary | std::ios::trunc);
        if (!file_) throw ctml::ops::ops_error(partial_.string() + ": cannot open for writing");
    }
    ~output_file() {
        if (!committed_ && !partial_.empty()) {
            file_.close();
            std::error_code ec;
            std::filesystem::remove(partial_, ec);  // a failed run leaves nothing that looks like output
        }
    }
    void write(const std::string& text) {
        if (path_ == "-") {
            if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size())
                throw ctml::ops::ops_error("stdout: write failed");
        } else if (!file_.write(text.data(), static_cast<std::streamsize>(text.size()))) {
            throw ctml::ops::ops_error(partial_.string() + ": write failed");
        }
    }
    void commit() {
        if (path_ == "-") {
            if (std::fflush(stdout) != 0) throw ctml::ops::ops_error("stdout: write failed");
        } else {
            if (!file_.flush()) throw ctml::ops::ops_error(partial_.string() + ": write failed");
            file_.close();
            std::filesystem::rename(partial_, path_);
        }
        committed_ = true;
    }

private:
    std::string path_;
    std::filesystem::path partial_;
    std::ofstream file_;
    bool committed_ = false;
};

int score(const options& o) {
    using namespace ctml;
    const auto started = std::chrono::steady_clock::now();
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    std::unique_ptr<ops::registry> reg;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.model, ec)) reg = ops::open_registry(ws, o.workspace.registry);
    const auto resolved = ops::resolve_model(o.model, ws, reg.get());
    const auto artifact = load<credit::fitted_model>(resolved.path);
    std::vector<std::string> classes = artifact.class_names;
    if (classes.empty()) classes = {"bad", "good"};  // format-1 artifacts did not record them

    std::ifstream file;
    if (o.in != "-") {
        if (std::filesystem::is_directory(o.in, ec)) throw csv_error(o.in, 0, "", "is a directory, not a file");
        file.open(o.in, std::ios::binary);
        if (!file) throw csv_error(o.in, 0, "", "cannot open file");
    }
    std::istream& in = o.in == "-" ? std::cin : file;
    csv_record_reader<credit::scoring_schema> reader(in, o.in == "-" ? "<stdin>" : o.in);

    output_file out(o.out);
    std::optional<output_file> rejects;
    if (!o.rejects.empty()) {
        rejects.emplace(o.rejects);
        rejects->write("line,column,reason,row\n");
    }
    out.write("Sno,p_bad,p_good,Risk\n");

    std::vector<row> rows;
    std::vector<std::size_t> lines;
    std::vector<scored> results;
    rows.reserve(o.chunk_rows);
    lines.reserve(o.chunk_rows);
    std::size_t scored_rows = 0, rejected_rows = 0;
    std::string text, rejected_text;
    const auto reject = [&](std::size_t line, const std::string& column, const std::string& reason, const std::string& row_text) {
        if (!rejects)
            throw csv_error(reader.source(), line, column, reason + " (pass --rejects FILE to set bad rows aside)");
        rejected_text += std::to_string(line) + ",";
        append_field(rejected_text, column);
        rejected_text += ',';
        append_field(rejected_text, reason);
        rejected_text += ',';
        append_field(rejected_text, row_text);
        rejected_text += '\n';
        ++rejected_rows;
    };

    const auto flush = [&] {
        results.assign(rows.size(), {});
        const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(o.threads), rows.size());
        if (threads <= 1) {
            score_slice(artifact.model, rows, results, 0, rows.size());
        } else {
            std::vector<std::jthread> pool;
            const std::size_t per = (rows.size() + threads - 1) / threads;
            for (std::size_t t = 1; t < threads; ++t)
                pool.emplace_back([&, t] {
                    score_slice(artifact.model, rows, results, std::min(rows.size(), t * per),
                                std::min(rows.size(), (t + 1) * per));
                });
            score_slice(artifact.model, rows, results, 0, std::min(rows.size(), per));
        }
        text.clear();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& r = results[i];
            if (!r.error.empty()) {  // the row parsed, but the model does not know one of its categories
                reject(lines[i], "", r.error, "Sno " + std::to_string(rows[i].get<"Sno">()));
                continue;
            }
            text += std::to_string(rows[i].get<"Sno">());
            text += ',';
            append_double(text, r.p_bad);
            text += ',';
            append_double(text, r.p_good);
            text += ',';
            text += classes[r.p_good > 0.5 ? 1 : 0];
            text += '\n';
            ++scored_rows;
        }
        out.write(text);
        if (rejects && !rejected_text.empty()) {
            rejects->write(rejected_text);
            rejected_text.clear();
        }
        rows.clear();
        lines.clear();
    };

    while (reader.next()) {
        if (const auto& problem = reader.problem()) {
            reject(problem->line, problem->column, problem->reason, problem->text);
            continue;
        }
        rows.push_back(reader.current());
        lines.push_back(reader.line());
        if (rows.size() == o.chunk_rows) flush();
    }
    flush();
    if (rejects) rejects->commit();
    out.commit();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "credit-score: %zu rows scored, %zu rejected, from %s with %s in %.3f s (%d thread%s)\n",
                 scored_rows, rejected_rows, reader.source().c_str(), resolved.label.c_str(), seconds, o.threads,
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

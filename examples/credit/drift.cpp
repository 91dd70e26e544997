// credit-drift: has a new batch of applicants drifted away from the data the
// model was trained on?
//
//   credit-drift --model PATH|NAME:VERSION|NAME@ALIAS --in CSV [--json]
//
// Per input column, against the training statistics the artifact carries
// (include/ctml/inspection/data_drift.hpp for the method): the population
// stability index with its band (< 0.1 stable, 0.1-0.25 moderate, > 0.25
// major), and the Kolmogorov-Smirnov statistic and p-value for numeric columns
// or the chi-square statistic and p-value for categorical ones. Exit 0 when no
// column drifts majorly, 1 when one does (so CI can gate on it), 2 on bad
// input -- a CSV without a column the model reads, a bad row, an empty batch.
#include <cmath>
#include <cstdio>
#include <string>

#include <ctml/io.hpp>
#include <ctml/ops.hpp>

#include "credit/served_model.hpp"
#include "credit/credit_schema.hpp"
#include "credit/command_line.hpp"

#include <nlohmann/json.hpp>

namespace {

struct options {
    std::string model;
    std::string in;
    bool json = false;
    credit::workspace_options workspace;
};

/// A number for JSON: NaN (not computable) becomes null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

int drift(const options& o) {
    using namespace ctml;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto served = credit::load_model(o.model, ws, o.workspace.registry);
    const auto batch = read_csv<credit::scoring_schema>(o.in);
    if (batch.rows() == 0) throw std::invalid_argument(o.in + ": the batch has no rows below the header");
    const auto report = compare_to_training(served.artifact.statistics, batch.select<credit::feature_schema>());

    if (o.json) {
        nlohmann::json columns = nlohmann::json::array();
        for (const auto& c : report.columns) {
            nlohmann::json bins = nlohmann::json::array();
            for (const auto& b : c.bins)
                bins.push_back({{"label", b.label}, {"expected_share", number(b.expected_share)},
                                {"actual_share", number(b.actual_share)}, {"actual_count", b.actual_count}});
            columns.push_back({{"column", c.column}, {"kind", c.kind}, {"psi", number(c.psi)}, {"band", c.band},
                               {"test", c.test}, {"statistic", number(c.statistic)}, {"p_value", number(c.p_value)},
                               {"rows", c.rows}, {"missing", c.missing}, {"unseen", c.unseen}, {"bins", bins},
                               {"note", c.note}});
        }
        const nlohmann::json out = {{"model", served.resolved.label}, {"in", o.in}, {"rows", report.rows},
                                    {"training_rows", served.artifact.statistics.rows},
                                    {"major_drift", report.major()}, {"columns", columns}};
        std::puts(out.dump(1).c_str());
    } else {
        std::printf("%s: %zu rows against %zu training rows\n", served.resolved.label.c_str(), report.rows,
                    served.artifact.statistics.rows);
        std::printf("  %-17s %8s  %-9s %-11s %10s %10s  %s\n", "column", "PSI", "band", "test", "statistic", "p-value",
                    "note");
        for (const auto& c : report.columns)
            std::printf("  %-17s %8.4f  %-9s %-11s %10.4f %10.3g  %s\n", c.column.c_str(), c.psi, c.band.c_str(),
                        c.test.c_str(), c.statistic, c.p_value, c.note.c_str());
        std::printf("%s\n", report.major() ? "major drift: at least one column has PSI > 0.25" : "no major drift");
    }
    return report.major() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Compares a batch of applicants with the model's training data, column by column; exit 1 on major drift.",
                 "credit-drift"};
    app.add_option("--model", o.model, "A model file, NAME:VERSION or NAME@ALIAS").required();
    app.add_option("--in", o.in, "CSV of applicants (Sno and the feature columns; others are ignored)").required();
    app.add_flag("--json", o.json, "Print JSON: per column PSI, band, test, statistic, p-value, bins");
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return drift(o); });
}

// credit-report: one self-contained HTML page about a model -- a model card
// and the plots people look at before they trust it.
//
//   credit-report --run ID | --model NAME:VERSION|NAME@ALIAS [--in CSV] --out FILE
//
// The card (after Mitchell et al., "Model Cards for Model Reporting", 2019):
// model details, intended use, training data, metrics with the cost matrix,
// caveats, lineage and approval. The plots, drawn by gnuplot as SVG and
// inlined: the ROC curve, the confusion matrix and the calibration curve on
// the run's holdout, the coefficients by feature, the contributions for the
// seed's sample applicant, and -- with --in -- the training vs batch
// distribution of every column with its drift band. The page has no scripts
// and loads nothing from outside: it can be mailed, archived or attached to a
// release. Exit 0, or 2 when the run, the model or gnuplot is missing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <ctml/io.hpp>
#include <ctml/ops.hpp>

#include "credit/credit_pipeline.hpp"
#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/credit_schema.hpp"
#include "credit/explanation_json.hpp"
#include "credit/gnuplot_svg.hpp"
#include "credit/command_line.hpp"

#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct options {
    std::string run;
    std::string model;
    std::string in;
    std::string out;
    credit::workspace_options workspace;
};

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string fixed(double v, int digits = 4) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", digits, v);
    return text;
}

std::string scientific(double v) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2g", v);
    return text;
}

/// A scratch directory removed when the report is written (or fails).
class scratch_directory {
public:
    scratch_directory() {
        std::string pattern = (fs::temp_directory_path() / "credit-report-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a scratch directory under /tmp");
        path_ = pattern;
    }
    ~scratch_directory() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    scratch_directory(const scratch_directory&) = delete;
    scratch_directory& operator=(const scratch_directory&) = delete;
    [[nodiscard]] const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

/// The seed tutorial's sample applicant (its functional test's request).
ctml::record<credit::feature_schema> sample_applicant() {
    ctml::record<credit::feature_schema> r;
    r.set<"Age">(std::int64_t{20}).set<"Sex">(std::string("male")).set<"Job">(std::int64_t{0});
    r.set<"Housing">(std::string("own")).set<"Saving accounts">(std::optional<std::string>("little"));
    r.set<"Checking account">(std::optional<std::string>("little")).set<"Credit amount">(std::int64_t{100});
    r.set<"Duration">(std::int64_t{48}).set<"Purpose">(std::string("radio/TV"));
    return r;
}

struct holdout_scores {
    std::vector<int> y;
    std::vector<double> p_good;
};

/// (false positive rate, true positive rate) at every distinct threshold, from (0, 0) to (1, 1).
std::string roc_points(const holdout_scores& h) {
    std::vector<std::size_t> order(h.y.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return h.p_good[a] > h.p_good[b]; });
    const double positives = static_cast<double>(std::count(h.y.begin(), h.y.end(), 1));
    const double negatives = static_cast<double>(h.y.size()) - positives;
    std::ostringstream out;
    out << "0 0\n";
    double tp = 0, fp = 0;
    for (std::size_t k = 0; k < order.size(); ++k) {
        (h.y[order[k]] == 1 ? tp : fp) += 1;
        if (k + 1 == order.size() || h.p_good[order[k + 1]] != h.p_good[order[k]])
            out << fp / negatives << ' ' << tp / positives << '\n';
    }
    return out.str();
}

/// Ten equal-width bins of p_good: mean predicted, observed share of good, rows.
std::string calibration_points(const holdout_scores& h) {
    std::vector<double> predicted(10, 0), observed(10, 0), rows(10, 0);
    for (std::size_t i = 0; i < h.y.size(); ++i) {
        const auto b = std::min<std::size_t>(9, static_cast<std::size_t>(h.p_good[i] * 10));
        predicted[b] += h.p_good[i];
        observed[b] += h.y[i];
        rows[b] += 1;
    }
    std::ostringstream out;
    for (std::size_t b = 0; b < 10; ++b)
        if (rows[b] > 0) out << predicted[b] / rows[b] << ' ' << observed[b] / rows[b] << ' ' << rows[b] << '\n';
    return out.str();
}

std::string metrics_table(const json& metrics) {
    std::string html = "<table><tr><th>metric</th><th>training</th><th>" +
                       escape(metrics.value("evaluated_on", std::string("test"))) + "</th></tr>";
    for (const char* m : {"accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "brier", "expected_cost"}) {
        html += "<tr><td>" + std::string(m) + "</td><td>" + fixed(metrics.at("train").value(m, NAN)) + "</td><td>" +
                fixed(metrics.at("test").value(m, NAN)) + "</td></tr>";
    }
    html += "<tr><td>rows</td><td>" + std::to_string(metrics.at("train").value("rows", 0)) + "</td><td>" +
            std::to_string(metrics.at("test").value("rows", 0)) + "</td></tr></table>";
    return html;
}

std::string training_data_table(const ctml::training_statistics& s) {
    std::string html = "<table><tr><th>column</th><th>present</th><th>missing</th><th>summary</th></tr>";
    for (const auto& c : s.numeric)
        html += "<tr><td>" + escape(c.name) + "</td><td>" + std::to_string(c.count) + "</td><td>" +
                std::to_string(c.missing) + "</td><td>mean " + fixed(c.mean, 2) + ", std " + fixed(c.std, 2) + ", range " +
                fixed(c.min, 0) + "–" + fixed(c.max, 0) + "</td></tr>";
    for (const auto& c : s.categorical) {
        std::string counts;
        for (const auto& [category, n] : c.frequencies)
            counts += (counts.empty() ? "" : ", ") + escape(category) + " " + std::to_string(n);
        html += "<tr><td>" + escape(c.name) + "</td><td>" + std::to_string(c.count) + "</td><td>" +
                std::to_string(c.missing) + "</td><td>" + counts + "</td></tr>";
    }
    return html + "</table>";
}

std::string definition_list(const std::vector<std::pair<std::string, std::string>>& items) {
    std::string html = "<dl>";
    for (const auto& [term, value] : items) html += "<dt>" + escape(term) + "</dt><dd>" + escape(value) + "</dd>";
    return html + "</dl>";
}

int report(const options& o) {
    using namespace ctml;
    if (o.run.empty() == o.model.empty()) throw std::invalid_argument("give exactly one of --run ID and --model NAME:VERSION");
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    std::unique_ptr<ops::registry> reg;
    std::optional<ops::model_version> version;
    std::string run_id = o.run;
    if (!o.model.empty()) {
        reg = ops::open_registry(ws, o.workspace.registry);
        const auto resolved = ops::resolve_model(o.model, ws, reg.get());
        if (!resolved.version) throw std::invalid_argument("--model: " + o.model + " is not a registered model (use --run for a run)");
        version = resolved.version;
        run_id = version->run_id;
    }
    const auto run = credit::open_run(ws, run_id);
    credit::verify_run_artifact<std::runtime_error>(run);
    // A run may predate the registry: open it only where one is configured or exists.
    if (!reg && (!o.workspace.registry.empty() || std::getenv("CTML_REGISTRY") || fs::exists(ws.registry_path())))
        reg = ops::open_registry(ws, o.workspace.registry);
    if (reg && !version) version = reg->version_of_run(run_id);
    const auto approval = reg ? reg->latest_approval(run_id) : std::nullopt;

    const auto artifact = load<credit::fitted_model>(run.artifact());
    const auto& model = artifact.model;
    const auto classes = artifact.class_names.empty() ? std::vector<std::string>{"bad", "good"} : artifact.class_names;
    const credit::explainer explainer(model, artifact.statistics);

    scratch_directory scratch;
    credit::gnuplot_svg plots(scratch.path());
    const auto title = version ? version->name + ":" + std::to_string(version->version) : "run " + run_id;
    const auto& test = run.metrics.at("test");

    // The holdout: what the test metrics were computed on. A run trained with
    // --test-size 0 has none; its metrics are on the training rows, said so.
    std::string holdout_plots;
    if (!fs::exists(run.holdout())) {
        holdout_plots = "<p class=\"note\">This run held no rows out (trained with --test-size 0): the metrics are on the "
                        "training rows, and there are no holdout plots.</p>";
    } else {
        const auto holdout = read_csv<credit::training_schema>(run.holdout());
        holdout_scores h;
        for (std::size_t i = 0; i < holdout.rows(); ++i) {
            const auto label = std::string(holdout.column<"Risk">().value(i));
            h.y.push_back(label == classes[1] ? 1 : 0);
        }
        const auto p = model.predict_proba(holdout.select<credit::feature_schema>());
        for (Eigen::Index i = 0; i < p.rows(); ++i) h.p_good.push_back(p(i, 1));
        const auto goods = std::count(h.y.begin(), h.y.end(), 1);
        std::string roc;
        if (goods == 0 || goods == static_cast<std::ptrdiff_t>(h.y.size())) {
            roc = "<p class=\"note\">The holdout holds one class: no ROC curve.</p>";
        } else {
            plots.data("roc.dat", roc_points(h));
            roc = plots.plot("roc", "set title 'ROC curve on the holdout (AUC " + fixed(test.value("roc_auc", NAN)) +
                                        ")'\nset xlabel 'false positive rate (bad accepted)'\nset ylabel 'true positive rate (good accepted)'\n"
                                        "set xrange [0:1]\nset yrange [0:1]\nset size ratio -1\nset grid\n"
                                        "plot 'roc.dat' using 1:2 with lines lw 2 lc rgb '#1f77b4', x with lines dt 2 lc rgb '#999999'",
                             460, 420);
        }

        const auto& cm = test.at("confusion_matrix");
        std::ostringstream matrix;
        matrix << cm.at(0).at(0).get<int>() << ' ' << cm.at(0).at(1).get<int>() << '\n'
               << cm.at(1).at(0).get<int>() << ' ' << cm.at(1).at(1).get<int>() << '\n';
        plots.data("confusion.dat", matrix.str());
        std::string cell_labels;
        for (int t = 0; t < 2; ++t)
            for (int q = 0; q < 2; ++q)
                cell_labels += "set label '" + std::to_string(cm.at(t).at(q).get<int>()) + "' at " + std::to_string(q) + "," +
                               std::to_string(t) + " center front font 'sans,16'\n";
        const auto confusion = plots.plot(
            "confusion",
            "set title 'Confusion matrix on the holdout (rows: true, columns: predicted)'\nset view map\nunset colorbox\n"
            "set palette defined (0 '#f7fbff', 1 '#6baed6')\nset xrange [-0.5:1.5]\nset yrange [1.5:-0.5]\n"
            "set xtics ('" + classes[0] + "' 0, '" + classes[1] + "' 1)\nset ytics ('" + classes[0] + "' 0, '" + classes[1] +
                "' 1)\nset xlabel 'predicted'\nset ylabel 'true'\n" + cell_labels +
                "plot 'confusion.dat' matrix with image pixels",
            460, 420);

        plots.data("calibration.dat", calibration_points(h));
        const auto calibration = plots.plot(
            "calibration",
            "set title 'Calibration on the holdout (10 bins of predicted P(good))'\nset xlabel 'mean predicted P(good)'\n"
            "set ylabel 'observed share good'\nset xrange [0:1]\nset yrange [0:1]\nset size ratio -1\nset grid\n"
            "plot 'calibration.dat' using 1:2 with linespoints pt 7 lw 2 lc rgb '#2ca02c', x with lines dt 2 lc rgb '#999999'",
            460, 420);
        holdout_plots = "<div class=\"grid\"><figure>" + roc + "</figure><figure>" + confusion + "</figure><figure>" +
                        calibration + "</figure></div>";
    }

    std::ostringstream coefficients;
    const auto names = model.feature_names_out();
    for (std::size_t j = 0; j < names.size(); ++j)
        coefficients << j << ' ' << credit::gnuplot_svg::quote(names[j]) << ' ' << model.last_step().coef()(static_cast<Eigen::Index>(j)) << '\n';
    plots.data("coefficients.dat", coefficients.str());
    const auto coefficient_plot = plots.plot(
        "coefficients",
        "set title 'Coefficients by feature (log-odds of good per unit; numeric features standardised)'\n"
        "set style fill solid 0.8\nset boxwidth 0.7\nset xtics rotate by -50 scale 0 font 'sans,9'\nset grid ytics\n"
        "set xrange [-0.7:" + std::to_string(names.size()) + "-0.3]\nset bmargin 9\n"
        "plot 'coefficients.dat' using 1:3:($3 >= 0 ? 0x2a9d8f : 0xe76f51):xtic(2) with boxes lc rgb variable",
        900, 440);

    const auto applicant = sample_applicant();
    const auto e = explainer.explain_row(applicant);
    std::ostringstream contributions;
    for (std::size_t c = 0; c < explainer.columns().size(); ++c)
        contributions << c << ' ' << credit::gnuplot_svg::quote(explainer.columns()[c] + " = " + credit::cell_text(applicant, c))
                      << ' ' << e.contributions[c] << '\n';
    plots.data("contributions.dat", contributions.str());
    const auto contribution_plot = plots.plot(
        "contributions",
        "set title 'The sample applicant: contributions to the log-odds of good (base " + fixed(e.base_value, 3) +
            ", logit " + fixed(e.logit, 3) + ", P(good) " + fixed(e.probability, 3) +
            ")'\nset style fill solid 0.8\nset boxwidth 0.7\nset xtics rotate by -25 scale 0 font 'sans,9'\nset grid ytics\n"
            "set xrange [-0.7:8.7]\nset bmargin 10\n"
            "plot 'contributions.dat' using 1:3:($3 >= 0 ? 0x2a9d8f : 0xe76f51):xtic(2) with boxes lc rgb variable",
        900, 460);

    std::string drift_section;
    if (!o.in.empty()) {
        const auto batch = read_csv<credit::scoring_schema>(o.in);
        if (batch.rows() == 0) throw std::invalid_argument(o.in + ": the batch has no rows below the header");
        const auto drift = compare_to_training(artifact.statistics, batch.select<credit::feature_schema>());
        drift_section = "<h2 id=\"drift\">Data drift: training vs " + escape(fs::path(o.in).filename().string()) + " (" +
                        std::to_string(drift.rows) + " rows)</h2><p>" +
                        (drift.major() ? "<strong>Major drift</strong> on at least one column (PSI &gt; 0.25)."
                                       : "No column drifts majorly (every PSI ≤ 0.25).") +
                        " Shares are smoothed by half a row per bin (see credit-drift).</p><div class=\"grid\">";
        for (std::size_t k = 0; k < drift.columns.size(); ++k) {
            const auto& c = drift.columns[k];
            std::ostringstream rows;
            for (const auto& b : c.bins)
                rows << credit::gnuplot_svg::quote(b.label) << ' ' << b.expected_share << ' ' << b.actual_share << '\n';
            const auto file = "drift" + std::to_string(k) + ".dat";
            plots.data(file, rows.str());
            drift_section += "<figure>" + plots.plot("drift" + std::to_string(k),
                                                     "set title '" + c.column + ": PSI " + fixed(c.psi, 3) + ", " + c.band +
                                                         "'\nset style data histogram\nset style histogram clustered gap 1\n"
                                                         "set style fill solid 0.8\nset xtics rotate by -40 scale 0 font 'sans,8'\n"
                                                         "set key top right\nset yrange [0:*]\nset bmargin 6\n"
                                                         "plot '" + file + "' using 2:xtic(1) title 'training' lc rgb '#9ecae1', "
                                                         "'' using 3 title 'batch' lc rgb '#fd8d3c'",
                                                     440, 300) +
                             "</figure>";
        }
        drift_section += "</div>";
    }

    const auto gates = approval ? json::parse(approval->gates_json.empty() ? "[]" : approval->gates_json) : json::array();
    std::string gate_text;
    for (const auto& g : gates)
        gate_text += (gate_text.empty() ? "" : "; ") + g.value("name", std::string()) + " " +
                     (g.value("passed", false) ? "passed" : "failed") + " (" + g.value("detail", std::string()) + ")";
    std::string aliases;
    if (version)
        for (const auto& a : version->aliases) aliases += (aliases.empty() ? "" : ", ") + a;

    std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Model report: )" + escape(title) + R"(</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;text-align:left}
th{background:#f4f6f8}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
svg{display:block;max-width:100%;height:auto}.grid{display:flex;flex-wrap:wrap;gap:.5em}figure{margin:0}
.note{color:#555;font-size:.92em}
</style></head><body>
<h1>Model report: )" + escape(title) + R"(</h1>
<p class="note">German credit risk · logistic regression · written by credit-report from run )" + escape(run_id) + R"(</p>
<h2>Model details</h2>)" +
                       definition_list({{"model", version ? version->name + " version " + std::to_string(version->version) : "not registered"},
                                        {"aliases", aliases.empty() ? "none" : aliases},
                                        {"run", run_id},
                                        {"trained at", run.run.value("created_at", std::string())},
                                        {"artifact SHA-256", run.artifact_sha256()},
                                        {"estimator", "L2-regularised logistic regression, C = " + fixed(run.run.at("params").value("C", NAN), 3) +
                                                          ", Newton solver, " + std::to_string(run.run.at("solver").value("iterations", 0)) +
                                                          " steps, max |gradient| " + scientific(run.run.at("solver").value("gradient_max", NAN))},
                                        {"preprocessing", "standard scaler on Age, Job, Credit amount, Duration; missing → \"missing\", then one-hot on Sex, Housing, Saving accounts, Checking account, Purpose"},
                                        {"features", std::to_string(names.size())},
                                        {"library", "ctml " + run.run.value("library_version", std::string()) + ", " + run.run.value("compiler", std::string())}}) +
                       R"(
<h2>Intended use</h2>
<p>Decision support for loan officers: the probability that an applicant of the kind in the German credit data (Statlog,
1994; 1,000 applicants of a German bank) repays, with the reasons behind each score. It is meant to rank and flag
applications for review, not to refuse credit without a person looking at the case. Out of scope: other countries,
products or periods than the training data describes, and any use where the inputs below are not what was recorded.</p>
<h2>Training data</h2>)" +
                       definition_list({{"file", run.run.at("data").value("path", std::string())},
                                        {"SHA-256", run.run.at("data").value("sha256", std::string())},
                                        {"rows", std::to_string(run.run.at("data").value("rows", 0)) + " (training " +
                                                     std::to_string(artifact.statistics.rows) + ", holdout " +
                                                     std::to_string(test.value("rows", 0)) + ", stratified split, seed " +
                                                     std::to_string(run.run.at("split").value("seed", 0)) + ")"}}) +
                       training_data_table(artifact.statistics) + R"(
<h2>Metrics</h2>)" + metrics_table(run.metrics) +
                       R"(<p>Cost matrix (Statlog): accepting a bad applicant costs 5, refusing a good one costs 1; the expected cost
above is per applicant on the holdout at the 0.5 threshold.</p>
<table><tr><th></th><th>predicted bad</th><th>predicted good</th></tr><tr><th>true bad</th><td>0</td><td>5</td></tr>
<tr><th>true good</th><td>1</td><td>0</td></tr></table>
)" + holdout_plots + R"(
<h2>Coefficients</h2>)" + coefficient_plot + R"(
<h2>Explanation: the sample applicant</h2>
<p>The seed tutorial's applicant (20, male, job 0, own housing, little savings, little checking, 100 DM for 48 months,
radio/TV). Each bar is the column's contribution to the log-odds of good credit against an applicant at the training
averages; the bars and the base add up to the logit.</p>)" + contribution_plot + drift_section + R"(
<h2>Caveats</h2>
<ul>
<li>The training data is small (800 rows) and old; the holdout has )" + std::to_string(test.value("rows", 0)) + R"( rows, so its metrics
are uncertain by several points.</li>
<li>Sex is an input. The model's use must be reviewed for disparate impact before it affects anyone; the contribution plot
shows how much it moves a score.</li>
<li>The 0.5 threshold is not cost-optimal under the 5:1 cost matrix; choose it for the decision the score supports.</li>
<li>Check new data with credit-drift before trusting scores on it; the model knows only the categories it was trained on.</li>
</ul>
<h2>Lineage and approval</h2>)" +
                       definition_list({{"data SHA-256", run.run.at("data").value("sha256", std::string())},
                                        {"git", run.run.contains("git") && run.run.at("git").is_object()
                                                    ? run.run.at("git").value("commit", std::string()) +
                                                          (run.run.at("git").value("dirty", false) ? " (uncommitted changes)" : "")
                                                    : "not recorded"},
                                        {"approval", approval ? approval->decision + " by " + approval->approver + " at " + approval->decided_at +
                                                                    (approval->comment.empty() ? "" : ": " + approval->comment)
                                                              : "none recorded"},
                                        {"gates", gate_text.empty() ? "none recorded" : gate_text},
                                        {"registered", version ? version->registered_at + " by " + version->registered_by : "no"}}) +
                       "\n</body></html>\n";

    atomic_file<ops::ops_error> out(o.out);
    out.stream() << html;
    out.commit();
    std::printf("wrote %s: %s, %zu plots\n", o.out.c_str(), title.c_str(), plots.count());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Writes one self-contained HTML page about a model: a model card and its plots.", "credit-report"};
    auto run = app.add_option("--run", o.run, "A training run's id");
    app.add_option("--model", o.model, "A registered model: NAME:VERSION or NAME@ALIAS").excludes(run);
    app.add_option("--in", o.in, "A batch CSV to compare with the training data (adds the drift plots)");
    app.add_option("--out", o.out, "The HTML file to write").required();
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return report(o); });
}

// credit-explain: why the model scores each applicant as it does.
//
//   credit-explain --model PATH|NAME:VERSION|NAME@ALIAS --in CSV [--rows LIST] [--top K] [--json]
//                  [--repeats N] [--seed S]
//
// For each row (or the rows whose Sno is in --rows, e.g. "3,17,42"): the base
// value (the logit of an applicant at the training averages), the logit, p_good
// and the contribution of each input column in logit space -- they add up to
// the logit exactly (include/ctml/inspection/linear_explanation.hpp). The text
// form lists the K largest contributions of each row in words; --json gives
// every contribution. Global importance follows: the mean |contribution| of
// each column over the rows and, when the CSV carries the Risk label (a run's
// holdout.csv does), permutation importance -- the fall in ROC AUC when the
// column is shuffled, over --repeats seeded shuffles, with its spread.
// Exit 0, or 2 on bad input (a bad row, an unknown Sno, an unknown category).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <ctml/io.hpp>
#include <ctml/ops.hpp>

#include "credit/served_model.hpp"
#include "credit/credit_schema.hpp"
#include "credit/explanation_json.hpp"
#include "credit/command_line.hpp"

#include <nlohmann/json.hpp>

namespace {

struct options {
    std::string model;
    std::string in;
    std::string rows;
    std::size_t top = 3;
    int repeats = 10;
    std::uint64_t seed = 42;
    bool json = false;
    credit::workspace_options workspace;
};

/// "3,17,42" -> {3, 17, 42}.
std::set<std::int64_t> parse_row_list(const std::string& text) {
    std::set<std::int64_t> out;
    std::stringstream list(text);
    for (std::string item; std::getline(list, item, ',');) {
        std::size_t used = 0;
        std::int64_t v = 0;
        try {
            v = std::stoll(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size())
            throw std::invalid_argument("--rows: \"" + item + "\" is not an Sno (expected a list like 3,17,42)");
        out.insert(v);
    }
    if (out.empty()) throw std::invalid_argument("--rows: the list is empty");
    return out;
}

/// Whether the CSV's header names a Risk column (the reader has already checked the rest of it).
bool has_label_column(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string header;
    std::getline(in, header);
    std::stringstream fields(header);
    for (std::string field; std::getline(fields, field, ',');) {
        std::erase_if(field, [](char c) { return c == '"' || c == '\r' || c == ' '; });
        if (field == "Risk") return true;
    }
    return false;
}

int explain(const options& o) {
    using namespace ctml;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto served = credit::load_model(o.model, ws, o.workspace.registry);
    const auto& model = served.artifact.model;
    const credit::explainer explainer(model, served.artifact.statistics);

    const auto data = read_csv<credit::scoring_schema>(o.in);
    if (data.rows() == 0) throw std::invalid_argument(o.in + ": no data rows below the header");
    const auto features = data.select<credit::feature_schema>();
    const auto& sno = data.column<"Sno">();

    std::vector<std::size_t> chosen;
    if (o.rows.empty()) {
        for (std::size_t i = 0; i < data.rows(); ++i) chosen.push_back(i);
    } else {
        auto wanted = parse_row_list(o.rows);
        for (std::size_t i = 0; i < data.rows(); ++i)
            if (wanted.erase(sno[i]) > 0) chosen.push_back(i);
        if (!wanted.empty())
            throw std::invalid_argument("--rows: no row with Sno " + std::to_string(*wanted.begin()) + " in " + o.in);
    }

    std::vector<row_explanation> explained;
    explained.reserve(chosen.size());
    for (const auto i : chosen) explained.push_back(explainer.explain_row(features.row(i)));
    const auto importance = explainer.mean_absolute_contributions(explained);

    std::optional<permutation_importance_result> permuted;
    std::string permutation_note;
    if (has_label_column(o.in)) {
        const auto labelled = read_csv<credit::training_schema>(o.in);
        const auto classes = served.class_names();
        std::vector<int> y;
        for (std::size_t i = 0; i < labelled.rows(); ++i) {
            const auto label = labelled.column<"Risk">().value(i);
            const auto it = std::find(classes.begin(), classes.end(), label);
            if (it == classes.end())
                throw std::invalid_argument(o.in + ": row " + std::to_string(i + 1) + ": Risk \"" + std::string(label) +
                                            "\" is not a class of the model");
            y.push_back(static_cast<int>(it - classes.begin()));
        }
        // ROC AUC needs both classes; with one, the explanations stand and importance is left out, said so.
        if (std::find(y.begin(), y.end(), 0) != y.end() && std::find(y.begin(), y.end(), 1) != y.end())
            permuted = permutation_importance(model, labelled.select<credit::feature_schema>(), y, o.repeats, o.seed);
        else
            permutation_note = "the file's Risk column holds one class, so ROC AUC (and permutation importance) is undefined";
    }

    if (o.json) {
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t k = 0; k < chosen.size(); ++k) {
            auto row = credit::explanation_json(explainer, explained[k], o.top);
            row["Sno"] = sno[chosen[k]];
            rows.push_back(std::move(row));
        }
        nlohmann::json global = {{"mean_abs_contribution", nlohmann::json::object()}};
        for (std::size_t c = 0; c < explainer.columns().size(); ++c)
            global["mean_abs_contribution"][explainer.columns()[c]] = importance[c];
        if (permuted) {
            nlohmann::json p = {{"metric", "roc_auc"}, {"baseline", permuted->baseline_auc}, {"repeats", o.repeats},
                                {"seed", o.seed}, {"columns", nlohmann::json::object()}};
            for (const auto& c : permuted->columns) p["columns"][c.column] = {{"mean", c.mean}, {"std", c.std}};
            global["permutation_importance"] = std::move(p);
        } else if (!permutation_note.empty()) {
            global["permutation_importance_note"] = permutation_note;
        }
        const nlohmann::json out = {{"model", served.resolved.label}, {"base_value", explainer.base_value()},
                                    {"rows", rows}, {"global", global}};
        std::puts(out.dump(1).c_str());
        return 0;
    }

    std::printf("%s: %zu rows; contributions in log-odds of good credit, positive raises them\n",
                served.resolved.label.c_str(), chosen.size());
    for (std::size_t k = 0; k < chosen.size(); ++k) {
        std::printf("\napplicant Sno %lld\n", static_cast<long long>(sno[chosen[k]]));
        std::fputs(credit::explanation_text(explainer, features.row(chosen[k]), explained[k], o.top).c_str(), stdout);
    }
    std::printf("\nglobal importance: mean |contribution| over these rows");
    if (permuted)
        std::printf("; permutation importance over all %zu rows of the file: fall in ROC AUC (baseline %.4f), %d shuffles",
                    data.rows(), permuted->baseline_auc, o.repeats);
    std::printf("\n");
    if (!permutation_note.empty()) std::printf("  (no permutation importance: %s)\n", permutation_note.c_str());
    for (std::size_t c = 0; c < explainer.columns().size(); ++c) {
        std::printf("  %-17s %.4f", explainer.columns()[c].c_str(), importance[c]);
        if (permuted) std::printf("   %+.4f ± %.4f", permuted->columns[c].mean, permuted->columns[c].std);
        std::printf("\n");
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Explains the credit model's scores: contributions by input column and global importance.",
                 "credit-explain"};
    app.add_option("--model", o.model, "A model file, NAME:VERSION or NAME@ALIAS").required();
    app.add_option("--in", o.in, "CSV of applicants (Sno and the feature columns; Risk adds permutation importance)")
        .required();
    app.add_option("--rows", o.rows, "Only the rows with these Sno values, e.g. 3,17,42");
    app.add_option("--top", o.top, "Contributions listed per row in the text form, and in each row's \"top\"")
        .positive()
        .show_default();
    app.add_option("--repeats", o.repeats, "Shuffles per column for permutation importance")
        .in_range(1, 1000)
        .show_default();
    app.add_option("--seed", o.seed, "Seed of the shuffles").show_default();
    app.add_flag("--json", o.json, "Print JSON: per row Sno, base_value, logit, p_good, contributions; global importance");
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return explain(o); });
}

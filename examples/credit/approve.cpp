// credit-approve: the gate between training and registration -- automatic
// checks, then a recorded human decision (the seed tutorial's manual approval).
//
//   credit-approve --run ID [--min-auc 0.70] [--max-regression 0.005] [--name credit]
//                  [--approver NAME] [--comment TEXT] [--yes] [--json] [--workspace DIR]
//
// Gates: the run's artifact is the one training wrote (SHA-256); its ROC AUC
// is at least --min-auc; and when NAME@champion exists, the champion scored on
// this run's holdout rows does not beat the candidate's ROC AUC by more than
// --max-regression. Then the decision: asked on a terminal, or given with
// --yes --approver NAME in automation. Every decision -- approved or rejected,
// by a gate or a person -- is recorded in the registry with who, when, the
// comment and each gate's result. Exit 0 approved, 1 rejected, 2 usage or input error.
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <ctml/ops.hpp>

#include "credit/credit_metrics.hpp"
#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/command_line.hpp"

namespace {

struct options {
    std::string run;
    double min_auc = 0.70;
    double max_regression = 0.005;
    std::string name = "credit";
    std::string approver;
    std::string comment;
    bool yes = false;
    bool json = false;
    credit::workspace_options workspace;
};

std::string format(const char* pattern, double a, double b) {
    char text[160];
    std::snprintf(text, sizeof text, pattern, a, b);
    return text;
}

/// ROC AUC of `model` on the run's holdout rows.
template <class Model>
double holdout_auc(const Model& model, const credit::run_files& run) {
    using namespace ctml;
    const auto holdout = read_csv<credit::training_schema>(run.holdout());
    const auto y = label_encoder{}.fit(std::vector<std::string>{"bad", "good"}).transform(holdout.column<"Risk">());
    const auto p = model.predict_proba(holdout.select<credit::feature_schema>());
    return roc_auc_score(y, p.col(1).eval());
}

std::vector<ctml::ops::gate_result> run_gates(const options& o, const credit::run_files& run,
                                              const ctml::ops::workspace& ws, ctml::ops::registry& reg) {
    using ctml::ops::gate_result;
    std::vector<gate_result> gates;
    try {
        credit::verify_run_artifact<credit::refused>(run);
        gates.push_back({"artifact_integrity", true, "model.json matches the SHA-256 recorded at training"});
    } catch (const credit::refused& e) {
        gates.push_back({"artifact_integrity", false, e.what()});
        return gates;  // nothing else can be trusted
    }
    const auto& test = run.metrics.at("test");
    const double auc = test.at("roc_auc").get<double>();
    const bool on_training = run.metrics.value("evaluated_on", "holdout") == "training";
    gates.push_back({"min_auc", auc >= o.min_auc,
                     format("ROC AUC %.4f, required at least %.4f", auc, o.min_auc) +
                         (on_training ? " (measured on the training rows: the run has no holdout)" : "")});

    const auto champion = reg.alias_target(o.name, "champion");
    if (!champion) {
        gates.push_back({"champion_regression", true, "no " + o.name + "@champion yet: nothing to compare with"});
    } else if (!std::filesystem::exists(run.holdout())) {
        gates.push_back({"champion_regression", false,
                         "the run has no holdout rows (trained with --test-size 0), so it cannot be compared with " +
                             o.name + "@champion"});
    } else {
        const auto resolved = ctml::ops::resolve_model(o.name + "@champion", ws, &reg);
        const auto champion_model = ctml::load<credit::fitted_model>(resolved.path).model;
        const auto candidate = ctml::load<credit::fitted_model>(run.artifact()).model;
        const double champion_auc = holdout_auc(champion_model, run), candidate_auc = holdout_auc(candidate, run);
        const double regression = champion_auc - candidate_auc;
        gates.push_back({"champion_regression", regression <= o.max_regression,
                         format("on this run's holdout: champion ROC AUC %.4f, candidate %.4f", champion_auc,
                                candidate_auc) +
                             " (" + resolved.label + "), " +
                             format("regression %.4f, allowed at most %.4f", regression, o.max_regression)});
    }
    return gates;
}

std::string ask(const std::string& question) {
    std::fprintf(stderr, "%s", question.c_str());
    std::string answer;
    if (!std::getline(std::cin, answer)) return {};
    return answer;
}

int approve(options o) {
    using namespace ctml;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto run = credit::open_run(ws, o.run);
    const auto reg = ops::open_registry(ws, o.workspace.registry);
    if (o.yes && o.approver.empty()) throw std::invalid_argument("--yes needs --approver NAME: every decision records who made it");

    const auto gates = run_gates(o, run, ws, *reg);
    bool passed = true;
    nlohmann::json gate_json = nlohmann::json::array();
    for (const auto& g : gates) {
        passed = passed && g.passed;
        gate_json.push_back({{"name", g.name}, {"passed", g.passed}, {"detail", g.detail}});
        if (!o.json) std::fprintf(stderr, "  gate %-20s %s  %s\n", g.name.c_str(), g.passed ? "pass" : "FAIL", g.detail.c_str());
    }

    std::string decision = "approved";
    if (!passed) {
        decision = "rejected";
        if (o.approver.empty()) o.approver = "automatic gates";
        if (o.comment.empty()) o.comment = "rejected by the automatic gates";
    } else if (!o.yes) {
        if (!::isatty(STDIN_FILENO))
            throw std::invalid_argument("no terminal to ask for approval: in automation pass --yes --approver NAME");
        if (o.approver.empty()) {
            const char* user = std::getenv("USER");
            o.approver = ask(std::string("approver name [") + (user ? user : "") + "]: ");
            if (o.approver.empty() && user) o.approver = user;
            if (o.approver.empty()) throw std::invalid_argument("an approval needs the approver's name");
        }
        if (o.comment.empty()) o.comment = ask("comment: ");
        const std::string answer = ask("approve run " + o.run + " for registration? [y/N] ");
        if (answer != "y" && answer != "Y" && answer != "yes") decision = "rejected";
    }

    ops::approval a{0, o.run, decision, o.approver, o.comment, ops::utc_timestamp(),
                    run.artifact_sha256(), gate_json.dump()};
    a.id = reg->record_approval(a);
    if (o.json) {
        std::puts(nlohmann::json({{"run_id", o.run}, {"decision", decision}, {"approval_id", a.id},
                                  {"approver", a.approver}, {"comment", a.comment}, {"decided_at", a.decided_at},
                                  {"gates", gate_json}})
                      .dump()
                      .c_str());
    } else {
        std::printf("run %s %s by %s (decision %lld)\n", o.run.c_str(), decision.c_str(), a.approver.c_str(),
                    static_cast<long long>(a.id));
    }
    if (decision != "approved")
        throw credit::refused("run " + o.run + " was rejected" + (passed ? " by " + a.approver : " by the automatic gates"));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Checks a training run against the gates and records an approval decision.", "credit-approve"};
    app.add_option("--run", o.run, "The run id (from credit-train)").required();
    app.add_option("--min-auc", o.min_auc, "Lowest acceptable ROC AUC").in_range(0.0, 1.0).show_default();
    app.add_option("--max-regression", o.max_regression,
                   "How much lower than the champion's ROC AUC the candidate's may be, on the same holdout")
        .in_range(0.0, 1.0)
        .show_default();
    app.add_option("--name", o.name, "The registered model whose champion the run is compared with").show_default();
    app.add_option("--approver", o.approver, "Who decides (asked on a terminal when missing)");
    app.add_option("--comment", o.comment, "Why");
    app.add_flag("--yes", o.yes, "Approve without asking (automation); needs --approver");
    app.add_flag("--json", o.json, "Print the decision as one JSON object");
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return approve(o); });
}

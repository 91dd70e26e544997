// credit-register: puts an approved run into the model registry -- the Model
// Registration stage -- and looks after what is there.
//
//   credit-register --run ID --name NAME [--tag K=V ...] [--json]   register the run as the next version
//   credit-register --list [--json]                                  every version of every model
//   credit-register --show NAME[:VERSION] [--json]                   one version (the latest by default), with lineage
//   credit-register --alias NAME:VERSION ALIAS [--actor NAME]        point an alias at a version (recorded)
//
// Registration refuses a run that is not approved (its latest decision, about
// this very artifact), a run already registered, and a run whose artifact no
// longer matches the SHA-256 recorded at training. The artifact is stored
// content-addressed and read-only under WORKSPACE/artifacts/ inside the same
// transaction that assigns the version. Exit 0 done, 1 refused, 2 usage or input error.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <ctml/ops.hpp>

#include "credit/credit_run.hpp"
#include "credit/command_line.hpp"

namespace {

struct options {
    std::string run;
    std::string name;
    std::vector<std::string> tags;
    bool list = false;
    std::string show;
    std::vector<std::string> alias;
    std::string actor;
    bool json = false;
    credit::workspace_options workspace;
};

std::string who(const std::string& given) {
    if (!given.empty()) return given;
    const char* user = std::getenv("USER");
    return user && *user ? user : "unknown";
}

nlohmann::json parse_or_string(const std::string& text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json(text) : j;
}

nlohmann::json version_json(const ctml::ops::model_version& v) {
    return {{"name", v.name},         {"version", v.version},          {"sha256", v.sha256},
            {"run_id", v.run_id},     {"data_sha256", v.data_sha256},  {"metrics", parse_or_string(v.metrics_json)},
            {"params", parse_or_string(v.params_json)}, {"approval_id", v.approval_id},
            {"registered_at", v.registered_at}, {"registered_by", v.registered_by}, {"tags", v.tags},
            {"aliases", v.aliases}};
}

int register_run(const options& o, const ctml::ops::workspace& ws, ctml::ops::registry& reg) {
    using namespace ctml;
    if (o.name.empty()) throw std::invalid_argument("--run needs --name NAME: the registered model to add a version to");
    std::map<std::string, std::string> tags;
    for (const auto& t : o.tags) {
        const auto eq = t.find('=');
        if (eq == std::string::npos || eq == 0) throw std::invalid_argument("--tag expects KEY=VALUE, got \"" + t + "\"");
        tags[t.substr(0, eq)] = t.substr(eq + 1);
    }
    const auto run = credit::open_run(ws, o.run);
    credit::verify_run_artifact<credit::refused>(run);
    if (const auto existing = reg.version_of_run(o.run))
        throw credit::refused("run " + o.run + " is already registered as " + existing->name + ":" +
                              std::to_string(existing->version));
    const auto decision = reg.latest_approval(o.run);
    if (!decision) throw credit::refused("run " + o.run + " is not approved: run credit-approve first");
    if (decision->decision != "approved")
        throw credit::refused("run " + o.run + " was " + decision->decision + " by " + decision->approver + " at " +
                              decision->decided_at);
    if (decision->artifact_sha256 != run.artifact_sha256())
        throw credit::refused("run " + o.run + ": the approval was given for another artifact");

    const ops::version_request request{o.name,
                                       o.run,
                                       run.artifact_sha256(),
                                       run.run.at("data").at("sha256").get<std::string>(),
                                       run.metrics.dump(),
                                       nlohmann::json({{"params", run.run.at("params")}, {"split", run.run.at("split")}}).dump(),
                                       decision->id,
                                       who(o.actor),
                                       tags};
    ops::model_version v;
    try {
        v = reg.register_version(request, [&](const ops::model_version&) { ws.store_artifact(run.artifact(), request.sha256); });
    } catch (const std::exception&) {
        // Two registrations of one run at once: the second meets the first's UNIQUE run_id.
        if (const auto existing = reg.version_of_run(o.run))
            throw credit::refused("run " + o.run + " is already registered as " + existing->name + ":" +
                                  std::to_string(existing->version));
        throw;
    }
    if (o.json) std::puts(version_json(v).dump().c_str());
    else std::printf("registered %s:%d from run %s (sha256 %s)\n", v.name.c_str(), v.version, v.run_id.c_str(), v.sha256.c_str());
    return 0;
}

int list(const options& o, ctml::ops::registry& reg) {
    const auto all = reg.list();
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& v : all) out.push_back(version_json(v));
        std::puts(out.dump().c_str());
        return 0;
    }
    std::printf("%-16s %7s  %-24s %-12s %-8s  %s\n", "NAME", "VERSION", "RUN", "SHA256", "AUC", "ALIASES");
    for (const auto& v : all) {
        std::string aliases;
        for (const auto& a : v.aliases) aliases += (aliases.empty() ? "" : ",") + a;
        const auto metrics = parse_or_string(v.metrics_json);
        const double auc = metrics.is_object() ? metrics["test"].value("roc_auc", 0.0) : 0.0;
        std::printf("%-16s %7d  %-24s %-12.12s %-8.4f  %s\n", v.name.c_str(), v.version, v.run_id.c_str(), v.sha256.c_str(),
                    auc, aliases.c_str());
    }
    return 0;
}

int show(const options& o, ctml::ops::registry& reg) {
    const auto ref = ctml::ops::parse_model_reference(o.show);
    const std::string name = ref ? ref->name : o.show;
    std::optional<ctml::ops::model_version> v;
    if (ref) v = ctml::ops::find_version(reg, *ref);
    else v = reg.latest(name);
    if (!v) throw std::invalid_argument(reg.location() + ": no registered model named \"" + name + "\"");
    auto out = version_json(*v);
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : reg.alias_history(name))
        history.push_back({{"alias", e.alias}, {"from_version", e.from_version ? nlohmann::json(*e.from_version) : nullptr},
                           {"to_version", e.to_version}, {"moved_by", e.moved_by}, {"moved_at", e.moved_at}});
    out["alias_history"] = history;
    if (const auto decision = reg.latest_approval(v->run_id))
        out["approval"] = {{"decision", decision->decision}, {"approver", decision->approver},
                           {"comment", decision->comment}, {"decided_at", decision->decided_at},
                           {"gates", parse_or_string(decision->gates_json)}};
    std::puts(o.json ? out.dump().c_str() : out.dump(2).c_str());
    return 0;
}

int move_alias(const options& o, ctml::ops::registry& reg) {
    const auto ref = ctml::ops::parse_model_reference(o.alias[0]);
    if (!ref || !ref->version) throw std::invalid_argument("--alias expects NAME:VERSION ALIAS, got \"" + o.alias[0] + "\"");
    const std::string& alias = o.alias[1];
    if (alias.empty() || alias.find_first_of(":@/ ") != std::string::npos)
        throw std::invalid_argument("\"" + alias + "\" is not an alias name (letters, digits, - and _)");
    (void)ctml::ops::find_version(reg, *ref);  // a clear message when the version does not exist
    const auto e = reg.move_alias(ref->name, alias, *ref->version, who(o.actor));
    if (o.json) {
        std::puts(nlohmann::json({{"name", e.name}, {"alias", e.alias},
                                  {"from_version", e.from_version ? nlohmann::json(*e.from_version) : nullptr},
                                  {"to_version", e.to_version}, {"moved_by", e.moved_by}, {"moved_at", e.moved_at}})
                      .dump()
                      .c_str());
    } else {
        std::printf("%s@%s: %s -> %d (by %s)\n", e.name.c_str(), e.alias.c_str(),
                    e.from_version ? std::to_string(*e.from_version).c_str() : "(new)", e.to_version, e.moved_by.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Registers approved runs as model versions; lists, shows and aliases them.", "credit-register"};
    auto run = app.add_option("--run", o.run, "Register this approved run");
    app.add_option("--name", o.name, "The registered model's name (with --run)");
    app.add_option("--tag", o.tags, "KEY=VALUE tag for the new version (repeatable)");
    auto list_flag = app.add_flag("--list", o.list, "List every registered version");
    auto show_option = app.add_option("--show", o.show, "Show NAME (its latest version) or NAME:VERSION");
    auto alias_option = app.add_option("--alias", o.alias, "NAME:VERSION ALIAS: point ALIAS at that version").expected(2);
    app.add_option("--actor", o.actor, "Who registers or moves the alias (default: $USER)");
    app.add_flag("--json", o.json, "Print JSON");
    app.add_workspace_options(o.workspace);
    run.excludes(list_flag).excludes(show_option).excludes(alias_option);
    list_flag.excludes(show_option).excludes(alias_option);
    show_option.excludes(alias_option);
    return app.run(argc, argv, [&] {
        const ctml::ops::workspace ws(ctml::ops::workspace::locate(o.workspace.workspace));
        const auto reg = ctml::ops::open_registry(ws, o.workspace.registry);
        if (!o.run.empty()) return register_run(o, ws, *reg);
        if (o.list) return list(o, *reg);
        if (!o.show.empty()) return show(o, *reg);
        if (!o.alias.empty()) return move_alias(o, *reg);
        throw std::invalid_argument("nothing to do: give --run ID --name NAME, --list, --show NAME or --alias NAME:VERSION ALIAS");
    });
}

// registry: the model registry's interface -- approvals, model versions with
// their lineage, tags, aliases, the audit trail of every alias move, and
// every deployment to an environment. The
// programs talk only to this interface; sqlite_registry.hpp is the embedded
// implementation, and a server database can be added behind it without
// touching them (open_registry picks one from the --registry URL).
//
// MLflow's model registry is the nearest relative: a registered model is a
// NAME with versions 1, 2, …; an alias (champion, test, production) points at
// one version and moves; every version records the run it came from.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ctml::ops {

/// One automatic check made before approval.
struct gate_result {
    std::string name;    ///< "min_auc", "champion_regression"
    bool passed = false;
    std::string detail;  ///< "ROC AUC 0.7952 >= 0.7"
};

/// A recorded decision on a run, approved or rejected.
struct approval {
    std::int64_t id = 0;
    std::string run_id;
    std::string decision;  ///< "approved" or "rejected"
    std::string approver;
    std::string comment;
    std::string decided_at;
    std::string artifact_sha256;  ///< the artifact the decision was about
    std::string gates_json;       ///< the gate results, as a JSON array
};

struct model_version {
    std::string name;
    int version = 0;
    std::string run_id;
    std::string sha256;       ///< of the artifact, stored under artifacts/<sha256>.json
    std::string data_sha256;  ///< of the training data
    std::string metrics_json;
    std::string params_json;
    std::int64_t approval_id = 0;
    std::string registered_at;
    std::string registered_by;
    std::map<std::string, std::string> tags;
    std::vector<std::string> aliases;  ///< the aliases pointing at this version now
};

/// What registration adds; the registry assigns the version.
struct version_request {
    std::string name;
    std::string run_id;
    std::string sha256;
    std::string data_sha256;
    std::string metrics_json;
    std::string params_json;
    std::int64_t approval_id = 0;
    std::string registered_by;
    std::map<std::string, std::string> tags;
};

struct alias_event {
    std::string name;
    std::string alias;
    std::optional<int> from_version;  ///< empty when the alias was new
    int to_version = 0;
    std::string moved_by;
    std::string moved_at;
};

/// One attempt to deploy a model version to an environment, and what became of it.
struct deployment {
    std::int64_t id = 0;
    std::string environment;     ///< "test"
    std::string name;
    int version = 0;
    std::string package_sha256;  ///< of the package's manifest.json, which holds every other file's SHA-256
    int port = 0;                ///< the environment's port
    std::int64_t pid = 0;        ///< the serving process; 0 if none started
    std::string status;          ///< "serving", "failed", "replaced" or "stopped"
    std::string reason;          ///< why it failed or ended
    std::string started_at;
    std::string ended_at;        ///< empty while serving
    std::string deployed_by;
};

class registry {
public:
    virtual ~registry() = default;

    /// Where it lives, for messages ("mlops/registry.db").
    [[nodiscard]] virtual std::string location() const = 0;
    [[nodiscard]] virtual int schema_version() = 0;

    /// Records a decision and returns its id.
    virtual std::int64_t record_approval(const approval& decision) = 0;
    /// The most recent decision on a run, if any.
    [[nodiscard]] virtual std::optional<approval> latest_approval(const std::string& run_id) = 0;

    /// Registers the next version of request.name, in one transaction. `inside`
    /// runs within it with the version about to be committed (the programs
    /// store the artifact there); if it throws, nothing is registered.
    model_version register_version(const version_request& request,
                                   const std::function<void(const model_version&)>& inside = {}) {
        return do_register_version(request, inside);
    }
    [[nodiscard]] virtual std::optional<model_version> version_of_run(const std::string& run_id) = 0;
    [[nodiscard]] virtual std::optional<model_version> find(const std::string& name, int version) = 0;
    [[nodiscard]] virtual std::optional<model_version> latest(const std::string& name) = 0;
    /// Every version of every model, by name then version.
    [[nodiscard]] virtual std::vector<model_version> list() = 0;

    [[nodiscard]] virtual std::optional<int> alias_target(const std::string& name, const std::string& alias) = 0;
    /// Points alias at version (which must exist) and records the move.
    virtual alias_event move_alias(const std::string& name, const std::string& alias, int version,
                                   const std::string& moved_by) = 0;
    /// Every move of every alias of name, oldest first.
    [[nodiscard]] virtual std::vector<alias_event> alias_history(const std::string& name) = 0;

    /// Records a deployment attempt (d.id and d.started_at are assigned) and returns its id.
    virtual std::int64_t record_deployment(const deployment& d) = 0;
    /// Ends a deployment that was serving: status "failed", "replaced" or "stopped", and why.
    virtual void end_deployment(std::int64_t id, const std::string& status, const std::string& reason) = 0;
    /// Every deployment attempt to an environment, oldest first.
    [[nodiscard]] virtual std::vector<deployment> deployments(const std::string& environment) = 0;

protected:
    // Non-virtual interface: the default argument lives in one place, not in every override.
    virtual model_version do_register_version(const version_request& request,
                                              const std::function<void(const model_version&)>& inside) = 0;
};

}  // namespace ctml::ops

// credit-deploy: a package into an environment -- the seed tutorial's
// "Deploy in test" stage, with a switch that never leaves the environment
// without a working service.
//
//   credit-deploy --package DIR|TAR.GZ --env test [--port N] [--token-file F]
//   credit-deploy --status --env test [--json]
//   credit-deploy --stop --env test
//
// Deploying: every file is checked against the package's manifest (an edited,
// missing or added file is refused by name, exit 1); the package must be a
// registered version with the same model SHA-256. The package is installed
// under WORKSPACE/deployments/<env>/releases/, and its server started
// detached (pid and log files beside it) on a port of its own. Once it is
// ready it gets the seed's functional smoke test (200 within 900 ms,
// predict_proba an array of arrays of numbers, each row summing to 1). Only
// then does it take over the environment's port, beside the version serving
// there, which is then stopped gracefully. The environment keeps answering,
// except that a connection still queued on the old listener when it closes is
// reset by the kernel (docs/mlops-flow.md, "Known limit of the switch").
// The deployment is recorded in the registry and the alias named after the
// environment moves to the version. A failed smoke test, or a server that does
// not become ready within --ready-timeout, leaves the previous deployment
// serving, records the failed attempt, and exits 1.
//
// --status reports what runs (exit 0 when it is serving and ready, 1 when
// nothing is); --stop stops it and waits until nothing listens on its ports.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>

#include <ctml/ops.hpp>
#include <ctml/ops/package_files.hpp>
#include <ctml/ops/service_process.hpp>
#include <ctml/ops/tar_gz.hpp>

#include "credit/credit_run.hpp"
#include "credit/package_layout.hpp"
#include "credit/command_line.hpp"
#include "credit/smoke_test.hpp"
#include "credit/token_file.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct options {
    std::string package;
    std::string env;
    int port = 0;
    std::string token_file;
    double ready_timeout = 30;
    std::string actor;
    bool status = false;
    bool stop = false;
    bool json = false;
    credit::workspace_options workspace;
};

constexpr int default_port = 8080;

/// What runs in an environment: WORKSPACE/deployments/<env>/current.json.
struct current_deployment {
    std::int64_t id = 0;
    std::string name;
    int version = 0;
    pid_t pid = 0;
    int port = 0;          ///< the environment's port
    int private_port = 0;  ///< the process's own port
    std::string release;   ///< its directory
    std::string package_sha256;
    std::string started_at;

    [[nodiscard]] json to_json() const {
        return {{"deployment_id", id}, {"name", name}, {"version", version}, {"pid", pid}, {"port", port},
                {"private_port", private_port}, {"release", release}, {"package_sha256", package_sha256},
                {"started_at", started_at}};
    }
};

class environment {
public:
    environment(const ctml::ops::workspace& ws, const std::string& name) : name_(name) {
        if (!std::regex_match(name, std::regex("[a-z][a-z0-9-]{0,31}")))
            throw ctml::ops::ops_error("--env \"" + name + "\": an environment is a lowercase name such as test");
        dir_ = ws.root() / "deployments" / name;
    }
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] fs::path releases() const { return dir_ / "releases"; }
    [[nodiscard]] fs::path state_file() const { return dir_ / "current.json"; }

    [[nodiscard]] std::optional<current_deployment> current() const {
        if (!fs::exists(state_file())) return std::nullopt;
        const auto j = credit::read_json(state_file());
        try {
            return current_deployment{j.at("deployment_id").get<std::int64_t>(), j.at("name").get<std::string>(),
                                      j.at("version").get<int>(), j.at("pid").get<pid_t>(), j.at("port").get<int>(),
                                      j.at("private_port").get<int>(), j.at("release").get<std::string>(),
                                      j.at("package_sha256").get<std::string>(), j.at("started_at").get<std::string>()};
        } catch (const json::exception& e) {
            throw ctml::ops::ops_error(state_file().string() + ": not a deployment record (" + e.what() + ")");
        }
    }
    void set_current(const current_deployment& d) const {
        fs::create_directories(dir_);
        ctml::write_file_atomically<ctml::ops::ops_error>(state_file(), d.to_json().dump(2) + "\n");
    }
    void clear_current() const { fs::remove(state_file()); }

private:
    std::string name_;
    fs::path dir_;
};

/// Whether the recorded process is still the server it was (not a reused pid).
bool still_serving(const current_deployment& d) {
    if (!ctml::ops::process_alive(d.pid)) return false;
    const auto command = ctml::ops::process_command_line(d.pid);
    return !command.empty() && command.front().rfind(d.release, 0) == 0;
}

/// Installs the package under the environment's releases, checked file by file; returns its directory.
fs::path install_package(const fs::path& source, const environment& env, credit::package_manifest& manifest) {
    using namespace ctml;
    std::error_code ec;
    const fs::path scratch = env.releases() / (".incoming-" + std::to_string(::getpid()));
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    // Whatever happens below -- a refusal, an archive cut short -- the scratch directory goes.
    struct remove_on_exit {
        fs::path path;
        ~remove_on_exit() { std::error_code ignored; fs::remove_all(path, ignored); }
    } cleanup{scratch};
    fs::path unpacked;
    if (fs::is_directory(source, ec)) {
        // Checked where it is first, so a refusal names the file the user has.
        const auto m = credit::read_package_manifest(source);
        try {
            ops::verify_package_files(source, m.files, {credit::package_layout::manifest});
        } catch (const ops::ops_error& e) {
            throw credit::refused(std::string("the package does not match its manifest: ") + e.what());
        }
        unpacked = scratch / source.filename();
        fs::copy(source, unpacked, fs::copy_options::recursive);
    } else if (fs::is_regular_file(source, ec)) {
        ops::extract_tar_gz(source, scratch);
        std::vector<fs::path> roots;
        for (const auto& e : fs::directory_iterator(scratch)) roots.push_back(e.path());
        if (roots.size() != 1 || !fs::is_directory(roots.front()))
            throw ops::ops_error(source.string() + ": a package archive holds one directory, <name>-<version>/");
        unpacked = roots.front();
    } else {
        throw ops::ops_error("--package " + source.string() + ": no such package directory or archive");
    }
    manifest = credit::read_package_manifest(unpacked);
    try {
        ops::verify_package_files(unpacked, manifest.files, {credit::package_layout::manifest});
    } catch (const ops::ops_error& e) {
        throw credit::refused(std::string("the package does not match its manifest: ") + e.what());
    }
    const std::string sha = ops::sha256_file(unpacked / credit::package_layout::manifest);
    const fs::path release = env.releases() / (manifest.name + "-" + std::to_string(manifest.version) + "-" + sha.substr(0, 12));
    if (fs::exists(release)) {
        // The same package deployed again: reuse it only if it is still intact.
        try {
            ops::verify_package_files(release, manifest.files, {credit::package_layout::manifest, "credit-serve.log", "credit-serve.pid"});
            return release;
        } catch (const ops::ops_error&) {
            fs::remove_all(release);
        }
    }
    fs::rename(unpacked, release);
    return release;
}

struct started_server {
    pid_t pid = 0;
    int private_port = 0;
    fs::path log;
};

/// Starts the release's server on a port of its own and waits until it answers ready; nothing on failure.
std::optional<started_server> start_release(const fs::path& release, const credit::package_manifest& m, int env_port,
                                            const options& o, std::string& why) {
    started_server s;
    s.log = release / "credit-serve.log";
    const auto from = fs::exists(s.log) ? fs::file_size(s.log) : 0;
    std::vector<std::string> argv{(release / credit::package_layout::server).string(), "--model",
                                  (release / credit::package_layout::model).string(), "--expect-sha256", m.model_sha256,
                                  "--name", m.name, "--model-version", std::to_string(m.version), "--port", "0", "--takeover-port", std::to_string(env_port)};
    if (!o.token_file.empty()) {
        argv.push_back("--token-file");
        argv.push_back(fs::absolute(o.token_file).string());
    }
    s.pid = ctml::ops::start_detached(argv, s.log);
    ctml::write_file_atomically<ctml::ops::ops_error>(release / "credit-serve.pid", std::to_string(s.pid) + "\n");
    const auto timeout = std::chrono::milliseconds(static_cast<long>(o.ready_timeout * 1000));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const auto line = ctml::ops::wait_for_log_line(s.log, "listening on http://127.0.0.1:", s.pid, timeout, from);
    if (line) {
        s.private_port = std::atoi(line->c_str() + line->find("127.0.0.1:") + 10);
        while (std::chrono::steady_clock::now() < deadline && ctml::ops::process_alive(s.pid)) {
            if (credit::answers_ready(s.private_port)) return s;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    const bool ran = ctml::ops::process_alive(s.pid);
    ctml::ops::stop_process(s.pid, std::chrono::seconds(5));
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g s", o.ready_timeout);
    why = ran ? std::string("the server did not become ready within ") + limit
              : "the server exited before it was ready: " + credit::one_line(ctml::ops::read_log(s.log, from));
    return std::nullopt;
}

int deploy(const options& o) {
    using namespace ctml;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const environment env(ws, o.env);
    const auto reg = ops::open_registry(ws, o.workspace.registry);
    const std::string actor = o.actor.empty() ? (std::getenv("USER") ? std::getenv("USER") : "credit-deploy") : o.actor;

    credit::package_manifest m;
    const fs::path release = install_package(o.package, env, m);
    const auto registered = reg->find(m.name, m.version);
    if (!registered)
        throw credit::refused(m.name + ":" + std::to_string(m.version) + " is not in the registry " + reg->location() +
                              ": only registered versions are deployed");
    if (registered->sha256 != m.model_sha256)
        throw credit::refused("the package's model (SHA-256 " + m.model_sha256 + ") is not the registered " + m.name + ":" +
                              std::to_string(m.version) + " (" + registered->sha256 + ")");
    const std::string package_sha = ops::sha256_file(release / credit::package_layout::manifest);

    auto previous = env.current();
    if (previous && !still_serving(*previous)) {
        std::fprintf(stderr, "credit-deploy: %s: the recorded %s:%d (pid %d) is no longer running\n", env.name().c_str(),
                     previous->name.c_str(), previous->version, previous->pid);
        reg->end_deployment(previous->id, "stopped", "found not running by a later deployment");
        env.clear_current();
        previous.reset();
    }
    const int port = o.port ? o.port : previous ? previous->port : default_port;
    if (!previous && ops::loopback_port_open(port))
        throw ops::ops_error("port " + std::to_string(port) + " is in use by something that is not a deployment of " +
                             env.name() + "; pass --port");

    const auto fail = [&](pid_t pid, const std::string& why) {
        reg->record_deployment({0, env.name(), m.name, m.version, package_sha, port, pid, "failed", why, "", "", actor});
        throw credit::refused(env.name() + ": " + m.name + ":" + std::to_string(m.version) + " was not deployed: " + why +
                              (previous ? "; " + previous->name + ":" + std::to_string(previous->version) + " is still serving"
                                        : ""));
    };

    std::string why;
    const auto started = start_release(release, m, port, o, why);
    if (!started) fail(0, why);
    const std::string token = o.token_file.empty() ? std::string() : credit::read_token(o.token_file);
    const auto smoke = credit::smoke_test(started->private_port, token);
    if (!smoke.passed) {
        ops::stop_process(started->pid, std::chrono::seconds(10));
        fail(started->pid, "smoke test failed: " + smoke.detail);
    }
    std::printf("%s: %s:%d passed the smoke test on port %d: %s\n", env.name().c_str(), m.name.c_str(), m.version,
                started->private_port, smoke.detail.c_str());

    // The switch: the new version listens on the environment's port beside the old, then the old stops.
    const auto log_size = fs::file_size(started->log);
    ::kill(started->pid, SIGUSR1);
    const auto took = ops::wait_for_log_line(started->log, "took over http://", started->pid, std::chrono::seconds(10), log_size);
    if (!took) {
        const std::string log = credit::one_line(ops::read_log(started->log, log_size));
        ops::stop_process(started->pid, std::chrono::seconds(10));
        fail(started->pid, "could not take over port " + std::to_string(port) + (log.empty() ? "" : ": " + log));
    }
    const auto id = reg->record_deployment({0, env.name(), m.name, m.version, package_sha, port, started->pid, "serving", "", "", "", actor});
    const current_deployment now{id, m.name, m.version, started->pid, port, started->private_port, release.string(),
                                 package_sha, ops::utc_timestamp()};
    env.set_current(now);
    if (previous) {
        const bool graceful = ops::stop_process(previous->pid, std::chrono::seconds(15));
        reg->end_deployment(previous->id, "replaced",
                            "replaced by " + m.name + ":" + std::to_string(m.version) + (graceful ? "" : " (killed after 15 s)"));
    }
    reg->move_alias(m.name, env.name(), m.version, actor);
    if (!credit::answers_ready(port)) throw ops::ops_error("port " + std::to_string(port) + " does not answer ready after the switch");
    std::printf("%s: %s:%d serving on http://127.0.0.1:%d (pid %d)%s; alias %s@%s -> %d\n", env.name().c_str(),
                m.name.c_str(), m.version, port, started->pid,
                previous ? (", replacing " + previous->name + ":" + std::to_string(previous->version)).c_str() : "",
                m.name.c_str(), env.name().c_str(), m.version);
    return 0;
}

int status(const options& o) {
    const ctml::ops::workspace ws(ctml::ops::workspace::locate(o.workspace.workspace));
    const environment env(ws, o.env);
    const auto d = env.current();
    const bool alive = d && still_serving(*d);
    const bool ready = alive && credit::answers_ready(d->port);
    if (o.json) {
        json out = {{"environment", env.name()}, {"serving", alive && ready}};
        if (d) {
            out["deployment"] = d->to_json();
            out["running"] = alive;
            out["ready"] = ready;
        }
        std::printf("%s\n", out.dump(2).c_str());
    } else if (!d) {
        std::printf("%s: nothing deployed\n", env.name().c_str());
    } else {
        std::printf("%s: %s:%d on http://127.0.0.1:%d (pid %d, since %s): %s\n", env.name().c_str(), d->name.c_str(),
                    d->version, d->port, d->pid, d->started_at.c_str(),
                    ready ? "serving, ready" : alive ? "running, NOT ready" : "NOT running");
    }
    return alive && ready ? 0 : 1;
}

int stop(const options& o) {
    using namespace ctml;
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const environment env(ws, o.env);
    const auto d = env.current();
    if (!d) {
        std::printf("%s: nothing deployed, nothing to stop\n", env.name().c_str());
        return 0;
    }
    const bool graceful = !still_serving(*d) || ops::stop_process(d->pid, std::chrono::seconds(15));
    for (int i = 0; i < 500 && (ops::loopback_port_open(d->port) || ops::loopback_port_open(d->private_port)); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (ops::loopback_port_open(d->port))
        throw ops::ops_error("port " + std::to_string(d->port) + " still answers after stopping pid " + std::to_string(d->pid));
    const auto reg = ops::open_registry(ws, o.workspace.registry);
    reg->end_deployment(d->id, "stopped", graceful ? "credit-deploy --stop" : "credit-deploy --stop (killed after 15 s)");
    env.clear_current();
    std::printf("%s: stopped %s:%d (pid %d); nothing listens on port %d\n", env.name().c_str(), d->name.c_str(), d->version,
                d->pid, d->port);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Deploys a package to an environment, smoke-tested, switching over only if it passes.", "credit-deploy"};
    auto package = app.add_option("--package", o.package, "A package directory or .tar.gz from credit-package");
    app.add_option("--env", o.env, "The environment, e.g. test").required();
    app.add_option("--port", o.port, "The environment's port (default: its current port, else 8080)").in_range(1, 65535);
    app.add_option("--token-file", o.token_file, "Start the service with bearer-token auth; the smoke test sends the token");
    app.add_option("--ready-timeout", o.ready_timeout, "Seconds to wait for the new server to answer ready")
        .in_range(0.1, 600.0)
        .show_default();
    app.add_option("--actor", o.actor, "Who deploys, for the registry (default: $USER)");
    auto status_flag = app.add_flag("--status", o.status, "Report what runs in the environment");
    auto stop_flag = app.add_flag("--stop", o.stop, "Stop what runs in the environment");
    app.add_flag("--json", o.json, "With --status: JSON");
    package.excludes(status_flag).excludes(stop_flag);
    status_flag.excludes(stop_flag);
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] {
        if (o.status) return status(o);
        if (o.stop) return stop(o);
        if (o.package.empty()) throw std::invalid_argument("--package is required (or --status, or --stop)");
        return deploy(o);
    });
}

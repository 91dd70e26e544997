// credit-package: a registered model version as a deployable bundle -- the
// seed tutorial's "Package" stage.
//
//   credit-package --model NAME:VERSION|NAME@ALIAS --out DIR
//
// Writes DIR/<name>-<version>/ and DIR/<name>-<version>.tar.gz, holding
//
//   bin/credit-serve   the scoring server (this build's)
//   model/model.json   the artifact, verified against its registered SHA-256
//   manifest.json      name, version, the SHA-256 of every other file, the
//                      schema, metrics, parameters, lineage and approval, and
//                      the library, compiler and runtime-package versions
//   openapi.json       the service's OpenAPI document
//   Dockerfile         slim Debian, the runtime packages, a non-root user, a
//                      HEALTHCHECK on /v2/health/ready
//   README.md
//
// The tarball is reproducible: the same version packaged twice by the same
// build gives the same bytes (sorted entries, fixed mtimes, owners and
// permissions, no gzip timestamp), and the manifest records nothing that
// changes between runs. Before anything appears under DIR, the tarball is
// unpacked into a scratch directory, its files checked against the manifest,
// and the server started from there until it answers ready: a package that
// does not start is never written (exit 1).
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <archive.h>
#include <openssl/opensslv.h>
#include <sqlite3.h>

#include <ctml/ops.hpp>
#include <ctml/ops/package_files.hpp>
#include <ctml/ops/service_process.hpp>
#include <ctml/ops/tar_gz.hpp>

#include "credit/credit_model.hpp"
#include "credit/credit_run.hpp"
#include "credit/openapi.hpp"
#include "credit/package_layout.hpp"
#include "credit/command_line.hpp"
#include "credit/smoke_test.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct options {
    std::string model;
    std::string out;
    credit::workspace_options workspace;
};

/// Runs a command and returns what it printed; empty if it could not run.
std::string output_of(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    if (!pipe) return {};
    std::string out;
    char buffer[4096];
    while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// The Debian packages that provide the shared libraries `binary` loads (ldd, then dpkg-query -S).
std::vector<std::string> runtime_packages(const fs::path& binary) {
    const std::string ldd = output_of("ldd " + shell_quote(binary.string()) + " 2>/dev/null");
    const std::regex library(R"(=>\s+(/\S+))");
    std::set<std::string> packages;
    for (auto it = std::sregex_iterator(ldd.begin(), ldd.end(), library); it != std::sregex_iterator(); ++it) {
        const std::string path = (*it)[1];
        // Debian 12 merged /usr: dpkg knows a library by either of its two names.
        std::vector<std::string> names{path};
        if (path.rfind("/usr/", 0) == 0) names.push_back(path.substr(4));
        else names.push_back("/usr" + path);
        std::string owner;
        for (const auto& name : names) {
            const auto line = output_of("dpkg-query -S " + shell_quote(name) + " 2>/dev/null");
            if (const auto colon = line.find(':'); colon != std::string::npos) {
                owner = line.substr(0, colon);
                break;
            }
        }
        if (owner.empty()) throw ctml::ops::ops_error(binary.string() + ": no Debian package provides " + path);
        packages.insert(owner);
    }
    if (packages.empty()) throw ctml::ops::ops_error(binary.string() + ": ldd found no shared libraries (is ldd installed?)");
    return {packages.begin(), packages.end()};
}

/// "12" on Debian 12: the base image matches the system the server was built on.
std::string debian_release() {
    std::ifstream in("/etc/os-release");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VERSION_ID=", 0) == 0) {
            std::string v = line.substr(11);
            v.erase(std::remove(v.begin(), v.end(), '"'), v.end());
            return v;
        }
    throw ctml::ops::ops_error("/etc/os-release: no VERSION_ID: cannot tell which Debian the server needs");
}

json schema_of(const credit::fitted_model& model, const std::vector<std::string>& classes) {
    json inputs = json::array();
    const auto origins = model.feature_origins();
    ctml::for_each_column_index<credit::feature_schema>([&](auto c) {
        using column = typename credit::feature_schema::template column_at<c>;
        const std::string name(column::name.view());
        json item = {{"name", name}, {"type", column::is_numeric ? "int64" : "string"}, {"nullable", column::is_nullable}};
        if constexpr (!column::is_numeric) {
            json known = json::array();
            for (const auto& o : origins)
                if (o.column == name && o.category) known.push_back(*o.category);
            item["categories"] = known;
        }
        inputs.push_back(item);
    });
    return {{"inputs", inputs}, {"outputs", {"p_bad", "p_good"}}, {"classes", classes}};
}

std::string dockerfile(const ctml::ops::model_version& v, const std::string& release, const std::vector<std::string>& packages,
                       const std::string& model_sha256) {
    const std::string label = v.name + ":" + std::to_string(v.version);
    std::ostringstream out;
    out << "# " << label << ", packaged by credit-package. Build and run:\n"
        << "#   docker build -t " << label << " . && docker run -p 8080:8080 " << label << "\n"
        << "FROM debian:" << release << "-slim\n"
        << "RUN apt-get update \\\n"
        << " && apt-get install -y --no-install-recommends curl";
    for (const auto& p : packages) out << " " << p;
    out << " \\\n && rm -rf /var/lib/apt/lists/*\n"
        << "RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin ctml\n"
        << "COPY bin/ /opt/ctml/bin/\n"
        << "COPY model/ /opt/ctml/model/\n"
        << "COPY manifest.json openapi.json README.md /opt/ctml/\n"
        << "USER ctml\n"
        << "EXPOSE 8080\n"
        << "HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 CMD curl -fsS http://127.0.0.1:8080/v2/health/ready || exit 1\n"
        << "ENTRYPOINT [\"/opt/ctml/bin/credit-serve\", \"--model\", \"/opt/ctml/model/model.json\", \"--expect-sha256\", \""
        << model_sha256 << "\", \"--name\", \"" << v.name << "\", \"--model-version\", \"" << v.version
        << "\", \"--host\", \"0.0.0.0\", \"--port\", \"8080\"]\n";
    return out.str();
}

std::string readme(const std::string& label, const std::string& model_sha256) {
    return "# " + label + ": the credit scoring service\n\n"
           "Made by `credit-package` from the model registry. `manifest.json` lists\n"
           "every other file with its SHA-256, the input schema, the metrics, the\n"
           "training run and the approval it came from.\n\n"
           "## Run it here\n\n"
           "    bin/credit-serve --model model/model.json --expect-sha256 " + model_sha256 + " --port 8080\n\n"
           "or deploy it, which checks every file first and smoke-tests it:\n\n"
           "    credit-deploy --package .. --env test\n\n"
           "## Run it in a container\n\n"
           "    docker build -t " + label + " . && docker run -p 8080:8080 " + label + "\n\n"
           "## Call it\n\n"
           "    curl -s -X POST localhost:8080/score -H 'Content-Type: application/json' \\\n"
           "      -d '" + std::string(credit::seed_request) + "'\n\n"
           "`GET /swagger.json` (also `openapi.json` here) documents every route;\n"
           "`GET /v2/health/ready` is the readiness probe, `GET /metrics` Prometheus text.\n";
}

void write_text(const fs::path& path, const std::string& text) {
    ctml::write_file_atomically<ctml::ops::ops_error>(path, text);
}

/// Starts the unpacked server and waits for it to answer ready; throws refused if it does not.
void check_starts(const fs::path& unpacked, const std::string& model_sha256, const std::string& name, int version) {
    const auto log = unpacked / "self-check.log";
    const auto pid = ctml::ops::start_detached({(unpacked / credit::package_layout::server).string(), "--model",
                                                (unpacked / credit::package_layout::model).string(), "--expect-sha256",
                                                model_sha256, "--name", name, "--model-version", std::to_string(version),
                                                "--port", "0"},
                                               log);
    const auto listening = ctml::ops::wait_for_log_line(log, "listening on http://127.0.0.1:", pid, std::chrono::seconds(20));
    bool ready = false;
    if (listening) {
        const int port = std::atoi(listening->c_str() + listening->find("127.0.0.1:") + 10);
        for (int attempt = 0; attempt < 100 && !ready; ++attempt) {
            ready = credit::answers_ready(port);
            if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    ctml::ops::stop_process(pid, std::chrono::seconds(10));
    if (!ready)
        throw credit::refused("the unpacked package's server did not answer ready; its log: " +
                              credit::one_line(ctml::ops::read_log(log)));
}

int package(const options& o) {
    using namespace ctml;
    if (o.model.find(':') == std::string::npos && o.model.find('@') == std::string::npos)
        throw ops::ops_error("--model " + o.model + ": credit-package packages registered versions: give NAME:VERSION or NAME@ALIAS");
    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto reg = ops::open_registry(ws, o.workspace.registry);
    const auto resolved = ops::resolve_model(o.model, ws, reg.get());  // verifies the artifact's SHA-256
    const auto& v = *resolved.version;
    const auto artifact = load<credit::fitted_model>(resolved.path);
    const auto approval = reg->latest_approval(v.run_id);
    const std::string label = v.name + "-" + std::to_string(v.version);

    const fs::path server = fs::canonical("/proc/self/exe").parent_path() / "credit-serve";
    if (!fs::is_regular_file(server)) throw ops::ops_error(server.string() + ": the server to package is missing; build it first");

    const fs::path out_dir = o.out;
    fs::create_directories(out_dir);
    const fs::path bundle = out_dir / label, tarball = out_dir / (label + ".tar.gz");
    // Everything is made and checked under a scratch name first.
    const fs::path scratch = out_dir / ("." + label + ".packaging");
    fs::remove_all(scratch);
    const fs::path staged = scratch / label;
    fs::create_directories(staged / "bin");
    fs::create_directories(staged / "model");
    fs::copy_file(server, staged / credit::package_layout::server);
    fs::permissions(staged / credit::package_layout::server, fs::perms(0755));
    fs::copy_file(resolved.path, staged / credit::package_layout::model);
    fs::permissions(staged / credit::package_layout::model, fs::perms(0644));
    write_text(staged / "openapi.json", credit::openapi(artifact.model, v.name).dump(2) + "\n");
    const auto packages = runtime_packages(server);
    write_text(staged / "Dockerfile", dockerfile(v, debian_release(), packages, resolved.sha256));
    write_text(staged / "README.md", readme(label, resolved.sha256));

    json files = json::array();
    for (const auto& f : ops::list_package_files(staged))
        files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"bytes", f.bytes}, {"executable", f.executable}});
    json approval_json = nullptr;
    if (approval)
        approval_json = {{"id", approval->id}, {"decision", approval->decision}, {"approver", approval->approver},
                         {"decided_at", approval->decided_at}, {"comment", approval->comment}};
    const json manifest = {
        {"format", credit::package_layout::format},
        {"format_version", credit::package_layout::format_version},
        {"name", v.name},
        {"version", v.version},
        {"model", {{"path", credit::package_layout::model}, {"sha256", resolved.sha256}}},
        {"server", {{"path", credit::package_layout::server}}},
        {"files", files},
        {"schema", schema_of(artifact.model, artifact.class_names.empty() ? std::vector<std::string>{"bad", "good"} : artifact.class_names)},
        {"metrics", json::parse(v.metrics_json)},
        {"params", json::parse(v.params_json)},
        {"lineage", {{"run_id", v.run_id}, {"data_sha256", v.data_sha256}, {"registered_at", v.registered_at},
                     {"registered_by", v.registered_by}, {"approval", approval_json}}},
        {"built_with", {{"ctml", ctml::version_string}, {"compiler", std::string("g++ ") + __VERSION__},
                        {"cpp_httplib", CPPHTTPLIB_VERSION}, {"openssl", OPENSSL_VERSION_TEXT},
                        {"sqlite", SQLITE_VERSION}, {"libarchive", ARCHIVE_VERSION_ONLY_STRING}}},
        {"runtime", {{"base_image", "debian:" + debian_release() + "-slim"}, {"packages", packages}}}};
    write_text(staged / credit::package_layout::manifest, manifest.dump(2) + "\n");

    const fs::path staged_tarball = scratch / (label + ".tar.gz");
    ops::write_reproducible_tar_gz(staged, label, staged_tarball);

    // The self-check: unpack, verify, start, ready.
    const fs::path unpacked_root = scratch / "unpacked";
    ops::extract_tar_gz(staged_tarball, unpacked_root);
    const fs::path unpacked = unpacked_root / label;
    const auto listed = credit::read_package_manifest(unpacked);
    ops::verify_package_files(unpacked, listed.files, {credit::package_layout::manifest});
    check_starts(unpacked, resolved.sha256, v.name, v.version);

    fs::remove_all(bundle);
    fs::rename(staged, bundle);
    fs::rename(staged_tarball, tarball);
    fs::remove_all(scratch);
    std::printf("packaged %s:%d (model sha256 %s)\n  %s\n  %s (sha256 %s)\n  the unpacked package started and answered ready\n",
                v.name.c_str(), v.version, resolved.sha256.c_str(), bundle.string().c_str(), tarball.string().c_str(),
                ops::sha256_file(tarball).c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"Packages a registered model version: a bundle directory and a reproducible .tar.gz.", "credit-package"};
    app.add_option("--model", o.model, "NAME:VERSION or NAME@ALIAS from the registry").required();
    app.add_option("--out", o.out, "Directory to write <name>-<version>/ and <name>-<version>.tar.gz into").required();
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return package(o); });
}

// credit-serve: the scoring service -- what the seed tutorial deploys and its
// functional test calls.
//
//   credit-serve --model PATH|NAME:VERSION|NAME@ALIAS --port N [--host 127.0.0.1] [--token-file F]
//                [--threads N] [--max-body-bytes N] [--expect-sha256 HEX] [--takeover-port N]
//
//   POST /score                       {"data": {column: [values…]}} -> {"predict_proba": [[p_bad, p_good], …]}
//   POST /explain                     the same body -> {"explanations": [{base_value, logit, p_good, contributions}, …]}
//   GET  /v2/health/live, /v2/health/ready, /v2/models/{name}, /v2/models/{name}/ready
//   POST /v2/models/{name}/infer      the Open Inference Protocol (KServe v2): one input per column
//   GET  /swagger.json                OpenAPI 3, generated from the compile-time schema and the model's categories
//   GET  /metrics                     Prometheus text: requests by route and status, latency, rows, model info
//
// With --token-file, every route but health needs `Authorization: Bearer
// <token>` (compared in constant time). Bad input never crashes the service
// or earns a 500: each gets a 4xx with {"error": "…"} naming the problem.
// The model is resolved and its SHA-256 verified before the port opens, so
// "ready" means a trusted model is loaded; a model it cannot trust stops it
// with exit 2. --port 0 picks a free port and prints it. SIGTERM or SIGINT
// stops it gracefully: the requests in flight finish. One access-log line per
// request goes to stderr. --expect-sha256 refuses a model file whose digest
// differs (a package's model). --takeover-port N: on SIGUSR1 the service also
// listens on N, sharing it with the version serving there (SO_REUSEPORT), which
// credit-deploy then stops -- the switch to a version that passed its smoke test.
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <pthread.h>

// ctml (and with it Eigen) before httplib: httplib includes glibc's <resolv.h>,
// whose `_res` macro would rewrite a parameter name inside Eigen.
#include <ctml/ops.hpp>

#include "credit/served_model.hpp"
#include "credit/credit_schema.hpp"
#include "credit/explanation_json.hpp"
#include "credit/openapi.hpp"
#include "credit/command_line.hpp"
#include "credit/score_response.hpp"
#include "credit/token_file.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace {

struct options {
    std::string model;
    int port = -1;
    std::string host = "127.0.0.1";
    std::string token_file;
    int threads = 64;
    std::size_t max_body_bytes = 1 << 20;
    std::string expect_sha256;
    int takeover_port = 0;
    std::string name;
    std::string model_version;
    credit::workspace_options workspace;
};

using credit::json_type;

/// Requests by route and status, a latency histogram, rows scored: the /metrics page.
class service_metrics {
public:
    static constexpr std::array<double, 12> bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                   0.01,   0.025,   0.05,   0.1,   0.5,    1.0};

    void record(const std::string& route, int status, double seconds) {
        std::lock_guard lock(mutex_);
        ++requests_[{route, status}];
        for (std::size_t k = 0; k < bounds.size(); ++k)
            if (seconds <= bounds[k]) ++buckets_[k];
        ++count_;
        sum_ += seconds;
    }
    void add_rows(std::size_t n) { rows_ += n; }

    [[nodiscard]] std::string text(const std::string& name, const std::string& version, const std::string& sha256) const {
        std::lock_guard lock(mutex_);
        std::ostringstream out;
        out << "# HELP ctml_model_info The model being served.\n# TYPE ctml_model_info gauge\n"
            << "ctml_model_info{name=\"" << name << "\",version=\"" << version << "\",sha256=\"" << sha256 << "\"} 1\n";
        out << "# HELP ctml_http_requests_total Requests by route and status.\n# TYPE ctml_http_requests_total counter\n";
        for (const auto& [key, n] : requests_)
            out << "ctml_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
        out << "# HELP ctml_http_request_duration_seconds Time from routing to response.\n"
            << "# TYPE ctml_http_request_duration_seconds histogram\n";
        for (std::size_t k = 0; k < bounds.size(); ++k)
            out << "ctml_http_request_duration_seconds_bucket{le=\"" << bounds[k] << "\"} " << buckets_[k] << "\n";
        out << "ctml_http_request_duration_seconds_bucket{le=\"+Inf\"} " << count_ << "\n"
            << "ctml_http_request_duration_seconds_sum " << sum_ << "\n"
            << "ctml_http_request_duration_seconds_count " << count_ << "\n";
        out << "# HELP ctml_rows_scored_total Rows scored.\n# TYPE ctml_rows_scored_total counter\n"
            << "ctml_rows_scored_total " << rows_.load() << "\n";
        return out.str();
    }

private:
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::array<std::uint64_t, bounds.size()> buckets_{};
    std::uint64_t count_ = 0;
    double sum_ = 0;
    std::atomic<std::uint64_t> rows_{0};
};

using credit::append_double;

void send_error(httplib::Response& res, int status, const std::string& why) {
    res.status = status;
    res.set_content(nlohmann::json({{"error", why}}).dump(), json_type);
}

/// The route a path belongs to, for metrics (model names folded into {name}).
std::string route_of(const std::string& path) {
    if (path.rfind("/v2/models/", 0) == 0) {
        if (path.size() > 6 && path.compare(path.size() - 6, 6, "/infer") == 0) return "/v2/models/{name}/infer";
        if (path.size() > 6 && path.compare(path.size() - 6, 6, "/ready") == 0) return "/v2/models/{name}/ready";
        return "/v2/models/{name}";
    }
    for (const char* known : {"/score", "/explain", "/swagger.json", "/metrics", "/v2/health/live", "/v2/health/ready"})
        if (path == known) return known;
    return "other";
}

int serve(const options& o) {
    using namespace ctml;
    // Signals are taken by one thread with sigwait, so they must be blocked before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    const ops::workspace ws(ops::workspace::locate(o.workspace.workspace));
    const auto served = credit::load_model(o.model, ws, o.workspace.registry);
    const auto& resolved = served.resolved;
    if (!o.expect_sha256.empty() && resolved.sha256 != o.expect_sha256)
        throw ops::ops_error(resolved.path.string() + ": SHA-256 " + resolved.sha256 + ", not the expected " +
                             o.expect_sha256 + "; refusing to serve it");
    const auto& model = served.artifact.model;
    // /explain needs the training means the artifact carries; without them it answers 409, and scoring goes on.
    std::optional<credit::explainer> explainer;
    std::string explain_unavailable;
    try {
        explainer.emplace(model, served.artifact.statistics);
    } catch (const std::invalid_argument& e) {
        explain_unavailable = e.what();
    }
    const std::string name = !o.name.empty() ? o.name : resolved.version ? resolved.version->name : resolved.path.stem().string();
    const std::string version = !o.model_version.empty() ? o.model_version
                                : resolved.version ? std::to_string(resolved.version->version) : "";
    const std::string token = o.token_file.empty() ? std::string() : credit::read_token(o.token_file);
    const missing_token_set missing({"NA"});
    const std::string swagger = credit::openapi(model, name).dump(1);

    auto log = spdlog::stderr_logger_mt("credit-serve");
    log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %v", spdlog::pattern_time_type::utc);
    service_metrics metrics;
    // What the handlers share; they outlive install(), which only registers them.
    const auto needs_json = [](const httplib::Request& req, httplib::Response& res) {
        const std::string type = req.get_header_value("Content-Type");
        if (type.rfind(json_type, 0) == 0) return true;
        send_error(res, 415, "Content-Type must be application/json, found \"" + type + "\"");
        return false;
    };
    // Scores records one at a time (no frame per request); an unknown category is the caller's error.
    const auto score_rows = [&](const std::vector<record<credit::feature_schema>>& rows, auto&& respond) {
        const auto p = credit::score_records(model, rows);
        metrics.add_rows(rows.size());
        respond(p);
    };
    const auto handle = [&](httplib::Response& res, auto&& body) {
        try {
            body();
        } catch (const ops::request_error& e) {
            send_error(res, e.status(), e.what());
        }
    };

    const auto known_model = [&](const httplib::Request& req, httplib::Response& res) {
        if (req.matches[1] == name) return true;
        send_error(res, 404, "no model named \"" + std::string(req.matches[1]) + "\" (this service serves \"" + name + "\")");
        return false;
    };
    // Every listener serves the same routes: the port given, and the environment's port once taken over.
    const auto install = [&](httplib::Server& s) {
        s.set_tcp_nodelay(true);
        s.set_keep_alive_max_count(10000);
        s.set_keep_alive_timeout(1);  // an idle keep-alive client must not hold up shutdown
        s.set_payload_max_length(o.max_body_bytes);
        s.new_task_queue = [threads = o.threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };

        static thread_local std::chrono::steady_clock::time_point started;
        s.set_pre_routing_handler([&](const httplib::Request& req, httplib::Response& res) {
            started = std::chrono::steady_clock::now();
            if (token.empty() || req.path.rfind("/v2/health/", 0) == 0) return httplib::Server::HandlerResponse::Unhandled;
            const std::string header = req.get_header_value("Authorization");
            const std::string expected = "Bearer " + token;
            if (header.size() != expected.size() || CRYPTO_memcmp(header.data(), expected.data(), header.size()) != 0) {
                res.set_header("WWW-Authenticate", "Bearer");
                send_error(res, 401, "missing or wrong bearer token: send Authorization: Bearer <token>");
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
        s.set_logger([&](const httplib::Request& req, const httplib::Response& res) {
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            metrics.record(route_of(req.path), res.status, seconds);
            log->info("{} {} {} {} {}B {:.3f}ms", req.remote_addr, req.method, req.path, res.status, res.body.size(), seconds * 1e3);
        });
        // Errors httplib answers itself (404, 413, …) get a JSON body naming them.
        s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 404) send_error(res, 404, "no route " + req.method + " " + req.path);
            else if (res.status == 413) send_error(res, 413, "the body is larger than --max-body-bytes allows");
            else send_error(res, res.status, "HTTP " + std::to_string(res.status));
        });
        s.set_exception_handler([&](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                log->error("unexpected: {}", x.what());
            }
            send_error(res, 500, "internal error");
        });

        s.Post("/score", [&](const httplib::Request& req, httplib::Response& res) {
            if (!needs_json(req, res)) return;
            handle(res, [&] {
                std::size_t rows = 0;
                res.set_content(credit::score_response(model, req.body, missing, rows), json_type);
                metrics.add_rows(rows);
            });
        });
        s.Post("/explain", [&](const httplib::Request& req, httplib::Response& res) {
            if (!needs_json(req, res)) return;
            handle(res, [&] {
                if (!explainer) throw ops::request_error(409, "this model cannot be explained: " + explain_unavailable);
                const auto rows = ops::parse_score_request<credit::feature_schema>(req.body, missing);
                nlohmann::json out = nlohmann::json::array();
                try {
                    for (const auto& r : rows) out.push_back(credit::explanation_json(*explainer, explainer->explain_row(r), 3));
                } catch (const std::invalid_argument& e) {
                    throw ops::request_error(400, e.what());
                }
                metrics.add_rows(rows.size());
                res.set_content(nlohmann::json({{"explanations", out}}).dump(), json_type);
            });
        });
        s.Post(R"(/v2/models/([^/]+)/infer)", [&](const httplib::Request& req, httplib::Response& res) {
            if (!known_model(req, res) || !needs_json(req, res)) return;
            handle(res, [&] {
                score_rows(ops::parse_infer_request<credit::feature_schema>(req.body, missing), [&](const auto& p) {
                    std::string out = "{\"model_name\":" + nlohmann::json(name).dump() + ",\"model_version\":" +
                                      nlohmann::json(version).dump() + ",\"outputs\":[";
                    for (int k = 0; k < 2; ++k) {
                        out += std::string(k ? "," : "") + "{\"name\":\"" + (k ? "p_good" : "p_bad") +
                               "\",\"datatype\":\"FP64\",\"shape\":[" + std::to_string(p.size()) + "],\"data\":[";
                        for (std::size_t i = 0; i < p.size(); ++i) {
                            if (i) out += ',';
                            append_double(out, p[i][static_cast<std::size_t>(k)]);
                        }
                        out += "]}";
                    }
                    out += "]}";
                    res.set_content(out, json_type);
                });
            });
        });
        s.Get(R"(/v2/models/([^/]+))", [&](const httplib::Request& req, httplib::Response& res) {
            if (!known_model(req, res)) return;
            nlohmann::json inputs = nlohmann::json::array();
            for_each_column_index<credit::feature_schema>([&](auto c) {
                using column = typename credit::feature_schema::template column_at<c>;
                inputs.push_back({{"name", column::name.view()}, {"datatype", column::is_numeric ? "INT64" : "BYTES"}, {"shape", {-1}}});
            });
            res.set_content(nlohmann::json({{"name", name}, {"versions", version.empty() ? nlohmann::json::array() : nlohmann::json::array({version})},
                                             {"platform", "ctml"}, {"inputs", inputs},
                                             {"outputs", {{{"name", "p_bad"}, {"datatype", "FP64"}, {"shape", {-1}}},
                                                          {{"name", "p_good"}, {"datatype", "FP64"}, {"shape", {-1}}}}}})
                                .dump(),
                            json_type);
        });
        s.Get(R"(/v2/models/([^/]+)/ready)", [&](const httplib::Request& req, httplib::Response& res) {
            if (!known_model(req, res)) return;
            res.set_content(nlohmann::json({{"name", name}, {"ready", true}}).dump(), json_type);
        });
        s.Get("/v2/health/live", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"live":true})", json_type);
        });
        s.Get("/v2/health/ready", [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"ready":true})", json_type);  // the model was loaded and verified before the port opened
        });
        s.Get("/swagger.json", [&](const httplib::Request&, httplib::Response& res) { res.set_content(swagger, json_type); });
        s.Get("/metrics", [&](const httplib::Request&, httplib::Response& res) {
            res.set_content(metrics.text(name, version, resolved.sha256), "text/plain; version=0.0.4");
        });
        // A known route asked with another method: 405 naming the one it takes.
        const std::vector<std::pair<std::string, std::string>> allowed{
            {"/score", "POST"}, {R"(/v2/models/([^/]+)/infer)", "POST"}, {R"(/v2/models/([^/]+))", "GET"},
            {R"(/v2/models/([^/]+)/ready)", "GET"}, {"/v2/health/live", "GET"}, {"/v2/health/ready", "GET"},
            {"/swagger.json", "GET"}, {"/metrics", "GET"}};
        for (const auto& [pattern, method] : allowed) {
            const auto refuse = [method = method](const httplib::Request& req, httplib::Response& res) {
                res.set_header("Allow", method);
                send_error(res, 405, req.method + " is not allowed here; use " + method);
            };
            if (method == "POST") s.Get(pattern, refuse);
            else s.Post(pattern, refuse);
            s.Put(pattern, refuse);
            s.Delete(pattern, refuse);
            s.Patch(pattern, refuse);
        }
    };
    httplib::Server server;
    install(server);

    const int port = o.port == 0 ? server.bind_to_any_port(o.host) : (server.bind_to_port(o.host, o.port) ? o.port : -1);
    if (port < 0) throw ops::ops_error(o.host + ":" + std::to_string(o.port) + ": cannot listen (in use, or not an address here)");
    std::fprintf(stderr, "credit-serve: listening on http://%s:%d (model %s%s%s, sha256 %s)\n", o.host.c_str(), port,
                 name.c_str(), version.empty() ? "" : ":", version.c_str(), resolved.sha256.c_str());

    // With --takeover-port, SIGUSR1 opens a second listener on the environment's
    // port beside the version serving it (both sockets carry SO_REUSEPORT), so
    // a deployment switches over only once this process passed its smoke test.
    httplib::Server takeover;
    std::thread takeover_thread;
    if (o.takeover_port) {
        install(takeover);
        takeover.set_socket_options([](socket_t sock) {
            int yes = 1;
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
            ::setsockopt(sock, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof yes);
        });
    }
    std::atomic<bool> listen_returned{false};
    std::thread waiter([&] {
        while (true) {
            int sig = 0;
            sigwait(&signals, &sig);
            if (sig != SIGUSR1) break;
            if (!o.takeover_port || takeover_thread.joinable()) continue;
            if (!takeover.bind_to_port(o.host, o.takeover_port)) {
                std::fprintf(stderr, "credit-serve: cannot take over port %d: it is held by something that does not share it\n",
                             o.takeover_port);
                continue;
            }
            takeover_thread = std::thread([&] { takeover.listen_after_bind(); });
            std::fprintf(stderr, "credit-serve: took over http://%s:%d\n", o.host.c_str(), o.takeover_port);
        }
        // stop() does nothing until listen has started: wait for it, or for listen to have given up.
        while (!server.is_running() && !listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        server.stop();
        if (takeover_thread.joinable()) {
            for (int i = 0; i < 5000 && !takeover.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            takeover.stop();
        }
    });
    const bool ok = server.listen_after_bind();
    listen_returned = true;
    if (!ok) pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    if (takeover_thread.joinable()) takeover_thread.join();
    std::fprintf(stderr, "credit-serve: stopped\n");
    return ok ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    credit::command_line app{"The credit scoring service: /score, the Open Inference Protocol, OpenAPI and Prometheus metrics.",
                 "credit-serve"};
    app.add_option("--model", o.model, "An artifact path, NAME:VERSION or NAME@ALIAS").required();
    app.add_option("--port", o.port, "TCP port; 0 picks a free one").required().in_range(0, 65535);
    app.add_option("--host", o.host, "Address to listen on").show_default();
    app.add_option("--token-file", o.token_file, "Require Authorization: Bearer <the file's token> (not on health routes)");
    app.add_option("--threads", o.threads, "Worker threads (at least the expected concurrent connections)")
        .in_range(1, 4096)
        .show_default();
    app.add_option("--max-body-bytes", o.max_body_bytes, "Largest request body; larger ones get 413")
        .in_range(std::size_t{64}, std::size_t{1} << 30)
        .show_default();
    app.add_option("--name", o.name, "The model's name in /v2/models/{name} and /metrics (default: registered name, else file stem)");
    app.add_option("--model-version", o.model_version, "The model's version there (default: the registered version)");
    app.add_option("--expect-sha256", o.expect_sha256, "Refuse to serve a model whose SHA-256 is not this (a package's)");
    app.add_option("--takeover-port", o.takeover_port,
                   "On SIGUSR1, also listen on this port beside whoever serves it (credit-deploy's switch)")
        .in_range(1, 65535);
    app.add_workspace_options(o.workspace);
    return app.run(argc, argv, [&] { return serve(o); });
}

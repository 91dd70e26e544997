// credit-serve as a client meets it: a real process on a free loopback port.
// The seed's request scores as in-process scoring does, bit for bit; every kind
// of bad input gets its 4xx and {"error": …} naming the problem, and the
// service still answers correctly afterwards; auth, the Open Inference
// Protocol, metrics, OpenAPI, and a graceful stop on SIGTERM.
#include <catch2/catch.hpp>

#include <cmath>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/scratch_directory.hpp"
#include "support/sklearn_fixture.hpp"

// After ctml: httplib includes <resolv.h>, whose _res macro clashes with Eigen.
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace ctml;
using fitted = decltype(credit::model().fit(std::declval<frame<credit::feature_schema>>(), label_span{}));

namespace {

const fs::path& scratch() {
    static const test_support::scratch_directory dir("ctml_credit_serve_tests");
    return dir.path();
}

const fs::path& artifact() {
    static const fs::path path = [] {
        const auto features = test_support::credit_data().select<credit::feature_schema>();
        const auto model = credit::model().fit(features, test_support::credit_labels());
        const auto p = scratch() / "credit.json";
        save(model, p, describe_training_data(features, model), {}, {"bad", "good"});
        return p;
    }();
    return path;
}

/// credit-serve started on a free port; stopped with SIGTERM when the test ends.
class service {
public:
    explicit service(std::vector<std::string> extra = {}) {
        // Made before fork: a child that made it would leave its own scratch directory behind.
        std::vector<std::string> args{CTML_BIN_DIR "/credit-serve", "--model", artifact().string(), "--port", "0"};
        args.insert(args.end(), extra.begin(), extra.end());
        int pipe_fds[2];
        REQUIRE(::pipe(pipe_fds) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::dup2(pipe_fds[1], STDERR_FILENO);
            ::close(pipe_fds[0]);
            std::vector<char*> argv;
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            std::_Exit(127);
        }
        ::close(pipe_fds[1]);
        log_ = ::fdopen(pipe_fds[0], "r");
        char line[4096];
        while (std::fgets(line, sizeof line, log_)) {  // the first line says where it listens
            first_lines_ += line;
            if (const char* at = std::strstr(line, "127.0.0.1:")) {
                port_ = std::atoi(at + 10);
                break;
            }
        }
        REQUIRE(port_ > 0);
    }
    ~service() {
        if (pid_ > 0) stop();
        if (log_) std::fclose(log_);
    }
    int stop() {
        signal(SIGTERM);
        return wait();
    }
    void signal(int sig) const { ::kill(pid_, sig); }
    /// Waits for the process to end; its exit code, or -1 if a signal ended it.
    int wait() {
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    [[nodiscard]] int port() const noexcept { return port_; }
    [[nodiscard]] httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(10, 0);
        return c;
    }

private:
    pid_t pid_ = -1;
    FILE* log_ = nullptr;
    int port_ = 0;
    std::string first_lines_;
};

const std::string seed_request = R"({"data": {"Age": [20], "Sex": ["male"], "Job": [0], "Housing": ["own"],
    "Saving accounts": ["little"], "Checking account": ["little"], "Credit amount": [100], "Duration": [48],
    "Purpose": ["radio/TV"]}})";

std::string with(const std::string& from, const std::string& to) {
    std::string s = seed_request;
    s.replace(s.find(from), from.size(), to);
    return s;
}

/// In-process probabilities for the seed's request.
std::array<double, 2> expected_seed_scores() {
    const auto model = load<fitted>(artifact()).model;
    record<credit::feature_schema> r;
    r.set<"Age">(std::int64_t{20}).set<"Sex">(std::string("male")).set<"Job">(std::int64_t{0});
    r.set<"Housing">(std::string("own")).set<"Saving accounts">(std::optional<std::string>("little"));
    r.set<"Checking account">(std::optional<std::string>("little")).set<"Credit amount">(std::int64_t{100});
    r.set<"Duration">(std::int64_t{48}).set<"Purpose">(std::string("radio/TV"));
    return model.predict_proba_row(r);
}

void check_seed_scores(httplib::Client& c) {
    const auto res = c.Post("/score", seed_request, "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const auto body = nlohmann::json::parse(res->body);
    const auto expected = expected_seed_scores();
    REQUIRE(body["predict_proba"].size() == 1);
    CHECK(body["predict_proba"][0][0].get<double>() == expected[0]);
    CHECK(body["predict_proba"][0][1].get<double>() == expected[1]);
}

}  // namespace

TEST_CASE("credit-serve scores the seed's request as in-process scoring does", "[programs][serve]") {
    service s;
    auto c = s.client();
    check_seed_scores(c);
    // Several rows in one request, one of them with missing values.
    const auto many = c.Post("/score",
                             R"({"data": {"Age": [20, 45], "Sex": ["male", "female"], "Job": [0, 2], "Housing": ["own", "rent"],
                                 "Saving accounts": ["little", null], "Checking account": ["little", "NA"],
                                 "Credit amount": [100, 9000], "Duration": [48, 12], "Purpose": ["radio/TV", "car"], "Sno": [1, 2]}})",
                             "application/json");
    REQUIRE(many);
    CHECK(many->status == 200);
    CHECK(nlohmann::json::parse(many->body)["predict_proba"].size() == 2);
    CHECK(s.stop() == 0);  // SIGTERM: a clean exit
}

TEST_CASE("POST /explain gives contributions that add up to the logit of /score", "[programs][serve][explain]") {
    service s;
    auto c = s.client();
    const auto res = c.Post("/explain", seed_request, "application/json");
    REQUIRE(res);
    REQUIRE(res->status == 200);
    const auto body = nlohmann::json::parse(res->body);
    REQUIRE(body["explanations"].size() == 1);
    const auto& e = body["explanations"][0];
    double sum = e["base_value"].get<double>();
    REQUIRE(e["contributions"].size() == 9);
    for (const auto& [column, value] : e["contributions"].items()) sum += value.get<double>();
    CHECK(std::abs(sum - e["logit"].get<double>()) <= 1e-12);
    CHECK(e["p_good"].get<double>() == expected_seed_scores()[1]);  // what /score answers, bit for bit
    CHECK(e["top"].size() == 3);
    // Bad input is answered as /score answers it.
    const auto unknown = c.Post("/explain", with("radio/TV", "spaceship"), "application/json");
    REQUIRE(unknown);
    CHECK(unknown->status == 400);
    CHECK(unknown->body.find("spaceship") != std::string::npos);
    const auto not_json = c.Post("/explain", "{", "application/json");
    REQUIRE(not_json);
    CHECK(not_json->status == 400);
    CHECK(s.stop() == 0);
}

TEST_CASE("every bad input gets its 4xx naming the problem, and the service keeps answering", "[programs][serve]") {
    service s({"--max-body-bytes", "4096"});
    auto c = s.client();
    struct bad_case {
        std::string what, method, path, body, content_type;
        int status;
        std::string error;
    };
    const std::vector<bad_case> cases{
        {"malformed JSON", "POST", "/score", "{\"data\": ", "application/json", 400, "malformed JSON"},
        {"not an object", "POST", "/score", "[1, 2, 3]", "application/json", 400, "must be a JSON object"},
        {"missing column", "POST", "/score", with("\"Purpose\"", "\"Purpos\""), "application/json", 400,
         "missing column \"Purpose\""},
        {"wrong type", "POST", "/score", with("\"Age\": [20]", "\"Age\": [\"twenty\"]"), "application/json", 400,
         "column \"Age\", row 0: expected an integer"},
        {"ragged columns", "POST", "/score", with("\"Age\": [20]", "\"Age\": [20, 21]"), "application/json", 400,
         "ragged columns"},
        {"unknown category", "POST", "/score", with("\"radio/TV\"", "\"spaceship\""), "application/json", 400,
         "unknown category \"spaceship\""},
        {"empty body", "POST", "/score", "", "application/json", 400, "empty body"},
        {"wrong content type", "POST", "/score", seed_request, "text/plain", 415, "Content-Type must be application/json"},
        {"oversized body", "POST", "/score", std::string(5000, ' ') + seed_request, "application/json", 413,
         "larger than --max-body-bytes"},
        {"unknown route", "GET", "/nowhere", "", "", 404, "no route GET /nowhere"},
        {"wrong method", "GET", "/score", "", "", 405, "use POST"},
        {"unknown model", "POST", "/v2/models/other/infer", "{}", "application/json", 404, "no model named \"other\""},
    };
    for (const auto& b : cases) {
        INFO(b.what);
        const auto res = b.method == "POST" ? c.Post(b.path, b.body, b.content_type) : c.Get(b.path);
        REQUIRE(res);
        CHECK(res->status == b.status);
        const auto body = nlohmann::json::parse(res->body, nullptr, false);
        REQUIRE(body.is_object());
        CHECK_THAT(body.value("error", std::string()), Catch::Contains(b.error));
        check_seed_scores(c);  // still answering, and correctly
    }
}

TEST_CASE("bearer-token auth guards every route but health", "[programs][serve]") {
    const auto token_file = scratch() / "token";
    std::ofstream(token_file) << "s3cret-token\n";
    service s({"--token-file", token_file.string()});
    auto c = s.client();
    auto res = c.Post("/score", seed_request, "application/json");
    REQUIRE(res);
    CHECK(res->status == 401);
    CHECK_THAT(nlohmann::json::parse(res->body)["error"].get<std::string>(), Catch::Contains("bearer token"));
    res = c.Post("/score", {{"Authorization", "Bearer wrong-token!"}}, seed_request, "application/json");
    CHECK(res->status == 401);
    CHECK(c.Get("/metrics")->status == 401);
    CHECK(c.Get("/v2/health/ready")->status == 200);
    CHECK(c.Get("/v2/health/live")->status == 200);
    c.set_bearer_token_auth("s3cret-token");
    check_seed_scores(c);
}

TEST_CASE("the Open Inference Protocol routes, metrics and OpenAPI", "[programs][serve]") {
    service s;
    auto c = s.client();
    const std::string name = artifact().stem().string();
    CHECK(nlohmann::json::parse(c.Get("/v2/models/" + name + "/ready")->body)["ready"] == true);
    const auto meta = nlohmann::json::parse(c.Get("/v2/models/" + name)->body);
    CHECK(meta["name"] == name);
    CHECK(meta["inputs"].size() == 9);
    CHECK(meta["inputs"][1]["datatype"] == "BYTES");

    nlohmann::json inputs = nlohmann::json::array();
    const auto seed = nlohmann::json::parse(seed_request);  // named: a temporary would die before the loop body
    for (const auto& [column, values] : seed["data"].items())
        inputs.push_back({{"name", column}, {"shape", {1}}, {"datatype", values[0].is_string() ? "BYTES" : "INT64"},
                          {"data", values}});
    const auto res = c.Post("/v2/models/" + name + "/infer", nlohmann::json({{"inputs", inputs}}).dump(), "application/json");
    REQUIRE(res);
    INFO(res->body);
    REQUIRE(res->status == 200);
    const auto out = nlohmann::json::parse(res->body);
    const auto expected = expected_seed_scores();
    CHECK(out["outputs"][0]["name"] == "p_bad");
    CHECK(out["outputs"][0]["data"][0].get<double>() == expected[0]);
    CHECK(out["outputs"][1]["data"][0].get<double>() == expected[1]);

    const auto swagger = nlohmann::json::parse(c.Get("/swagger.json")->body);
    CHECK(swagger["openapi"] == "3.0.3");
    const auto& purpose = swagger["paths"]["/score"]["post"]["requestBody"]["content"]["application/json"]["schema"]
                                 ["properties"]["data"]["properties"]["Purpose"];
    CHECK(purpose["items"]["enum"].size() == 8);
    CHECK(swagger["paths"]["/score"]["post"]["requestBody"]["content"]["application/json"]["example"] ==
          nlohmann::json::parse(seed_request));

    const std::string metrics = c.Get("/metrics")->body;
    CHECK_THAT(metrics, Catch::Contains("ctml_http_requests_total{route=\"/v2/models/{name}/infer\",status=\"200\"} 1"));
    CHECK_THAT(metrics, Catch::Contains("ctml_model_info{name=\"" + name + "\""));
    CHECK_THAT(metrics, Catch::Contains("ctml_rows_scored_total 1"));
    CHECK_THAT(metrics, Catch::Contains("ctml_http_request_duration_seconds_count"));
}

TEST_CASE("credit-serve refuses to start on a model it cannot load or a token file it cannot use",
          "[programs][serve]") {
    const auto refused = [](const std::string& args) {
        const std::string command = std::string(CTML_BIN_DIR "/credit-serve --port 0 ") + args + " 2>" +
                                    (scratch() / "refused.txt").string();
        const int status = std::system(command.c_str());
        std::ifstream err(scratch() / "refused.txt");
        return std::pair{WEXITSTATUS(status), std::string((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>())};
    };
    const auto empty_token = scratch() / "empty-token";
    std::ofstream(empty_token) << "  \n";
    auto [code, text] = refused("--model " + artifact().string() + " --token-file " + empty_token.string());
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("the token file is empty"));
    std::tie(code, text) = refused("--model " + artifact().string() + " --token-file " + (scratch() / "none").string());
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("cannot read the token file"));
    std::tie(code, text) = refused("--model " + artifact().string() + " --expect-sha256 " + std::string(64, '0'));
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("not the expected 000000") && Catch::Contains("refusing to serve it"));
    const auto broken = scratch() / "broken.json";
    std::ofstream(broken) << "{\"format\": \"ctml.model\"";
    std::tie(code, text) = refused("--model " + broken.string());
    CHECK(code == 2);
    CHECK_THAT(text, Catch::Contains("broken.json: not a valid artifact"));
}

namespace {

/// A raw loopback connection, so a test can hold a request half-sent.
class raw_connection {
public:
    explicit raw_connection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        REQUIRE(fd_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { ::close(fd_); }

    void send(std::string_view bytes) const {
        while (!bytes.empty()) {
            const auto sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            REQUIRE(sent > 0);
            bytes.remove_prefix(static_cast<std::size_t>(sent));
        }
    }
    /// Everything the server sends until it closes the connection.
    [[nodiscard]] std::string receive_all() const {
        std::string out;
        char buffer[4096];
        while (true) {
            const auto got = ::recv(fd_, buffer, sizeof buffer, 0);
            if (got <= 0) return out;
            out.append(buffer, static_cast<std::size_t>(got));
        }
    }

private:
    int fd_;
};

}  // namespace

TEST_CASE("SIGTERM lets a request in flight finish, then stops cleanly", "[programs][serve]") {
    service s;
    raw_connection in_flight(s.port());
    // Headers and half the body now; SIGTERM; the rest of the body after it.
    const std::string head = "POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             "Connection: close\r\nContent-Length: " + std::to_string(seed_request.size()) + "\r\n\r\n";
    const std::size_t half = seed_request.size() / 2;
    in_flight.send(head + seed_request.substr(0, half));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the server is now reading the body
    s.signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // shutdown has begun: no new connections
    {
        httplib::Client late("127.0.0.1", s.port());
        late.set_connection_timeout(1, 0);
        CHECK_FALSE(late.Get("/v2/health/live"));
    }
    in_flight.send(seed_request.substr(half));
    const std::string response = in_flight.receive_all();
    REQUIRE_THAT(response, Catch::StartsWith("HTTP/1.1 200"));
    const auto body = nlohmann::json::parse(response.substr(response.find("\r\n\r\n") + 4));
    const auto expected = expected_seed_scores();
    CHECK(body["predict_proba"][0][0].get<double>() == expected[0]);
    CHECK(body["predict_proba"][0][1].get<double>() == expected[1]);
    CHECK(s.wait() == 0);
}

// The ceiling cpp-httplib sets on this machine: a server configured as
// credit-serve is (TCP_NODELAY, keep-alive, a 64-thread pool) that answers
// POST /score with a fixed body, doing no work of its own. bench/compare.py
// builds it and runs the same wrk command against it right after
// credit-serve, so the service's requests/s can be read against what the HTTP
// layer alone reaches on the same cores.
#include <cstdio>
#include <cstdlib>

#include <httplib.h>

int main(int argc, char** argv) {
    httplib::Server server;
    server.set_tcp_nodelay(true);
    server.set_keep_alive_max_count(10000);
    server.set_keep_alive_timeout(1);
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.Post("/score", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"predict_proba":[[0.25,0.75]]})", "application/json");
    });
    const int port = argc > 1 ? std::atoi(argv[1]) : 0;
    const int bound = port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0) return 2;
    std::fprintf(stderr, "listening on http://127.0.0.1:%d\n", bound);
    return server.listen_after_bind() ? 0 : 2;
}

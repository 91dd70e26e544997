// service_process: start a long-running program detached from the caller,
// watch it, and stop it -- what packaging's self-check and deployment need.
//
//   auto pid = ops::start_detached({"bin/credit-serve", "--model", "m.json", "--port", "0"}, "serve.log");
//   ops::wait_for_log_line("serve.log", "listening on", pid, std::chrono::seconds(10));
//   ops::stop_process(pid, std::chrono::seconds(10));
//
// The program runs in a session of its own (setsid), with stdin from
// /dev/null and stdout and stderr appended to the log file, so it outlives the
// program that started it and a terminal's signals do not reach it.
#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctml/ops/ops_error.hpp"

namespace ctml::ops {

/// Starts argv[0] with argv, detached, logging to `log`; returns its pid.
inline pid_t start_detached(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    if (argv.empty()) throw ops_error("start_detached: no program");
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) throw ops_error(log.string() + ": cannot open the log file");
    std::vector<std::string> args = argv;
    std::vector<char*> raw;
    for (auto& a : args) raw.push_back(a.data());
    raw.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(log_fd);
        throw ops_error("cannot start " + argv[0] + ": fork failed");
    }
    if (pid == 0) {  // only async-signal-safe calls from here to exec
        ::setsid();
        const int null_fd = ::open("/dev/null", O_RDONLY);
        if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execv(raw[0], raw.data());
        static const char failed[] = "start_detached: exec failed\n";
        (void)!::write(STDERR_FILENO, failed, sizeof failed - 1);
        ::_exit(127);
    }
    ::close(log_fd);
    return pid;
}

/// Whether pid is a live process (a zombie is not). Reaps it if it is our child and has ended.
[[nodiscard]] inline bool process_alive(pid_t pid) {
    if (pid <= 0) return false;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;  // our child, and it just ended
    if (::kill(pid, 0) != 0) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const auto close = line.rfind(')');  // "pid (comm) S ...": the state follows the command name
    return close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'Z';
}

/// The program's command line, from /proc; empty if it is gone.
[[nodiscard]] inline std::vector<std::string> process_command_line(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::vector<std::string> out;
    std::string arg;
    while (std::getline(in, arg, '\0')) out.push_back(arg);
    return out;
}

/// SIGTERM, then up to `grace` for it to end, then SIGKILL. True when it ended on SIGTERM.
inline bool stop_process(pid_t pid, std::chrono::milliseconds grace) {
    if (!process_alive(pid)) return true;
    ::kill(pid, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_alive(pid)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid, SIGKILL);
    while (process_alive(pid)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return false;
}

/// Whether something accepts TCP connections on 127.0.0.1:port.
[[nodiscard]] inline bool loopback_port_open(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool open = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return open;
}

/// The log's text from byte `from` on.
[[nodiscard]] inline std::string read_log(const std::filesystem::path& log, std::size_t from = 0) {
    std::ifstream in(log, std::ios::binary);
    if (!in) return {};
    in.seekg(static_cast<std::streamoff>(from));
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Waits until a line of the log (from byte `from` on) contains `needle`, and returns it;
/// nothing if pid ends or `timeout` passes first.
[[nodiscard]] inline std::optional<std::string> wait_for_log_line(const std::filesystem::path& log, const std::string& needle,
                                                                  pid_t pid, std::chrono::milliseconds timeout,
                                                                  std::size_t from = 0) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const std::string text = read_log(log, from);
        if (const auto at = text.find(needle); at != std::string::npos) {
            const auto begin = text.rfind('\n', at);
            const auto end = text.find('\n', at);
            return text.substr(begin == std::string::npos ? 0 : begin + 1,
                               end == std::string::npos ? std::string::npos : end - (begin == std::string::npos ? 0 : begin + 1));
        }
        if (!process_alive(pid) || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace ctml::ops

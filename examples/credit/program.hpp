// What every credit-* program shares: the exit-code convention, the one-line
// reason on stderr, and the --workspace / --registry options.
//
//   0  success
//   1  a gate or check says no (refused)
//   2  a usage or input error
//
// A program's body runs inside run_program(); CLI11 parse errors exit 2 with
// CLI11's message, --help exits 0, `refused` exits 1, and any other exception
// exits 2 with its message -- never a crash, never a stack trace.
#pragma once

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace credit {

/// A gate or check said no: exit 1 with this reason.
class refused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Options every program that touches the workspace takes.
struct workspace_options {
    std::string workspace;  ///< empty: $CTML_WORKSPACE, else ./mlops
    std::string registry;   ///< empty: $CTML_REGISTRY, else WORKSPACE/registry.db
};

inline void add_workspace_options(CLI::App& app, workspace_options& o) {
    app.add_option("--workspace", o.workspace, "Workspace directory (default: $CTML_WORKSPACE, else ./mlops)");
    app.add_option("--registry", o.registry,
                   "Registry: an SQLite file or postgresql:// URL (default: $CTML_REGISTRY, else WORKSPACE/registry.db)");
}

/// Messages are one line: artifact errors that list two pipeline structures are folded.
inline std::string one_line(std::string text) {
    for (auto& c : text)
        if (c == '\n') c = ' ';
    return text;
}

template <class Body>
int run_program(const char* name, CLI::App& app, int argc, char** argv, Body&& body) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    try {
        return body();
    } catch (const refused& e) {
        std::fprintf(stderr, "%s: %s\n", name, one_line(e.what()).c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, one_line(e.what()).c_str());
        return 2;
    }
}

}  // namespace credit

// What every credit-* program shares: the exit-code convention, the one-line
// reason on stderr, and the --workspace / --registry options.
//
//   0  success
//   1  a gate or check says no (refused)
//   2  a usage or input error
//
// A program's body runs inside command_line::run() (command_line.hpp): CLI11
// parse errors exit 2 with CLI11's message, --help exits 0, `refused` exits 1,
// and any other exception exits 2 with its message -- never a crash, never a
// stack trace.
#pragma once

#include <stdexcept>
#include <string>

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

/// Messages are one line: artifact errors that list two pipeline structures are folded.
inline std::string one_line(std::string text) {
    for (auto& c : text)
        if (c == '\n') c = ' ';
    return text;
}

}  // namespace credit

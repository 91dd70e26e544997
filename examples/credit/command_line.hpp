// The credit programs' command line: CLI11 behind a small, non-template face.
//
// CLI11 is a header-only library of templates; a program that includes it
// parses and instantiates it in its own translation unit, and with ten
// programs that cost was paid ten times (a four-option program took 11.5 s
// and 370 MB to compile at -O3, most of it CLI11). Here CLI11 is compiled once,
// in command_line.cpp, and a program sees only this header: options bound to
// variables of the few types the programs use, the checks they need, and
// run(), which owns the exit-code convention of program.hpp. Messages are
// CLI11's own, word for word, since CLI11 still does the work.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "credit/program.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace credit {

class command_line {
public:
    /// One option just added; each call refines it and returns it again.
    class option {
    public:
        option& required();
        /// Accept only values in [low, high] (CLI::Range; the bounds' type shapes the message).
        template <class Number>
        option& in_range(Number low, Number high);
        option& positive();      ///< CLI::PositiveNumber
        option& non_negative();  ///< CLI::NonNegativeNumber
        option& show_default();  ///< print the bound variable's initial value in --help
        option& excludes(const option& other);
        option& expected(int values);  ///< for a list option: exactly this many values

    private:
        friend class command_line;
        explicit option(CLI::Option* cli) : cli_(cli) {}
        CLI::Option* cli_;
    };

    command_line(const std::string& description, const std::string& program_name);
    ~command_line();
    command_line(const command_line&) = delete;
    command_line& operator=(const command_line&) = delete;

    /// An option whose value is parsed into `into`: a string, a number or a list of strings.
    template <class Value>
    option add_option(const std::string& flags, Value& into, const std::string& help);
    option add_flag(const std::string& flags, bool& into, const std::string& help);
    /// --workspace and --registry, which every program that touches the workspace takes.
    void add_workspace_options(workspace_options& into);

    /// Parses the arguments and runs `body` under the exit-code convention:
    /// --help exits 0, a usage error exits 2 with CLI11's message, `refused`
    /// exits 1 and any other exception exits 2, each with a one-line reason
    /// on stderr prefixed by the program's name.
    int run(int argc, char** argv, const std::function<int()>& body);

private:
    std::unique_ptr<CLI::App> app_;
    std::string program_name_;
};

}  // namespace credit

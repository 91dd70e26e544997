// The one translation unit that compiles CLI11 for the credit programs.
#include "credit/command_line.hpp"

#include <cstdint>
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

namespace credit {

command_line::command_line(const std::string& description, const std::string& program_name)
    : app_(std::make_unique<CLI::App>(description, program_name)), program_name_(program_name) {}

command_line::~command_line() = default;

command_line::option& command_line::option::required() {
    cli_->required();
    return *this;
}

template <class Number>
command_line::option& command_line::option::in_range(Number low, Number high) {
    cli_->check(CLI::Range(low, high));
    return *this;
}

command_line::option& command_line::option::positive() {
    cli_->check(CLI::PositiveNumber);
    return *this;
}

command_line::option& command_line::option::non_negative() {
    cli_->check(CLI::NonNegativeNumber);
    return *this;
}

command_line::option& command_line::option::show_default() {
    cli_->capture_default_str();
    return *this;
}

command_line::option& command_line::option::excludes(const option& other) {
    cli_->excludes(other.cli_);
    return *this;
}

command_line::option& command_line::option::expected(int values) {
    cli_->expected(values);
    return *this;
}

template <class Value>
command_line::option command_line::add_option(const std::string& flags, Value& into, const std::string& help) {
    return option(app_->add_option(flags, into, help));
}

command_line::option command_line::add_flag(const std::string& flags, bool& into, const std::string& help) {
    return option(app_->add_flag(flags, into, help));
}

void command_line::add_workspace_options(workspace_options& into) {
    add_option("--workspace", into.workspace, "Workspace directory (default: $CTML_WORKSPACE, else ./mlops)");
    add_option("--registry", into.registry,
               "Registry: an SQLite file or postgresql:// URL (default: $CTML_REGISTRY, else WORKSPACE/registry.db)");
}

int command_line::run(int argc, char** argv, const std::function<int()>& body) {
    try {
        app_->parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app_->exit(e);
        return rc == 0 ? 0 : 2;
    }
    try {
        return body();
    } catch (const refused& e) {
        std::fprintf(stderr, "%s: %s\n", program_name_.c_str(), one_line(e.what()).c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program_name_.c_str(), one_line(e.what()).c_str());
        return 2;
    }
}

// The types the programs bind options to. unsigned long and unsigned long long
// are both listed so std::size_t and std::uint64_t are covered on every ABI.
template command_line::option& command_line::option::in_range(int, int);
template command_line::option& command_line::option::in_range(double, double);
template command_line::option& command_line::option::in_range(unsigned long, unsigned long);
template command_line::option& command_line::option::in_range(unsigned long long, unsigned long long);
template command_line::option command_line::add_option(const std::string&, std::string&, const std::string&);
template command_line::option command_line::add_option(const std::string&, int&, const std::string&);
template command_line::option command_line::add_option(const std::string&, double&, const std::string&);
template command_line::option command_line::add_option(const std::string&, unsigned long&, const std::string&);
template command_line::option command_line::add_option(const std::string&, unsigned long long&, const std::string&);
template command_line::option command_line::add_option(const std::string&, std::vector<std::string>&,
                                                       const std::string&);

}  // namespace credit

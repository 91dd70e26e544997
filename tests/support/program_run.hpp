// Running a credit-* program as a user does, for the program tests: a real
// process through the shell, stdout and stderr captured to files in the
// test's scratch directory; and the credit model those tests give it.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include <ctml/io.hpp>

#include "credit/credit_pipeline.hpp"
#include "support/sklearn_fixture.hpp"

namespace test_support {

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct program_outcome {
    int exit_code;
    std::string out, err;
};

/// Runs `command` (shell words) with stdout and stderr captured under `scratch`.
inline program_outcome run_program(const std::string& command, const std::filesystem::path& scratch) {
    const auto out = scratch / "stdout.txt", err = scratch / "stderr.txt";
    const int status = std::system((command + " >" + out.string() + " 2>" + err.string()).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
}

/// The credit model fitted on every row of the data set, saved with its training statistics at `path`.
inline void save_credit_model(const std::filesystem::path& path) {
    const auto features = credit_data().select<credit::feature_schema>();
    const auto model = credit::model().fit(features, credit_labels());
    ctml::save(model, path, ctml::describe_training_data(features, model), {}, {"bad", "good"});
}

}  // namespace test_support

// ops_error: why an MLOps operation could not be carried out -- a workspace,
// run, registry or artifact that is missing, malformed or not to be trusted.
// The message names the thing and the problem; programs print it as their
// one-line reason and exit 2.
#pragma once

#include <stdexcept>

namespace ctml::ops {

class ops_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace ctml::ops

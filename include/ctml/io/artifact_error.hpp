// artifact_error: why a model artifact could not be read or trusted. The
// message names the file and the field (a JSON path such as
// `steps[0].groups[1].stage.state.scale[2]`) and what was wrong there.
#pragma once

#include <stdexcept>
#include <string>

namespace ctml {

class artifact_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace ctml

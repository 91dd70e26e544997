// Reading format 1. Leaf steps were written as format 2 writes them, less the
// step version; composites had shapes of their own. upgrade_v1_steps rewrites
// those shapes in place so the one decoder reads both formats:
//
//   format 1                                         format 2
//   {"stage":"pipeline","steps":[...]}               {"stage":"pipeline","params":{},"steps":[...]}
//   {"stage":"column_transformer","remainder":R,     {"stage":"column_transformer","params":{"remainder":R},
//    "groups":[{"name":N,"columns":C,"stage":S}]}     "groups":[{"stage":"column_group",
//                                                               "params":{"name":N,"columns":C},"steps":[S]}]}
//
// Anything malformed is left as found, for the decoder to report.
#pragma once

#include <nlohmann/json.hpp>

namespace ctml::detail {

inline void upgrade_v1_step(nlohmann::json& step) {
    if (!step.is_object() || !step.contains("stage") || !step["stage"].is_string()) return;
    const std::string stage = step["stage"];
    if (stage == "pipeline") {
        if (!step.contains("params")) step["params"] = nlohmann::json::object();
        if (step.contains("steps") && step["steps"].is_array())
            for (auto& s : step["steps"]) upgrade_v1_step(s);
    } else if (stage == "column_transformer") {
        if (!step.contains("params") && step.contains("remainder")) {
            step["params"] = {{"remainder", step["remainder"]}};
            step.erase("remainder");
        }
        if (!step.contains("groups") || !step["groups"].is_array()) return;
        for (auto& group : step["groups"]) {
            if (!group.is_object() || group.contains("params") || !group.contains("stage")) continue;
            nlohmann::json child = group["stage"];
            upgrade_v1_step(child);
            nlohmann::json params = nlohmann::json::object();
            if (group.contains("name")) params["name"] = group["name"];
            if (group.contains("columns")) params["columns"] = group["columns"];
            group = {{"stage", "column_group"}, {"params", params}, {"steps", nlohmann::json::array({child})}};
        }
    }
}

inline void upgrade_v1_steps(nlohmann::json& steps) {
    if (!steps.is_array()) return;
    for (auto& s : steps) upgrade_v1_step(s);
}

}  // namespace ctml::detail

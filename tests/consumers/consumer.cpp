// A consumer of ctml: builds a frame and reads it back. Shared by the
// find_package and add_subdirectory consumer tests.
#include <ctml/ctml.hpp>

int main() {
    using s = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>>;
    ctml::frame_builder<s> builder;
    ctml::record<s> row;
    row.set<"Age">(42).set<"Sex">(std::string("female"));
    builder.push_back(row);
    const auto table = std::move(builder).finish();
    return table.rows() == 1 && table.column<"Age">()[0] == 42 && table.column<"Sex">().value(0) == "female" ? 0 : 1;
}

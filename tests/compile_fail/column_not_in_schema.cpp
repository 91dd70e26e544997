// Asking a schema for a column it lacks fails at the user's line and names the column.
// expect: fixed_string<5>."Agee".*column not in schema
#include <ctml/ctml.hpp>

using credit = ctml::schema<ctml::column<"Age", int>, ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>>;

int main() {
#ifdef CTML_MUST_NOT_COMPILE
    ctml::frame<credit> f;
    return static_cast<int>(f.column<"Agee">().size());
#else
    ctml::frame<credit> f;
    return static_cast<int>(f.column<"Saving accounts">().size());
#endif
}

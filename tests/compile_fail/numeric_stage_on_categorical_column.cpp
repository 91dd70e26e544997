// A numeric-only stage routed to a categorical column fails when the group is
// fitted; the instantiation names both the stage and the column ("Sex").
// expect: numeric_stage_requires_numeric_column<ctml::fixed_string<16>."standard_scaler"., ctml::fixed_string<4>."Sex"., false>.*numeric-only stage was routed to a categorical
#include <ctml/ctml.hpp>

using people = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>>;

int main() {
    const ctml::frame<people> frame;
#ifdef CTML_MUST_NOT_COMPILE
    const auto fitted = ctml::column_transformer{ctml::on<"Sex">(ctml::standard_scaler{})}.fit(frame);
#else
    const auto fitted = ctml::column_transformer{ctml::on<"Age">(ctml::standard_scaler{})}.fit(frame);
#endif
    return fitted.n_features_out();
}

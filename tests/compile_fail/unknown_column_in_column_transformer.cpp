// A column_transformer group that names a column the frame's schema lacks
// fails when it is fitted, and the diagnostic names the column ("Agee").
// expect: fixed_string<5>."Agee".*column not in schema
#include <ctml/ctml.hpp>

// The German credit columns that matter here (examples/credit/credit_schema.hpp has them all).
using credit = ctml::schema<ctml::column<"Age", long>, ctml::column<"Sex", ctml::categorical>,
                            ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>,
                            ctml::column<"Duration", long>>;

int main() {
    const ctml::frame<credit> frame;
#ifdef CTML_MUST_NOT_COMPILE
    const auto fitted = ctml::column_transformer{ctml::on<"Agee">(ctml::standard_scaler{})}.fit(frame);
#else
    const auto fitted = ctml::column_transformer{ctml::on<"Age">(ctml::standard_scaler{})}.fit(frame);
#endif
    return fitted.n_features_out();
}

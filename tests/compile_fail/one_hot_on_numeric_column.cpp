// A one_hot_encoder given a numeric column fails at fit, naming the column ("Age").
// expect: one_hot_encoder_requires_non_nullable_categorical_column<ctml::fixed_string<4>."Age"., false>.*one_hot_encoder needs non-nullable categorical columns
#include <ctml/ctml.hpp>

using people = ctml::schema<ctml::column<"Age", int>, ctml::column<"Sex", ctml::categorical>>;

int main() {
    const ctml::frame<people> frame;
#ifdef CTML_MUST_NOT_COMPILE
    const auto fitted = ctml::one_hot_encoder{}.fit(frame);
#else
    const auto fitted = ctml::one_hot_encoder{}.fit(frame.select<"Sex">());
#endif
    return fitted.n_features_out();
}

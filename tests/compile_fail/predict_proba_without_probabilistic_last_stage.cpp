// predict_proba exists only on a fitted pipeline whose last stage is a
// probabilistic classifier; a transformer-only pipeline says so.
// expect: predict_proba needs a pipeline whose last stage is a probabilistic classifier
#include <ctml/ctml.hpp>

using answers = ctml::schema<ctml::column<"Saving accounts", ctml::nullable<ctml::categorical>>>;

int main() {
    const ctml::frame<answers> frame;
    const auto fitted =
        (ctml::simple_imputer{.strategy = ctml::impute_strategy::constant} | ctml::one_hot_encoder{}).fit(frame);
#ifdef CTML_MUST_NOT_COMPILE
    fitted.predict_proba(frame);
    return 0;
#else
    const auto features = fitted.transform(frame);
    return static_cast<int>(features.cols());
#endif
}

#include "optscale/predict/predictor_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <fstream>
#include <sstream>

#include "optscale/predict/binary_codec.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"
#include "optscale/util/input_file.hpp"
#include "optscale/util/json_limits.hpp"
#include "optscale/util/json_fields.hpp"

namespace optscale::predict {

namespace {

// The heads and the stacker are linear in the transformed space, and a model
// file can make them as large as it likes; exp() of such a value overflows.
// At +-700 the inverse transforms are already at the ends of what a prior can
// mean (exp(700) ~ 1e304: a flat sigma, a mu that far outside [0, 1]), so the
// transformed values are clipped there and every prediction is finite.
// A NaN (terms of both infinite signs, e.g. a zero weight on an overflowing
// feature) has no end to be clipped to: the text is refused, naming why.
constexpr double kTransformedLimit = 700.0;
double clip_transformed(double t) {
  if (std::isnan(t))
    throw Error("predictor model: the prediction for this problem is not a number (the model's weights and "
                "feature scales overflow on its text: a corrupt or hand-edited model file?)");
  return std::clamp(t, -kTransformedLimit, kTransformedLimit);
}

}  // namespace

Prediction PredictorModel::predict_row(const SparseRow& row) const {
  double t_mu = clip_transformed(mu_head.predict_transformed(row));
  double t_sigma = clip_transformed(sigma_head.predict_transformed(row));
  if (stacker) {
    const auto stacked = stacker->apply(t_mu, t_sigma);
    t_mu = clip_transformed(stacked[0]);
    t_sigma = clip_transformed(stacked[1]);
  }
  Prediction p;
  p.mu = mu_head.transform.inverse(t_mu);
  p.sigma = std::max(sigma_head.transform.inverse(t_sigma), sigma_floor);
  // Clipped transformed values and bounded stacking coefficients (checked
  // at load) leave no way to NaN or inf here.
  OPTSCALE_INVARIANT(std::isfinite(p.mu) && std::isfinite(p.sigma), "predictor prediction mu " + std::to_string(p.mu) +
                                                                         ", sigma " + std::to_string(p.sigma));
  std::tie(p.mu_std, p.sigma_std) = uncertainty.lookup(p.mu);
  return p;
}

std::vector<Prediction> PredictorModel::predict_rows(const FeatureMatrix& rows) const {
  std::vector<Prediction> out;
  out.reserve(rows.rows());
  for (std::size_t r = 0; r < rows.rows(); ++r) out.push_back(predict_row(rows.row(r)));
  return out;
}

std::vector<Prediction> PredictorModel::predict_texts(std::span<const std::string> texts) const {
  require(features != nullptr, "predictor model", "no featurizer");
  return predict_rows(features->transform_all(texts));
}

namespace {

nlohmann::json head_to_json(const LinearHead& head, std::span<const std::uint32_t> columns) {
  std::vector<float> values;
  values.reserve(columns.size());
  for (auto c : columns) values.push_back(head.weights[c]);
  return {{"transform", head.transform.to_json()},
          {"lambda", head.lambda},
          {"intercept", head.intercept},
          {"weights_float32_base64", encode_floats(values)}};
}

LinearHead head_from_json(const nlohmann::json& j, std::span<const std::uint32_t> columns,
                          std::size_t dimension, const std::string& where) {
  LinearHead head;
  head.transform = TargetTransform::from_json(j.at("transform"));
  head.lambda = util::json_number(util::json_field(j, "lambda", where + ".lambda"), where + ".lambda");
  head.intercept = util::json_number(util::json_field(j, "intercept", where + ".intercept"), where + ".intercept");
  const auto values = decode_floats(
      util::json_string(util::json_field(j, "weights_float32_base64", where + ".weights_float32_base64"),
                        where + ".weights_float32_base64"),
      columns.size(), where + ".weights_float32_base64");
  head.weights.assign(dimension, 0.0f);
  for (std::size_t k = 0; k < columns.size(); ++k) head.weights[columns[k]] = values[k];
  return head;
}

}  // namespace

nlohmann::json model_to_json(const PredictorModel& model) {
  require(model.features != nullptr, "model_to_json", "no featurizer");
  const std::size_t dimension = model.features->dimension();
  require(model.mu_head.weights.size() == dimension && model.sigma_head.weights.size() == dimension,
          "model_to_json", "head weights do not match the feature dimension");
  // Only columns where a head has a weight are stored (about half of the
  // hashed buckets are never seen in training).
  std::vector<std::uint32_t> columns;
  for (std::size_t c = 0; c < dimension; ++c) {
    if (model.mu_head.weights[c] != 0.0f || model.sigma_head.weights[c] != 0.0f) {
      columns.push_back(static_cast<std::uint32_t>(c));
    }
  }
  return {{"format", kModelFormat},
          {"format_version", kModelFormatVersion},
          {"features", model.features->to_json()},
          {"weight_columns", columns.size()},
          {"weight_columns_uint32_base64", encode_uint32s(columns)},
          {"heads", {{"mu", head_to_json(model.mu_head, columns)},
                     {"sigma", head_to_json(model.sigma_head, columns)}}},
          {"stacking", model.stacker ? model.stacker->to_json() : nlohmann::json()},
          {"sigma_floor", model.sigma_floor},
          {"uncertainty", model.uncertainty.to_json()},
          {"constant_baseline", {{"mu", model.training_mu_mean}, {"sigma", model.training_sigma_mean}}},
          {"training", model.training},
          {"validation", model.validation}};
}

PredictorModel model_from_json(const nlohmann::json& j, const FeaturizerOverrides& overrides) {
  const std::string where = "predictor model";
  require(j.is_object() && j.value("format", "") == kModelFormat, where,
          [&] { return std::string("not an optscale predictor model (\"format\" must be \"") + kModelFormat + "\")"; });
  require(j.contains("format_version"), where, "missing format_version");
  // Read whole, never narrowed: 4294967297 must not pass as 1.
  const long long version = util::json_integer(j["format_version"], where + ".format_version", 0,
                                               std::numeric_limits<long long>::max());
  require(version == kModelFormatVersion, where,
          [&] { return "format_version " + std::to_string(version) + " is not supported (this program reads " +
              std::to_string(kModelFormatVersion) + ")"; });
  PredictorModel model;
  try {
    model.features = featurizer_from_json(j.at("features"), overrides);
    const std::size_t dimension = model.features->dimension();
    const auto count = static_cast<std::size_t>(util::json_integer(
        util::json_field(j, "weight_columns", where + ".weight_columns"), where + ".weight_columns", 0,
        static_cast<long long>(dimension)));
    const auto columns = decode_uint32s(
        util::json_string(util::json_field(j, "weight_columns_uint32_base64", where + ".weight_columns_uint32_base64"),
                          where + ".weight_columns_uint32_base64"),
        count, where + ".weight_columns_uint32_base64");
    for (std::size_t k = 0; k < columns.size(); ++k) {
      if (columns[k] >= dimension || (k > 0 && columns[k] <= columns[k - 1])) {
        throw Error(where + ": weight columns must be increasing and below the feature dimension");
      }
    }
    model.mu_head = head_from_json(j.at("heads").at("mu"), columns, dimension, where + ".heads.mu");
    model.sigma_head =
        head_from_json(j.at("heads").at("sigma"), columns, dimension, where + ".heads.sigma");
    if (!j.at("stacking").is_null()) model.stacker = PairStacker::from_json(j["stacking"]);
    model.sigma_floor = util::json_number(util::json_field(j, "sigma_floor", where + ".sigma_floor"), where + ".sigma_floor");
    require(std::isfinite(model.sigma_floor) && model.sigma_floor > 0.0, where,
            "sigma_floor must be finite and > 0");
    model.uncertainty = ResidualUncertainty::from_json(j.at("uncertainty"));
    const auto& baseline = util::json_field(j, "constant_baseline", where + ".constant_baseline");
    model.training_mu_mean =
        util::json_number(util::json_field(baseline, "mu", where + ".constant_baseline.mu"), where + ".constant_baseline.mu");
    model.training_sigma_mean = util::json_number(util::json_field(baseline, "sigma", where + ".constant_baseline.sigma"),
                                                  where + ".constant_baseline.sigma");
    model.training = j.value("training", nlohmann::json());
    model.validation = j.value("validation", nlohmann::json());
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": " + e.what());
  }
  return model;
}

void save_model(const PredictorModel& model, const std::filesystem::path& path) {
  const std::string text = model_to_json(model).dump(1) + "\n";
  std::ofstream out(path, std::ios::binary);
  require(static_cast<bool>(out), path.string(), "cannot open for writing");
  out << text;
  require(static_cast<bool>(out), path.string(), "write failed");
}

PredictorModel load_model(const std::filesystem::path& path, const FeaturizerOverrides& overrides) {
  std::ifstream in = open_for_reading(path, "predictor model");
  nlohmann::json j;
  try {
    j = util::parse_json(std::string(std::istreambuf_iterator<char>(in), {}), path.string());
  } catch (const util::JsonInputError& e) {
    if (e.kind() != util::JsonInputError::Kind::syntax) throw;
    throw Error(path.string() + ": malformed JSON (" + e.reason() + ")");
  }
  try {
    return model_from_json(j, overrides);
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
}

}  // namespace optscale::predict

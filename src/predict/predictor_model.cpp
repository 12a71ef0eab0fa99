#include "optscale/predict/predictor_model.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "optscale/predict/binary_codec.hpp"
#include "optscale/util/error.hpp"
#include "optscale/util/input_file.hpp"

namespace optscale::predict {

Prediction PredictorModel::predict_row(const SparseRow& row) const {
  double t_mu = mu_head.predict_transformed(row);
  double t_sigma = sigma_head.predict_transformed(row);
  if (stacker) {
    const auto stacked = stacker->apply(t_mu, t_sigma);
    t_mu = stacked[0];
    t_sigma = stacked[1];
  }
  Prediction p;
  p.mu = mu_head.transform.inverse(t_mu);
  p.sigma = std::max(sigma_head.transform.inverse(t_sigma), sigma_floor);
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
  head.lambda = j.at("lambda").get<double>();
  head.intercept = j.at("intercept").get<double>();
  require(std::isfinite(head.intercept), where, "intercept must be finite");
  const auto values = decode_floats(j.at("weights_float32_base64").get<std::string>(),
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
          std::string("not an optscale predictor model (\"format\" must be \"") + kModelFormat + "\")");
  require(j.contains("format_version") && j["format_version"].is_number_integer(), where,
          "missing format_version");
  const int version = j["format_version"].get<int>();
  require(version == kModelFormatVersion, where,
          "format_version " + std::to_string(version) + " is not supported (this program reads " +
              std::to_string(kModelFormatVersion) + ")");
  PredictorModel model;
  try {
    model.features = featurizer_from_json(j.at("features"), overrides);
    const std::size_t dimension = model.features->dimension();
    const auto count = j.at("weight_columns").get<std::size_t>();
    require(count <= dimension, where, "more weight columns than features");
    const auto columns = decode_uint32s(j.at("weight_columns_uint32_base64").get<std::string>(),
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
    model.sigma_floor = j.at("sigma_floor").get<double>();
    require(std::isfinite(model.sigma_floor) && model.sigma_floor > 0.0, where,
            "sigma_floor must be finite and > 0");
    model.uncertainty = ResidualUncertainty::from_json(j.at("uncertainty"));
    model.training_mu_mean = j.at("constant_baseline").at("mu").get<double>();
    model.training_sigma_mean = j.at("constant_baseline").at("sigma").get<double>();
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
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(path.string() + ": malformed JSON (" + e.what() + ")");
  }
  try {
    return model_from_json(j, overrides);
  } catch (const Error& e) {
    throw Error(path.string() + ": " + e.what());
  }
}

}  // namespace optscale::predict

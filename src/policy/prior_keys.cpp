#include "prior_keys.hpp"

#include "optscale/util/error.hpp"

namespace optscale::policy::detail {

std::optional<PriorSource> read_prior_source(SpecReader& reader) {
  const bool has_predictor = reader.has("predictor");
  const bool has_priors = reader.has("priors");
  if (has_predictor && has_priors) reader.fail("give predictor=PATH or priors=PATH, not both");
  if (has_predictor) return PriorSource{PriorSource::Kind::model, reader.text("predictor")};
  if (has_priors) return PriorSource{PriorSource::Kind::priors_file, reader.text("priors")};
  return std::nullopt;
}

void write_prior_source(SpecWriter& writer, const std::optional<PriorSource>& source) {
  if (!source) return;
  writer.add(source->kind == PriorSource::Kind::model ? "predictor" : "priors", source->path);
}

void require_prior_resolved(const ProblemInfo& problem, const std::optional<PriorSource>& source,
                            const std::string& who) {
  if (!source || source->has_key(problem.prior_source)) return;
  throw Error(who + " on problem '" + problem.id + "': the spec names " + source->key() +
              " but the problem's prior " +
              (problem.prior_source.empty() ? std::string("is its own")
                                            : "came from " + problem.prior_source) +
              " (the runner must resolve the spec's source: predict::resolve_priors)");
}

}  // namespace optscale::policy::detail

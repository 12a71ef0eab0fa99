#include "optscale/engine/priors.hpp"

namespace optscale::engine {
namespace {

std::vector<predict::ProblemRef> refs_of(const std::vector<Problem>& problems) {
  std::vector<predict::ProblemRef> refs;
  refs.reserve(problems.size());
  for (const Problem& p : problems) refs.push_back(predict::ProblemRef{p.text, p.id});
  return refs;
}

void assign(const std::vector<predict::Prediction>& predictions, const std::string& source,
            std::vector<Problem>& problems) {
  for (std::size_t i = 0; i < problems.size(); ++i) {
    problems[i].prior = std::array<double, 2>{predictions[i].mu, predictions[i].sigma};
    problems[i].prior_std = std::array<double, 2>{predictions[i].mu_std, predictions[i].sigma_std};
    problems[i].prior_source = source;
  }
}

}  // namespace

void apply_prior_source(const policy::PriorSource& source, std::vector<Problem>& problems) {
  assign(predict::resolve_priors(source, refs_of(problems)), source.key(), problems);
}

void apply_priors(const std::filesystem::path& path, std::vector<Problem>& problems) {
  apply_prior_source(policy::PriorSource{policy::PriorSource::Kind::priors_file, path.string()}, problems);
}

void apply_predictor(const predict::Predictor& predictor, std::vector<Problem>& problems) {
  assign(predict::predict_priors(predictor, refs_of(problems)), "", problems);
}

}  // namespace optscale::engine

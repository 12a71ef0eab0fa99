#include "probe_prefetch.hpp"

#include <variant>

#include "optscale/answers/answers.hpp"
#include "optscale/util/invariant.hpp"

namespace optscale::engine {

std::vector<policy::Observation> ProbePrefetch::probe(std::size_t index, int count) {
  const int i = static_cast<int>(index);
  // Look ahead only after a few probes in a row (not for a binary search
  // that happens to judge two neighbours).
  streak_ = last_probe_ == std::pair<int, int>{i - 1, count} ? streak_ + 1 : 0;
  last_probe_ = {i, count};
  std::vector<int> targets{i};
  if (streak_ >= 2)
    for (int j = i + 1; j < static_cast<int>(problems_.size()) && j <= i + lookahead_; ++j) targets.push_back(j);
  store_.begin();
  for (int j : targets)
    if (!probing_.count(j)) start(j, count);
  while (probing_.count(i)) {
    if (host_.interrupted()) host_.abort("interrupted");
    if (host_.aborted()) break;
    for (Event& event : events_.take_all(std::chrono::milliseconds(100))) handle(event);
  }
  settle();
  const std::vector<store::StoredSample> stored = store_.load_samples(i);
  answers::AnswerClasses classes(grouping_);
  std::vector<policy::Observation> observations;
  for (int draw = 0; draw < count; ++draw) {
    const store::StoredSample& s = stored.at(static_cast<std::size_t>(draw));
    OPTSCALE_INVARIANT(s.draw == draw && s.score, "probe of problem " + problems_[index].id + " incomplete");
    classes.add(answers::extract_answer(s.text));
    policy::Observation o;
    o.score = *s.score;
    o.tokens = s.tokens;
    o.empty = s.text.empty();
    observations.push_back(o);
  }
  const std::vector<int> labels = classes.classes();
  for (std::size_t k = 0; k < observations.size(); ++k) observations[k].answer_class = labels[k];
  return observations;
}

void ProbePrefetch::finish() {
  store_.begin();
  while (!probing_.empty() && !host_.aborted()) {
    if (host_.interrupted()) host_.abort("interrupted");
    for (Event& event : events_.take_all(std::chrono::milliseconds(100))) handle(event);
  }
  settle();
}

void ProbePrefetch::settle() {
  // An interrupt can end the probe's last tasks as cancelled rather than
  // done: the probe is then incomplete, and the run stops as interrupted.
  if (!host_.aborted() && host_.interrupted()) host_.abort("interrupted");
  store_.commit();
  host_.throw_if_aborted();
}

// Queues whatever draws 0..count-1 of problem j still need.
void ProbePrefetch::start(int j, int count) {
  const Problem* problem = &problems_[static_cast<std::size_t>(j)];
  const std::vector<store::StoredSample> stored = store_.load_samples(j);
  std::vector<bool> have(static_cast<std::size_t>(count), false);
  std::vector<int> unscored;
  std::vector<std::string> texts;
  for (const store::StoredSample& s : stored) {
    if (s.draw >= count) continue;
    have[static_cast<std::size_t>(s.draw)] = true;
    if (!s.score) {
      unscored.push_back(s.draw);
      texts.push_back(s.text);
    }
  }
  int tasks = 0;
  for (int draw = 0; draw < count;) {
    if (have[static_cast<std::size_t>(draw)]) {
      ++draw;
      continue;
    }
    int end = draw;
    while (end < count && !have[static_cast<std::size_t>(end)]) ++end;
    tasks += tasks_.generate(j, problem, cancel_, draw, end - draw);
    draw = end;
  }
  tasks += tasks_.score(j, problem, cancel_, unscored, texts);
  if (tasks > 0) probing_[j] = tasks;
}

// An event of a probe task: stored, nothing else (no policy runs yet).
void ProbePrefetch::handle(Event& event) {
  if (auto* at = std::get_if<Attempted>(&event)) return records_.attempt(*at);
  if (auto* f = std::get_if<Failed>(&event)) {
    task_done(f->problem);
    return host_.abort("problem " + problems_[static_cast<std::size_t>(f->problem)].id + ": " + f->message);
  }
  if (auto* c = std::get_if<Cancelled>(&event)) return task_done(c->problem);
  if (auto* g = std::get_if<Generated>(&event)) {
    for (std::size_t k = 0; k < g->samples.size(); ++k)
      records_.drawn(g->problem, g->first_draw + static_cast<int>(k), g->samples[k]);
    const int got = static_cast<int>(g->samples.size());
    const int batch = tasks_.scoring_batch();
    probing_[g->problem] += (got + batch - 1) / batch;
    if (got < g->asked && !host_.aborted())
      probing_[g->problem] += tasks_.generate(g->problem, &problems_[static_cast<std::size_t>(g->problem)], cancel_,
                                              g->first_draw + got, g->asked - got);
    return task_done(g->problem);
  }
  if (auto* sc = std::get_if<Scored>(&event)) {
    for (std::size_t k = 0; k < sc->draws.size(); ++k) {
      if (!records_.scored(sc->problem, sc->draws[k], sc->scores[k])) {
        // A cross-problem strategy's plan needs every probe's score.
        store_.record_issue(sc->problem, store::SampleIssue{sc->draws[k], "failed", "score", sc->scores[k].failure});
        host_.abort("problem " + problems_[static_cast<std::size_t>(sc->problem)].id + ": probe sample " +
                    std::to_string(sc->draws[k]) + " could not be scored (" + sc->scores[k].failure +
                    "); the strategy plans across problems from its probes, so the run stops");
      }
    }
    return task_done(sc->problem);
  }
}

void ProbePrefetch::task_done(int problem) {
  if (--probing_[problem] <= 0) probing_.erase(problem);
}

}  // namespace optscale::engine

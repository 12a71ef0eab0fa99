#include "draw_tasks.hpp"

#include <algorithm>

#include "optscale/util/error.hpp"
#include "optscale/util/hash.hpp"

namespace optscale::engine {

std::uint64_t jitter_seed(long long seed, int problem, int draw, char kind) {
  std::string key = std::to_string(seed) + ':' + std::to_string(problem) + ':' + std::to_string(draw) + kind;
  return util::fnv1a64(key);
}

// The one place an engine task's exceptions end: whatever a task did not
// report itself becomes its problem's failure (the run stops with a message
// naming the problem and keeps its work for --resume), never
// std::terminate on a worker thread.
template <typename Task>
void DrawTasks::submit(WorkerPool::Key key, int index, Task task) {
  workers_.submit(key, [this, index, task = std::move(task)]() mutable {
    try {
      task();
    } catch (...) {
      events_.push(Failed{index, exception_message(std::current_exception())});
    }
  });
}

// Calls fn(draws, texts) per chunk of the scorer's batch size.
template <typename Fn>
void DrawTasks::for_each_chunk(const std::vector<int>& draws, const std::vector<std::string>& texts, Fn fn) const {
  const std::size_t batch = static_cast<std::size_t>(scoring_batch());
  for (std::size_t at = 0; at < draws.size(); at += batch) {
    const std::size_t end = std::min(draws.size(), at + batch);
    fn(std::vector<int>(draws.begin() + static_cast<long>(at), draws.begin() + static_cast<long>(end)),
       std::vector<std::string>(texts.begin() + static_cast<long>(at), texts.begin() + static_cast<long>(end)));
  }
}

int DrawTasks::generate(int index, const Problem* problem, const std::shared_ptr<std::atomic<bool>>& cancel,
                        int first, int count) {
  const int per_request = std::max(1, generator_.samples_per_request());
  int tasks = 0;
  for (int start = first; start < first + count; start += per_request) {
    const int n = std::min(per_request, first + count - start);
    ++tasks;
    const Clock::time_point submitted = Clock::now();
    submit({index, start}, index, [this, index, problem, cancel, start, n, submitted] {
      if (cancel->load()) return events_.push(Cancelled{index});
      const Clock::time_point started = Clock::now();
      backend::RequestContext context;
      context.cancel = cancel.get();
      context.jitter_seed = jitter_seed(seed_, index, start, 'g');
      // Attempts travel with the task's outcome: one hand-over, in order.
      std::vector<Event> out;
      context.on_attempt = [&out, index, start, n](const backend::AttemptRecord& r) {
        out.push_back(Attempted{index, "generate", start, n, r});
      };
      std::vector<backend::GeneratedSample> samples;
      try {
        samples = generator_.generate(problem->text, seed_ + start, n, context);
      } catch (const backend::RequestCancelled&) {
        out.push_back(Cancelled{index});
        return events_.push_all(std::move(out));
      } catch (const backend::BackendError& e) {
        out.push_back(Failed{index, e.what(), backend::is_sample_specific(e), start, n});
        return events_.push_all(std::move(out));
      } catch (...) {
        out.push_back(Failed{index, exception_message(std::current_exception())});
        return events_.push_all(std::move(out));
      }
      std::vector<int> draws;
      std::vector<std::string> texts;
      for (std::size_t j = 0; j < samples.size(); ++j) {
        draws.push_back(start + static_cast<int>(j));
        texts.push_back(samples[j].text);
      }
      out.push_back(Generated{index, start, n, std::move(samples), {submitted, started, Clock::now()}});
      events_.push_all(std::move(out));
      const Clock::time_point scoring = Clock::now();
      for_each_chunk(draws, texts, [&](std::vector<int> chunk, std::vector<std::string> chunk_texts) {
        score_now(index, problem, *cancel, std::move(chunk), chunk_texts, scoring);
      });
    });
  }
  return tasks;
}

int DrawTasks::score(int index, const Problem* problem, const std::shared_ptr<std::atomic<bool>>& cancel,
                     const std::vector<int>& draws, const std::vector<std::string>& texts) {
  int tasks = 0;
  for_each_chunk(draws, texts, [&](std::vector<int> chunk, std::vector<std::string> chunk_texts) {
    ++tasks;
    const Clock::time_point submitted = Clock::now();
    const WorkerPool::Key key{index, chunk.front()};
    submit(key, index, [this, index, problem, cancel, chunk = std::move(chunk), chunk_texts = std::move(chunk_texts),
                        submitted]() mutable {
      score_now(index, problem, *cancel, std::move(chunk), chunk_texts, submitted);
    });
  });
  return tasks;
}

// Scores one chunk on this thread and reports it (any thread).
void DrawTasks::score_now(int index, const Problem* problem, const std::atomic<bool>& cancel, std::vector<int> chunk,
                          const std::vector<std::string>& texts, Clock::time_point submitted) {
  if (cancel.load() || !scoring_slots_.acquire(cancel)) return events_.push(Cancelled{index});
  const Clock::time_point started = Clock::now();
  backend::RequestContext context;
  context.cancel = &cancel;
  context.jitter_seed = jitter_seed(seed_, index, chunk.front(), 's');
  const int first = chunk.front(), count = static_cast<int>(chunk.size());
  std::vector<Event> out;
  context.on_attempt = [&out, index, first, count](const backend::AttemptRecord& r) {
    out.push_back(Attempted{index, "score", first, count, r});
  };
  try {
    auto scores = scorer_.score(problem->text, texts, context);
    out.push_back(Scored{index, std::move(chunk), std::move(scores), {submitted, started, Clock::now()}});
  } catch (const backend::RequestCancelled&) {
    out.push_back(Cancelled{index});
  } catch (...) {
    out.push_back(Failed{index, exception_message(std::current_exception())});
  }
  scoring_slots_.release();
  events_.push_all(std::move(out));
}

}  // namespace optscale::engine

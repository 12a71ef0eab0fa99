// The run database: what is committed survives a killed process, nothing can
// be stored twice, and a resume with other settings or problems is refused.
#include "optscale/store/run_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <unistd.h>

#include "optscale/util/error.hpp"
#include "optscale/util/invariant.hpp"
#include "test_support.hpp"

namespace optscale::store {
namespace {

struct TempStore {
  TempStore() : dir(testing::make_temp_dir("optscale-store")), path(dir / "run.db") {}
  ~TempStore() { std::filesystem::remove_all(dir); }
  std::filesystem::path dir, path;
};

const nlohmann::json kSettings = {{"strategy", "bon:n=4"}, {"seed", 0}};
const std::vector<std::string> kIds = {"a", "b", "c"};

TEST(RunStore, RecordsAndLoadsEverything) {
  TempStore temp;
  {
    RunStore store(temp.path);
    EXPECT_FALSE(store.has_run());
    store.begin_run(kSettings, kIds);
    store.begin();
    store.record_sample(1, StoredSample{1, "second", 20, "stop", {}, {}});
    store.record_sample(1, StoredSample{0, "first \xe2\x9c\x93 \\boxed{2}", 10, "length", {}, {}});
    store.record_score(1, 0, 0.1 + 0.2, {0.25, 1.0 / 3});
    store.record_decision(1, StoredDecision{0, 0, 2, ""});
    store.record_decision(1, StoredDecision{1, 2, 0, "budget"});
    store.record_request(RequestRow{1, "generate", 0, 2, "http://x/v1", 1, 503, "server error", "boom", 0.5});
    store.record_result(1, R"({"id":"b"})");
    store.commit();
  }
  RunStore store(temp.path);
  EXPECT_TRUE(store.has_run());
  store.begin_run(kSettings, kIds);
  auto samples = store.load_samples(1);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].draw, 0);
  EXPECT_EQ(samples[0].text, "first \xe2\x9c\x93 \\boxed{2}");
  EXPECT_EQ(samples[0].finish_reason, "length");
  EXPECT_EQ(samples[0].score, 0.1 + 0.2);  // bit-exact
  EXPECT_EQ(samples[0].step_rewards, (std::vector<double>{0.25, 1.0 / 3}));
  EXPECT_FALSE(samples[1].score.has_value());
  auto decisions = store.load_decisions(1);
  ASSERT_EQ(decisions.size(), 2u);
  EXPECT_EQ(decisions[1].reason, "budget");
  EXPECT_EQ(store.load_result(1), R"({"id":"b"})");
  EXPECT_FALSE(store.load_result(0));
  EXPECT_EQ(store.finished_problems(), std::vector<int>{1});
  EXPECT_EQ(store.count("requests"), 1);
  EXPECT_TRUE(store.load_samples(2).empty());
  EXPECT_THROW(store.count("meta; DROP TABLE x"), InvariantError);  // table names are the code's own
}

TEST(RunStore, NothingIsStoredTwice) {
  TempStore temp;
  RunStore store(temp.path);
  store.begin_run(kSettings, kIds);
  store.record_sample(0, StoredSample{0, "x", 1, "stop", {}, {}});
  EXPECT_THROW(store.record_sample(0, StoredSample{0, "y", 1, "stop", {}, {}}), Error);
  store.record_score(0, 0, 0.5, {});
  EXPECT_THROW(store.record_score(0, 0, 0.5, {}), Error);
  store.record_result(0, "{}");
  EXPECT_THROW(store.record_result(0, "{}"), Error);
}

TEST(RunStore, CommittedWorkSurvivesAKilledProcessAndTheRestIsGone) {
  TempStore temp;
  { RunStore(temp.path).begin_run(kSettings, kIds); }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunStore store(temp.path);
    store.begin();
    store.record_sample(0, StoredSample{0, "kept", 5, "stop", {}, {}});
    store.commit();
    store.begin();
    store.record_sample(0, StoredSample{1, "lost", 5, "stop", {}, {}});
    _exit(0);  // dies mid-transaction, no destructors, like kill -9
  }
  int status = 0;
  waitpid(child, &status, 0);
  RunStore store(temp.path);
  auto samples = store.load_samples(0);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].text, "kept");
}

TEST(RunStore, RefusesToResumeWithOtherSettingsOrProblems) {
  TempStore temp;
  { RunStore(temp.path).begin_run(kSettings, kIds); }
  RunStore store(temp.path);
  try {
    store.begin_run({{"strategy", "bon:n=8"}, {"seed", 0}}, kIds);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("strategy: stored \"bon:n=4\", now \"bon:n=8\""), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(store.begin_run(kSettings, {"a", "x", "c"}), Error);
  EXPECT_THROW(store.begin_run(kSettings, {"a", "b"}), Error);
  EXPECT_THROW(store.begin_run(kSettings, {"a", "b", "c", "d"}), Error);
  EXPECT_NO_THROW(store.begin_run(kSettings, kIds));
}

// Two runs on one store would each draw what the other stores (the UNIQUE
// failures of issue 11): the second is refused while the first holds the
// store, and a killed holder's lock is gone with it. Readers need no lock.
TEST(RunStore, OneRunAtATimeAndAKilledRunReleasesTheStore) {
  TempStore temp;
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t holder = fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    RunStore store(temp.path);
    store.begin_run(kSettings, kIds);
    char byte = 1;
    (void)!write(ready[1], &byte, 1);
    pause();  // until killed
    _exit(0);
  }
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  {
    RunStore second(temp.path);
    EXPECT_TRUE(second.has_run());  // reading is fine
    // What begin_run() does first, with a short wait: the holder keeps the
    // lock until it is killed, so waiting longer would change nothing.
    const std::string message =
        testing::error_message([&] { second.lock_for_run(std::chrono::milliseconds(100)); });
    EXPECT_NE(message.find("run store " + temp.path.string() + " is in use"), std::string::npos) << message;
    EXPECT_NE(message.find("--resume"), std::string::npos) << message;
  }
  kill(holder, SIGKILL);
  int status = 0;
  waitpid(holder, &status, 0);
  RunStore resumed(temp.path);
  EXPECT_NO_THROW(resumed.begin_run(kSettings, kIds));
  close(ready[0]);
  close(ready[1]);
}

TEST(RunStore, RefusesAFileThatIsNotARunDatabase) {
  TempStore temp;
  std::ofstream(temp.path) << "this is not sqlite, just text long enough to have a header...............";
  EXPECT_THROW(RunStore{temp.path}, Error);
}

}  // namespace
}  // namespace optscale::store

namespace optscale::store {
namespace {

TEST(RunStore, AStoreWithoutWorkCanBeForgottenAndReused) {
  TempStore temp;
  {
    RunStore store(temp.path);
    store.begin_run(kSettings, kIds);
    store.begin();
    store.record_request(RequestRow{0, "generate", 0, 4, "http://x/v1", 1, 0, "connection_error", "refused", 0.1});
    store.commit();
    EXPECT_FALSE(store.holds_work());
  }
  RunStore store(temp.path);
  ASSERT_TRUE(store.has_run());
  store.forget_run();
  EXPECT_FALSE(store.has_run());
  EXPECT_EQ(store.count("requests"), 0);
  const nlohmann::json other = {{"strategy", "sc:n=8"}, {"seed", 1}};
  store.begin_run(other, {"x", "y"});  // other settings and problems: accepted afresh
  EXPECT_EQ(store.count("problems"), 2);
}

// `optscale run` forgets only a run without work: asked otherwise, the store
// refuses as a broken invariant (a bug of ours), and keeps the run.
TEST(RunStore, AStoreWithWorkIsNotForgotten) {
  TempStore temp;
  RunStore store(temp.path);
  store.begin_run(kSettings, kIds);
  store.begin();
  store.record_sample(0, StoredSample{0, "text", 5, "stop", {}, {}});
  store.commit();
  EXPECT_TRUE(store.holds_work());
  try {
    store.forget_run();
    ADD_FAILURE() << "a run with work was forgotten";
  } catch (const InvariantError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot forget a run that holds work"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(store.has_run());
}

}  // namespace
}  // namespace optscale::store

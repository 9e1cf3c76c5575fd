#include "cli/progress_bar.h"

#include <gtest/gtest.h>

namespace strata {
namespace {

TEST(ProgressBarTest, ShowsPartitionsBytesThroughputAndEta) {
  TaskProgress p{.total_units = 100,
                 .done_units = 25,
                 .total_bytes = 4LL << 30,
                 .done_bytes = 1LL << 30,
                 .start_ms = 0};
  // A quarter done after 10 s: 1 GiB at 102.4 MiB/s, 30 s to go.
  EXPECT_EQ(ProgressBar::Render("backup dfs://x", p, 10000),
            "backup dfs://x [#####---------------] 25/100 partitions  1.0 GiB/4.0 GiB  "
            "102.4 MiB/s  ETA 0:30");
  // Nothing done yet: no rate, no ETA.
  p.done_units = 0;
  p.done_bytes = 0;
  EXPECT_EQ(ProgressBar::Render("restore", p, 100),
            "restore [--------------------] 0/100 partitions  0 B/4.0 GiB");
}

TEST(ProgressBarTest, DrawsAndErasesOnTheStream) {
  char* text = nullptr;
  size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  ProgressBar bar(out);
  bar.Start("check");
  bar.Update(TaskProgress{.total_units = 2, .done_units = 2, .start_ms = 0});
  bar.Finish();
  std::fclose(out);
  std::string drawn(text, size);
  std::free(text);
  EXPECT_NE(drawn.find("check [####################] 2/2 partitions"), std::string::npos) << drawn;
  EXPECT_EQ(drawn.substr(drawn.size() - 4), "\r\033[K");
}

}  // namespace
}  // namespace strata

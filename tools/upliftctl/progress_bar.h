// A one-line progress bar on stderr, redrawn at most every 100 ms, shown
// only when stderr is a terminal (or when forced).
#pragma once

#include <chrono>
#include <string>

namespace uplift::cli {

class ProgressBar {
 public:
  ProgressBar(std::string label, long total, bool force = false);
  void Update(long done);
  // Draws the final state and ends the line.
  void Done();

 private:
  void Draw(long done);

  std::string label_;
  long total_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_draw_{};
  long last_done_ = 0;
};

}  // namespace uplift::cli

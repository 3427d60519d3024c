// Progress bar drawing.
#include "tools/upliftctl/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace uplift::cli {

ProgressBar::ProgressBar(std::string label, long total, bool force)
    : label_(std::move(label)), total_(total), enabled_(force || isatty(STDERR_FILENO)) {}

void ProgressBar::Update(long done) {
  last_done_ = done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
  last_draw_ = now;
  Draw(done);
}

void ProgressBar::Draw(long done) {
  constexpr int kWidth = 30;
  const double fraction = total_ > 0 ? static_cast<double>(done) / total_ : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar += std::string(kWidth - filled, '.');
  std::fprintf(stderr, "\r%s [%s] %ld/%ld (%3.0f%%)", label_.c_str(), bar.c_str(), done, total_,
               fraction * 100);
  std::fflush(stderr);
}

void ProgressBar::Done() {
  if (!enabled_) return;
  Draw(last_done_);
  std::fprintf(stderr, "\n");
}

}  // namespace uplift::cli

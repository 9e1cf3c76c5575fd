#include "base/digest_set.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <queue>
#include <string>
#include <utility>

#include "base/file_util.h"

namespace strata {

namespace {

using Digest = DigestSet::Digest;
constexpr size_t kDigestBytes = sizeof(Digest);
constexpr size_t kLeastMergeBuffer = 4096 / kDigestBytes;  // digests per run while merging
constexpr size_t kWriteBuffer = (size_t{1} << 20) / kDigestBytes;

std::string TempDir() {
  const char* dir = std::getenv("TMPDIR");
  return dir != nullptr && *dir != '\0' ? dir : "/tmp";
}

// What the temporary files are called in errors, with what to do about them.
std::string FileWhat() { return TempDir() + "/<object names>"; }
constexpr char kRoomHint[] =
    "a set of object names too large for memory goes to $TMPDIR (set TMPDIR to a directory "
    "with room: 32 bytes per object)";

// A new file in the temporary directory with no name: it goes when closed.
Result<int> OpenNamelessFile() {
  const std::string dir = TempDir();
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  if (errno == EOPNOTSUPP || errno == EISDIR) {  // a file system without O_TMPFILE
    std::string path = dir + "/strata-digests-XXXXXX";
    fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd >= 0) {
      ::unlink(path.c_str());
      return fd;
    }
  }
  return IoError(ErrnoMessage("cannot create a temporary file in '" + dir + "'"))
      .WithContext(kRoomHint);
}

Status WriteDigests(int fd, const Digest* digests, size_t count) {
  return WriteAll(fd, {reinterpret_cast<const char*>(digests), count * kDigestBytes}, FileWhat())
      .WithContext(kRoomHint);
}

// Reads `count` digests from digest index `first` of `fd` into `out`.
Status ReadDigests(int fd, uint64_t first, size_t count, Digest* out) {
  return ReadAllAt(fd, reinterpret_cast<char*>(out), count * kDigestBytes, first * kDigestBytes,
                   FileWhat());
}

void SortUnique(std::vector<Digest>& digests) {
  std::sort(digests.begin(), digests.end());
  digests.erase(std::unique(digests.begin(), digests.end()), digests.end());
}

// One sorted run being merged, read a buffer at a time.
struct RunReader {
  uint64_t next = 0;  // the next digest to read from the file
  uint64_t end = 0;
  std::vector<Digest> buffer;
  size_t pos = 0;

  bool exhausted() const { return pos == buffer.size() && next == end; }
  const Digest& front() const { return buffer[pos]; }
  Status Refill(int fd, size_t capacity) {
    size_t count = static_cast<size_t>(std::min<uint64_t>(capacity, end - next));
    buffer.resize(count);
    pos = 0;
    RETURN_IF_ERROR(ReadDigests(fd, next, count, buffer.data()));
    next += count;
    return Status::Ok();
  }
};

}  // namespace

size_t DigestSet::DefaultInMemory() {
  const char* text = std::getenv("STRATA_TEST_DIGESTS_IN_MEMORY");
  if (text == nullptr) return kDigestsInMemory;
  char* end = nullptr;
  unsigned long long n = std::strtoull(text, &end, 10);
  return end != text && *end == '\0' && n > 0 ? static_cast<size_t>(n) : kDigestsInMemory;
}

DigestSet::DigestSet(size_t in_memory) : in_memory_(std::max<size_t>(in_memory, 2)) {}

DigestSet::~DigestSet() { Close(); }

DigestSet::DigestSet(DigestSet&& other) noexcept { *this = std::move(other); }

DigestSet& DigestSet::operator=(DigestSet&& other) noexcept {
  if (this == &other) return *this;
  Close();
  in_memory_ = other.in_memory_;
  sealed_ = other.sealed_;
  digests_ = std::move(other.digests_);
  runs_fd_ = std::exchange(other.runs_fd_, -1);
  run_ends_ = std::move(other.run_ends_);
  sorted_fd_ = std::exchange(other.sorted_fd_, -1);
  index_ = std::move(other.index_);
  block_digests_ = other.block_digests_;
  size_ = other.size_;
  return *this;
}

void DigestSet::Close() {
  if (runs_fd_ >= 0) ::close(runs_fd_);
  if (sorted_fd_ >= 0) ::close(sorted_fd_);
  runs_fd_ = sorted_fd_ = -1;
}

Status DigestSet::Add(const Digest& digest) {
  if (sealed_) return FailedPrecondition("a digest set takes no digest after it is sealed");
  digests_.push_back(digest);
  if (digests_.size() >= in_memory_) return WriteRun();
  return Status::Ok();
}

Status DigestSet::WriteRun() {
  SortUnique(digests_);
  if (runs_fd_ < 0) {
    ASSIGN_OR_RETURN(runs_fd_, OpenNamelessFile());
  }
  RETURN_IF_ERROR(WriteDigests(runs_fd_, digests_.data(), digests_.size()));
  run_ends_.push_back((run_ends_.empty() ? 0 : run_ends_.back()) + digests_.size());
  digests_.clear();
  return Status::Ok();
}

Status DigestSet::Seal() {
  if (sealed_) return Status::Ok();
  sealed_ = true;
  if (runs_fd_ < 0) {
    SortUnique(digests_);
    digests_.shrink_to_fit();
    size_ = digests_.size();
    return Status::Ok();
  }
  if (!digests_.empty()) RETURN_IF_ERROR(WriteRun());
  std::vector<Digest>().swap(digests_);
  return Merge();
}

Status DigestSet::Merge() {
  const uint64_t total = run_ends_.back();
  block_digests_ = std::max<uint64_t>(1, (total + kDigestIndexEntries - 1) / kDigestIndexEntries);
  const size_t capacity =
      std::max(kLeastMergeBuffer, kDigestMergeBytes / kDigestBytes / run_ends_.size());
  std::vector<RunReader> runs(run_ends_.size());
  // The runs whose front is least first: (front, run).
  auto later = [&runs](size_t a, size_t b) { return runs[b].front() < runs[a].front(); };
  std::priority_queue<size_t, std::vector<size_t>, decltype(later)> heap(later);
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].next = i == 0 ? 0 : run_ends_[i - 1];
    runs[i].end = run_ends_[i];
    RETURN_IF_ERROR(runs[i].Refill(runs_fd_, capacity));
    if (!runs[i].exhausted()) heap.push(i);
  }
  ASSIGN_OR_RETURN(sorted_fd_, OpenNamelessFile());
  std::vector<Digest> out;
  out.reserve(kWriteBuffer);
  Digest last{};
  while (!heap.empty()) {
    size_t i = heap.top();
    heap.pop();
    const Digest& digest = runs[i].front();
    if (size_ == 0 || digest != last) {  // a digest in several runs is written once
      if (size_ % block_digests_ == 0) index_.push_back(digest);
      out.push_back(digest);
      last = digest;
      ++size_;
      if (out.size() == kWriteBuffer) {
        RETURN_IF_ERROR(WriteDigests(sorted_fd_, out.data(), out.size()));
        out.clear();
      }
    }
    if (++runs[i].pos == runs[i].buffer.size() && runs[i].next < runs[i].end) {
      RETURN_IF_ERROR(runs[i].Refill(runs_fd_, capacity));
    }
    if (!runs[i].exhausted()) heap.push(i);
  }
  RETURN_IF_ERROR(WriteDigests(sorted_fd_, out.data(), out.size()));
  ::close(runs_fd_);
  runs_fd_ = -1;
  run_ends_.clear();
  return Status::Ok();
}

Result<bool> DigestSet::Contains(const Digest& digest) const {
  if (!sealed_) return FailedPrecondition("a digest set is asked before it is sealed");
  if (sorted_fd_ < 0) return std::binary_search(digests_.begin(), digests_.end(), digest);
  auto after = std::upper_bound(index_.begin(), index_.end(), digest);
  if (after == index_.begin()) return false;
  const uint64_t first = static_cast<uint64_t>(after - index_.begin() - 1) * block_digests_;
  const size_t count = static_cast<size_t>(std::min(block_digests_, size_ - first));
  std::vector<Digest> block(count);
  RETURN_IF_ERROR(ReadDigests(sorted_fd_, first, count, block.data()));
  return std::binary_search(block.begin(), block.end(), digest);
}

}  // namespace strata

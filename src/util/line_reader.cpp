#include "optscale/util/line_reader.hpp"

#include <cstring>
#include <string>

#include "optscale/util/error.hpp"
#include "optscale/util/fast_json.hpp"

namespace optscale::util {

std::size_t LineReader::block_for_file(const std::filesystem::path& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error || size >= kDefaultBlock) return kDefaultBlock;
  return static_cast<std::size_t>(size) + 1;
}

LineReader::LineReader(std::istream& in, std::size_t block, std::size_t max_line)
    : in_(in), block_(block == 0 ? 1 : block), max_line_(max_line), buffer_(block_ + kFastJsonPadding) {}

const std::vector<InputLine>& LineReader::next(std::string_view name) {
  lines_.clear();
  // Move the unfinished line to the front, then fill the rest of the block
  // (growing the buffer while a single line is longer than it).
  const std::size_t kept = end_ - begin_;
  if (begin_ > 0 && kept > 0) std::memmove(buffer_.data(), buffer_.data() + begin_, kept);
  begin_ = 0;
  end_ = kept;
  while (!eof_) {
    const std::size_t room = buffer_.size() - kFastJsonPadding - end_;
    if (room == 0) {
      if (std::memchr(buffer_.data(), '\n', end_) != nullptr) break;
      if (end_ > max_line_) {
        throw Error(std::string(name) + ":" + std::to_string(line_number_ + 1) + ": line longer than " +
                    std::to_string(max_line_) + " bytes (the limit for one JSON line); is this a JSON Lines file?");
      }
      buffer_.resize(2 * (buffer_.size() - kFastJsonPadding) + kFastJsonPadding);
      continue;
    }
    in_.read(buffer_.data() + end_, static_cast<std::streamsize>(room));
    const auto got = static_cast<std::size_t>(in_.gcount());
    end_ += got;
    if (in_.bad()) throw Error(std::string(name) + ": read failed");
    if (got < room) eof_ = true;
    else if (std::memchr(buffer_.data() + end_ - got, '\n', got) != nullptr) break;
  }
  const char* data = buffer_.data();
  std::size_t start = 0;
  while (start < end_) {
    const void* newline = std::memchr(data + start, '\n', end_ - start);
    if (newline == nullptr && !eof_) break;  // unfinished: kept for the next call
    const std::size_t stop = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - data) : end_;
    std::string_view text(data + start, stop - start);
    if (text.ends_with('\r')) text.remove_suffix(1);
    lines_.push_back(InputLine{text, ++line_number_});
    start = stop + 1;
  }
  begin_ = start > end_ ? end_ : start;
  return lines_;
}

}  // namespace optscale::util

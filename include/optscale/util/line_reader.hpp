// Reading a JSON Lines input (a pool, a problems file, a plan batch) in large
// blocks, without a copy per line: each batch is every whole line of the
// block, as views into one buffer that keeps util::kFastJsonPadding readable
// bytes past every line, so the fast parser reads them in place. Memory is
// one block (or the longest line, when longer), whatever the file's size; a
// line longer than the line limit is refused rather than read into memory.
#pragma once
#include <cstddef>
#include <filesystem>
#include <istream>
#include <string_view>
#include <vector>

namespace optscale::util {

struct InputLine {
  std::string_view text;   // without its '\n' and a '\r' before it
  std::size_t number = 0;  // 1-based line number in the input
};

class LineReader {
 public:
  static constexpr std::size_t kDefaultBlock = std::size_t{8} << 20;
  // Far above a real line (a pool line of 64 samples, each a whole
  // 100k-token completion, is ~25 MB), low enough that a file without
  // newlines cannot take the machine's memory.
  static constexpr std::size_t kDefaultMaxLine = std::size_t{256} << 20;

  // The block for reading the file at `path`: its size (and a byte) when
  // that is less than kDefaultBlock, so that a small file costs no 8 MB
  // buffer (kDefaultBlock when the size cannot be read).
  static std::size_t block_for_file(const std::filesystem::path& path);

  // Reads `in` (which must outlive the reader) `block` bytes at a time;
  // lines longer than `max_line` bytes are refused.
  explicit LineReader(std::istream& in, std::size_t block = kDefaultBlock,
                      std::size_t max_line = kDefaultMaxLine);

  // The next lines (blank ones included), in order; empty at the end of the
  // input. The views are valid until the next call. A last line without a
  // '\n' is a line. Throws optscale::Error("<name>: read failed") on an I/O
  // error and "<name>:<line>: line longer than ..." past the line limit,
  // `name` naming the input.
  const std::vector<InputLine>& next(std::string_view name);

  // The buffer's size now: the block, or more while a longer line is read.
  std::size_t buffer_bytes() const { return buffer_.size(); }

 private:
  std::istream& in_;
  std::size_t block_;
  std::size_t max_line_;
  std::vector<char> buffer_;   // data_ bytes of input, then at least the padding
  std::size_t begin_ = 0;      // the first byte not handed out yet
  std::size_t end_ = 0;        // past the last byte read
  std::size_t line_number_ = 0;
  bool eof_ = false;
  std::vector<InputLine> lines_;
};

}  // namespace optscale::util

#pragma once
#include <string>
#include <string_view>

namespace nixproc {

// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

// Incremental SHA-256 for hashing many pieces without concatenating them.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string hex();  // finishes the hash

 private:
  void* ctx_;
};

}  // namespace nixproc

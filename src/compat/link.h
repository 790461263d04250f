#pragma once
// `nixproc compat link`: makes a checkout of the original nix-processmgmt use
// nixproc's compatibility tree, so its models' relative imports
// (../../nixproc/create-managed-process/...) reach nixproc's library.
#include <string>

namespace nixproc::compat {

// Moves <checkout>/nixproc aside to nixproc.orig and puts a symlink to
// `compat_tree` (nix/compat/nix-processmgmt/nixproc) in its place. Returns
// what it did, for the user; throws nixproc::Error when it cannot, having
// changed nothing.
std::string link_checkout(const std::string& checkout, const std::string& compat_tree);

}  // namespace nixproc::compat

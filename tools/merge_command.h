// `iovacheck merge RESULT|DIR...`: the shard results of one campaign (files,
// or every shard-*.json in a directory) combined into one verdict
// (campaigns/merge.h).
#ifndef IOVACHECK_TOOLS_MERGE_COMMAND_H_
#define IOVACHECK_TOOLS_MERGE_COMMAND_H_

#include <string>
#include <vector>

namespace iovacheck {

// Exit status: 0 every seed of every shard passed, 1 some seed failed, 2 bad
// input (a file that cannot be read or is no shard result, shards missing,
// repeated or disagreeing: one line on stderr naming the file).
int RunMergeCommand(const std::vector<std::string>& paths);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_MERGE_COMMAND_H_

// Whether two names reach the same file, so that a command never writes its
// output over its input.
#ifndef IOVACHECK_TOOLS_SAME_FILE_H_
#define IOVACHECK_TOOLS_SAME_FILE_H_

#include <string>

namespace iovacheck {

// The same resolved path, or (hard links, bind mounts) the same inode. A
// name that does not exist yet is never the same file as anything.
bool SameFile(const std::string& a, const std::string& b);

bool FileExists(const std::string& path);

}  // namespace iovacheck

#endif  // IOVACHECK_TOOLS_SAME_FILE_H_

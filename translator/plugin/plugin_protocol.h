// What iovacheck and a plug-in's child process say to each other (frames of
// wire.h). The parent sends one call at a time; while the call runs, the
// child may ask the parent to write IOTLB messages to the device (the device
// lives in the parent, with the oracle) and may send log lines; the call ends
// with a return frame. Every return frame (and the ready frame) ends with the
// translator's allocations when they changed since the last one the child
// sent, so that the oracle's per-event Allocations() costs no round trip.
#ifndef IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_PROTOCOL_H_
#define IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_PROTOCOL_H_

#include <cstdint>

namespace iovacheck {
namespace plugin_protocol {

// First byte of every frame.
enum Frame : uint8_t {
  // child -> parent
  kReady = 1,   // u8 created (0: the plug-in's create() returned NULL), allocations
  kReturn = 2,  // i64 rc, then the call's results, then allocations:
                // u8 changed, and if 1: u32 n, n x (u64 iova, u64 len)
  kWrite = 3,   // one IOTLB message for the device
  kLog = 4,     // one log line
  // parent -> child
  kCall = 10,         // u8 op, then the call's arguments
  kWriteResult = 11,  // i64 err, i64 handler_err
};

// The translator call a kCall frame carries.
enum Op : uint8_t {
  kListenerBegin = 1,
  kListenerCommit,
  kRegionAdd,
  kRegionDel,
  kMapHostBuffer,
  kUnmapHostBuffer,
  kTranslateBuffer,
  kSetShadowData,
  kDeviceReset,
  kIommuMap,
  kIommuUnmap,
};

}  // namespace plugin_protocol
}  // namespace iovacheck

#endif  // IOVACHECK_TRANSLATOR_PLUGIN_PLUGIN_PROTOCOL_H_

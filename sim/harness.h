// The harness: applies one event to the reference model, hands it to the
// translator, lets the translator talk to the emulated device, and runs the
// oracle. trace -> translator -> device -> oracle, one step at a time.
#ifndef IOVACHECK_SIM_HARNESS_H_
#define IOVACHECK_SIM_HARNESS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/status/status.h"
#include "model/divergence.h"
#include "model/incremental_oracle.h"
#include "model/reference_model.h"
#include "model/device.h"
#include "sim/event.h"
#include "translator/translator.h"

namespace iovacheck {

// One IOTLB message a translator wrote, and what write() answered.
struct SentMessage {
  IotlbMsg msg;
  WriteResult result;
};

// A fault injected on one message: it was answered with `error` instead of
// reaching the device.
struct InjectedFault {
  size_t message_index = 0;  // among the messages written for the event
  std::string site;
  int error = 0;
  bool excuses_mapping = false;  // the event's mapping may rightly be missing
};

// Decides, message by message, whether a fault answers instead of the device
// (the simulator's fault sites, or a trace's recorded faults on replay).
class ChannelFaults {
 public:
  virtual ~ChannelFaults() = default;
  virtual std::optional<InjectedFault> Intercept(const Event& event, size_t message_index,
                                                 const IotlbMsg& msg) = 0;
};

struct StepRecord {
  Event event;
  std::vector<SentMessage> sent;
  int rc = 0;                  // the translator's return code
  std::vector<uint64_t> iovas;  // translate: the IOVAs it answered
  std::vector<DmaSegment> dma;  // device_dma: the HVA pieces reached (rc: result)
  std::vector<InjectedFault> faults;
};

class Harness;

// Sees every event a harness applies (coverage/coverage_observer.h): Before
// with the model as it stands before the event (called once the event is
// valid), After with the event's record (not called for an event the model
// refuses).
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual void Before(const Harness& harness, const Event& event) = 0;
  virtual void After(const Harness& harness, const StepRecord& record) = 0;
};

struct HarnessOptions {
  bool strict = false;  // also demand QEMU's first-fit IOVAs
  // Keep every StepRecord. Replaying a long trace turns it off: memory then
  // stays proportional to the live mappings, and only the last record is kept.
  bool keep_log = true;
  ChannelFaults* faults = nullptr;  // not owned; null: no fault injection
  // Also sweep every live mapping after every event (model/oracle.h), the
  // debug check of the incremental oracle: the sweep's verdict is the one
  // kept, and every event where the two disagree is counted.
  bool full_oracle = false;
  StepObserver* observer = nullptr;  // not owned; null: none
};

class Harness {
 public:
  Harness(const DeviceConfig& config, const TranslatorFactory& factory,
          HarnessOptions options = {});
  ~Harness();
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  // Applies one event. When the device named by the config could not be
  // made (an unknown name, a kernel that refuses it), every Step returns that
  // error. An event the model refuses (overlapping GPA, deleting
  // what was never added, unbalanced transactions, ...) is a caller error:
  // InvalidArgument / NotFound, and nothing is applied. After the first
  // divergence further events are ignored.
  absl::Status Step(const Event& event);

  bool failed() const { return divergence_.has_value(); }
  const std::optional<Divergence>& divergence() const { return divergence_; }
  // Index (among the events applied) of the event at which it showed.
  size_t divergence_index() const { return divergence_index_; }
  size_t events_applied() const { return events_applied_; }
  // With full_oracle: events where the incremental oracle and the full sweep
  // did not agree on whether the state holds.
  size_t oracle_disagreements() const { return oracle_disagreements_; }
  // What the oracle looked at so far (model/incremental_oracle.h).
  OracleWork oracle_work() const;
  // Every applied event's record, or only the last one without keep_log.
  const std::vector<StepRecord>& log() const { return log_; }

  const ReferenceModel& model() const { return model_; }
  const Device& device() const { return *device_; }
  bool in_transaction() const { return in_transaction_; }

 private:
  class RecordingChannel;

  absl::Status Validate(const Event& event) const;
  absl::Status ApplyToModel(const Event& event);
  std::optional<Divergence> Apply(const Event& event, StepRecord& record);
  // A mapping event's outcome: an error is fine only when a fault or the IOVA
  // space excuses it (the model then expects the mapping absent); success is
  // wrong when the device refused its UPDATE.
  std::optional<Divergence> JudgeMapping(const Event& event, const StepRecord& record,
                                         const char* what);
  // Whether first fit could still place `len` bytes among the allocations
  // the translator held after the previous event.
  bool HoleLeft(uint64_t len) const;
  absl::uint128 WidestHoleAmong(std::vector<IovaAllocation> held) const;
  void ExcuseWhatNoLongerFits();
  std::optional<Divergence> JudgeState();

  HarnessOptions options_;
  ReferenceModel model_;
  // Before the device and the translator, which write into its journals,
  // so that it outlives them.
  std::unique_ptr<IncrementalOracle> oracle_;
  std::unique_ptr<Device> device_;
  absl::Status device_status_;  // why the device could not be made
  std::unique_ptr<RecordingChannel> channel_;
  std::unique_ptr<Translator> translator_;
  bool translator_journals_ = false;  // its allocations come as a journal
  bool in_transaction_ = false;
  std::vector<StepRecord> log_;
  size_t oracle_disagreements_ = 0;
  uint64_t datapath_checks_ = 0;   // for oracle_work()
  uint64_t answers_judged_ = 0;
  std::optional<Divergence> divergence_;
  size_t divergence_index_ = 0;
  size_t events_applied_ = 0;
};

// The log as text: one event per line, the messages it caused indented below.
std::string FormatLog(const std::vector<StepRecord>& log);

}  // namespace iovacheck

#endif  // IOVACHECK_SIM_HARNESS_H_

#include "model/incremental_oracle.h"

#include <algorithm>
#include <cstdlib>

namespace iovacheck {

IncrementalOracle::IncrementalOracle(ReferenceModel* model, Device* device)
    : model_(model), device_(device) {
  model_->TrackChanges();
  for (const MappingSource& source : model_->Sources()) ExpectedChanged(source);
  model_->TakeChangedSources(&changed_sources_);
  // A journalling device starts with what its tables hold already.
  device_journals_ = device_->JournalTables(&table_journal_);
}

void IncrementalOracle::AllocationsAre(const std::vector<IovaAllocation>& now) {
  absl::btree_map<std::pair<uint64_t, uint64_t>, int> listed;
  for (const IovaAllocation& a : now) ++listed[{a.iova, a.len}];
  auto a = listed_.begin();
  auto b = listed.begin();
  auto note = [&](const std::pair<uint64_t, uint64_t>& r, int times, bool added) {
    for (int i = 0; i < times; ++i) allocation_journal_.push_back({{r.first, r.second}, added});
  };
  while (a != listed_.end() || b != listed.end()) {
    if (b == listed.end() || (a != listed_.end() && a->first < b->first)) {
      note(a->first, a->second, false);
      ++a;
    } else if (a == listed_.end() || b->first < a->first) {
      note(b->first, b->second, true);
      ++b;
    } else {
      note(a->first, std::abs(b->second - a->second), b->second > a->second);
      ++a;
      ++b;
    }
  }
  listed_ = std::move(listed);
}

void IncrementalOracle::TableChanged(const TableChange& c) {
  if (c.side != TableSide::kVhost) return;
  if (c.added) {
    mappings_.AddEntry(c.asid, c.entry);
  } else {
    mappings_.RemoveEntry(c.asid, c.entry);
  }
  iova_space_.Entry(c.asid, c.entry, c.added);
  allocations_.Entry(c.asid, c.entry.start, c.entry.last - c.entry.start + 1, c.added);
}

void IncrementalOracle::ExpectedChanged(const MappingSource& source) {
  // Reports come from the full sweep: the ledger needs no names.
  std::optional<ExpectedMapping> now = model_->ExpectedMappingOf(source, /*named=*/false);
  std::optional<MappingsLedger::FixedPlace> now_fixed;
  if (now && now->fixed_iova) now_fixed = {now->asid, *now->fixed_iova, now->len};
  // A source reported changed whose mapping is the same (a vIOMMU replay of
  // a live entry, a section re-added as it was) changes no rule's input; the
  // device's own changes touch what they touch.
  std::optional<MappingsLedger::FixedPlace> before_fixed;
  if (!mappings_.SetExpected(source, now, &before_fixed)) return;
  if (before_fixed) {
    allocations_.Fixed(before_fixed->asid, before_fixed->iova, before_fixed->len, false);
  }
  if (now_fixed) allocations_.Fixed(now_fixed->asid, now_fixed->iova, now_fixed->len, true);
}

// A dma_map parent follows the kernel's table message by message: an entry
// added to (removed from) one table is added to (removed from) the other
// right after. Such a pair changes no balance and is passed over.
void IncrementalOracle::DeviceViewChanged(const std::vector<TableChange>& changes) {
  for (size_t i = 0; i < changes.size(); ++i) {
    const TableChange& c = changes[i];
    if (i + 1 < changes.size()) {
      const TableChange& n = changes[i + 1];
      if (c.side != n.side && c.asid == n.asid &&
          c.added == n.added && c.entry == n.entry) {
        ++i;
        continue;
      }
    }
    device_view_.Entry(c.side, c.asid, c.entry, c.added);
  }
}

// A device without a journal: its tables now, against the copies kept, give
// the changes (address spaces gone since are emptied).
void IncrementalOracle::ReadWholeTables() {
  const std::vector<uint32_t> asids = device_->asids();
  for (auto& [key, copy] : copies_) {
    if (!std::binary_search(asids.begin(), asids.end(), key.first)) copy.Clear();
  }
  for (uint32_t asid : asids) {
    for (TableSide side : {TableSide::kVhost, TableSide::kDevice}) {
      const IntervalTable* t = side == TableSide::kVhost ? device_->vhost_table(asid)
                                                         : device_->device_table(asid);
      auto [it, created] = copies_.try_emplace({asid, side});
      if (created) it->second.JournalTo(&table_journal_, asid, side);
      if (t != nullptr) {
        it->second = *t;
      } else {
        it->second.Clear();
      }
    }
  }
}

void IncrementalOracle::TakeChanges() {
  if (!device_journals_) ReadWholeTables();
  const std::vector<TableChange>& changes = table_journal_.changes();
  for (const TableChange& c : changes) TableChanged(c);
  DeviceViewChanged(changes);
  table_journal_.Clear();
  std::vector<MappingSource>& sources = changed_sources_;
  model_->TakeChangedSources(&sources);
  std::sort(sources.begin(), sources.end());
  sources.erase(std::unique(sources.begin(), sources.end()), sources.end());
  for (const MappingSource& source : sources) ExpectedChanged(source);
  for (const AllocationChange& c : allocation_journal_) allocations_.Allocated(c.range, c.added);
  allocation_journal_.clear();
}

std::optional<Divergence> IncrementalOracle::Check(
    const OracleOptions& options,
    const std::function<std::vector<IovaAllocation>()>& allocations) {
  TakeChanges();
  work_.mapping_groups += mappings_.pending();
  if (options.strict) work_.strict_groups += mappings_.pending();
  work_.entries += iova_space_.pending();
  work_.iova_ranges += allocations_.pending();
  if (options.quiescent) ++work_.quiescent_points;
  // The same order as the full sweep: the most specific rule first.
  const uint64_t floor =
      model_->single_allocator() ? model_->iova_floor() : model_->config().iova_first;
  std::optional<Divergence> d = mappings_.Check(options.strict);
  std::optional<Divergence> range =
      iova_space_.Check(floor, model_->config().iova_last, model_->single_allocator(), *device_);
  std::optional<Divergence> leak = allocations_.Check();
  // Moves only what was found: a Divergence is large, and most checks find
  // nothing.
  if (!d && range) d = std::move(range);
  if (!d && leak) d = std::move(leak);
  if (!d && options.quiescent) {
    if (std::optional<Divergence> view = device_view_.Check(*device_)) d = std::move(view);
  }
  if (!d) return std::nullopt;
  // Described by the full sweep, as it always was.
  if (std::optional<Divergence> full = CheckState(*model_, *device_, allocations(), options)) {
    return full;
  }
  return d;
}

}  // namespace iovacheck

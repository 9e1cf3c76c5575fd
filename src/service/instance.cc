#include "service/instance.h"

#include "base/utc_time.h"

namespace strata {

Instance::Instance(Engine* engine, InstanceSettings settings)
    : engine_(engine), settings_(std::move(settings)), schedule_clock_([] { return NowMs(); }) {}

std::unique_ptr<Instance> Instance::Open(Engine* engine, InstanceSettings settings) {
  auto instance = std::unique_ptr<Instance>(new Instance(engine, std::move(settings)));
  if (engine == nullptr) {
    instance->jobs_status_ = FailedPrecondition("no data directory is open, so there are no jobs");
    return instance;
  }
  auto jobs = JobManager::Open(engine->catalog(), instance->settings_.jobs);
  if (jobs.ok()) {
    instance->jobs_ = std::move(*jobs);
  } else {
    instance->jobs_status_ = jobs.status();
  }
  return instance;
}

Instance::~Instance() { jobs_.reset(); }

Result<JobManager*> Instance::jobs() const {
  if (jobs_ == nullptr) return jobs_status_;
  return jobs_.get();
}

}  // namespace strata

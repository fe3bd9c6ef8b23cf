// A small persistent thread pool for the CPU matmul kernels (cpu_qmm.cpp,
// cpu_gemm.cpp). A decode step runs dozens of matmuls of 0.05-1 ms each,
// so starting threads per call (tens of microseconds each) would eat the
// gain of splitting the work; the workers here live for the process and
// spin briefly after each job before sleeping, so back-to-back matmuls
// find them awake.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace mlxgo::cpu {

class ThreadPool {
 public:
  // The process-wide pool: one worker per extra hardware thread, at most 7.
  static ThreadPool& instance() {
    static ThreadPool* pool = new ThreadPool(default_workers());  // never destroyed: workers outlive exit
    return *pool;
  }

  // Participants in a job: the workers plus the calling thread.
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs f(i) for every i in [0, n) on the caller and the workers, and
  // returns when all are done. f must not throw. Only one job runs at a
  // time; a caller that finds the pool busy (another MLX stream's thread)
  // runs its job alone rather than wait.
  template <typename F>
  void run(int n, F&& f) {
    if (n <= 0) return;
    std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
    if (n == 1 || workers_.empty() || !lock.owns_lock()) {
      for (int i = 0; i < n; i++) f(i);
      return;
    }
    Job job{[](void* ctx, int i) { (*static_cast<std::remove_reference_t<F>*>(ctx))(i); }, &f, n};
    job_.store(&job);
    generation_.fetch_add(1);
    generation_.notify_all();
    work(job);
    while (job.done.load(std::memory_order_acquire) < n) pause();
    // A worker may still hold the job (between indices): the job lives
    // on this stack, so wait until none does. A worker that loads job_
    // after this store sees null (both are sequentially consistent).
    job_.store(nullptr);
    while (busy_.load() != 0) pause();
  }

 private:
  struct Job {
    void (*call)(void*, int);
    void* ctx;
    int n;
    std::atomic<int> next{0};
    std::atomic<int> done{0};
  };

  static int default_workers() {
    unsigned hw = std::thread::hardware_concurrency();
    return static_cast<int>(std::clamp(hw, 1u, 8u)) - 1;
  }

  explicit ThreadPool(int workers) {
    for (int i = 0; i < workers; i++) workers_.emplace_back([this] { loop(); });
    for (auto& t : workers_) t.detach();
  }

  static void pause() {
#if defined(__x86_64__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
  }

  static void work(Job& job) {
    int i;
    while ((i = job.next.fetch_add(1, std::memory_order_relaxed)) < job.n) {
      job.call(job.ctx, i);
      job.done.fetch_add(1, std::memory_order_release);
    }
  }

  void loop() {
    uint64_t seen = generation_.load();
    for (;;) {
      // Spin about 200us for the next job, then sleep until woken.
      auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      for (int spins = 0;; spins++) {
        uint64_t g = generation_.load(std::memory_order_acquire);
        if (g != seen) {
          seen = g;
          break;
        }
        if ((spins & 63) == 63 && std::chrono::steady_clock::now() > until) {
          generation_.wait(seen);
        } else {
          pause();
        }
      }
      busy_.fetch_add(1);
      if (Job* job = job_.load()) work(*job);
      busy_.fetch_sub(1);
    }
  }

  std::mutex mu_;
  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> busy_{0};
  std::atomic<Job*> job_{nullptr};
};

}  // namespace mlxgo::cpu

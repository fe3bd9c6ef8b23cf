// The same graph built directly with MLX's C++ API: what building it costs
// with no binding at all, the floor under both Go's and Python's numbers.
#include <ctime>
#include <vector>

#include "mlx/mlx.h"

namespace mx = mlx::core;

namespace {

double cpu_ns() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

mx::array build(mx::array x, const mx::array& b, int ops, mx::Stream s) {
  for (int j = 0; j < ops / 4; j++) {
    x = mx::add(x, b, s);
    x = mx::multiply(x, mx::array(-0.5f), s);
    x = mx::exp(x, s);
    x = mx::sum(x, std::vector<int>{1}, true, s);
  }
  return x;
}

}  // namespace

// Best of five rounds, in CPU nanoseconds per op; 0 if MLX failed.
extern "C" double mlxgo_bench_cpp_ns_per_op(int ops, int reps) {
  try {
    auto s = mx::new_thread_unsafe_stream(mx::Device::cpu);
    auto b = mx::ones({4, 4}, mx::float32, s);
    auto x0 = mx::ones({4, 4}, mx::float32, s);
    mx::eval({b, x0});
    build(x0, b, ops, s);
    double best = 0;
    for (int r = 0; r < 5; r++) {
      double t0 = cpu_ns();
      for (int i = 0; i < reps; i++) build(x0, b, ops, s);
      double ns = (cpu_ns() - t0) / (double(ops) * reps);
      if (best == 0 || ns < best) best = ns;
    }
    return best;
  } catch (...) {
    return 0;
  }
}

"""jupyter_kernel_test against the installed mlx-go kernel.

Every sample attribute is filled, and the run fails if any test is skipped:
a skipped conformance test is an untested feature.
"""
import sys
import unittest

import jupyter_kernel_test as jkt


class MLXGoKernelTests(jkt.KernelTests):
    kernel_name = "mlx-go"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'
    code_stderr = 'fmt.Fprintln(os.Stderr, "something went to stderr")'

    completion_samples = [
        {"text": "fmt.Sprin", "matches": {"Sprint", "Sprintf", "Sprintln"}},
    ]

    complete_code_samples = ["x := 1", "fmt.Println(1)", "func double(n int) int { return 2 * n }"]
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", "x := []int{1,"]
    invalid_code_samples = ["x := )", "}", "fmt.Println(1))"]

    code_page_something = "fmt.Println?"

    code_generate_error = 'panic("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "6 * 7", "result": "42"},
        {"code": '"mlx" + "-go"', "result": '"mlx-go"'},
        {"code": "tensor.Ones([]int{2}, tensor.Float32)", "mime": "text/html"},
    ]

    code_display_data = [
        {"code": 'display.HTML("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.Markdown("# title")', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 ? 7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "fmt.Println"

    code_clear_output = "display.Clear(false)"


if __name__ == "__main__":
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(MLXGoKernelTests)
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    if result.skipped:
        print(f"FAILED: {len(result.skipped)} skipped: {[str(t) for t, _ in result.skipped]}")
        sys.exit(1)
    sys.exit(0 if result.wasSuccessful() else 1)

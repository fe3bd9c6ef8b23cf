package kernel_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLatencyAgainstIPykernel measures mlx-go and ipykernel with the same
// jupyter_client in the same run and prints the ratios (goals: <= 0.25 for
// the `1+1` round trip, <= 0.2 for spawn-to-ready). Timings vary with the
// machine's load, so they are reported, not asserted; the test fails only
// if a kernel did not answer.
func TestLatencyAgainstIPykernel(t *testing.T) {
	out := runPython(t, "latency.py", "7", "200")
	i := strings.Index(out, "LATENCY ")
	if i < 0 {
		t.Fatal("latency.py printed no LATENCY line")
	}
	line := out[i+len("LATENCY "):]
	line = line[:strings.IndexByte(line+"\n", '\n')]
	var r struct {
		Ours        map[string]float64 `json:"mlx-go"`
		IPy         map[string]float64 `json:"ipykernel"`
		RTMedian    float64            `json:"rt_median_ratio"`
		RTP95       float64            `json:"rt_p95_ratio"`
		SpawnMedian float64            `json:"spawn_ratio"`
		FirstResult float64            `json:"first_result_ratio"`
		WaitReady   float64            `json:"wait_for_ready_ratio"`
	}
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	t.Logf("1+1 round trip median: mlx-go %.2f ms, ipykernel %.2f ms, ratio %.3f",
		r.Ours["rt_median_ms"], r.IPy["rt_median_ms"], r.RTMedian)
	t.Logf("1+1 round trip p95:    mlx-go %.2f ms, ipykernel %.2f ms, ratio %.3f",
		r.Ours["rt_p95_ms"], r.IPy["rt_p95_ms"], r.RTP95)
	t.Logf("spawn to ready median: mlx-go %.1f ms, ipykernel %.1f ms, ratio %.3f",
		r.Ours["spawn_median_ms"], r.IPy["spawn_median_ms"], r.SpawnMedian)
	t.Logf("start to first result:  mlx-go %.1f ms, ipykernel %.1f ms, ratio %.3f",
		r.Ours["first_result_ms"], r.IPy["first_result_ms"], r.FirstResult)
	t.Logf("wait_for_ready (incl. its fixed 200 ms IOPub drain): mlx-go %.1f ms, ipykernel %.1f ms, ratio %.3f",
		r.Ours["wait_for_ready_ms"], r.IPy["wait_for_ready_ms"], r.WaitReady)
	for _, k := range []string{"rt_median_ms", "spawn_median_ms", "first_result_ms"} {
		if !(r.Ours[k] > 0) || !(r.IPy[k] > 0) {
			t.Errorf("%s missing: mlx-go %v, ipykernel %v", k, r.Ours[k], r.IPy[k])
		}
	}
}

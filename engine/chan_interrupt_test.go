package engine

import (
	"context"
	"testing"
	"time"
)

func TestInterruptStopsBlockedChannelOperations(t *testing.T) {
	e, _ := newTestEngine(t)
	for _, src := range []string{"<-make(chan int)", "select {}", "var mu sync.Mutex\nc := make(chan int)\nfor { mu.Lock(); c <- 1; mu.Unlock() }"} {
		go func() {
			time.Sleep(150 * time.Millisecond)
			e.Interrupt()
		}()
		start := time.Now()
		r := e.Eval(context.Background(), src)
		if r.Err == nil || r.Err.Kind != "interrupted" {
			t.Errorf("%q: %+v", src, r.Err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q: stopped after %v", src, d)
		}
	}
	if r := mustEval(t, e, "2 + 2"); r.Value.Text != "4" {
		t.Errorf("session broken")
	}
}

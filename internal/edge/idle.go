package edge

import (
	"context"
	"errors"
	"io"
	"time"
)

// errIdleTimeout ends a fetch whose origin sent nothing for ResponseTimeout.
var errIdleTimeout = errors.New("edge: origin response timed out")

// idleReader cancels the fetch when a Read waits longer than timeout;
// every successful read restarts the clock.
type idleReader struct {
	r       io.Reader
	timer   *time.Timer
	timeout time.Duration
}

func newIdleReader(r io.Reader, timeout time.Duration, cancel context.CancelCauseFunc) *idleReader {
	return &idleReader{r: r, timeout: timeout, timer: time.AfterFunc(timeout, func() { cancel(errIdleTimeout) })}
}

func (ir *idleReader) Read(p []byte) (int, error) {
	n, err := ir.r.Read(p)
	if n > 0 {
		ir.timer.Reset(ir.timeout)
	}
	return n, err
}

func (ir *idleReader) stop() { ir.timer.Stop() }
